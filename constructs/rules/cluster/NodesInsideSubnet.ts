import { AddressRange, isIpLiteral } from '../../cluster/address.js';
import { defineRule } from '../rule.js';

/** NET-CLU2: every node address, and the router (the nodes' gateway), is an IP inside the node subnet. */
export const NodesInsideSubnet = defineRule({
  id: 'NET-CLU2',
  level: 'error',
  title: 'Every node address, and the router, is an IP address inside the node subnet',
  lesson:
    'L2 announcements, the node firewall and the address plan all assume the nodes share one segment. A node outside the ' +
    "subnet cannot answer ARP for a LoadBalancer address and is missing from firewall sources. The router is the nodes' " +
    'default gateway, so it must be on their subnet too: a gateway off-link is unreachable, and the address plan would ' +
    'keep the wrong address out of the pools.',
  source: 'seed 002 (talconfig addresses, router 192.168.10.1), Cilium L2 announcements docs',
  fix: 'Correct the node or router address, or widen nodeSubnet to the segment the nodes really share.',
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
        yield {
          at: cluster,
          message: `node ${node.name} is outside the node subnet ${cluster.nodeSubnet}`,
          value: node.address,
          expected: `an address in ${cluster.nodeSubnet}`,
        };
      }
    }
    const router = cluster.router;
    if (router === undefined) return;
    if (!isIpLiteral(router)) {
      yield {
        at: cluster,
        message: 'the router is not an IP address',
        value: router,
        expected: `an IPv4 or IPv6 address in ${cluster.nodeSubnet}`,
        fix: "Set router to the LAN default gateway's address (e.g. 192.168.10.1), without a prefix length or a host name.",
      };
    } else if (!subnet.contains(router)) {
      yield {
        at: cluster,
        message: `the router ${router} is outside the node subnet ${cluster.nodeSubnet}: the nodes cannot reach their gateway`,
        value: router,
        expected: `an address in ${cluster.nodeSubnet}`,
        fix: 'Set router to the default gateway the nodes use on their segment, or correct nodeSubnet.',
      };
    }
  },
});
