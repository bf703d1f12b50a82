import { L2Pool } from '../../l2-pool.js';
import { defineRule } from '../rule.js';

/** NET-L2P1: every block of a pool parses, is of one family and has start ≤ stop; a pool has at least one block. */
export const PoolBlocksWellFormed = defineRule({
  id: 'NET-L2P1',
  level: 'error',
  title: 'Pool blocks are valid CIDRs or start ≤ stop ranges of one address family',
  lesson:
    'Cilium rejects a pool with a malformed block and then serves no address from it: every LoadBalancer of the pool stays pending. ' +
    'A range written backwards or mixing IPv4 and IPv6 is the usual typo.',
  source: 'Cilium LB-IPAM (CiliumLoadBalancerIPPool spec.blocks)',
  fix: 'Write the block as AddressBlock.cidr("192.168.10.48/29") or AddressBlock.range("192.168.10.49", "192.168.10.50") with start ≤ stop.',
  *check({ cluster }) {
    for (const pool of L2Pool.allOf(cluster)) {
      if (!pool.blocks.length) {
        yield { at: pool, message: `pool ${pool.poolName} has no address block`, value: [], expected: 'at least one block' };
      }
      for (const block of pool.blocks) {
        const parsed = block.parse();
        if (parsed.error !== undefined) {
          yield {
            at: pool,
            message: `pool ${pool.poolName} has a malformed block: ${parsed.error}`,
            value: block.text,
            expected: 'a CIDR, or a start–stop range of one family with start ≤ stop',
          };
        }
      }
    }
  },
});
