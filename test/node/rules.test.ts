import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  Acknowledgements,
  ApiEndpoint,
  CiliumRelease,
  Cluster,
  type ClusterProps,
  Distribution,
  K3sServerConfig,
  RegistryCache,
  RegistryMirror,
  ruleById,
  TalosMachineConfig,
  TalosVersion,
  VipHolder,
} from '../../constructs/index.js';
import { NODE_RULES } from '../../constructs/rules/node/index.js';
import { buildFleet, HOMELAB_PROPS, TALOS_PROPS } from '../../main.js';
import { expectCompliant, ids, run, tempDir, testCluster } from '../helpers.js';

const kubeVip = VipHolder.kubeVip({ interface: 'eth0' });
const talosVip = VipHolder.talos({ interface: 'eth0' });

interface Case {
  readonly id: string;
  readonly name: string;
  /** Builds a noncompliant cluster and returns the scope to acknowledge on. */
  readonly bad: () => { app: App; cluster: Cluster; at: (c: Cluster) => IConstruct };
  /** Text the finding's message must contain. */
  readonly message: RegExp;
  readonly value?: unknown;
}

/** A k3s test cluster with Cilium and its K3sServerConfig. */
function k3s(overrides: Partial<ClusterProps> = {}) {
  const t = testCluster(overrides);
  new CiliumRelease(t.cluster, 'Cilium', { version: '1.20' });
  new K3sServerConfig(t.cluster, 'K3sServerConfig');
  return { ...t, at: (c: Cluster) => c as IConstruct };
}

/** A Talos test cluster with Cilium and its TalosMachineConfig. */
function talos(overrides: Partial<ClusterProps> = {}, machineConfig = true) {
  const t = testCluster({ distribution: Distribution.TALOS, ...overrides });
  new CiliumRelease(t.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true });
  if (machineConfig) new TalosMachineConfig(t.cluster, 'TalosMachineConfig');
  return { ...t, at: (c: Cluster) => c as IConstruct };
}

const CASES: Case[] = [
  {
    id: 'NET-NODE1',
    name: 'seed 001: a VIP on the node subnet that nothing holds',
    bad: () => k3s({ apiEndpoint: ApiEndpoint.vip('192.168.1.10') }),
    message: /nothing holds the API VIP 192\.168\.1\.10: no holder is named and it is not the external load balancer's address/,
    value: '192.168.1.10',
  },
  {
    id: 'NET-NODE1',
    name: 'two holders: kube-vip and the external load balancer at the same address',
    bad: () => k3s({ apiEndpoint: ApiEndpoint.vip('192.168.1.10', { holder: kubeVip }), externalLoadBalancer: { address: '192.168.1.10' } }),
    message: /is the external load balancer's address and is also held by kube-vip: two hosts answer ARP for it/,
  },
  {
    id: 'NET-NODE1',
    name: 'kube-vip named on a Talos cluster',
    bad: () => talos({ apiEndpoint: ApiEndpoint.vip('192.168.1.10', { holder: kubeVip }) }),
    message: /kube-vip holds the API VIP, but it is rendered for k3s clusters and this cluster is talos/,
    value: 'kube-vip',
  },
  {
    id: 'NET-NODE1',
    name: 'an interface alias instead of a link',
    bad: () => k3s({ apiEndpoint: ApiEndpoint.vip('192.168.1.10', { holder: VipHolder.kubeVip({ interface: 'eth0:0' }) }) }),
    message: /the VIP's interface "eth0:0" is not a network link name/,
    value: 'eth0:0',
  },
  {
    id: 'NET-NODE1',
    name: 'an ARP-held VIP off the node subnet',
    bad: () => talos({ apiEndpoint: ApiEndpoint.vip('10.0.0.10', { holder: talosVip }) }),
    message: /announces the VIP 10\.0\.0\.10 by ARP on the node subnet 192\.168\.1\.0\/24, but the VIP is outside it/,
  },
  {
    id: 'NET-NODE1',
    name: "an ARP-held VIP on another port than the API server's",
    bad: () => k3s({ apiEndpoint: ApiEndpoint.vip('192.168.1.10', { port: 8443, holder: kubeVip }) }),
    message: /kube-vip moves the address, not the port: the API server answers on 6443 at the VIP, not on 8443/,
    value: 8443,
  },
  {
    id: 'NET-NODE2',
    name: 'Talos patches without a Talos version',
    bad: () => talos({ talosVersion: undefined }),
    message: /this Talos cluster renders machine-config patches \(TalosMachineConfig\) but names no Talos version/,
    value: 'talosVersion unset',
  },
  {
    id: 'NET-NODE3',
    name: 'Talos with Cilium and no machine configuration',
    bad: () => talos({}, false),
    message:
      /this Talos cluster installs Cilium, but nothing renders the machine configuration that needs: cni none.*Talos defaults to 10\.96\.0\.0\/12.*the API VIP 192\.168\.1\.10/,
    value: 'no TalosMachineConfig',
  },
  {
    id: 'NET-NODE4',
    name: 'Talos patches on a k3s cluster',
    bad: () => {
      const t = k3s();
      new TalosMachineConfig(t.cluster, 'TalosMachineConfig');
      return { ...t, at: (c: Cluster) => TalosMachineConfig.of(c)! };
    },
    message: /Talos machine-config patches render for Talos clusters only, and this cluster is k3s: no file was written/,
    value: 'k3s',
  },
];

describe('node rules', () => {
  it('every node rule is in the catalogue and has a case here', () => {
    expect(NODE_RULES.map((r) => r.id).sort()).toEqual([...new Set(CASES.map((c) => c.id))].sort());
    for (const r of NODE_RULES) {
      expect(ruleById(r.id)).toBe(r);
      expect(r.lesson.length).toBeGreaterThan(80);
    }
  });

  it('compliant: the example fleet has no NET-NODE finding', async () => {
    const o = await run(buildFleet(new App({ outdir: tempDir('netkit-node-') })));
    expect(o.ok).toBe(true);
    expect(ids(o.findings).filter((id) => id.startsWith('NET-NODE'))).toEqual([]);
  });

  it('compliant: each holder where it belongs, a VIP at the load balancer, a node endpoint', async () => {
    const good = [
      k3s(),
      talos(),
      k3s({ apiEndpoint: ApiEndpoint.vip('192.168.0.45'), externalLoadBalancer: { address: '192.168.0.45' } }),
      k3s({ apiEndpoint: ApiEndpoint.node('192.168.1.11') }),
      talos({ apiEndpoint: ApiEndpoint.node('192.168.1.11') }),
    ];
    for (const g of good) {
      const o = await run(g.app);
      expect(
        ids(o.findings).filter((id) => id.startsWith('NET-NODE')),
        g.cluster.apiEndpoint.host,
      ).toEqual([]);
    }
  });

  it('NET-NODE2 speaks only where a Talos patch is rendered, and warns about a Talos version on k3s', async () => {
    const noPatch = testCluster({ distribution: Distribution.TALOS, talosVersion: undefined });
    expectCompliant(await run(noPatch.app), 'NET-NODE2');
    const mirror = testCluster({ distribution: Distribution.TALOS, talosVersion: undefined });
    new RegistryMirror(mirror.cluster, 'RegistryMirror', { cache: RegistryCache.registryProxies('192.168.1.5') });
    expect(ids((await run(mirror.app)).findings)).toContain('NET-NODE2');
    const onK3s = k3s({ talosVersion: TalosVersion.V1_12 });
    const o = await run(onK3s.app);
    expect(o.findings.find((f) => f.ruleId === 'NET-NODE2')).toMatchObject({ level: 'warning', value: '1.12' });
  });

  it('NET-NODE3 speaks for Talos with Cilium or a Talos-held VIP only, as a warning', async () => {
    const bare = new Cluster(new App({ outdir: tempDir('netkit-node-') }), 'bare', { ...TALOS_PROPS, apiEndpoint: ApiEndpoint.node('192.168.10.101') });
    expectCompliant(await run(bare.node.root as App), 'NET-NODE3');
    const vipOnly = new Cluster(new App({ outdir: tempDir('netkit-node-') }), 'vip', TALOS_PROPS);
    const o = await run(vipOnly.node.root as App);
    expect(o.findings.find((f) => f.ruleId === 'NET-NODE3')).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('holds its API VIP by Talos'),
    });
  });

  it('NET-NODE1 names the holder the distribution renders in its fix, and leaves host names to NET-CLU5', async () => {
    const { app } = k3s({ apiEndpoint: ApiEndpoint.vip('192.168.1.10') });
    const f = (await run(app)).findings.find((x) => x.ruleId === 'NET-NODE1')!;
    expect(f.fix).toContain('ApiEndpoint.vip("192.168.1.10", { holder: VipHolder.kubeVip(');
    const homelab = new Cluster(new App({ outdir: tempDir('netkit-node-') }), 'homelab', {
      ...HOMELAB_PROPS,
      apiEndpoint: ApiEndpoint.vip('kubernetes.default.svc', { holder: kubeVip }),
    });
    const o = await run(homelab.node.root as App);
    expect(ids(o.findings)).toContain('NET-CLU5');
    expect(o.findings.filter((x) => x.ruleId === 'NET-NODE1')).toEqual([]);
  });

  describe.each(CASES)('$id: $name', (c) => {
    const rule = ruleById(c.id)!;

    it(`fails when: ${rule?.title}`, async () => {
      const { app } = c.bad();
      const o = await run(app);
      const f = o.findings.find((x) => x.ruleId === c.id && c.message.test(x.message));
      expect(f, `findings: ${o.findings.map((x) => `${x.ruleId} ${x.message}`).join(' | ')}`).toBeDefined();
      if (c.value !== undefined) expect(f!.value).toEqual(c.value);
      expect(f!.fix.length).toBeGreaterThan(10);
      if ((f!.level ?? rule.level) === 'error') expect(o.ok).toBe(false);
    });

    it('is silenced by an acknowledgement', async () => {
      const { app, at, cluster } = c.bad();
      Acknowledgements.of(at(cluster)).add(c.id, 'accepted in this test: the finding is expected here');
      const o = await run(app);
      expectCompliant(o, c.id);
      const acknowledged = o.result?.clusters.flatMap((x) => x.acknowledged) ?? [];
      expect(acknowledged.map((a) => a.ruleId)).toContain(c.id);
    });
  });
});
