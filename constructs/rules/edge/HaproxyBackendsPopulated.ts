import { checkHaproxyInput } from '../../edge/haproxy.js';
import { EdgeLoadBalancer } from '../../edge-load-balancer.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/** NET-EDGE5: every HAProxy backend has servers, each node once. */
export const HaproxyBackendsPopulated = defineRule({
  id: 'NET-EDGE5',
  level: 'error',
  title: 'Every HAProxy backend has servers: the control-plane nodes for 6443, the ingress nodes for 80/443, each once',
  lesson:
    '`haproxy -c` accepts a backend without servers, or one machine listed twice: the first answers 503 for everything, ' +
    "the second doubles one node's share and hides a missing one. The backends are derived from the Cluster's nodes, " +
    'so an empty one means the roles or the ingress node list are wrong.',
  source: 'seed 001 (API across the servers, ingress across the nodes)',
  fix: 'Give the k3s servers / Talos control-plane nodes the control-plane role, and list existing nodes in ingressNodes.',
  *check({ cluster }) {
    for (const lb of cluster.constructsOf(EdgeLoadBalancer)) {
      const input = lb.haproxyInput();
      if (input) yield* resultsOf(checkHaproxyInput(input), ['EDGE-HAP4', 'EDGE-HAP5', 'EDGE-HAP9', 'EDGE-HAP10'], lb);
      const names = new Set(cluster.nodes.map((n) => n.name));
      const unknown = lb.ingressNodes.filter((n) => !names.has(n));
      if (unknown.length) {
        yield {
          at: lb,
          message: 'ingressNodes names nodes the cluster does not have',
          value: unknown,
          expected: `names among ${[...names].join(', ')}`,
          fix: 'List the names of the nodes that serve the ingress on 80/443.',
        };
      }
    }
  },
});
