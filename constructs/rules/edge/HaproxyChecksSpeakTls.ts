import { checkHaproxyInput } from '../../edge/haproxy.js';
import { EdgeLoadBalancer } from '../../edge-load-balancer.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/** NET-EDGE1: HAProxy health checks on TLS ports speak TLS. */
export const HaproxyChecksSpeakTls = defineRule({
  id: 'NET-EDGE1',
  level: 'error',
  title: 'HAProxy health checks on TLS ports (API 6443, HTTPS passthrough 443) run inside TLS',
  lesson:
    'Seed 001 put `option httpchk GET /healthz` on the mode tcp API backend: the check sent clear-text HTTP to a TLS port, ' +
    'every server was marked down, and `haproxy -c` accepted the file without a word. A check on a TLS port needs ' +
    '`check-ssl verify none`, or a TCP/TLS-handshake check.',
  source: 'seed 001 (health check pitfall); FACTS.md HAProxy',
  fix: "Use { kind: 'tls' } (TCP connect and TLS handshake) or an HTTP check with ssl: true.",
  *check({ cluster }) {
    for (const lb of cluster.constructsOf(EdgeLoadBalancer)) {
      const input = lb.haproxyInput();
      if (input) yield* resultsOf(checkHaproxyInput(input), ['EDGE-HAP1'], lb);
    }
  },
});
