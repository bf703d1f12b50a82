import { checkHaproxyInput } from '../../edge/haproxy.js';
import { EdgeLoadBalancer } from '../../edge-load-balancer.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/** NET-EDGE4: the VIP is its own address, in the host interface's subnet. */
export const HaproxyVipSeparateFromHost = defineRule({
  id: 'NET-EDGE4',
  level: 'error',
  title: "The load balancer VIP is a separate address in the subnet of the host's interface",
  lesson:
    "Seed 001 put HAProxy's VIP 192.168.0.45 as an alias next to the host's own 192.168.0.46. A VIP equal to the host " +
    "address cannot move or be told apart from the host, and an alias outside the interface's subnet is not reachable " +
    'on the LAN.',
  source: 'seed 001 (IP alias setup on Debian)',
  fix: "Pick an unused address in the host interface's subnet for externalLoadBalancer.address.",
  *check({ cluster }) {
    for (const lb of cluster.constructsOf(EdgeLoadBalancer)) {
      const input = lb.haproxyInput();
      if (input) yield* resultsOf(checkHaproxyInput(input), ['EDGE-HAP3', 'EDGE-HAP8'], lb);
    }
  },
});
