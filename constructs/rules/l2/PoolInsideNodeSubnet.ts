import { L2Pool } from '../../l2-pool.js';
import { AddressRange } from '../../cluster/address.js';
import { defineRule } from '../rule.js';

/** NET-L2P2: the IPv4 blocks of an L2 pool lie inside the node subnet. */
export const PoolInsideNodeSubnet = defineRule({
  id: 'NET-L2P2',
  level: 'error',
  title: 'L2 pool blocks lie inside the node subnet',
  lesson:
    "L2 announcements answer ARP on the nodes' own segment only. An address outside the node subnet is never reached by ARP: " +
    'clients send it to their router instead, and the service is unreachable although Cilium shows it as assigned.',
  source: 'Cilium L2 announcements documentation; seed 002 (pool 192.168.10.49-50 inside 192.168.10.0/24)',
  fix: 'Pick free addresses of the node subnet, outside the DHCP range (see reports/address-plan.md).',
  *check({ cluster }) {
    let subnet: AddressRange;
    try {
      subnet = AddressRange.cidr(cluster.nodeSubnet);
    } catch {
      return; // NET-CLU1 reports a malformed node subnet
    }
    for (const pool of L2Pool.allOf(cluster)) {
      for (const block of pool.blocks) {
        const r = block.range;
        if (!r || r.family !== 4) continue;
        if (!subnet.contains(r)) {
          yield {
            at: pool,
            message: `pool ${pool.poolName} block ${block.text} is not inside the node subnet ${subnet}: ARP never reaches it`,
            value: block.text,
            expected: `a block inside ${subnet}`,
          };
        }
      }
    }
  },
});
