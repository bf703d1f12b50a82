import { L2Pool } from '../../l2-pool.js';
import { defineRule } from '../rule.js';

/** NET-L2P11 (warning): IPv6 blocks of an L2 pool are allocated but never announced. */
export const Ipv6NotAnnounced = defineRule({
  id: 'NET-L2P11',
  level: 'warning',
  title: 'IPv6 pool blocks are allocated but not announced by L2',
  lesson:
    'Cilium L2 announcements answer ARP, which is IPv4 only (no NDP). IPv6 addresses from the pool are assigned to services but no node ' +
    'announces them on the LAN: they are reachable only if something else routes them.',
  source: 'Cilium L2 announcements documentation (limitations)',
  fix: 'Route the IPv6 block to the nodes (BGP or static routes), or drop it from the L2 pool.',
  *check({ cluster }) {
    for (const pool of L2Pool.allOf(cluster)) {
      for (const b of pool.blocks) {
        if (b.range?.family !== 6) continue;
        yield {
          at: pool,
          message: `pool ${pool.poolName} block ${b.text} is IPv6: its addresses are allocated but never announced by L2 (ARP is IPv4 only)`,
          value: b.text,
          expected: 'IPv4 blocks for L2 announcement',
        };
      }
    }
  },
});
