import { describe, expect, it } from 'vitest';
import { Acknowledgements, ApiEndpoint, NodeRole, ruleById, VipHolder } from '../../constructs/index.js';
import { ids, run, testCluster } from '../helpers.js';

describe('Cluster input checks', () => {
  it('accepts a well-formed cluster without findings', async () => {
    const { app } = testCluster();
    const out = await run(app);
    expect(out.ok).toBe(true);
    expect(out.findings).toEqual([]);
  });

  it('fails when the pod CIDR overlaps the service CIDR (NET-CLU1)', async () => {
    const { app } = testCluster({ podCidr: '10.42.0.0/15', serviceCidr: '10.43.0.0/16' });
    const out = await run(app);
    expect(out.ok).toBe(false);
    const f = out.findings.find((x) => x.ruleId === 'NET-CLU1');
    expect(f).toMatchObject({ level: 'error', path: 'test', message: 'podCidr 10.42.0.0/15 overlaps serviceCidr 10.43.0.0/16' });
  });

  it('fails when a CIDR is malformed (NET-CLU1)', async () => {
    const { app } = testCluster({ serviceCidr: '10.43.0.0' });
    const out = await run(app);
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'NET-CLU1', message: 'serviceCidr is not a CIDR', value: '10.43.0.0' }));
  });

  it('fails when a node lies outside the node subnet (NET-CLU2)', async () => {
    const { app } = testCluster({
      nodes: [
        { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
        { name: 'w1', address: '192.168.2.21' },
      ],
    });
    const out = await run(app);
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'NET-CLU2', value: '192.168.2.21', expected: 'an address in 192.168.1.0/24' }));
  });

  describe("the router is the nodes' gateway, an IP on their subnet (NET-CLU2)", () => {
    it('fails when the router lies outside the node subnet', async () => {
      const out = await run(testCluster({ router: '192.168.2.1' }).app);
      expect(out.ok).toBe(false);
      expect(out.findings.filter((f) => f.ruleId === 'NET-CLU2')).toEqual([
        expect.objectContaining({
          level: 'error',
          path: 'test',
          message: 'the router 192.168.2.1 is outside the node subnet 192.168.1.0/24: the nodes cannot reach their gateway',
          value: '192.168.2.1',
          expected: 'an address in 192.168.1.0/24',
        }),
      ]);
    });

    it.each(['router.lan', '192.168.1.256', '192.168.1.1/24'])('fails when the router %s is not an IP address', async (router) => {
      const out = await run(testCluster({ router }).app);
      expect(out.findings.filter((f) => f.ruleId === 'NET-CLU2')).toEqual([
        expect.objectContaining({ message: 'the router is not an IP address', value: router, expected: 'an IPv4 or IPv6 address in 192.168.1.0/24' }),
      ]);
    });

    it('passes when the router is inside the node subnet', async () => {
      const out = await run(testCluster({ router: '192.168.1.1' }).app);
      expect(out.findings.filter((f) => f.ruleId === 'NET-CLU2')).toEqual([]);
    });

    it('passes when acknowledged', async () => {
      const { app, cluster } = testCluster({ router: '192.168.2.1' });
      Acknowledgements.of(cluster).add('NET-CLU2', 'the router answers on a secondary address of this segment');
      const out = await run(app);
      expect(out.findings.filter((f) => f.ruleId === 'NET-CLU2')).toEqual([]);
      expect(out.result!.clusters[0]!.acknowledged.map((f) => f.ruleId)).toContain('NET-CLU2');
    });
  });

  describe('addFile keeps reports/review.md for the synthesizer', () => {
    it('refuses reports/review.md (any letter case) with the path, the construct and another name to use', () => {
      const { cluster } = testCluster();
      for (const path of ['reports/review.md', 'reports/Review.MD']) {
        expect(() => cluster.addFile(path, () => '# my notes\n', cluster)).toThrow(
          `addFile("${path}") at test: reports/review.md is reserved for the review the synthesizer writes after the rules run, which would replace this file; use another name under reports/, e.g. reports/notes.md`,
        );
      }
    });

    it('keeps a file added under another reports/ name next to the generated review', async () => {
      const { app, cluster } = testCluster({ router: '192.168.2.1' });
      Acknowledgements.of(cluster).add('NET-CLU2', 'the router answers on a secondary address of this segment');
      cluster.addFile('reports/review-notes.md', () => '# my notes\n', cluster);
      const out = await run(app);
      const files = out.result!.clusters[0]!.files;
      expect(files.get('reports/review-notes.md')).toBe('# my notes\n');
      expect(files.get('reports/review.md')).toMatch(/NET-CLU2/);
    });
  });

  it('fails when node names or addresses repeat, and reports both at once (NET-CLU3)', async () => {
    const { app } = testCluster({
      nodes: [
        { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
        { name: 'cp1', address: '192.168.1.12' },
        { name: 'w2', address: '192.168.1.12' },
      ],
    });
    const out = await run(app);
    const clu3 = out.findings.filter((f) => f.ruleId === 'NET-CLU3').map((f) => f.message);
    expect(clu3).toEqual(expect.arrayContaining(['node name cp1 is used by 2 nodes', 'nodes cp1, w2 share one address']));
  });

  it('fails when no node has the control-plane role (NET-CLU3)', async () => {
    const { app } = testCluster({ nodes: [{ name: 'w1', address: '192.168.1.21' }] });
    const out = await run(app);
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'NET-CLU3', message: 'no node has the control-plane role' }));
  });

  it('fails when the node MTU is out of range (NET-CLU4)', async () => {
    const { app } = testCluster({ nodeMtu: 9500 });
    const out = await run(app);
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'NET-CLU4', value: 9500 }));
  });

  it('holds the node MTU to 1280..9216 inclusive: the edges pass, one byte past them fails (NET-CLU4)', async () => {
    const clu4 = async (nodeMtu: number) => {
      const out = await run(testCluster({ nodeMtu }).app);
      expect(ids(out.findings)).not.toContain('NET-RUN1');
      return out.findings.filter((f) => f.ruleId === 'NET-CLU4').map((f) => f.value);
    };
    // 1280 is the IPv6 minimum MTU (RFC 8200) itself, so it is allowed
    expect(await clu4(1280)).toEqual([]);
    expect(await clu4(9216)).toEqual([]);
    expect(await clu4(1279)).toEqual([1279]);
    expect(await clu4(9217)).toEqual([9217]);
    expect(await clu4(1400.5)).toEqual([1400.5]);
  });

  it('fails when the API endpoint is a DNS name (NET-CLU5, seed 001 deadlock)', async () => {
    const { app } = testCluster({ apiEndpoint: ApiEndpoint.at('kubernetes.default.svc') });
    const out = await run(app);
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'NET-CLU5', level: 'error', value: 'kubernetes.default.svc' }));
  });

  it('warns when the API VIP is outside the node subnet, and the warning can be acknowledged', async () => {
    // nothing the library renders holds a VIP off the node subnet: what does is acknowledged (NET-NODE1)
    const heldUpstream = 'held by the upstream router, configured there';
    const { app, cluster } = testCluster({ apiEndpoint: ApiEndpoint.vip('10.0.0.10') });
    Acknowledgements.of(cluster).add('NET-NODE1', heldUpstream);
    const warned = await run(app);
    expect(warned.ok).toBe(true);
    expect(ids(warned.findings)).toEqual(['NET-CLU5']);

    const again = testCluster({ apiEndpoint: ApiEndpoint.vip('10.0.0.10') });
    Acknowledgements.of(again.cluster).add('NET-NODE1', heldUpstream);
    Acknowledgements.of(again.cluster).add('NET-CLU5', 'the VIP is routed to the nodes by the upstream router');
    const acked = await run(again.app);
    expect(acked.findings).toEqual([]);
    expect(acked.result!.clusters[0].acknowledged.map((f) => f.ruleId).sort()).toEqual(['NET-CLU5', 'NET-NODE1']);
    expect(acked.result!.clusters[0].files.get('reports/review.md')).toContain('the VIP is routed to the nodes by the upstream router');
    expect(cluster.clusterName).toBe('test');
  });

  // Compliant cases: 'accepts a well-formed cluster without findings' above.
  it.each([
    ['NET-CLU1', { podCidr: '10.42.0.0/15', serviceCidr: '10.43.0.0/16' }, 'the service CIDR is carved out of the pod range on purpose here'],
    ['NET-CLU3', { nodes: [{ name: 'w1', address: '192.168.1.21' }] }, 'the control plane is managed outside this description'],
    ['NET-CLU4', { nodeMtu: 9500 }, 'the switches carry 9500-byte jumbo frames end to end'],
  ] as const)('%s is silenced by an acknowledgement on the cluster, and listed for review', async (id, overrides, reason) => {
    const { app, cluster } = testCluster(overrides as Parameters<typeof testCluster>[0]);
    Acknowledgements.of(cluster).add(id, reason);
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    expect(out.findings.filter((f) => f.ruleId === id)).toEqual([]);
    const c = out.result!.clusters[0]!;
    expect(c.acknowledged.map((f) => f.ruleId)).toContain(id);
    expect(c.files.get('reports/review.md')).toContain(reason);
  });

  it('reports every finding of every rule together', async () => {
    const { app } = testCluster({ podCidr: '192.168.1.0/25', nodeMtu: 100, apiEndpoint: ApiEndpoint.at('api.example.lan') });
    const out = await run(app);
    expect(ids(out.findings)).toEqual(expect.arrayContaining(['NET-CLU1', 'NET-CLU4', 'NET-CLU5']));
  });
});

describe('API VIP collisions (NET-CLU5)', () => {
  it('fails when the API VIP is a node address', async () => {
    const { app } = testCluster({ apiEndpoint: ApiEndpoint.vip('192.168.1.11') });
    const out = await run(app);
    expect(out.ok).toBe(false);
    expect(out.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'NET-CLU5', level: 'error', message: 'the API VIP is also the address of node cp1', value: '192.168.1.11' }),
    );
  });

  it('fails when the API VIP is the router or inside the DHCP range, reporting both', async () => {
    const { app } = testCluster({ apiEndpoint: ApiEndpoint.vip('192.168.1.1'), router: '192.168.1.1', dhcpRange: '192.168.1.1-192.168.1.9' });
    const out = await run(app);
    const clu5 = out.findings.filter((f) => f.ruleId === 'NET-CLU5').map((f) => f.message);
    expect(clu5).toEqual([
      'the API VIP is also the router address',
      'the API VIP lies inside the DHCP range 192.168.1.1-192.168.1.9, so a DHCP client may lease it',
    ]);
  });

  it('accepts a free VIP, and a node endpoint at its own node address', async () => {
    const free = await run(testCluster({ router: '192.168.1.1', dhcpRange: '192.168.1.100-192.168.1.200' }).app);
    expect(ids(free.findings)).not.toContain('NET-CLU5');
    const single = await run(testCluster({ apiEndpoint: ApiEndpoint.node('192.168.1.11') }).app);
    expect(ids(single.findings)).not.toContain('NET-CLU5');
  });

  it('is silenced by an acknowledgement on the cluster', async () => {
    const { app, cluster } = testCluster({ apiEndpoint: ApiEndpoint.vip('192.168.1.11', { holder: VipHolder.kubeVip({ interface: 'eth0' }) }) });
    Acknowledgements.of(cluster).add('NET-CLU5', 'the VIP moves to cp1 only while the cluster is being rebuilt');
    const out = await run(app);
    expect(out.ok).toBe(true);
    expect(out.result!.clusters[0].acknowledged.map((f) => f.ruleId)).toEqual(['NET-CLU5']);
  });

  it('names a dual-stack CIDR list as such (NET-CLU1)', async () => {
    const out = await run(testCluster({ podCidr: '10.42.0.0/16,fd00:10:42::/56' }).app);
    expect(out.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'NET-CLU1',
        message: 'podCidr lists several CIDRs; dual-stack clusters are not modelled',
        value: '10.42.0.0/16,fd00:10:42::/56',
      }),
    );
  });
});

/**
 * Each cluster rule's findings in full, written out: the level, the message, the value the user gave, what was
 * expected and the fix. The cases elsewhere in this file check the id; these check what the user reads.
 */
describe('what the cluster rules say', () => {
  const kubeVip = { holder: VipHolder.kubeVip({ interface: 'eth0' }) };
  const said = async (id: string, overrides: Parameters<typeof testCluster>[0]) => {
    const out = await run(testCluster(overrides).app);
    expect(out.findings.filter((f) => f.ruleId === 'NET-RUN1')).toEqual([]);
    return out.findings.filter((f) => f.ruleId === id).map((f) => ({ level: f.level, message: f.message, value: f.value, expected: f.expected, fix: f.fix }));
  };
  const fix = (id: string) => ruleById(id)!.fix;

  it('NET-CLU5: a host name, a port out of range, a VIP taken by a node, the router or DHCP, a VIP off the subnet', async () => {
    expect(await said('NET-CLU5', { apiEndpoint: ApiEndpoint.at('api.example.lan') })).toEqual([
      {
        level: 'error',
        message: 'the API endpoint is a host name, which depends on DNS',
        value: 'api.example.lan',
        expected: 'an IP address',
        fix: fix('NET-CLU5'),
      },
    ]);
    // a port out of range stops at the props boundary (NET-IN3); NET-CLU5's own report of it is collapsed under that finding
    for (const port of [0, 65536, 6443.5]) {
      const found = await said('NET-IN3', { apiEndpoint: ApiEndpoint.node('192.168.1.11', port) });
      expect(
        found.map(({ level, message, value, expected }) => ({ level, message, value, expected })),
        String(port),
      ).toEqual([
        {
          level: 'error',
          message: 'Cluster prop apiEndpoint.port is not valid (1 follow-on finding of this construct left out: NET-CLU5)',
          value: port,
          expected: 'a port number from 1 to 65535',
        },
      ]);
      expect(await said('NET-CLU5', { apiEndpoint: ApiEndpoint.node('192.168.1.11', port) }), String(port)).toEqual([]);
    }
    for (const port of [1, 65535]) expect(await said('NET-CLU5', { apiEndpoint: ApiEndpoint.node('192.168.1.11', port) }), String(port)).toEqual([]);
    expect(await said('NET-CLU5', { apiEndpoint: ApiEndpoint.vip('192.168.1.11', kubeVip) })).toEqual([
      {
        level: 'error',
        message: 'the API VIP is also the address of node cp1',
        value: '192.168.1.11',
        expected: 'a free address on the node subnet',
        fix: 'Pick an unused address for the VIP, or use ApiEndpoint.node(...) when the API is that one node.',
      },
    ]);
    expect(await said('NET-CLU5', { router: '192.168.1.10' })).toEqual([
      {
        level: 'error',
        message: 'the API VIP is also the router address',
        value: '192.168.1.10',
        expected: 'a free address on the node subnet',
        fix: 'Pick an unused address for the VIP.',
      },
    ]);
    expect(
      await said('NET-CLU5', { router: '192.168.1.1', dhcpRange: '192.168.1.100-192.168.1.150', apiEndpoint: ApiEndpoint.vip('192.168.1.120', kubeVip) }),
    ).toEqual([
      {
        level: 'error',
        message: 'the API VIP lies inside the DHCP range 192.168.1.100-192.168.1.150, so a DHCP client may lease it',
        value: '192.168.1.120',
        expected: 'an address outside the DHCP range',
        fix: 'Pick a VIP outside the DHCP range, or shrink the range.',
      },
    ]);
    expect(await said('NET-CLU5', { apiEndpoint: ApiEndpoint.vip('10.0.0.10') })).toEqual([
      {
        level: 'warning',
        message: 'the API VIP is outside the node subnet 192.168.1.0/24 and is not the external load balancer',
        value: '10.0.0.10',
        expected: 'a VIP the nodes can announce, or externalLoadBalancer.address',
        fix: 'Move the VIP into the node subnet, or declare the device that holds it as externalLoadBalancer.',
      },
    ]);
    // off the subnet but the load balancer's own address, or a node endpoint rather than a VIP: nothing to say
    expect(await said('NET-CLU5', { apiEndpoint: ApiEndpoint.vip('10.0.0.10'), externalLoadBalancer: { address: '10.0.0.10' } })).toEqual([]);
    expect(await said('NET-CLU5', { apiEndpoint: ApiEndpoint.node('10.0.0.10') })).toEqual([]);
    expect(await said('NET-CLU5', {})).toEqual([]);
    // a node subnet or DHCP range that does not parse is another rule's to report (NET-CLU1, the address plan)
    expect(await said('NET-CLU5', { nodeSubnet: '192.168.1.0/33' })).toEqual([]);
    expect(await said('NET-CLU5', { router: '192.168.1.1', dhcpRange: 'not a range' })).toEqual([]);
  });

  it('NET-CLU2: a node without an IP address, a node off the subnet, a router that is no address or off the subnet', async () => {
    const nodes = (address: string) => [
      { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
      { name: 'w1', address, roles: [NodeRole.WORKER] },
    ];
    expect(await said('NET-CLU2', { nodes: nodes('w1.example.lan') })).toEqual([
      { level: 'error', message: 'node w1 has no IP address', value: 'w1.example.lan', expected: 'an IPv4 or IPv6 address', fix: fix('NET-CLU2') },
    ]);
    expect(await said('NET-CLU2', { nodes: nodes('192.168.2.21') })).toEqual([
      {
        level: 'error',
        message: 'node w1 is outside the node subnet 192.168.1.0/24',
        value: '192.168.2.21',
        expected: 'an address in 192.168.1.0/24',
        fix: fix('NET-CLU2'),
      },
    ]);
    expect(await said('NET-CLU2', { router: 'gw.example.lan' })).toEqual([
      {
        level: 'error',
        message: 'the router is not an IP address',
        value: 'gw.example.lan',
        expected: 'an IPv4 or IPv6 address in 192.168.1.0/24',
        fix: "Set router to the LAN default gateway's address (e.g. 192.168.10.1), without a prefix length or a host name.",
      },
    ]);
    expect(await said('NET-CLU2', { router: '192.168.10.1' })).toEqual([
      {
        level: 'error',
        message: 'the router 192.168.10.1 is outside the node subnet 192.168.1.0/24: the nodes cannot reach their gateway',
        value: '192.168.10.1',
        expected: 'an address in 192.168.1.0/24',
        fix: 'Set router to the default gateway the nodes use on their segment, or correct nodeSubnet.',
      },
    ]);
    // a node subnet that is no CIDR is NET-CLU1's to report, and no node can be judged against it
    expect(await said('NET-CLU2', { nodeSubnet: '192.168.1.0/33', nodes: nodes('192.168.2.21') })).toEqual([]);
  });

  it('NET-CLU3: duplicate names and addresses, no nodes, no control plane', async () => {
    expect(
      await said('NET-CLU3', {
        nodes: [
          { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
          { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.WORKER] },
        ],
      }),
    ).toEqual([
      { level: 'error', message: 'node name cp1 is used by 2 nodes', value: 'cp1', expected: 'unique node names', fix: fix('NET-CLU3') },
      { level: 'error', message: 'nodes cp1, cp1 share one address', value: '192.168.1.11', expected: 'one address per node', fix: fix('NET-CLU3') },
    ]);
    expect(await said('NET-CLU3', { nodes: [] })).toEqual([
      { level: 'error', message: 'the cluster has no nodes', value: [], expected: 'at least one node', fix: fix('NET-CLU3') },
    ]);
    expect(
      await said('NET-CLU3', {
        nodes: [
          { name: 'w1', address: '192.168.1.21' },
          { name: 'w2', address: '192.168.1.22' },
        ],
      }),
    ).toEqual([
      {
        level: 'error',
        message: 'no node has the control-plane role',
        value: ['w1', 'w2'],
        expected: 'at least one NodeRole.CONTROL_PLANE node',
        fix: fix('NET-CLU3'),
      },
    ]);
  });

  it('NET-CLU1: a dual-stack list, a CIDR that is none, an overlap', async () => {
    expect(await said('NET-CLU1', { podCidr: '10.42.0.0/16,fd00:42::/56' })).toEqual([
      {
        level: 'error',
        message: 'podCidr lists several CIDRs; dual-stack clusters are not modelled',
        value: '10.42.0.0/16,fd00:42::/56',
        expected: 'one address and prefix length such as 10.42.0.0/16',
        fix: 'Give one CIDR of one address family; the constructs render single-stack clusters only.',
      },
    ]);
    expect(await said('NET-CLU1', { serviceCidr: '10.43.0.0' })).toEqual([
      {
        level: 'error',
        message: 'serviceCidr is not a CIDR',
        value: '10.43.0.0',
        expected: 'one address and prefix length such as 10.42.0.0/16',
        fix: fix('NET-CLU1'),
      },
    ]);
    expect(await said('NET-CLU1', { podCidr: '192.168.0.0/16' })).toEqual([
      {
        level: 'error',
        message: 'nodeSubnet 192.168.1.0/24 overlaps podCidr 192.168.0.0/16',
        value: '192.168.1.0/24 ∩ 192.168.0.0/16',
        expected: 'disjoint ranges',
        fix: fix('NET-CLU1'),
      },
    ]);
  });

  it('NET-CLU4: what the MTU finding says', async () => {
    expect(await said('NET-CLU4', { nodeMtu: 1279 })).toEqual([
      { level: 'error', message: 'nodeMtu is out of range', value: 1279, expected: 'an integer from 1280 to 9216', fix: fix('NET-CLU4') },
    ]);
  });
});
