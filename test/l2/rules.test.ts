/**
 * Each L2 rule: a noncompliant case (asserting the id and what the message says), a compliant one, and an
 * acknowledged one.
 */
import { JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { k8s } from 'cdk8s-plus-30';
import { Acknowledgements, AddressBlock, Component, L2Pool, Layer, LoadBalancerService, NodeRole, NodeSelection, Workload } from '../../constructs/index.js';
import { CiliumRelease } from '../../constructs/cilium-release.js';
import { CiliumL2AnnouncementPolicy, CiliumLoadBalancerIpPool, Gateway } from '../../imports/index.js';
import { expectCompliant, run, testCluster } from '../helpers.js';
import { l2Cluster, of, type FixtureOptions } from './fixtures.js';

type Built = ReturnType<typeof l2Cluster>;

interface Case {
  readonly id: string;
  readonly name: string;
  readonly options?: FixtureOptions;
  /** Makes the cluster noncompliant. */
  readonly bad: (b: Built) => void;
  /** Text each finding's message must contain. */
  readonly says: RegExp;
  /** A compliant variant of the same setup, applied to a fixture built from `goodOptions`. */
  readonly good: (b: Built) => void;
  /** @default - the default fixture */
  readonly goodOptions?: FixtureOptions;
  /** Rules of other areas the noncompliant setup also trips (acknowledged too in the acknowledged case). */
  readonly alsoAck?: readonly string[];
  /** Errors of other areas the compliant setup trips on purpose (its subject is this rule only). */
  readonly goodAlso?: readonly string[];
}

const rawScope = (b: Built) => new Component(b.cluster, 'Raw', { layer: Layer.NETWORKING, folder: 'raw' });

const CASES: Case[] = [
  {
    id: 'NET-L2P1',
    name: 'a range is written backwards',
    options: { pool: { blocks: [AddressBlock.range('192.168.1.210', '192.168.1.200')] } },
    bad: () => {},
    says: /malformed block: range start 192\.168\.1\.210 is after its stop 192\.168\.1\.200/,
    good: () => {},
  },
  {
    id: 'NET-L2P1',
    name: 'a CIDR is not one',
    options: { pool: { blocks: [AddressBlock.cidr('192.168.1.300/28')] } },
    bad: () => {},
    says: /is not a CIDR/,
    alsoAck: ['NET-SCH1'],
    good: () => {},
  },
  {
    id: 'NET-L2P2',
    name: 'a block lies outside the node subnet',
    options: { pool: { blocks: [AddressBlock.range('192.168.2.10', '192.168.2.20')] } },
    bad: () => {},
    says: /192\.168\.2\.10-192\.168\.2\.20 is not inside the node subnet 192\.168\.1\.0\/24/,
    good: () => {},
  },
  {
    id: 'NET-L2P3',
    name: 'two pools overlap',
    bad: (b) => void new L2Pool(b.cluster, 'Second', { blocks: [AddressBlock.cidr('192.168.1.208/29')] }),
    says: /pool second block 192\.168\.1\.208\/29 overlaps pool lan block 192\.168\.1\.200-192\.168\.1\.210/,
    good: (b) => void new L2Pool(b.cluster, 'Second', { blocks: [AddressBlock.cidr('192.168.1.216/29')] }),
  },
  {
    id: 'NET-L2P3',
    name: 'a raw pool added through the escape hatch overlaps',
    bad: (b) =>
      void new CiliumLoadBalancerIpPool(rawScope(b), 'Pool', {
        metadata: { name: 'legacy' },
        spec: { blocks: [{ start: '192.168.1.210', stop: '192.168.1.220' }] },
      }),
    says: /pool legacy block 192\.168\.1\.210-192\.168\.1\.220 overlaps pool lan/,
    good: (b) =>
      void new CiliumLoadBalancerIpPool(rawScope(b), 'Pool', {
        metadata: { name: 'legacy' },
        spec: { blocks: [{ start: '192.168.1.211', stop: '192.168.1.220' }] },
      }),
  },
  {
    id: 'NET-L2P4',
    name: 'a pool covers node addresses',
    options: { pool: { blocks: [AddressBlock.range('192.168.1.20', '192.168.1.30')] } },
    bad: () => {},
    says: /overlaps node w\d \(192\.168\.1\.2[12]\)/,
    good: () => {},
  },
  {
    id: 'NET-L2P4',
    name: 'a pool lies in the DHCP range',
    options: { cluster: { dhcpRange: '192.168.1.150-192.168.1.250', router: '192.168.1.1' } },
    bad: () => {},
    says: /overlaps the DHCP range \(192\.168\.1\.150-192\.168\.1\.250\)/,
    goodOptions: { cluster: { dhcpRange: '192.168.1.100-192.168.1.150', router: '192.168.1.1' } },
    good: () => {},
  },
  {
    id: 'NET-L2P5',
    name: 'an allocation is outside the pool',
    bad: (b) => void b.pool.allocate('gw', { address: '192.168.1.50' }),
    says: /gw is pinned to 192\.168\.1\.50, outside pool lan/,
    good: (b) => void b.pool.allocate('gw', { address: '192.168.1.205' }),
  },
  {
    id: 'NET-L2P5',
    name: 'two owners hold one address without a sharing key',
    bad: (b) => {
      b.pool.allocate('a', { address: '192.168.1.205' });
      b.pool.allocate('b', { address: '192.168.1.205', sharingKey: 'k' });
    },
    says: /192\.168\.1\.205 is allocated to both a \(pool lan\) and b \(pool lan\) without a common sharing key/,
    good: (b) => {
      b.pool.allocate('a', { address: '192.168.1.205', sharingKey: 'k' });
      b.pool.allocate('b', { address: '192.168.1.205', sharingKey: 'k' });
    },
  },
  {
    id: 'NET-L2P6',
    name: 'the pool runs out of addresses',
    options: { pool: { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] } },
    bad: (b) => ['a', 'b', 'c'].forEach((o) => b.pool.allocate(o)),
    says: /pool lan has no free address left for c/,
    good: (b) => ['a', 'b'].forEach((o) => b.pool.allocate(o)),
  },
  {
    id: 'NET-L2P7',
    name: 'a raw L2 policy without serviceSelector sits beside the pool (seed 002)',
    bad: (b) =>
      void new CiliumL2AnnouncementPolicy(rawScope(b), 'Default', {
        metadata: { name: 'default-l2-announcement' },
        spec: { loadBalancerIPs: true, interfaces: ['^eth[0-9]+'] },
      }),
    says: /L2 announcement policies lan and default-l2-announcement both select services of pool lan/,
    good: (b) =>
      void new CiliumL2AnnouncementPolicy(rawScope(b), 'Default', {
        metadata: { name: 'other-l2' },
        spec: { loadBalancerIPs: true, interfaces: ['^eth[0-9]+'], serviceSelector: { matchLabels: { 'netkit/pool': 'other' } } },
      }),
  },
  {
    id: 'NET-L2P8',
    name: 'Cilium runs without kube-proxy replacement',
    options: { cilium: false },
    bad: (b) => void new CiliumRelease(b.cluster, 'Cilium', { version: '1.20' }),
    says: /L2 announcements need kube-proxy replacement/,
    alsoAck: ['NET-CIL4'],
    goodOptions: { cilium: false },
    good: (b) => void new CiliumRelease(b.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true }),
  },
  {
    id: 'NET-L2P8',
    name: 'Cilium has L2 announcements switched off',
    options: { cilium: false },
    bad: (b) => void new CiliumRelease(b.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, l2Announcements: false }),
    says: /does not enable l2announcements/,
    goodOptions: { cilium: false },
    good: (b) => void new CiliumRelease(b.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, l2Announcements: true }),
  },
  {
    id: 'NET-L2P9',
    name: 'the renew deadline does not exceed the retry period by 20%',
    options: { pool: { leaseRenewDeadlineSeconds: 2, leaseRetryPeriodSeconds: 2 } },
    bad: () => {},
    says: /renew deadline must exceed the retry period by at least 20%/,
    goodOptions: { pool: { leaseDurationSeconds: 20, leaseRenewDeadlineSeconds: 3, leaseRetryPeriodSeconds: 2.5 } },
    good: () => {},
  },
  {
    id: 'NET-L2P9',
    name: 'the lease duration does not exceed the renew deadline',
    options: { pool: { leaseDurationSeconds: 5 } },
    bad: () => {},
    says: /lease duration must exceed the renew deadline/,
    good: () => {},
  },
  {
    id: 'NET-L2P10',
    name: 'a Local service is backed by a Deployment',
    bad: (b) => {
      new Workload(b.cluster, 'dns', { namespace: 'dns', image: 'coredns/coredns:1.12.0', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
      new LoadBalancerService(b.cluster, 'dns-lb', {
        pool: b.pool,
        namespace: 'dns',
        selector: { app: 'dns' },
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
        externalTrafficPolicy: 'Local',
      });
    },
    says: /Service dns\/dns-lb uses externalTrafficPolicy Local .* no DaemonSet backend runs on w1, w2: .*cilium#27800/,
    good: (b) => {
      const c = new Component(b.cluster, 'Dns', { layer: Layer.APPS, folder: 'dns' });
      new k8s.KubeDaemonSet(c, 'Ds', {
        metadata: { name: 'dns', namespace: 'dns' },
        spec: {
          selector: { matchLabels: { app: 'dns' } },
          template: { metadata: { labels: { app: 'dns' } }, spec: { containers: [{ name: 'dns', image: 'coredns/coredns:1.12.0' }] } },
        },
      });
      new LoadBalancerService(c, 'dns-lb', {
        pool: b.pool,
        namespace: 'dns',
        selector: { app: 'dns' },
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
        externalTrafficPolicy: 'Local',
      });
    },
  },
  {
    id: 'NET-L2P11',
    name: 'a pool has an IPv6 block',
    bad: (b) => void b.pool.addBlock(AddressBlock.cidr('fd00:10::/120')),
    says: /fd00:10::\/120 is IPv6: its addresses are allocated but never announced by L2/,
    good: () => {},
  },
  {
    id: 'NET-L2P12',
    name: 'a LoadBalancer Service has no pinned address',
    bad: (b) =>
      void new k8s.KubeService(rawScope(b), 'Svc', {
        metadata: { name: 'squatter', namespace: 'default', labels: b.pool.selectorLabels },
        spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] },
      }),
    says: /Service default\/squatter has no pinned address/,
    good: (b) =>
      void new k8s.KubeService(rawScope(b), 'Svc', {
        metadata: { name: 'squatter', namespace: 'default', ...b.pool.loadBalancerServiceMetadata('squatter') },
        spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] },
      }),
  },
  {
    id: 'NET-L2P12',
    name: 'a cilium Gateway has no spec.addresses',
    bad: (b) =>
      void new Gateway(rawScope(b), 'Gw', {
        metadata: { name: 'gw', namespace: 'gateway' },
        spec: { gatewayClassName: 'cilium', infrastructure: { labels: b.pool.selectorLabels }, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      }),
    says: /Gateway gateway\/gw has no pinned address/,
    alsoAck: ['NET-CIL10'],
    goodAlso: ['NET-CIL10'],
    good: (b) =>
      void new Gateway(rawScope(b), 'Gw', {
        metadata: { name: 'gw', namespace: 'gateway' },
        spec: {
          gatewayClassName: 'cilium',
          addresses: [{ type: 'IPAddress', value: b.pool.allocate('gw') }],
          infrastructure: { labels: b.pool.selectorLabels },
          listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
        },
      }),
  },
  {
    id: 'NET-L2P12',
    name: 'a pinned Service carries no pool label',
    bad: (b) =>
      void new k8s.KubeService(rawScope(b), 'Svc', {
        metadata: { name: 'stray', namespace: 'default', annotations: { 'lbipam.cilium.io/ips': '192.168.1.209' } },
        spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] },
      }),
    says: /pinned to 192\.168\.1\.209 but no pool's serviceSelector matches its labels/,
    good: () => {},
  },
  {
    id: 'NET-L2P13',
    name: 'the default worker selection matches no node (every node a control plane)',
    options: {
      cluster: {
        nodes: [
          { name: 'n1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE, NodeRole.WORKER] },
          { name: 'n2', address: '192.168.1.12', roles: [NodeRole.CONTROL_PLANE, NodeRole.WORKER] },
        ],
      },
    },
    bad: () => {},
    says: /L2 policy lan selects no node of the cluster/,
    goodOptions: {
      cluster: {
        nodes: [
          { name: 'n1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE, NodeRole.WORKER] },
          { name: 'n2', address: '192.168.1.12', roles: [NodeRole.CONTROL_PLANE, NodeRole.WORKER] },
        ],
      },
      pool: { nodeSelection: NodeSelection.all() },
    },
    good: () => {},
  },
  {
    id: 'NET-L2P14',
    name: 'two services share an address by key and both listen on 53/UDP',
    bad: (b) => {
      for (const name of ['dns-a', 'dns-b']) {
        new LoadBalancerService(b.cluster, name, {
          pool: b.pool,
          namespace: 'dns',
          selector: { app: name },
          ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
          allocation: { sharingKey: 'dns' },
        });
      }
    },
    says: /Service dns\/dns-b and Service dns\/dns-a carry sharing key "dns" for 192\.168\.1\.200, but LB-IPAM will not let them share: both listen on 53\/UDP/,
    good: (b) => {
      // one address for DNS over UDP and TCP: the same port, but not the same protocol
      new LoadBalancerService(b.cluster, 'dns-udp', {
        pool: b.pool,
        namespace: 'dns',
        selector: { app: 'dns' },
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
        allocation: { sharingKey: 'dns' },
      });
      new LoadBalancerService(b.cluster, 'dns-tcp', {
        pool: b.pool,
        namespace: 'dns',
        selector: { app: 'dns' },
        ports: [{ name: 'dns-tcp', port: 53, protocol: 'TCP' }],
        allocation: { sharingKey: 'dns' },
      });
    },
  },
  {
    id: 'NET-L2P14',
    name: 'services of two namespaces share an address without allowing it on both sides',
    bad: (b) => {
      new LoadBalancerService(b.cluster, 'web', {
        pool: b.pool,
        namespace: 'web',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80 }],
        allocation: { sharingKey: 'front', sharingNamespaces: ['mail'] },
      });
      new LoadBalancerService(b.cluster, 'smtp', {
        pool: b.pool,
        namespace: 'mail',
        selector: { app: 'smtp' },
        ports: [{ name: 'smtp', port: 25 }],
        allocation: { sharingKey: 'front' },
      });
    },
    says: /Service mail\/smtp and Service web\/web carry sharing key "front" .* they are in different namespaces \(web, mail\) and do not both allow it/,
    good: (b) => {
      new LoadBalancerService(b.cluster, 'web', {
        pool: b.pool,
        namespace: 'web',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80 }],
        allocation: { sharingKey: 'front', sharingNamespaces: ['mail'] },
      });
      new LoadBalancerService(b.cluster, 'smtp', {
        pool: b.pool,
        namespace: 'mail',
        selector: { app: 'smtp' },
        ports: [{ name: 'smtp', port: 25 }],
        allocation: { sharingKey: 'front', sharingNamespaces: ['*'] },
      });
    },
  },
  {
    id: 'NET-L2P14',
    name: 'services sharing an address differ in externalTrafficPolicy',
    bad: (b) => {
      new LoadBalancerService(b.cluster, 'web', {
        pool: b.pool,
        namespace: 'web',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80 }],
        allocation: { sharingKey: 'web' },
        externalTrafficPolicy: 'Local',
      });
      new LoadBalancerService(b.cluster, 'web-tls', {
        pool: b.pool,
        namespace: 'web',
        selector: { app: 'web' },
        ports: [{ name: 'https', port: 443 }],
        allocation: { sharingKey: 'web' },
      });
    },
    says: /carry sharing key "web" .* their externalTrafficPolicy differs \(Local, Cluster\)/,
    alsoAck: ['NET-L2P10'],
    good: (b) => {
      new LoadBalancerService(b.cluster, 'web', {
        pool: b.pool,
        namespace: 'web',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80 }],
        allocation: { sharingKey: 'web' },
      });
      new LoadBalancerService(b.cluster, 'web-tls', {
        pool: b.pool,
        namespace: 'web',
        selector: { app: 'web' },
        ports: [{ name: 'https', port: 443 }],
        allocation: { sharingKey: 'web' },
      });
    },
  },
  {
    id: 'NET-L2P15',
    name: "Cilium's devices leave out the interfaces the pool announces on",
    options: { cilium: false },
    bad: (b) => void new CiliumRelease(b.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, devices: ['bond0'] }),
    says: /^L2 policy lan announces on interfaces \^\(eth\|en\), but Cilium's devices are bond0: \^\(eth\|en\) matches none of them, so nothing is announced there$/,
    goodOptions: { cilium: false },
    good: (b) => void new CiliumRelease(b.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, devices: ['bond0', 'enp1s0'] }),
  },
  {
    id: 'NET-L2P15',
    name: 'devices given as one string of wildcard entries (extraValues) cover no announced interface',
    options: { cilium: false, pool: { interfaces: ['^eth[0-9]+$', '^bond0$'] } },
    bad: (b) => void new CiliumRelease(b.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, extraValues: { devices: 'enp+,bond0' } }),
    says: /Cilium's devices are enp\+, bond0: \^eth\[0-9\]\+\$ matches none of them/,
    goodOptions: { cilium: false, pool: { interfaces: ['^eth[0-9]+$', '^bond0$'] } },
    good: (b) => void new CiliumRelease(b.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, extraValues: { devices: 'eth+ bond0' } }),
  },
];

describe.each(CASES)('$id', (c) => {
  it(`fails when ${c.name}`, async () => {
    const b = l2Cluster(c.options);
    c.bad(b);
    const outcome = await run(b.app);
    const found = of(outcome.findings, c.id);
    expect(
      found.length,
      JSON.stringify(
        outcome.findings.filter((f) => f.ruleId.startsWith('NET-L2P')),
        null,
        1,
      ),
    ).toBeGreaterThan(0);
    for (const f of found) {
      expect(f.message).toMatch(c.says);
      expect(f.fix.length).toBeGreaterThan(10);
    }
  });

  it('passes when compliant', async () => {
    // The noncompliant setup lives in `options` and `bad`; the compliant one in `goodOptions` (default fixture) and `good`.
    const b = l2Cluster(c.goodOptions ?? {});
    c.good(b);
    const outcome = await run(b.app);
    expectCompliant(outcome, c.id, { otherErrors: c.goodAlso ?? [] });
  });

  it('is silenced by an acknowledgement', async () => {
    const b = l2Cluster(c.options);
    c.bad(b);
    Acknowledgements.of(b.cluster).add(c.id, 'accepted in this test on purpose');
    for (const other of c.alsoAck ?? []) Acknowledgements.of(b.cluster).add(other, 'another area reports the same setup');
    const outcome = await run(b.app);
    expectCompliant(outcome, c.id);
    const acknowledged = outcome.result?.clusters[0].acknowledged ?? [];
    expect(outcome.ok, JSON.stringify(outcome.findings.filter((f) => f.level === 'error'))).toBe(true);
    expect(acknowledged.some((f) => f.ruleId === c.id)).toBe(true);
  });
});

describe('NET-L2P8 without a Cilium release', () => {
  it('warns that the requirements cannot be checked', async () => {
    const b = l2Cluster({ cilium: false });
    const outcome = await run(b.app);
    const found = of(outcome.findings, 'NET-L2P8');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: 'warning' });
    expect(found[0].message).toMatch(/no Cilium release/);
  });
});

describe('NET-L2P14 with protocol differentiation switched off (Cilium 1.18)', () => {
  const build = (enabled: boolean) => {
    const { app, cluster } = testCluster();
    new CiliumRelease(cluster, 'Cilium', {
      version: '1.18',
      kubeProxyReplacement: true,
      extraValues: { loadBalancer: { protocolDifferentiation: { enabled } } },
    });
    const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')] });
    for (const protocol of ['UDP', 'TCP'] as const) {
      new LoadBalancerService(cluster, `dns-${protocol.toLowerCase()}`, {
        pool,
        namespace: 'dns',
        selector: { app: 'dns' },
        ports: [{ name: 'dns', port: 53, protocol }],
        allocation: { sharingKey: 'dns' },
      });
    }
    return app;
  };

  it('does not let 53/UDP and 53/TCP share an address', async () => {
    const found = of((await run(build(false))).findings, 'NET-L2P14');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/both listen on port 53, and with loadBalancer\.protocolDifferentiation off the protocol does not tell them apart/);
  });

  it('lets them share when it is on', async () => {
    expectCompliant(await run(build(true)), 'NET-L2P14');
  });
});

describe('NET-L2P14 reads the sharing annotations as LB-IPAM does', () => {
  const raw = (b: Built, name: string, namespace: string, annotations: Record<string, string>, port: number) =>
    void new k8s.KubeService(new Component(b.cluster, `Raw-${name}`, { layer: Layer.NETWORKING, folder: `raw-${name}` }), name, {
      metadata: { name, namespace, labels: b.pool.selectorLabels, annotations: { 'lbipam.cilium.io/ips': '192.168.1.205', ...annotations } },
      spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port }] },
    });

  it('compares cross-namespace names exactly: "mail, dns" does not name dns', async () => {
    const b = l2Cluster();
    raw(b, 'web', 'web', { 'lbipam.cilium.io/sharing-key': 'front', 'lbipam.cilium.io/sharing-cross-namespace': 'mail, dns' }, 443);
    raw(b, 'resolver', 'dns', { 'lbipam.cilium.io/sharing-key': 'front', 'lbipam.cilium.io/sharing-cross-namespace': 'web' }, 53);
    const found = of((await run(b.app)).findings, 'NET-L2P14');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/different namespaces \(web, dns\) and do not both allow it \(LB-IPAM compares names exactly: " dns" holds spaces\)/);
  });

  it('takes an empty sharing key for none, and reports cross-namespace sharing without a key', async () => {
    const b = l2Cluster();
    raw(b, 'web', 'web', { 'lbipam.cilium.io/sharing-key': '' }, 80);
    raw(b, 'api', 'web', { 'io.cilium/lb-ipam-sharing-key': '', 'lbipam.cilium.io/sharing-cross-namespace': '*' }, 80);
    const found = of((await run(b.app)).findings, 'NET-L2P14');
    expect(found.map((f) => f.message)).toEqual([
      'Service web/api allows sharing its address with namespaces * but carries no sharing key: LB-IPAM shares nothing without one',
    ]);
  });

  it('keeps the namespaces of an allocation made before the Service asks for its metadata', () => {
    const b = l2Cluster();
    b.pool.allocate('web', { sharingKey: 'front', sharingNamespaces: ['mail'] });
    expect(b.pool.loadBalancerServiceMetadata('web').annotations).toEqual({
      'lbipam.cilium.io/ips': '192.168.1.200',
      'lbipam.cilium.io/sharing-key': 'front',
      'lbipam.cilium.io/sharing-cross-namespace': 'mail',
    });
  });
});

describe('NET-L2P15 compares interface regexes with devices as the agent selects them', () => {
  const build = (interfaces: string[], cilium: { devices?: string[]; extraValues?: Record<string, unknown> }) => {
    const b = l2Cluster({ cilium: false, pool: { interfaces } });
    new CiliumRelease(b.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, ...cilium });
    return b.app;
  };
  const found = async (interfaces: string[], cilium: { devices?: string[]; extraValues?: Record<string, unknown> }) =>
    of((await run(build(interfaces, cilium))).findings, 'NET-L2P15');

  it('reports the policy, all its interfaces and the devices, naming only the regexes that match none', async () => {
    const [f, ...rest] = await found(['^eth0$', '^wlan0$'], { devices: ['eth0'] });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      level: 'error',
      path: 'test/Lan/Announcement',
      value: { policy: 'lan', interfaces: ['^eth0$', '^wlan0$'], devices: ['eth0'] },
      expected: "interface regexes that each match one of Cilium's devices (eth0)",
    });
    expect(f!.message).toMatch(/: \^wlan0\$ matches none of them/);
  });

  it('matches a regex unanchored, as Go MatchString does', async () => {
    expect(await found(['eth'], { devices: ['veth-eth9'] })).toEqual([]);
  });

  it('reads the regexes as Go does: RE2-only spellings are left alone, translated ones are compared', async () => {
    // POSIX classes and \z are RE2, not JavaScript: never misread as matching nothing
    expect(await found(['^eth[[:digit:]]+$', '^eth0\\z'], { devices: ['eth0'] })).toEqual([]);
    // \pL is RE2's spelling of \p{L}: translated, it is compared like any other
    expect(await found(['^eth\\pL'], { devices: ['eth0'] })).toHaveLength(1);
    expect(await found(['^eth\\pL'], { devices: ['ethx'] })).toEqual([]);
  });

  it('takes a + entry for every name it prefixes: a regex beginning inside or beyond the prefix matches', async () => {
    expect(await found(['^enp[0-9]+s[0-9]+$'], { devices: ['en+'] })).toEqual([]);
    expect(await found(['^(eth|en)'], { devices: ['e+'] })).toEqual([]);
    expect(await found(['^(?:bond|eth)[0-9]'], { devices: ['eth+'] })).toEqual([]);
  });

  it('reports a + entry that no anchored beginning of the regex can reach', async () => {
    const [f] = await found(['^(eth|en)'], { devices: ['wlan+', 'bond0'] });
    expect(f!.message).toContain("Cilium's devices are wlan+, bond0: ^(eth|en) matches none of them");
  });

  it('leaves out plain names excluded with !', async () => {
    expect(await found(['^eth1$'], { extraValues: { devices: 'eth0,eth1,!eth1' } })).toHaveLength(1);
  });

  it('checks nothing when the agent detects devices itself (devices unset, exclusions only, or forceDeviceDetection)', async () => {
    expect(await found(['^wlan0$'], {})).toEqual([]);
    expect(await found(['^wlan0$'], { extraValues: { devices: '!eth0' } })).toEqual([]);
    expect(await found(['^wlan0$'], { devices: ['eth0'], extraValues: { forceDeviceDetection: true } })).toEqual([]);
  });
});

describe('NET-L2P12 with pools patched through the escape hatch (disabled, allowFirstLastIPs)', () => {
  const pinnedService = (b: ReturnType<typeof l2Cluster>, address: string) =>
    new k8s.KubeService(new Component(b.cluster, 'Raw', { layer: Layer.APPS, folder: 'raw' }), 'Svc', {
      metadata: { name: 'pinned', namespace: 'default', labels: b.pool.selectorLabels, annotations: { 'lbipam.cilium.io/ips': address } },
      spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] },
    });

  it('reports a Service whose only pool is disabled: LB-IPAM allocates nothing new from it', async () => {
    const b = l2Cluster();
    pinnedService(b, '192.168.1.209');
    b.pool.resource.addJsonPatch(JsonPatch.add('/spec/disabled', true));
    const [f, ...rest] = of((await run(b.app)).findings, 'NET-L2P12');
    expect(rest).toEqual([]);
    expect(f!.message).toMatch(/pinned to 192\.168\.1\.209 but every pool that serves it is disabled \(lan\): LB-IPAM allocates no new address from it/);
    expect(f!.value).toEqual(['lan']);
  });

  it('reports an address pinned to the first or last of a CIDR when the pool reserves them, and nothing else', async () => {
    const build = (address: string, allow?: 'Yes' | 'No', cidr = '192.168.1.208/29') => {
      const b = l2Cluster({ pool: { blocks: [AddressBlock.cidr(cidr)] } });
      pinnedService(b, address);
      if (allow) b.pool.resource.addJsonPatch(JsonPatch.add('/spec/allowFirstLastIPs', allow));
      return b.app;
    };
    const found = async (...args: Parameters<typeof build>) => of((await run(build(...args))).findings, 'NET-L2P12');
    const [first] = await found('192.168.1.208', 'No');
    expect(first!.message).toMatch(
      /pinned to 192\.168\.1\.208, the first or last address of a CIDR of pool lan, which reserves them \(allowFirstLastIPs: "No"\)/,
    );
    expect(await found('192.168.1.215', 'No')).toHaveLength(1);
    expect(await found('192.168.1.209', 'No')).toEqual([]);
    expect(await found('192.168.1.208', 'Yes')).toEqual([]);
    expect(await found('192.168.1.208')).toEqual([]);
    // a /32 keeps its only address whatever the setting
    expect(await found('192.168.1.208', 'No', '192.168.1.208/32')).toEqual([]);
    // a /31 is a point-to-point pair: both its addresses are allocatable, the first and the last alike
    expect(await found('192.168.1.208', 'No', '192.168.1.208/31')).toEqual([]);
    expect(await found('192.168.1.209', 'No', '192.168.1.208/31')).toEqual([]);
    // one bit shorter, a /30 reserves its first and last again
    expect(await found('192.168.1.208', 'No', '192.168.1.208/30')).toHaveLength(1);
    expect(await found('192.168.1.211', 'No', '192.168.1.208/30')).toHaveLength(1);
  });
});
