import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  Acknowledgements,
  Cluster,
  Distribution,
  EdgeLoadBalancer,
  K3sServerConfig,
  MssClamp,
  NodeFirewall,
  RegistryCache,
  RegistryMirror,
  ruleById,
  Cloudflared,
  SecretSource,
  Tunnel,
} from '../../constructs/index.js';
import { API_READYZ_CHECK } from '../../constructs/edge/index.js';
import { EDGE_RULES } from '../../constructs/rules/edge/index.js';
import { expectCompliant, ids, run, tempDir } from '../helpers.js';
import { helmChart } from '../rules/support.js';
import { HOMELAB, homelab, oceanid, talos } from './fleet.js';

interface Case {
  readonly id: string;
  /** Builds a noncompliant cluster and returns the scope to acknowledge on. */
  readonly bad: () => { app: App; at: (c: Cluster) => IConstruct; cluster: Cluster };
  /** Text the finding's message must contain. */
  readonly message: RegExp;
  /** The finding's value, where the case pins one. */
  readonly value?: unknown;
}

const lb = (c: Cluster) => EdgeLoadBalancer.of(c)!;
const fw = (c: Cluster) => c.constructsOf(NodeFirewall)[0];
const mirror = (c: Cluster) => c.constructsOf(RegistryMirror)[0];
const clamp = (c: Cluster) => MssClamp.allOf(c)[0];
const k3sConfig = (c: Cluster) => K3sServerConfig.of(c)!;

/** oceanid with a WARP tunnel whose include list, kept by hand, lacks the pod CIDR the tunnel routes (seed 003). */
function oceanidWithStaleWarpList() {
  const t = oceanid();
  new Cloudflared(t.cluster, 'Tunnel', {
    tunnel: Tunnel.remotelyManaged({
      tokenSecret: {
        name: 'cloudflared-token',
        key: 'token',
        source: SecretSource.outOfBand({ command: 'kubectl -n cloudflared create secret generic cloudflared-token --from-literal=token="$T"' }),
      },
      privateAccess: {
        includeList: [
          { cidr: '10.43.0.0/16', description: 'K8s Service Network' },
          { cidr: '10.27.27.0/24', description: 'nodes' },
        ],
      },
    }),
    ingress: () => [],
  });
  return t;
}

/** Talos with a K3sServerConfig: a k3s file for a cluster that is not k3s. */
function talosWithK3sConfig() {
  const t = talos();
  new K3sServerConfig(t.cluster, 'K3sServerConfig');
  return t;
}

const CASES: Case[] = [
  {
    id: 'NET-EDGE1',
    bad: () => ({ ...homelab({ lb: { apiAnonymousAuth: true, apiCheck: { kind: 'http', path: '/readyz', expectStatus: [200], ssl: false } } }), at: lb }),
    message: /sends HTTP in clear text to the API server's TLS port 6443 \[EDGE-HAP1\]/,
  },
  {
    id: 'NET-EDGE2',
    bad: () => ({ ...homelab({ lb: { httpCheck: { kind: 'http', path: '/', expectStatus: [200], ssl: false } } }), at: lb }),
    message: /the ingress answers 404 there and every server is marked down \[EDGE-HAP2\]/,
  },
  {
    id: 'NET-EDGE3',
    bad: () => ({ ...homelab({ lb: { apiCheck: API_READYZ_CHECK } }), at: lb }),
    message: /expects 200 from \/readyz without anonymous auth.*401/,
    value: { path: '/readyz', apiAnonymousAuth: false },
  },
  {
    id: 'NET-EDGE4',
    bad: () => ({
      ...homelab({ cluster: { externalLoadBalancer: { address: '192.168.0.46', hostAddress: '192.168.0.46', interface: 'enp1s0' } } }),
      at: lb,
    }),
    message: /the VIP is the host's own address/,
    value: '192.168.0.46',
  },
  {
    id: 'NET-EDGE5',
    bad: () => ({ ...homelab({ lb: { ingressNodes: [] } }), at: lb }),
    message: /no node serves the ingress, so the 80\/443 backends are empty/,
  },
  {
    id: 'NET-EDGE6',
    bad: () => ({ ...homelab({ cluster: { externalLoadBalancer: undefined } }), at: lb }),
    message: /an EdgeLoadBalancer was added but the cluster declares no externalLoadBalancer/,
  },
  {
    id: 'NET-EDGE7',
    bad: () => ({
      ...homelab({ firewall: { datapath: { routingMode: 'tunnel', tunnelProtocol: 'vxlan', hubbleEnabled: true, encryption: 'ipsec' } } }),
      at: fw,
    }),
    message: /IPsec, and the node firewall has no row for ESP/,
    value: 'ipsec',
  },
  {
    id: 'NET-EDGE8',
    bad: () => ({ ...oceanid({ cache: RegistryCache.perRegistry({ 'docker.io': 'http://10.27.27.5:5000' }) }), at: mirror }),
    message: /registry ghcr.io has no cache endpoint \[EDGE-REG3\]/,
  },
  {
    id: 'NET-EDGE9',
    bad: () => ({ ...oceanid({ cache: RegistryCache.pathPerRegistry('http://203.0.113.7:5000/v2/{registry}') }), at: mirror }),
    message: /the cache endpoint of docker.io is a public address/,
    value: 'http://203.0.113.7:5000/v2/docker.io',
  },
  {
    id: 'NET-EDGE10',
    bad: () => ({ ...oceanid({ pathMtu: 60 }), at: clamp }),
    message: /path MTU 60 is out of range for IPv4.*\[EDGE-MSS2\]/,
    value: 60,
  },
  {
    id: 'NET-EDGE11',
    bad: () => ({ ...oceanid({ clamp: false }), at: (c) => c }),
    message: /the node MTU is 1400 and no MSS clamp is rendered/,
    value: 1400,
  },
  {
    id: 'NET-EDGE12',
    bad: () => ({ ...talosWithK3sConfig(), at: k3sConfig }),
    message: /renders for k3s clusters only, and this cluster is not k3s/,
    value: 'talos',
  },
  {
    id: 'NET-EDGE13',
    bad: () => ({ ...homelab(), at: (c) => c }),
    message: /this k3s cluster installs Cilium, but nothing says k3s is started without flannel/,
    value: 'no K3sServerConfig',
  },
  {
    id: 'NET-EDGE14',
    bad: () => ({ ...oceanidWithStaleWarpList(), at: (c) => c.constructsOf(Cloudflared)[0]! }),
    message: /the tunnel routes 10\.42\.0\.0\/16 \(oceanid: pods\), which WARP's include list does not cover/,
    value: '10.42.0.0/16',
  },
];

describe('edge rules', () => {
  it('every edge rule is in the catalogue and has a case here', () => {
    expect(EDGE_RULES.map((r) => r.id).sort()).toEqual(CASES.map((c) => c.id).sort());
    for (const r of EDGE_RULES) {
      expect(ruleById(r.id)).toBe(r);
      expect(r.lesson.length).toBeGreaterThan(80);
    }
  });

  it('the example clusters are compliant: no NET-EDGE finding', async () => {
    for (const build of [homelab, oceanid, talos]) {
      const { app, cluster } = build();
      // main.ts gives its k3s clusters their K3sServerConfig; the fixtures leave it to the tests
      if (cluster.distribution === Distribution.K3S) new K3sServerConfig(cluster, 'K3sServerConfig');
      const o = await run(app);
      expect(ids(o.findings).filter((id) => id.startsWith('NET-EDGE'))).toEqual([]);
    }
  });

  it('NET-EDGE13 speaks for k3s with Cilium only: not without Cilium, not on Talos; a cilium chart of its own counts as Cilium', async () => {
    const bare = new Cluster(new App({ outdir: tempDir('netkit-edge-dist-') }), 'bare', HOMELAB);
    expectCompliant(await run(bare.node.root as App), 'NET-EDGE13');
    expectCompliant(await run(talos().app), 'NET-EDGE13');
    const chart = new Cluster(new App({ outdir: tempDir('netkit-edge-dist-') }), 'chart', HOMELAB);
    helmChart(chart, 'Cilium', { chart: 'cilium', namespace: 'kube-system' });
    const o = await run(chart.node.root as App);
    expect(o.findings.find((f) => f.ruleId === 'NET-EDGE13')?.level).toBe('warning');
  });

  describe.each(CASES)('$id', (c) => {
    const rule = ruleById(c.id)!;

    it(`fails when: ${rule?.title}`, async () => {
      const { app } = c.bad();
      const o = await run(app);
      const f = o.findings.find((x) => x.ruleId === c.id);
      expect(f, `findings: ${ids(o.findings).join(', ')}`).toBeDefined();
      expect(f!.message).toMatch(c.message);
      if (c.value !== undefined) expect(f!.value).toEqual(c.value);
      expect(f!.fix.length).toBeGreaterThan(10);
      if (rule.level === 'error') expect(o.ok).toBe(false);
    });

    it('is silenced by an acknowledgement on the construct', async () => {
      const { app, at, cluster } = c.bad();
      Acknowledgements.of(at(cluster)).add(c.id, 'accepted in this test: the finding is expected here');
      const o = await run(app);
      expectCompliant(o, c.id);
      const acknowledged = o.result?.clusters.flatMap((x) => x.acknowledged) ?? [];
      expect(acknowledged.map((a) => a.ruleId)).toContain(c.id);
    });
  });

  it('NET-EDGE4 also catches a VIP outside the host interface subnet', async () => {
    const o = await run(
      homelab({ cluster: { externalLoadBalancer: { address: '192.168.1.45', hostAddress: '192.168.0.46', interface: 'enp1s0', prefixLength: 24 } } }).app,
    );
    expect(o.findings.find((f) => f.ruleId === 'NET-EDGE4')?.message).toMatch(/outside the subnet of enp1s0 \(192\.168\.0\.0\/24\)/);
  });

  it('NET-EDGE5 also catches ingress nodes the cluster does not have', async () => {
    const o = await run(homelab({ lb: { ingressNodes: ['nope'] } }).app);
    const f = o.findings.filter((x) => x.ruleId === 'NET-EDGE5');
    expect(f.map((x) => x.message)).toContain('ingressNodes names nodes the cluster does not have');
    expect(f.find((x) => x.message.startsWith('ingressNodes'))?.value).toEqual(['nope']);
  });

  it('NET-EDGE7 warns that Talos cannot load the firewall files', async () => {
    const { app, cluster } = talos();
    new NodeFirewall(cluster, 'NodeFirewall');
    const f = (await run(app)).findings.find((x) => x.ruleId === 'NET-EDGE7');
    expect(f?.level).toBe('warning');
    expect(f?.message).toMatch(/Talos nodes have no shell/);
  });

  it('NET-EDGE8 also reports a distribution with no mirror file', async () => {
    const { app } = oceanid({ cluster: { distribution: Distribution.GENERIC } });
    const o = await run(app);
    expect(o.findings.find((f) => f.ruleId === 'NET-EDGE8')?.message).toMatch(/k3s and Talos only/);
  });

  it('NET-EDGE12 also reports a k3s cluster without Cilium (flannel-backend none, no CNI)', async () => {
    const app = new App({ outdir: tempDir('netkit-edge-dist-') });
    const cluster = new Cluster(app, 'bare', HOMELAB);
    new K3sServerConfig(cluster, 'K3sServerConfig');
    const o = await run(app);
    expect(o.ok).toBe(false);
    expect(o.findings.find((f) => f.ruleId === 'NET-EDGE12')?.message).toMatch(/installs no Cilium: no CNI would run/);
  });

  it('NET-EDGE12 passes the example k3s clusters with a K3sServerConfig', async () => {
    for (const build of [homelab, oceanid]) {
      const { app, cluster } = build();
      new K3sServerConfig(cluster, 'K3sServerConfig');
      expectCompliant(await run(app), 'NET-EDGE12');
    }
  });

  it('NET-EDGE10 warns when the clamp is above the node MTU', async () => {
    const o = await run(oceanid({ pathMtu: 1500 }).app);
    const f = o.findings.find((x) => x.ruleId === 'NET-EDGE10');
    expect(f?.level).toBe('warning');
    expect(f?.message).toMatch(/path MTU 1500 is larger than the node MTU 1400/);
  });
});
