import { describe, expect, it } from 'vitest';
import { AddressBlock, AddressPlan, AddressRange, compareIps, L2Pool } from '../../constructs/index.js';
import { file, run } from '../helpers.js';
import { l2Cluster } from './fixtures.js';

describe('address plan', () => {
  it('lists who holds what, sorted by address, beside the manifests', async () => {
    const { app, cluster, pool } = l2Cluster({
      cluster: {
        router: '192.168.1.1',
        dhcpRange: '192.168.1.100-192.168.1.150',
        externalLoadBalancer: { address: '192.168.1.5', hostAddress: '192.168.1.6' },
      },
    });
    pool.allocate('gateway-internal', { address: '192.168.1.201' });
    pool.allocate('gateway-external');
    new L2Pool(cluster, 'Dmz', { blocks: [AddressBlock.cidr('192.168.1.224/29')] }).allocate('vpn');
    const outcome = await run(app);
    const plan = file(outcome, 'test', 'reports/address-plan.md');
    await expect(plan).toMatchFileSnapshot('./__snapshots__/address-plan.md');

    const rows = plan
      .split('\n')
      .filter((l) => /^\| \d/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));
    // Every holder of the model appears once.
    const holders = rows.map((r) => r[3]);
    for (const h of [
      'router / default gateway',
      'LAN DHCP range',
      'external load balancer VIP',
      'node cp1 (control-plane)',
      'pool lan',
      'pool dmz',
      'gateway-internal (pool lan)',
      'gateway-external (pool lan)',
      'vpn (pool dmz)',
    ]) {
      expect(holders).toContain(h);
      expect(
        holders.filter((x) => x === h),
        h,
      ).toHaveLength(1);
    }
    // Sorted by first address (IPv4, numerically), independently of the plan's own comparison.
    const firsts = rows.map((r) => AddressRange.parse(r[1]).start);
    expect([...firsts].sort(compareIps)).toEqual(firsts);
    // Counts are the sizes of the ranges.
    expect(rows.find((r) => r[3] === 'LAN DHCP range')?.[2]).toBe('51');
    // Every row's count, computed here from its address text with plain IPv4 arithmetic.
    const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    const size = (text: string) => {
      if (text.includes('/')) return 2 ** (32 - Number(text.split('/')[1]));
      const [first, last = first] = text.split('-');
      return toInt(last!) - toInt(first!) + 1;
    };
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(Number(r[2]), r[1]).toBe(size(r[1]!));
  });

  it('is rendered for a cluster without pools, once', async () => {
    const { app, cluster } = l2Cluster({ pool: false, cilium: false });
    expect(AddressPlan.ensure(cluster)).toBe(AddressPlan.ensure(cluster));
    const outcome = await run(app);
    const plan = file(outcome, 'test', 'reports/address-plan.md');
    expect(plan).toContain('| 192.168.1.10 | 1 | Kubernetes API (vip, port 6443) | api |');
    expect(plan).not.toMatch(/\| (pool|allocation) \|/);
  });
});
