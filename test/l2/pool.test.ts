import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AddressBlock, Findings, L2Pool, LoadBalancerService, NodeSelection } from '../../constructs/index.js';
import { file, run } from '../helpers.js';
import { l2, l2Cluster } from './fixtures.js';

describe('L2Pool rendering', () => {
  it('renders one pool and one L2 policy scoped to the pool label', async () => {
    const { app, pool } = l2Cluster({ pool: { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210'), AddressBlock.cidr('192.168.1.224/28')] } });
    expect(pool.selectorLabels).toEqual({ 'netkit/pool': 'lan' });
    const outcome = await run(app);
    expect(l2(outcome.findings)).toEqual([]);
    const poolYaml = file(outcome, 'test', 'networking/l2-pool/ciliumloadbalancerippool-lan.yaml');
    const policyYaml = file(outcome, 'test', 'networking/l2-pool/ciliuml2announcementpolicy-lan.yaml');
    await expect(poolYaml).toMatchFileSnapshot('./__snapshots__/pool-lan.yaml');
    await expect(policyYaml).toMatchFileSnapshot('./__snapshots__/policy-lan.yaml');
    const p = parse(poolYaml);
    const a = parse(policyYaml);
    expect(p).toMatchObject({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumLoadBalancerIPPool',
      spec: { serviceSelector: { matchLabels: { 'netkit/pool': 'lan' } } },
    });
    expect(p.spec.blocks).toEqual([{ start: '192.168.1.200', stop: '192.168.1.210' }, { cidr: '192.168.1.224/28' }]);
    expect(a).toMatchObject({
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumL2AnnouncementPolicy',
      spec: {
        loadBalancerIPs: true,
        interfaces: ['^(eth|en)'],
        nodeSelector: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] },
        serviceSelector: { matchLabels: { 'netkit/pool': 'lan' } },
      },
    });
  });

  it('takes blocks, interfaces and node selection added after construction', async () => {
    const { app, pool } = l2Cluster({
      pool: { poolName: 'edge', nodeSelection: NodeSelection.labels({ 'kubernetes.io/hostname': 'w1' }), interfaces: ['^enp1s0$'] },
    });
    pool.addBlock(AddressBlock.cidr('192.168.1.240/30')).addInterface('^eno1$');
    const outcome = await run(app);
    const p = parse(file(outcome, 'test', 'networking/l2-pool/ciliumloadbalancerippool-edge.yaml'));
    const a = parse(file(outcome, 'test', 'networking/l2-pool/ciliuml2announcementpolicy-edge.yaml'));
    expect(p.spec.blocks).toHaveLength(2);
    expect(a.spec.interfaces).toEqual(['^enp1s0$', '^eno1$']);
    expect(a.spec.nodeSelector).toEqual({ matchLabels: { 'kubernetes.io/hostname': 'w1' } });
  });

  it('lists pools per cluster and exposes the lease timings with their defaults', () => {
    const { cluster, pool } = l2Cluster();
    const other = new L2Pool(cluster, 'Dmz', {
      blocks: [AddressBlock.cidr('192.168.1.232/29')],
      leaseDurationSeconds: 30,
      leaseRenewDeadlineSeconds: 10,
      leaseRetryPeriodSeconds: 4,
    });
    expect(L2Pool.allOf(cluster)).toEqual([pool, other]);
    expect([pool.leaseDurationSeconds, pool.leaseRenewDeadlineSeconds, pool.leaseRetryPeriodSeconds]).toEqual([15, 5, 2]);
    expect([other.leaseDurationSeconds, other.leaseRenewDeadlineSeconds, other.leaseRetryPeriodSeconds]).toEqual([30, 10, 4]);
  });

  it('renders a LoadBalancerService with the pool label and a pinned address', async () => {
    const { app, cluster, pool } = l2Cluster();
    const svc = new LoadBalancerService(cluster, 'dns', {
      pool,
      namespace: 'dns',
      selector: { app: 'dns' },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
      allocation: { address: '192.168.1.205' },
    });
    expect(svc.address).toBe('192.168.1.205');
    const outcome = await run(app);
    const yaml = file(outcome, 'test', 'apps/dns/service-dns.yaml');
    await expect(yaml).toMatchFileSnapshot('./__snapshots__/service-dns.yaml');
    expect(parse(yaml)).toMatchObject({
      metadata: { labels: { 'netkit/pool': 'lan' }, annotations: { 'lbipam.cilium.io/ips': '192.168.1.205' } },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Cluster' },
    });
  });
});

describe('allocation', () => {
  const build = () => {
    const { pool } = l2Cluster();
    return [
      pool.allocate('gateway-external'),
      pool.allocate('gateway-internal', { address: '192.168.1.201' }),
      pool.allocate('dns-tcp', { sharingKey: 'dns' }),
      pool.allocate('dns-udp', { sharingKey: 'dns' }),
      pool.allocate('ntp'),
    ];
  };

  it('is deterministic: the same calls give the same addresses', () => {
    expect(build()).toEqual(build());
  });

  it('hands out the lowest free address, honours fixed ones and shares by key', () => {
    const [ext, int, tcp, udp, ntp] = build();
    // written out, not computed with the address math under test: the pool is 192.168.1.200-192.168.1.210
    expect(ext).toBe('192.168.1.200');
    expect(int).toBe('192.168.1.201');
    expect(tcp).toBe('192.168.1.202'); // .201 is taken by the fixed allocation
    expect(udp).toBe('192.168.1.202');
    expect(ntp).toBe('192.168.1.203');
  });

  it('returns the same address when an owner asks again', () => {
    const { pool } = l2Cluster();
    const a = pool.allocate('gw');
    pool.allocate('other');
    expect(pool.allocate('gw')).toBe(a);
    expect(pool.allocations().map((x) => x.owner)).toEqual(['gw', 'other']);
  });

  it('gives loadBalancerServiceMetadata the address and sharing key', () => {
    const { pool } = l2Cluster();
    const md = pool.loadBalancerServiceMetadata('dns-udp', { sharingKey: 'dns' });
    expect(md).toEqual({
      labels: { 'netkit/pool': 'lan' },
      annotations: { 'lbipam.cilium.io/ips': pool.addressOf('dns-udp'), 'lbipam.cilium.io/sharing-key': 'dns' },
    });
  });

  it('prefers IPv4 blocks, and says so on itself (NET-L2P6) instead of handing out an address when nothing is left', () => {
    const { pool } = l2Cluster({ pool: { blocks: [AddressBlock.cidr('fd00:10::/127'), AddressBlock.range('192.168.1.200', '192.168.1.200')] } });
    expect(pool.allocate('a')).toBe('192.168.1.200');
    expect(pool.allocate('b')).toBe('fd00:10::');
    expect(pool.allocate('c')).toBe('fd00:10::1');
    expect(() => pool.allocate('d')).not.toThrow();
    expect(pool.allocate('d')).toBeUndefined(); // asked again: still none, and still one finding
    expect(pool.allocations().map((x) => x.owner)).toEqual(['a', 'b', 'c']);
    expect(Findings.of(pool).recorded).toEqual([
      {
        ruleId: 'NET-L2P6',
        level: 'error',
        path: pool.node.path,
        message: 'pool lan has no free address left for d',
        value: '3 allocations, 3 addresses',
        expected: 'a free address for every owner',
      },
    ]);
  });

  it('leaves the address out of a LoadBalancerService the pool has none for, and the synth reports NET-L2P6 there', async () => {
    const { app, cluster, pool } = l2Cluster({ pool: { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.200')] } });
    pool.allocate('first');
    const svc = new LoadBalancerService(cluster, 'dns', {
      pool,
      namespace: 'dns',
      selector: { app: 'dns' },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
    });
    expect(svc.address).toBeUndefined();
    expect(pool.loadBalancerServiceMetadata('dns').annotations).toEqual({});
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(outcome.findings.filter((f) => f.ruleId === 'NET-L2P6')).toEqual([
      {
        ruleId: 'NET-L2P6',
        level: 'error',
        path: pool.node.path,
        message: 'pool lan has no free address left for dns',
        value: '1 allocations, 1 addresses',
        expected: 'a free address for every owner',
        fix: 'Add a block to the pool (pool.addBlock(...)) or share an address between services with a sharingKey.',
      },
    ]);
    expect(outcome.findings.some((f) => f.ruleId === 'NET-RUN1')).toBe(false);
  });
});
