import { checkHaproxyInput } from '../../edge/haproxy.js';
import { EdgeLoadBalancer } from '../../edge-load-balancer.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/** NET-EDGE2: an ingress HTTP check expects what the ingress really answers. */
export const HaproxyIngressCheckExpectsRealStatus = defineRule({
  id: 'NET-EDGE2',
  level: 'error',
  title: 'HAProxy ingress HTTP checks probe a routed path, or accept the 404 the ingress answers elsewhere',
  lesson:
    'Traefik (and most ingress controllers) answer 404 on paths no route matches. Seed 001 probed such a path expecting ' +
    'success and HAProxy marked every ingress node down; the seed worked around it with `http-check expect status ' +
    '200,301,302,404`.',
  source: 'seed 001 (Traefik returns 404 on unknown paths)',
  fix: "Probe a real health route (knownRoute: true), accept 404, or use { kind: 'tcp' }.",
  *check({ cluster }) {
    for (const lb of cluster.constructsOf(EdgeLoadBalancer)) {
      const input = lb.haproxyInput();
      if (input) yield* resultsOf(checkHaproxyInput(input), ['EDGE-HAP2'], lb);
    }
  },
});
