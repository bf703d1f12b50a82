import { checkHaproxyInput } from '../../edge/haproxy.js';
import { EdgeLoadBalancer } from '../../edge-load-balancer.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/** NET-EDGE3: an API /readyz check only where anonymous requests may read it. */
export const HaproxyApiCheckAuthorized = defineRule({
  id: 'NET-EDGE3',
  level: 'error',
  title: 'The HAProxy API check expects 200 from /readyz only where anonymous requests may read it',
  lesson:
    'k3s runs the API server with anonymous auth off, so an anonymous GET /readyz answers 401 and an HTTP check expecting ' +
    '200 marks every control-plane node down. The default API check is therefore a TLS handshake; /readyz is used where ' +
    'anonymous access to the health paths is on.',
  source: 'k3s#3576; seed 001 (API behind HAProxy)',
  fix: 'Use the default TLS-handshake check, or enable anonymous access to /readyz and set apiAnonymousAuth: true.',
  *check({ cluster }) {
    for (const lb of cluster.constructsOf(EdgeLoadBalancer)) {
      const input = lb.haproxyInput();
      if (input) yield* resultsOf(checkHaproxyInput(input), ['EDGE-HAP6'], lb);
    }
  },
});
