import { AddressRange, canonicalIp, isIpLiteral } from '../../cluster/address.js';
import { defineRule } from '../rule.js';

/** NET-CLU5: the API endpoint is an IP literal, inside the node subnet or at the external load balancer. */
export const ApiEndpointReachable = defineRule({
  id: 'NET-CLU5',
  level: 'error',
  title: 'The API endpoint is an IP address the nodes reach without DNS; a VIP is an address of its own',
  lesson:
    'Nodes and the CNI reach the API server before cluster DNS exists. Seed 001 hit the deadlock: Cilium needs the API to start, ' +
    "CoreDNS needs Cilium, so a host name for the API never resolves. A VIP on the node subnet or the load balancer's address works. " +
    "A VIP must be an address nobody else holds: kube-vip or keepalived announcing a node's, the router's or a DHCP lease's " +
    'address fights that host over ARP, and the API drops whenever the other side wins.',
  source: 'seed 001 (Cilium bootstrap deadlock, VIP 192.168.55.10 beside nodes .11-.13)',
  fix: 'Use ApiEndpoint.vip("<VIP on the node subnet>") or the external load balancer\'s address.',
  *check({ cluster }) {
    const host = cluster.apiEndpoint.host;
    if (!isIpLiteral(host)) {
      yield { at: cluster, message: 'the API endpoint is a host name, which depends on DNS', value: host, expected: 'an IP address' };
      return;
    }
    const port = cluster.apiEndpoint.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      yield { at: cluster, message: 'the API endpoint port is out of range', value: port, expected: 'a TCP port 1-65535' };
    }
    let inSubnet: boolean;
    try {
      inSubnet = AddressRange.cidr(cluster.nodeSubnet).contains(host);
    } catch {
      return; // NET-CLU1
    }
    if (cluster.apiEndpoint.kind === 'vip') {
      const vip = canonicalIp(host);
      const node = cluster.nodes.find((n) => isIpLiteral(n.address) && canonicalIp(n.address) === vip);
      if (node) {
        yield {
          at: cluster,
          message: `the API VIP is also the address of node ${node.name}`,
          value: host,
          expected: 'a free address on the node subnet',
          fix: 'Pick an unused address for the VIP, or use ApiEndpoint.node(...) when the API is that one node.',
        };
      }
      if (cluster.router && isIpLiteral(cluster.router) && canonicalIp(cluster.router) === vip) {
        yield {
          at: cluster,
          message: 'the API VIP is also the router address',
          value: host,
          expected: 'a free address on the node subnet',
          fix: 'Pick an unused address for the VIP.',
        };
      }
      let dhcp: AddressRange | undefined;
      try {
        dhcp = cluster.dhcpRange ? AddressRange.parse(cluster.dhcpRange) : undefined;
      } catch {
        dhcp = undefined; // a malformed range is reported by the address-plan rules
      }
      if (dhcp?.contains(host)) {
        yield {
          at: cluster,
          message: `the API VIP lies inside the DHCP range ${cluster.dhcpRange}, so a DHCP client may lease it`,
          value: host,
          expected: 'an address outside the DHCP range',
          fix: 'Pick a VIP outside the DHCP range, or shrink the range.',
        };
      }
    }
    const atLb = cluster.externalLoadBalancer?.address === host;
    if (!inSubnet && !atLb && cluster.apiEndpoint.kind === 'vip') {
      yield {
        at: cluster,
        level: 'warning',
        message: `the API VIP is outside the node subnet ${cluster.nodeSubnet} and is not the external load balancer`,
        value: host,
        expected: 'a VIP the nodes can announce, or externalLoadBalancer.address',
        fix: 'Move the VIP into the node subnet, or declare the device that holds it as externalLoadBalancer.',
      };
    }
  },
});
