import { L2Pool } from '../../l2-pool.js';
import { defineRule } from '../rule.js';

/** NET-L2P6: the pool has an address for every allocation asked of it. */
export const PoolNotExhausted = defineRule({
  id: 'NET-L2P6',
  level: 'error',
  title: 'Pools have an address for every allocation',
  lesson:
    'An exhausted pool leaves the next LoadBalancer pending with no event most people look at; the gateway simply never gets an address. ' +
    'Planning the allocation at synth time turns that into a finding before anything is applied.',
  source: 'Cilium LB-IPAM',
  fix: 'Add a block to the pool (pool.addBlock(...)) or share an address between services with a sharingKey.',
  *check({ cluster }) {
    for (const pool of L2Pool.allOf(cluster)) {
      const size = pool.blocks.reduce((n, b) => n + (b.range?.size ?? 0n), 0n);
      for (const a of pool.allocations()) {
        if (!a.exhausted) continue;
        yield {
          at: pool,
          message: `pool ${pool.poolName} has no free address left for ${a.owner}`,
          value: `${pool.allocations().filter((x) => !x.exhausted).length} allocations, ${size} addresses`,
          expected: 'a free address for every owner',
        };
      }
    }
  },
});
