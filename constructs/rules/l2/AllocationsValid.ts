import { L2Pool } from '../../l2-pool.js';
import { isIpLiteral } from '../../cluster/address.js';
import { defineRule } from '../rule.js';

/** NET-L2P5: every allocation is an address inside its pool, held by one owner (or one sharing key). */
export const AllocationsValid = defineRule({
  id: 'NET-L2P5',
  level: 'error',
  title: 'Allocations are inside their pool and unique',
  lesson:
    'LB-IPAM leaves a service pending when it asks for an address outside every pool, and gives an address to only one service ' +
    'unless both carry the same sharing key. Two gateways pinned to one address means one of them never comes up.',
  source: 'Cilium LB-IPAM (requesting IPs, sharing keys); seed 002 (.49 external, .50 internal)',
  fix: 'Pin each owner to its own address inside the pool, or give services that share an address the same sharingKey.',
  *check({ cluster }) {
    const seen = new Map<string, { pool: string; owner: string; sharingKey?: string }>();
    for (const pool of L2Pool.allOf(cluster)) {
      const owners = new Map<string, string>();
      for (const a of pool.allocations()) {
        const previous = owners.get(a.owner);
        if (previous !== undefined) {
          yield {
            at: pool,
            message: `${a.owner} asked pool ${pool.poolName} for two different addresses (${previous} and ${a.address})`,
            value: a.address,
            expected: `one address per owner (${previous})`,
          };
          continue;
        }
        owners.set(a.owner, a.address);
        if (!isIpLiteral(a.address)) {
          yield {
            at: pool,
            message: `${a.owner} asked pool ${pool.poolName} for "${a.address}", which is not an IP address`,
            value: a.address,
            expected: 'an IPv4 or IPv6 address',
          };
          continue;
        }
        const inside = pool.blocks.some((b) => b.range?.contains(a.address));
        if (!inside) {
          yield {
            at: pool,
            message: `${a.owner} is pinned to ${a.address}, outside pool ${pool.poolName} (${pool.blocks.map((b) => b.text).join(', ') || 'no blocks'}): LB-IPAM leaves it pending`,
            value: a.address,
            expected: `an address inside ${pool.blocks.map((b) => b.text).join(', ')}`,
          };
        }
        const other = seen.get(a.address);
        if (other && !(other.sharingKey !== undefined && other.sharingKey === a.sharingKey)) {
          yield {
            at: pool,
            message: `${a.address} is allocated to both ${other.owner} (pool ${other.pool}) and ${a.owner} (pool ${pool.poolName}) without a common sharing key`,
            value: a.address,
            expected: 'a distinct address per owner, or the same sharingKey on both',
          };
        } else if (!other) {
          seen.set(a.address, { pool: pool.poolName, owner: a.owner, ...(a.sharingKey !== undefined ? { sharingKey: a.sharingKey } : {}) });
        }
      }
    }
  },
});
