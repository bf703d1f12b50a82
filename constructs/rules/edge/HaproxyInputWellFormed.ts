import { checkHaproxyInput } from '../../edge/haproxy.js';
import { EdgeLoadBalancer } from '../../edge-load-balancer.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/**
 * NET-EDGE6: the load balancer's input is complete and well-formed. A missing `externalLoadBalancer` is recorded by the
 * EdgeLoadBalancer itself (`Findings.of`); the rest is checked here.
 */
export const HaproxyInputWellFormed = defineRule({
  id: 'NET-EDGE6',
  level: 'error',
  title: 'The cluster declares its external load balancer, with well-formed addresses, ports and check settings',
  lesson:
    'haproxy.cfg and the VIP alias are rendered from the Cluster so they cannot drift from it; that needs the ' +
    "cluster's externalLoadBalancer, IPv4 addresses, server names HAProxy accepts and real ports and status codes.",
  source: 'seed 001 (HAProxy on 192.168.0.45)',
  fix: 'Declare externalLoadBalancer on the Cluster and correct the value named in the finding.',
  *check({ cluster }) {
    // an EdgeLoadBalancer on a cluster without externalLoadBalancer has no input: it reports that itself
    for (const lb of cluster.constructsOf(EdgeLoadBalancer)) {
      const input = lb.haproxyInput();
      if (input) yield* resultsOf(checkHaproxyInput(input), ['EDGE-HAP7'], lb);
    }
  },
});
