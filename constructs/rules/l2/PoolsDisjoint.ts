import { ipPools, poolBlocks } from './model.js';
import { defineRule } from '../rule.js';

/** NET-L2P3: no two pool blocks of the cluster (also raw CiliumLoadBalancerIPPools) share an address. */
export const PoolsDisjoint = defineRule({
  id: 'NET-L2P3',
  level: 'error',
  title: 'LoadBalancer pools do not overlap each other',
  lesson:
    'Cilium marks overlapping pools as conflicting and stops allocating from the newer one; where it does allocate, two services ' +
    'can end up announced with the same address by different nodes. Every pool, also one added through the escape hatch, must be disjoint.',
  source: 'Cilium LB-IPAM (pool conflicts); seed 002',
  fix: 'Split the range so each pool owns its own addresses, or merge the pools.',
  *check({ objects }) {
    const blocks = ipPools(objects).flatMap((pool) => poolBlocks(pool).map((b) => ({ pool, b })));
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        const x = blocks[i];
        const y = blocks[j];
        if (!x.b.range || !y.b.range || !x.b.range.overlaps(y.b.range)) continue;
        const same = x.pool === y.pool;
        yield {
          at: y.pool.path,
          message: same
            ? `pool ${x.pool.name} has overlapping blocks ${x.b.text} and ${y.b.text}`
            : `pool ${y.pool.name} block ${y.b.text} overlaps pool ${x.pool.name} block ${x.b.text}`,
          value: `${x.b.text} ∩ ${y.b.text}`,
          expected: 'disjoint blocks',
        };
      }
    }
  },
});
