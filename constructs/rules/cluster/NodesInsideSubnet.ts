import { AddressRange, isIpLiteral } from '../../net/address.js';
import { defineRule } from '../rule.js';

/** NET-CLU2: every node address is an IP inside the node subnet. */
export const NodesInsideSubnet = defineRule({
  id: 'NET-CLU2',
  level: 'error',
  title: 'Every node address is an IP address inside the node subnet',
  lesson:
    'L2 announcements, the node firewall and the address plan all assume the nodes share one segment. A node outside the ' +
    'subnet cannot answer ARP for a LoadBalancer address and is missing from firewall sources.',
  source: 'seed 002 (talconfig addresses), Cilium L2 announcements docs',
  fix: 'Correct the node address, or widen nodeSubnet to the segment the nodes really share.',
  *check({ cluster }) {
    let subnet: AddressRange | undefined;
    try {
      subnet = AddressRange.cidr(cluster.nodeSubnet);
    } catch {
      return; // reported by NET-CLU1
    }
    for (const node of cluster.nodes) {
      if (!isIpLiteral(node.address)) {
        yield { at: cluster, message: `node ${node.name} has no IP address`, value: node.address, expected: 'an IPv4 or IPv6 address' };
      } else if (!subnet.contains(node.address)) {
        yield { at: cluster, message: `node ${node.name} is outside the node subnet ${cluster.nodeSubnet}`, value: node.address, expected: `an address in ${cluster.nodeSubnet}` };
      }
    }
  },
});
