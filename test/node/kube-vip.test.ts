import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ApiEndpoint, CiliumRelease, Cluster, EDGE_README_PATH, K3sServerConfig, KUBE_VIP_IMAGE, nodeFiles } from '../../constructs/index.js';
import { validateObject } from '../../constructs/schema/schema.js';
import { HOMELAB_PROPS, OCEANID_PROPS } from '../../main.js';
import { expectCommitted, file, ids, run, tempDir, testCluster } from '../helpers.js';

const KUBE_VIP_FILE = 'edge/k3s/manifests/kube-vip.yaml.dist';

/** homelab as main.ts builds it (Cilium 1.19 in tunnel mode beside kube-proxy) with its K3sServerConfig. */
async function homelab(props = HOMELAB_PROPS, cilium = {}) {
  const app = new App({ outdir: tempDir('netkit-kube-vip-') });
  const cluster = new Cluster(app, 'homelab', props);
  new CiliumRelease(cluster, 'Cilium', { version: '1.19', ...cilium });
  const k3s = new K3sServerConfig(cluster, 'K3sServerConfig');
  const out = await run(app);
  return { out, cluster, k3s };
}

const objects = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>);

describe('kube-vip holds the homelab API VIP (seed 001)', () => {
  it('renders kube-vip for the k3s server manifests folder, snapshotted, listed in the readme, the VIP in tls-san', async () => {
    const { out } = await homelab();
    expect(ids(out.findings).filter((id) => id.startsWith('NET-NODE') || id.startsWith('NET-EDGE'))).toEqual([]);
    // the committed file (main.ts builds homelab so; the e2e test holds it to a fresh synth)
    expectCommitted(file(out, 'homelab', KUBE_VIP_FILE), `homelab/${KUBE_VIP_FILE}`);
    expect(file(out, 'homelab', EDGE_README_PATH)).toContain(
      '`k3s/manifests/kube-vip.yaml.dist` → /var/lib/rancher/k3s/server/manifests/kube-vip.yaml on every server: master (192.168.55.11), worker1 (192.168.55.12), worker2 (192.168.55.13).',
    );
    expect(parse(file(out, 'homelab', 'edge/k3s/config.yaml.dist'))['tls-san']).toContain(HOMELAB_PROPS.apiEndpoint.host);
  });

  it("each object passes the schema of its kind, unknown fields included (the project's own validation)", async () => {
    const { out } = await homelab();
    const objs = objects(file(out, 'homelab', KUBE_VIP_FILE));
    expect(objs.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 ServiceAccount kube-vip',
      'rbac.authorization.k8s.io/v1 ClusterRole system:kube-vip-role',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding system:kube-vip-binding',
      'apps/v1 DaemonSet kube-vip',
    ]);
    for (const o of objs) expect(await validateObject(o as { apiVersion: string; kind: string }), `${o.kind}`).toEqual([]);
    // the check is not vacuous: a field the kind does not have, and a wrong type, are reported
    const ds = structuredClone(objs[3]);
    ds.spec.template.spec.containers[0].vipInterface = 'eth0';
    ds.spec.template.spec.hostNetwork = 'yes';
    const problems = await validateObject(ds as { apiVersion: string; kind: string });
    expect(problems.map((p) => p.kind).sort()).toEqual(['invalid', 'unknown-field']);
  });

  it('holds the VIP of the model in ARP mode on the named interface, on the servers only, with the least capabilities', async () => {
    const { out } = await homelab();
    const [sa, role, binding, ds] = objects(file(out, 'homelab', KUBE_VIP_FILE));
    const pod = ds.spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    const api = HOMELAB_PROPS.apiEndpoint;
    expect(env).toMatchObject({
      vip_arp: 'true',
      address: api.host,
      port: String(api.port),
      vip_interface: api.holder!.interface,
      cp_enable: 'true',
      vip_leaderelection: 'true',
      // kube-vip reaches the API server on its own node, not through the kubernetes Service (kube-vip#721)
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: '6443',
    });
    expect(env.vip_interface).toBe('enp1s0');
    expect(pod.containers[0]).toMatchObject({
      image: KUBE_VIP_IMAGE,
      args: ['manager'],
      securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } },
    });
    expect(KUBE_VIP_IMAGE).toBe('ghcr.io/kube-vip/kube-vip:v1.2.3');
    expect(pod.hostNetwork).toBe(true);
    expect(pod.tolerations).toEqual([
      { effect: 'NoSchedule', operator: 'Exists' },
      { effect: 'NoExecute', operator: 'Exists' },
    ]);
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms.map((t: any) => t.matchExpressions[0].key)).toEqual(['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane']);
    // the DaemonSet runs as the ServiceAccount the binding grants the role to
    expect(pod.serviceAccountName).toBe(sa.metadata.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(role.rules).toContainEqual({ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['list', 'get', 'watch', 'update', 'create'] });
    expect(ds.spec.selector.matchLabels).toEqual(ds.spec.template.metadata.labels);
  });

  it('the DaemonSet is the same with kube-proxy replacement: it never needs the kubernetes Service', async () => {
    const plain = (await homelab()).k3s.kubeVipInput();
    const kpr = await homelab(HOMELAB_PROPS, { kubeProxyReplacement: true });
    expect(kpr.k3s.serverConfig()['disable-kube-proxy']).toBe(true);
    expect(kpr.k3s.kubeVipInput()).toEqual(plain);
  });

  it('renders no kube-vip where nothing asks for it: a node endpoint, or a VIP the external load balancer holds', async () => {
    const oceanid = testCluster({ ...OCEANID_PROPS });
    new CiliumRelease(oceanid.cluster, 'Cilium', { version: '1.20' });
    const k = new K3sServerConfig(oceanid.cluster, 'K3sServerConfig');
    expect(k.kubeVipInput()).toBeUndefined();
    expect(oceanid.cluster.renderExtraFiles().has(KUBE_VIP_FILE)).toBe(false);

    const atLb = { ...HOMELAB_PROPS, apiEndpoint: ApiEndpoint.vip('192.168.0.45') };
    const { out, k3s } = await homelab(atLb);
    expect(k3s.kubeVipInput()).toBeUndefined();
    expect(out.result!.clusters[0].files.has(KUBE_VIP_FILE)).toBe(false);
    expect(ids(out.findings)).not.toContain('NET-NODE1');
  });

  it('the renderer is a pure function of its input', () => {
    const input = { clusterName: 'x', address: '10.0.0.10', port: 6443, interface: 'eth1', image: KUBE_VIP_IMAGE };
    expect(nodeFiles.renderKubeVipManifest(input)).toBe(nodeFiles.renderKubeVipManifest({ ...input }));
    expect(nodeFiles.renderKubeVipManifest(input)).not.toContain('*a1'); // no YAML aliases: every object spelled out
  });
});
