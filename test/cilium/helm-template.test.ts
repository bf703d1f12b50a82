/**
 * The real chart reads the rendered values file: `helm template cilium <pinned archive> -n kube-system -f values.json`
 * succeeds for every Cilium values file of the example fleet and of the cilium fixtures, and what it renders follows
 * the values (cilium-config, the agent's API address, the GatewayClass). The same command, with `upgrade --install`,
 * is the bootstrap's Cilium step.
 */
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildFleet } from '../../main.js';
import {
  AddressBlock,
  CiliumRelease,
  Cluster,
  Distribution,
  GitOps,
  IpamMode,
  L2Pool,
  NodeRole,
  Routing,
  type CiliumReleaseProps,
  type ClusterProps,
} from '../../constructs/index.js';
import { file, run, tempDir, type Outcome } from '../helpers.js';
import { HELM, ciliumChart, helmTemplate } from '../tools/helm.js';
import { ciliumCluster, valuesFilePath } from './fixtures.js';

const talos: Partial<ClusterProps> = {
  distribution: Distribution.TALOS,
  nodes: [
    { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
    { name: 'w1', address: '192.168.1.21', roles: [NodeRole.WORKER] },
    { name: 'w2', address: '192.168.1.22', roles: [NodeRole.WORKER] },
  ],
  gitops: GitOps.argocd({ repoUrl: 'https://git.example/fleet.git' }),
};

/** The configurations the cilium tests render, per supported minor. */
const FIXTURES: { name: string; props: Partial<CiliumReleaseProps>; cluster?: Partial<ClusterProps>; pool?: boolean }[] = (
  ['1.18', '1.19', '1.20'] as const
).flatMap((version) => [
  { name: `${version} defaults (VXLAN beside kube-proxy)`, props: { version } },
  {
    name: `${version} from OCI under Argo CD`,
    props: { version, repository: 'oci' as const },
    cluster: { gitops: GitOps.argocd({ repoUrl: 'https://git.example/fleet.git' }) },
  },
  {
    name: `${version} native routing with kube-proxy replacement`,
    props: { version, routing: Routing.native(), kubeProxyReplacement: true },
    cluster: { podCidr: '10.50.0.0/16', nodeMtu: 9000 },
  },
  {
    name: `${version} Geneve, WireGuard, Kubernetes IPAM`,
    props: { version, routing: Routing.tunnel('geneve'), encryption: 'wireguard' as const, ipamMode: IpamMode.KUBERNETES, devices: ['eth0'] },
    cluster: { nodeMtu: 1400 },
  },
  {
    name: `${version} Talos with KPR, L2, Gateway API, BBR, Hubble UI, conntrack flags`,
    props: {
      version,
      kubeProxyReplacement: true,
      gatewayApi: { enableAlpn: true },
      bandwidthManager: true,
      bbr: true,
      bpfMasquerade: true,
      hubble: { relay: true, ui: true },
      conntrackTimeouts: { regularTcpSeconds: 21600, regularAnySeconds: 3600 },
    },
    cluster: talos,
    pool: true,
  },
]);

function renderedDocs(stdout: string): Record<string, any>[] {
  return parseAllDocuments(stdout)
    .map((d) => d.toJSON())
    .filter((d): d is Record<string, any> => d !== null && typeof d === 'object');
}

/** Runs the chart on one rendered values file and checks that what it renders follows the values. */
function templateAndCheck(outcome: Outcome, clusterName: string, release: CiliumRelease): void {
  const path = valuesFilePath(outcome, clusterName);
  const text = file(outcome, clusterName, path);
  const values = JSON.parse(text);
  const chart = ciliumChart(release.chartVersion);
  if (!chart) return;
  const r = helmTemplate(chart, text, { release: CiliumRelease.RELEASE_NAME, namespace: CiliumRelease.NAMESPACE });
  expect(r.ok, `helm template failed for ${clusterName}/${path}:\n${r.stderr}`).toBe(true);
  const docs = renderedDocs(r.stdout);
  const config = docs.find((d) => d.kind === 'ConfigMap' && d.metadata?.name === 'cilium-config')!;
  expect(config, 'cilium-config rendered').toBeDefined();
  expect(config.metadata.namespace).toBe(CiliumRelease.NAMESPACE);
  expect(config.data['routing-mode']).toBe(values.routingMode);
  expect(config.data['kube-proxy-replacement']).toBe(String(values.kubeProxyReplacement));
  expect(config.data['enable-gateway-api'] ?? 'false').toBe(String(values.gatewayAPI?.enabled ?? false));
  const agent = docs.find((d) => d.kind === 'DaemonSet' && d.metadata?.name === 'cilium')!;
  const env = agent.spec.template.spec.containers.find((c: any) => c.name === 'cilium-agent').env;
  expect(env).toContainEqual({ name: 'KUBERNETES_SERVICE_HOST', value: values.k8sServiceHost });
  expect(env).toContainEqual({ name: 'KUBERNETES_SERVICE_PORT', value: String(values.k8sServicePort) });
  const gatewayClasses = docs.filter((d) => d.kind === 'GatewayClass').map((d) => d.metadata.name);
  expect(gatewayClasses).toEqual(values.gatewayAPI?.enabled ? ['cilium'] : []);
}

describe.skipIf(!HELM)('helm template of every rendered Cilium values file', () => {
  describe('the example fleet', async () => {
    const app = buildFleet(new App({ outdir: tempDir() }));
    const outcome = await run(app);
    it.each(['homelab', 'talos', 'oceanid'])('%s: the pinned chart renders from cni/cilium/values.json', (name) => {
      expect(outcome.ok).toBe(true);
      templateAndCheck(outcome, name, CiliumRelease.of(app.node.findChild(name) as Cluster)!);
    });
  });

  describe('the cilium fixtures', () => {
    it.each(FIXTURES)('$name', async ({ props, cluster, pool }) => {
      const c = ciliumCluster(props, cluster);
      if (pool) new L2Pool(c.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] }).allocate('one');
      const o = await run(c.app);
      expect(o.ok, JSON.stringify(o.findings.filter((f) => f.level === 'error'))).toBe(true);
      templateAndCheck(o, 'test', c.cilium);
    });
  });

  it('fails where the chart refuses the values (Hubble UI without relay, Gateway API without the L7 proxy), so a pass means something', () => {
    const chart = ciliumChart('1.20.0');
    if (!chart) return;
    const ui = helmTemplate(chart, JSON.stringify({ hubble: { relay: { enabled: false }, ui: { enabled: true } } }));
    expect(ui.ok).toBe(false);
    expect(ui.stderr).toMatch(/Hubble UI requires .Values.hubble.relay.enabled=true/);
    const l7 = helmTemplate(chart, JSON.stringify({ gatewayAPI: { enabled: true }, l7Proxy: false }));
    expect(l7.ok).toBe(false);
    expect(l7.stderr).toMatch(/requires .Values.l7Proxy/);
  });
});
