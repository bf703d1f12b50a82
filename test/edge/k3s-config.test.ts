import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AddressBlock,
  CiliumRelease,
  Cluster,
  type ClusterProps,
  type CiliumReleaseProps,
  Distribution,
  EDGE_README_PATH,
  K3S_TOKEN_FILE,
  K3sServerConfig,
  type K3sServerConfigProps,
  L2Pool,
  NodeRole,
} from '../../constructs/index.js';
import { expectCommitted, file, ids, run, tempDir } from '../helpers.js';
import { HOMELAB, homelab, OCEANID, oceanid, TALOS } from './fleet.js';

const { CONTROL_PLANE, WORKER } = NodeRole;

/** A k3s cluster with a CiliumRelease and the K3sServerConfig, without synthesizing. */
function build(o: { cluster?: Partial<ClusterProps>; cilium?: Partial<CiliumReleaseProps> | false; k3s?: K3sServerConfigProps } = {}) {
  const app = new App({ outdir: tempDir('netkit-k3s-') });
  const cluster = new Cluster(app, 'k3s', { ...HOMELAB, ...(o.cluster ?? {}) });
  if (o.cilium !== false) new CiliumRelease(cluster, 'Cilium', { version: '1.20', ...(o.cilium ?? {}) });
  const k3s = new K3sServerConfig(cluster, 'K3sServerConfig', o.k3s ?? {});
  return { app, cluster, k3s };
}

const node = (c: Cluster, name: string) => c.nodes.find((n) => n.name === name)!;

describe('K3sServerConfig: rendered files', () => {
  it('homelab: config.yaml for the servers and one drop-in per node, snapshotted, listed in the readme', async () => {
    const { app, cluster } = homelab();
    new K3sServerConfig(cluster, 'K3sServerConfig');
    const o = await run(app);
    expect(ids(o.findings).filter((id) => id.startsWith('NET-EDGE'))).toEqual([]);
    const paths = ['edge/k3s/config.yaml.dist', ...HOMELAB.nodes.map((n) => `edge/k3s/config.yaml.d/${n.name}.yaml.dist`)];
    // the committed files (main.ts builds homelab with this K3sServerConfig; the e2e test holds them to a fresh synth)
    for (const p of paths) expectCommitted(file(o, 'homelab', p), `homelab/${p}`);
    const readme = file(o, 'homelab', EDGE_README_PATH);
    for (const p of paths) expect(readme).toContain(`\`${p.replace(/^edge\//, '')}\``);
    expect(readme).toContain('## k3s server configuration');
    expect(readme).toMatch(/Changing `flannel-backend` or `disable-kube-proxy` on a live cluster is not a restart: it is the seed-001\nmigration/);

    // Seed 001, step 4: --flannel-backend=none --disable-network-policy; no KPR on homelab, so kube-proxy stays.
    const server = parse(file(o, 'homelab', 'edge/k3s/config.yaml.dist'));
    expect(server).toEqual({
      'flannel-backend': 'none',
      'disable-network-policy': true,
      'cluster-cidr': HOMELAB.podCidr,
      'service-cidr': HOMELAB.serviceCidr,
      'tls-san': [HOMELAB.apiEndpoint.host, HOMELAB.externalLoadBalancer!.address],
    });
    // Three servers with embedded etcd: the first initialises, the others join it.
    const [first, ...others] = HOMELAB.nodes;
    expect(parse(file(o, 'homelab', `edge/k3s/config.yaml.d/${first.name}.yaml.dist`))).toEqual({ 'node-ip': first.address, 'cluster-init': true });
    for (const n of others) {
      expect(parse(file(o, 'homelab', `edge/k3s/config.yaml.d/${n.name}.yaml.dist`))).toEqual({
        'node-ip': n.address,
        server: `https://${first.address}:6443`,
        'token-file': K3S_TOKEN_FILE,
      });
    }
  });

  it('oceanid: one server on SQLite, agents join the API endpoint', async () => {
    const { app, cluster } = oceanid();
    new K3sServerConfig(cluster, 'K3sServerConfig');
    const o = await run(app);
    expect(ids(o.findings).filter((id) => id.startsWith('NET-EDGE'))).toEqual([]);
    const paths = ['edge/k3s/config.yaml.dist', ...OCEANID.nodes.map((n) => `edge/k3s/config.yaml.d/${n.name}.yaml.dist`)];
    // the committed files (main.ts builds oceanid with this K3sServerConfig; the e2e test holds them to a fresh synth)
    for (const p of paths) expectCommitted(file(o, 'oceanid', p), `oceanid/${p}`);
    expect(parse(file(o, 'oceanid', 'edge/k3s/config.yaml.dist'))['tls-san']).toEqual([OCEANID.apiEndpoint.host]);
    expect(parse(file(o, 'oceanid', 'edge/k3s/config.yaml.d/cp1.yaml.dist'))).toEqual({ 'node-ip': '10.27.27.10' });
    expect(parse(file(o, 'oceanid', 'edge/k3s/config.yaml.d/calypso.yaml.dist'))).toEqual({
      'node-ip': '10.27.27.22',
      server: 'https://10.27.27.10:6443',
      'token-file': K3S_TOKEN_FILE,
    });
  });

  it('renders no file on Talos (NET-EDGE12 reports it)', async () => {
    const app = new App({ outdir: tempDir('netkit-k3s-') });
    const cluster = new Cluster(app, 'talos', TALOS);
    new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
    new K3sServerConfig(cluster, 'K3sServerConfig');
    const o = await run(app);
    expect(o.ok).toBe(false);
    expect(ids(o.findings)).toContain('NET-EDGE12');
    expect(cluster.renderExtraFiles().has('edge/k3s/config.yaml.dist')).toBe(false);
  });
});

describe('K3sServerConfig: keys derived from the cluster', () => {
  it('disable-kube-proxy only with kube-proxy replacement', () => {
    expect(build({ cilium: { kubeProxyReplacement: true } }).k3s.serverConfig()['disable-kube-proxy']).toBe(true);
    expect('disable-kube-proxy' in build({ cilium: { kubeProxyReplacement: false } }).k3s.serverConfig()).toBe(false);
  });

  it('flannel none and no k3s policy controller, whatever the Cilium settings', () => {
    for (const cilium of [{}, { kubeProxyReplacement: true }, { gatewayApi: {} }]) {
      expect(build({ cilium }).k3s.serverConfig()).toMatchObject({ 'flannel-backend': 'none', 'disable-network-policy': true });
    }
  });

  it('cluster-cidr and service-cidr follow the Cluster', () => {
    const cfg = build({ cluster: { podCidr: '10.14.0.0/16', serviceCidr: '10.96.0.0/12' } }).k3s.serverConfig();
    expect(cfg['cluster-cidr']).toBe('10.14.0.0/16');
    expect(cfg['service-cidr']).toBe('10.96.0.0/12');
  });

  it('tls-san: the API endpoint and the external load balancer, without duplicates', () => {
    expect(build({ cluster: { externalLoadBalancer: undefined } }).k3s.serverConfig()['tls-san']).toEqual(['192.168.55.10']);
    expect(build({ cluster: { externalLoadBalancer: { address: '192.168.55.10' } } }).k3s.serverConfig()['tls-san']).toEqual(['192.168.55.10']);
  });

  it('embedded etcd: cluster-init on the first server, the other servers join it; without it, neither', () => {
    const on = build({ cluster: { embeddedEtcd: true } });
    expect(on.k3s.nodeConfig(node(on.cluster, 'master'))['cluster-init']).toBe(true);
    expect(on.k3s.nodeConfig(node(on.cluster, 'worker1'))).toMatchObject({ server: 'https://192.168.55.11:6443' });
    expect(on.k3s.nodeConfig(node(on.cluster, 'worker1'))['cluster-init']).toBeUndefined();
    const off = build({ cluster: { embeddedEtcd: false } });
    for (const n of off.cluster.nodes) expect(off.k3s.nodeConfig(n)).toEqual({ 'node-ip': n.address });
  });

  it('the first server is the first control-plane node declared, even after a worker', () => {
    const { cluster, k3s } = build({
      cluster: {
        nodes: [
          { name: 'w1', address: '192.168.55.21', roles: [WORKER] },
          { name: 'cp-b', address: '192.168.55.12', roles: [CONTROL_PLANE] },
          { name: 'cp-a', address: '192.168.55.11', roles: [CONTROL_PLANE] },
          { name: 'cp-c', address: '192.168.55.13', roles: [CONTROL_PLANE] },
        ],
      },
    });
    expect(k3s.nodeConfig(node(cluster, 'cp-b'))).toEqual({ 'node-ip': '192.168.55.12', 'cluster-init': true });
    expect(k3s.nodeConfig(node(cluster, 'cp-a'))['server']).toBe('https://192.168.55.12:6443');
    // Agents register through the API endpoint (the VIP), on its port.
    expect(k3s.nodeConfig(node(cluster, 'w1'))['server']).toBe('https://192.168.55.10:6443');
  });

  it('servicelb is disabled only when Cilium LB-IPAM serves LoadBalancers', () => {
    expect(build().k3s.serverConfig().disable).toBeUndefined();
    expect(build({ cilium: { kubeProxyReplacement: true, l2Announcements: true } }).k3s.serverConfig().disable).toEqual(['servicelb']);
    const withPool = build({ cilium: { kubeProxyReplacement: true } });
    new L2Pool(withPool.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.55.200', '192.168.55.210')] });
    expect(withPool.k3s.serverConfig().disable).toEqual(['servicelb']);
  });

  it("Cilium's Gateway API: traefik and k3s' own Gateway API CRD chart are disabled, unless traefik is kept", () => {
    expect(build({ cilium: { kubeProxyReplacement: true, gatewayApi: {} } }).k3s.serverConfig().disable).toEqual(['gateway-api-crd', 'traefik']);
    expect(build({ cilium: { kubeProxyReplacement: true, gatewayApi: {} }, k3s: { traefik: true } }).k3s.serverConfig().disable).toEqual(['gateway-api-crd']);
    expect(build({ k3s: { traefik: false } }).k3s.serverConfig().disable).toEqual(['traefik']);
    const all = build({ cilium: { kubeProxyReplacement: true, l2Announcements: true, gatewayApi: {} } }).k3s.serverConfig();
    expect(all.disable).toEqual(['gateway-api-crd', 'servicelb', 'traefik']);
  });

  it('the rendered file is the model: KPR, LB-IPAM and Gateway API together', async () => {
    const { app, cluster, k3s } = build({ cilium: { kubeProxyReplacement: true, l2Announcements: true, gatewayApi: {} } });
    const o = await run(app);
    const text = file(o, 'k3s', 'edge/k3s/config.yaml.dist');
    await expect(text).toMatchFileSnapshot('./__snapshots__/k3s-config/kpr-lbipam-gateway/config.yaml.dist');
    expect(parse(text)).toEqual(k3s.serverConfig());
    expect(parse(text)['disable-kube-proxy']).toBe(true);
    expect(text).toMatch(/Cilium replaces kube-proxy/);
    expect(cluster.distribution).toBe(Distribution.K3S);
  });
});
