import { App } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  ApiEndpoint,
  CiliumRelease,
  type CiliumReleaseProps,
  Cluster,
  type ClusterProps,
  Distribution,
  EDGE_README_PATH,
  NodeRole,
  RegistryCache,
  RegistryMirror,
  TALOS_PATCH_ALL,
  TALOS_PATCH_CONTROL_PLANE,
  TalosMachineConfig,
  TalosVersion,
  VipHolder,
  talosNodePatchPath,
} from '../../constructs/index.js';
import { buildFleet, TALOS_PROPS } from '../../main.js';
import { file, ids, run, tempDir, testCluster, type Outcome } from '../helpers.js';
import { talosPatchValidator, talosSchemasAvailable } from './talos-schema.js';

const { CONTROL_PLANE, WORKER } = NodeRole;

/** The documents of a rendered patch file. */
function docs(text: string): Record<string, any>[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>);
}

/** Every Talos patch a synth rendered for a cluster, by path. */
function talosFiles(o: Outcome, cluster: string): Map<string, string> {
  const c = o.result!.clusters.find((x) => x.name === cluster)!;
  return new Map([...c.files].filter(([p]) => p.startsWith('edge/talos/')));
}

/** Schema problems of every document of every patch, as `<file> <pointer> <message>`. */
function schemaProblems(files: Map<string, string>, version: string): string[] {
  const v = talosPatchValidator(version);
  return [...files].flatMap(([path, text]) => docs(text).flatMap((d) => v.validateDocument(d).map((p) => `${path} ${p}`)));
}

/** The v1alpha1 part (the document without a kind) of a patch. */
const config = (text: string) => docs(text).find((d) => d.kind === undefined) ?? {};

/** A Talos cluster with Cilium and the TalosMachineConfig, synthesized. */
async function talosCluster(o: { cluster?: Partial<ClusterProps>; cilium?: Partial<CiliumReleaseProps> | false; mirror?: boolean } = {}) {
  const { app, cluster } = testCluster({ distribution: Distribution.TALOS, ...(o.cluster ?? {}) });
  const cilium = o.cilium === false ? undefined : new CiliumRelease(cluster, 'Cilium', { version: '1.20', ...(o.cilium ?? {}) });
  new TalosMachineConfig(cluster, 'TalosMachineConfig');
  if (o.mirror)
    new RegistryMirror(cluster, 'RegistryMirror', { cache: RegistryCache.pathPerRegistry('https://cache.lan:5443/v2/{registry}'), insecureSkipVerify: true });
  const out = await run(app);
  expect(out.ok, JSON.stringify(out.findings.filter((f) => f.level === 'error'))).toBe(true);
  return { out, cluster, cilium, files: talosFiles(out, 'test') };
}

describe('TalosMachineConfig: the talos example (seed 002)', () => {
  let out: Outcome;
  beforeAll(async () => {
    out = await run(buildFleet(new App({ outdir: tempDir('netkit-talos-') })));
    expect(out.ok).toBe(true);
  });

  it('renders the patch for every node and the control-plane patch, listed in the edge readme with the talosctl command', () => {
    expect([...talosFiles(out, 'talos').keys()]).toEqual([TALOS_PATCH_ALL, TALOS_PATCH_CONTROL_PLANE]);
    const readme = file(out, 'talos', EDGE_README_PATH);
    expect(readme).toContain('`talos/all.patch.yaml.dist` → the machine config of every node (Talos 1.12)');
    expect(readme).toContain(
      'EDGE=<repository>/clusters/talos/edge\ntalosctl gen secrets -o secrets.yaml\ntalosctl gen config talos https://192.168.10.100:6443 --with-secrets secrets.yaml \\\n  --config-patch @"$EDGE"/talos/all.patch.yaml.dist \\\n  --config-patch-control-plane @"$EDGE"/talos/controlplane.patch.yaml.dist',
    );
  });

  it('carries what the Cluster and the CiliumRelease imply: no CNI, no kube-proxy, the subnets, KubePrism on k8sServicePort, host DNS off, the VIP', () => {
    const release = JSON.parse(file(out, 'talos', 'cni/cilium/values.json'));
    const all = config(file(out, 'talos', TALOS_PATCH_ALL));
    expect(all).toEqual({
      cluster: {
        network: { cni: { name: 'none' }, podSubnets: [TALOS_PROPS.podCidr], serviceSubnets: [TALOS_PROPS.serviceCidr] },
        proxy: { disabled: release.kubeProxyReplacement },
      },
      machine: { features: { kubePrism: { enabled: true, port: release.k8sServicePort }, hostDNS: { forwardKubeDNSToHost: false } } },
    });
    expect(release.k8sServiceHost).toBe('localhost');
    expect(release.bpf).toEqual({ masquerade: true }); // eBPF host routing, hence forwardKubeDNSToHost: false
    const vip = docs(file(out, 'talos', TALOS_PATCH_CONTROL_PLANE));
    const holder = TALOS_PROPS.apiEndpoint.holder!;
    expect(vip).toEqual([{ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: TALOS_PROPS.apiEndpoint.host, link: holder.interface }]);
  });

  it('says why in comments: the host DNS choice, and the VIP coming up after bootstrap', () => {
    expect(file(out, 'talos', TALOS_PATCH_ALL)).toMatch(/siderolabs\/talos#10002.*\n.*bpf\.hostLegacyRouting would give it up, and with it BBR \(NET-CIL15\)/);
    expect(file(out, 'talos', TALOS_PATCH_CONTROL_PLANE)).toContain('up only after bootstrap');
  });

  it.skipIf(!talosSchemasAvailable)("every patch passes Talos 1.12's JSON schema", () => {
    expect(schemaProblems(talosFiles(out, 'talos'), TALOS_PROPS.talosVersion!)).toEqual([]);
  });
});

describe('TalosMachineConfig: derived from the model', () => {
  it('without kube-proxy replacement Talos keeps kube-proxy; without eBPF host routing host DNS forwarding stays', async () => {
    const { files } = await talosCluster({ cilium: { kubeProxyReplacement: false } });
    const all = config(files.get(TALOS_PATCH_ALL)!);
    expect(all.cluster.proxy).toBeUndefined();
    expect(all.machine.features.hostDNS).toBeUndefined();
    expect(all.cluster.network.cni).toEqual({ name: 'none' });
  });

  it('forwardKubeDNSToHost: false exactly under eBPF host routing (kube-proxy replacement and bpf.masquerade, no bpf.hostLegacyRouting)', async () => {
    const host = async (cilium: Partial<CiliumReleaseProps>) => config((await talosCluster({ cilium })).files.get(TALOS_PATCH_ALL)!).machine.features.hostDNS;
    expect(await host({ kubeProxyReplacement: true, bpfMasquerade: true })).toEqual({ forwardKubeDNSToHost: false });
    expect(await host({ kubeProxyReplacement: true })).toBeUndefined();
    expect(await host({ kubeProxyReplacement: true, bpfMasquerade: true, extraValues: { bpf: { hostLegacyRouting: true } } })).toBeUndefined();
  });

  it('KubePrism follows the CiliumRelease: its k8sServicePort when Cilium reaches the API on localhost', async () => {
    const { files, cilium } = await talosCluster({ cilium: { k8sServiceHost: 'localhost', k8sServicePort: 7446 } });
    expect(config(files.get(TALOS_PATCH_ALL)!).machine.features.kubePrism).toEqual({ enabled: true, port: cilium!.k8sServicePort });
    expect(cilium!.k8sServicePort).toBe(7446);
  });

  it("the subnets are the Cluster's, not Talos' defaults (10.244.0.0/16, 10.96.0.0/12)", async () => {
    const { files } = await talosCluster({ cluster: { podCidr: '10.14.0.0/16', serviceCidr: '10.44.0.0/16' } });
    expect(config(files.get(TALOS_PATCH_ALL)!).cluster.network).toMatchObject({ podSubnets: ['10.14.0.0/16'], serviceSubnets: ['10.44.0.0/16'] });
  });

  it('without Cilium: the subnets and KubePrism only, Talos keeps its CNI and kube-proxy', async () => {
    const { files } = await talosCluster({ cilium: false });
    expect(config(files.get(TALOS_PATCH_ALL)!)).toEqual({
      cluster: { network: { podSubnets: ['10.42.0.0/16'], serviceSubnets: ['10.43.0.0/16'] } },
      machine: { features: { kubePrism: { enabled: true, port: 7445 } } },
    });
  });

  it('Talos 1.11: the VIP under machine.network.interfaces, keeping DHCP on the link unless told otherwise', async () => {
    const vip = async (dhcp?: boolean) => {
      const holder = VipHolder.talos({ interface: 'enp1s0', ...(dhcp === undefined ? {} : { dhcp }) });
      const { files } = await talosCluster({ cluster: { talosVersion: TalosVersion.V1_11, apiEndpoint: ApiEndpoint.vip('192.168.1.10', { holder }) } });
      return docs(files.get(TALOS_PATCH_CONTROL_PLANE)!);
    };
    expect(await vip()).toEqual([{ machine: { network: { interfaces: [{ interface: 'enp1s0', dhcp: true, vip: { ip: '192.168.1.10' } }] } } }]);
    expect(await vip(false)).toEqual([{ machine: { network: { interfaces: [{ interface: 'enp1s0', vip: { ip: '192.168.1.10' } }] } } }]);
  });

  it("no control-plane patch when the VIP is not Talos' (a node endpoint) and the control plane runs no workloads", async () => {
    const { files } = await talosCluster({ cluster: { apiEndpoint: ApiEndpoint.node('192.168.1.11') } });
    expect([...files.keys()]).toEqual([TALOS_PATCH_ALL]);
  });

  it('control-plane nodes that are also workers: allowSchedulingOnControlPlanes for all of them, or per node where they differ', async () => {
    const nodes = (cp2Worker: boolean) => [
      { name: 'cp1', address: '192.168.1.11', roles: [CONTROL_PLANE, WORKER] },
      { name: 'cp2', address: '192.168.1.12', roles: cp2Worker ? [CONTROL_PLANE, WORKER] : [CONTROL_PLANE] },
      { name: 'w1', address: '192.168.1.21', roles: [WORKER], labels: { 'nvidia.com/gpu.present': 'true' } },
    ];
    const same = (await talosCluster({ cluster: { nodes: nodes(true) } })).files;
    expect(docs(same.get(TALOS_PATCH_CONTROL_PLANE)!)[0]).toEqual({ cluster: { allowSchedulingOnControlPlanes: true } });
    expect([...same.keys()].filter((p) => p.includes('/nodes/'))).toEqual([talosNodePatchPath('w1')]);
    expect(docs(same.get(talosNodePatchPath('w1'))!)).toEqual([{ machine: { nodeLabels: { 'nvidia.com/gpu.present': 'true' } } }]);

    const mixed = (await talosCluster({ cluster: { nodes: nodes(false) } })).files;
    expect(config(mixed.get(TALOS_PATCH_CONTROL_PLANE)!).cluster).toBeUndefined();
    expect(docs(mixed.get(talosNodePatchPath('cp1'))!)).toEqual([{ cluster: { allowSchedulingOnControlPlanes: true } }]);
    expect(mixed.has(talosNodePatchPath('cp2'))).toBe(false);
  });

  it('the readme gives the per-node command against the right base config', async () => {
    const { out } = await talosCluster({
      cluster: {
        nodes: [
          { name: 'cp1', address: '192.168.1.11', roles: [CONTROL_PLANE] },
          { name: 'gpu', address: '192.168.1.21', roles: [WORKER], labels: { gpu: 'yes' } },
        ],
      },
    });
    expect(file(out, 'test', EDGE_README_PATH)).toContain(
      'talosctl machineconfig patch worker.yaml --patch @"$EDGE"/talos/nodes/gpu.patch.yaml.dist -o gpu.yaml',
    );
  });

  it('renders nothing on k3s (NET-NODE4), and a placeholder without a Talos version (NET-NODE2)', async () => {
    const k3s = testCluster();
    new TalosMachineConfig(k3s.cluster, 'TalosMachineConfig');
    expect(k3s.cluster.renderExtraFiles().has(TALOS_PATCH_ALL)).toBe(false);
    expect(ids((await run(k3s.app)).findings)).toContain('NET-NODE4');

    const bare = new Cluster(new App({ outdir: tempDir('netkit-talos-') }), 'bare', { ...TALOS_PROPS, talosVersion: undefined });
    new TalosMachineConfig(bare, 'TalosMachineConfig');
    expect(bare.renderExtraFiles().get(TALOS_PATCH_ALL)).toMatch(/^# Not rendered: the Cluster names no talosVersion/);
    expect(ids((await run(bare.node.root as App)).findings)).toContain('NET-NODE2');
  });

  it('NET-NODE4 points a k3s cluster at K3sServerConfig, and any other distribution at its own means', async () => {
    const said = async (distribution: Distribution) => {
      const { app, cluster } = testCluster({ distribution });
      new TalosMachineConfig(cluster, 'TalosMachineConfig');
      return (await run(app)).findings
        .filter((f) => f.ruleId === 'NET-NODE4')
        .map((f) => ({ message: f.message, value: f.value, expected: f.expected, fix: f.fix }));
    };
    expect(await said(Distribution.K3S)).toEqual([
      {
        message: 'Talos machine-config patches render for Talos clusters only, and this cluster is k3s: no file was written',
        value: 'k3s',
        expected: 'a Talos cluster',
        fix: 'Remove the TalosMachineConfig; on k3s add a K3sServerConfig, which renders the k3s server configuration (and kube-vip for a VIP).',
      },
    ]);
    expect(await said(Distribution.GENERIC)).toEqual([
      {
        message: 'Talos machine-config patches render for Talos clusters only, and this cluster is generic: no file was written',
        value: 'generic',
        expected: 'a Talos cluster',
        fix: "Remove the TalosMachineConfig and configure the distribution's CNI, kube-proxy and VIP by its own means.",
      },
    ]);
  });
});

describe.skipIf(!talosSchemasAvailable)("Talos patches against Talos' JSON schema, for the version the Cluster names", () => {
  const variants: [string, Partial<ClusterProps>, Partial<CiliumReleaseProps> | false][] = [];
  for (const talosVersion of [TalosVersion.V1_11, TalosVersion.V1_12]) {
    const holder = VipHolder.talos({ interface: 'eth0' });
    variants.push(
      [
        `${talosVersion}: KPR, eBPF host routing, Talos VIP`,
        { talosVersion, apiEndpoint: ApiEndpoint.vip('192.168.1.10', { holder }) },
        { kubeProxyReplacement: true, bpfMasquerade: true },
      ],
      [`${talosVersion}: kube-proxy kept, node endpoint`, { talosVersion, apiEndpoint: ApiEndpoint.node('192.168.1.11') }, { kubeProxyReplacement: false }],
      [
        `${talosVersion}: schedulable control plane, labelled node, no Cilium`,
        {
          talosVersion,
          nodes: [
            { name: 'cp1', address: '192.168.1.11', roles: [CONTROL_PLANE, WORKER] },
            { name: 'cp2', address: '192.168.1.12', roles: [CONTROL_PLANE] },
            { name: 'w1', address: '192.168.1.21', roles: [WORKER], labels: { zone: 'a' } },
          ],
        },
        false,
      ],
    );
  }

  it.each(variants)('%s: every document of every patch (registry mirrors included) is valid', async (_name, cluster, cilium) => {
    const { files } = await talosCluster({ cluster, cilium, mirror: true });
    expect(files.size).toBeGreaterThanOrEqual(2);
    expect(files.has(TALOS_PATCH_ALL) && files.has(`edge/talos/registry-mirrors.patch.yaml.dist`)).toBe(true);
    expect(schemaProblems(files, cluster.talosVersion!)).toEqual([]);
  });

  it('the registry mirrors follow the version: machine.registries on 1.11, RegistryMirrorConfig and RegistryTLSConfig on 1.12', async () => {
    const mirrors = async (talosVersion: TalosVersion) =>
      docs((await talosCluster({ cluster: { talosVersion }, mirror: true })).files.get('edge/talos/registry-mirrors.patch.yaml.dist')!);
    expect((await mirrors(TalosVersion.V1_11))[0].machine.registries.mirrors['docker.io']).toEqual({
      endpoints: ['https://cache.lan:5443/v2/docker.io'],
      overridePath: true,
    });
    const v12 = await mirrors(TalosVersion.V1_12);
    expect(v12.map((d) => `${d.kind} ${d.name}`)).toEqual([
      'RegistryMirrorConfig docker.io',
      'RegistryMirrorConfig ghcr.io',
      'RegistryMirrorConfig quay.io',
      'RegistryMirrorConfig registry.k8s.io',
      'RegistryTLSConfig cache.lan:5443',
    ]);
    expect(v12[0]).toMatchObject({ endpoints: [{ url: 'https://cache.lan:5443/v2/docker.io', overridePath: true }] });
  });

  it('is not vacuous: it rejects unknown fields, 1.11 network fields under 1.12 (the schema trap) and unknown kinds, and takes partial documents', () => {
    const v11 = talosPatchValidator('1.11');
    const v12 = talosPatchValidator('1.12');
    const vip11 = { machine: { network: { interfaces: [{ interface: 'eth0', vip: { ip: '192.168.1.10' } }] } } };
    expect(v11.validateDocument(vip11)).toEqual([]);
    expect(v12.validateDocument(vip11).join()).toMatch(/must NOT have additional properties \(interfaces\)/);
    expect(v11.validateDocument({ machine: { registries: { mirrors: {} } } })).toEqual([]);
    expect(v12.validateDocument({ machine: { registries: { mirrors: {} } } }).join()).toMatch(/additional properties \(registries\)/);
    expect(v12.validateDocument({ machine: { features: { kubePrism: { enabled: true, prot: 7445 } } } }).join()).toMatch(
      /\/machine\/features\/kubePrism must NOT have additional properties \(prot\)/,
    );
    expect(v12.validateDocument({ cluster: { network: { cni: { name: 'cilium' } } } }).join()).toMatch(/must be equal to one of the allowed values/);
    expect(v11.validateDocument({ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: '192.168.1.10', link: 'eth0' }).join()).toMatch(
      /unknown document kind "Layer2VIPConfig" in Talos 1\.11/,
    );
    expect(v12.validateDocument({ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: '192.168.1.10', link: 'eth0', interface: 'eth0' }).join()).toMatch(
      /additional properties \(interface\)/,
    );
    expect(v12.definitionOf({ apiVersion: 'v1alpha1', kind: 'HostnameConfig' })).toBe('network.HostnameConfigV1Alpha1');
    expect(v12.validateDocument({ cluster: { proxy: { disabled: true } } })).toEqual([]);
  });
});
