import { L2Pool } from '../../l2-pool.js';
import { AddressRange } from '../../cluster/address.js';
import { defineRule } from '../rule.js';

/** NET-L2P4: pool blocks stay clear of nodes, router, API VIP, external LB, DHCP, pod and service CIDRs. */
export const PoolAvoidsReservedAddresses = defineRule({
  id: 'NET-L2P4',
  level: 'error',
  title: 'Pools avoid node, router, API, load balancer, DHCP, pod and service addresses',
  lesson:
    'A pool address that a node, the router, the API VIP or a DHCP lease also uses is announced by two hosts at once: ARP answers race ' +
    'and clients reach whichever answered last. Pod and service CIDRs inside a pool make routes ambiguous.',
  source: 'seed 002 (router .1, DHCP .150-.250, pool .49-.50), Cilium L2 announcements',
  fix: 'Move the pool to addresses nobody else holds (reports/address-plan.md lists who holds what).',
  *check({ cluster }) {
    const reserved: { what: string; text: string }[] = [];
    for (const n of cluster.nodes) reserved.push({ what: `node ${n.name}`, text: n.address });
    if (cluster.router) reserved.push({ what: 'the router', text: cluster.router });
    if (cluster.apiEndpoint.kind !== 'other' || /^[0-9a-f.:]+$/i.test(cluster.apiEndpoint.host))
      reserved.push({ what: 'the API endpoint', text: cluster.apiEndpoint.host });
    if (cluster.externalLoadBalancer) {
      reserved.push({ what: 'the external load balancer', text: cluster.externalLoadBalancer.address });
      if (cluster.externalLoadBalancer.hostAddress) reserved.push({ what: 'the external load balancer host', text: cluster.externalLoadBalancer.hostAddress });
    }
    if (cluster.dhcpRange) reserved.push({ what: 'the DHCP range', text: cluster.dhcpRange });
    reserved.push({ what: 'the pod CIDR', text: cluster.podCidr });
    reserved.push({ what: 'the service CIDR', text: cluster.serviceCidr });
    try {
      const subnet = AddressRange.cidr(cluster.nodeSubnet);
      if (subnet.family === 4 && subnet.size > 2n) {
        reserved.push({ what: 'the node subnet network address', text: subnet.start });
        reserved.push({ what: 'the node subnet broadcast address', text: subnet.stop });
      }
    } catch {
      // NET-CLU1 reports it
    }
    const parsed = reserved.flatMap((r) => {
      try {
        return [{ ...r, range: AddressRange.parse(r.text) }];
      } catch {
        return [];
      }
    });
    for (const pool of L2Pool.allOf(cluster)) {
      for (const block of pool.blocks) {
        const b = block.range;
        if (!b) continue;
        for (const r of parsed) {
          if (!b.overlaps(r.range)) continue;
          yield {
            at: pool,
            message: `pool ${pool.poolName} block ${block.text} overlaps ${r.what} (${r.range})`,
            value: block.text,
            expected: `a block clear of ${r.range}`,
          };
        }
      }
    }
  },
});
