import { clientRateLimitFor, loadBalancerServiceCount } from '../../cilium-release.js';
import { defineRule } from '../rule.js';
import { at, durationSeconds, renderedCilium } from './model.js';

/** NET-CIL12: with L2 announcements, the agent's client rate limit covers one lease renewal per service per renew deadline. */
export const ClientRateLimitCoversLeases = defineRule({
  id: 'NET-CIL12',
  level: 'error',
  title: "The agent's client rate limit covers the L2 announcement leases",
  lesson:
    'Every LoadBalancer Service (and every Gateway, which Cilium turns into one) holds a lease the announcing agent ' +
    'renews once per renew deadline. When the client rate limit is below that, renewals queue, leases expire and ' +
    'addresses flap between nodes.',
  source: 'https://docs.cilium.io/en/stable/network/l2-announcements/#sizing-client-rate-limit',
  fix: 'Leave k8sClientRateLimit to CiliumRelease (sized from the services the tree renders), or raise it.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'l2announcements.enabled') !== true) return;
    const services = loadBalancerServiceCount(ctx.objects);
    const renew = durationSeconds(at(r.values, 'l2announcements.leaseRenewDeadline') ?? '5s');
    if (renew === undefined || renew <= 0) return; // NET-L2P9
    const need = clientRateLimitFor(services, renew);
    const qps = at(r.values, 'k8sClientRateLimit.qps') ?? 10;
    const burst = at(r.values, 'k8sClientRateLimit.burst') ?? 20;
    if (typeof qps !== 'number' || qps < need.qps || typeof burst !== 'number' || burst < qps) {
      yield {
        at: r.release,
        message: `k8sClientRateLimit is too low for ${services} LoadBalancer service${services === 1 ? '' : 's'} renewing leases every ${renew}s`,
        value: { qps, burst },
        expected: `qps ≥ ${need.qps} and burst ≥ qps (e.g. ${JSON.stringify(need)})`,
      };
    }
  },
});
