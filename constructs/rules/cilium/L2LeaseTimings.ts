import { leasePoolsOf } from '../../cilium-release.js';
import { defineRule } from '../rule.js';
import { at, durationSeconds, renderedCilium } from './model.js';

/** NET-CIL8: L2 lease timings are consistent (renew deadline ≥ 1.2 × retry period, duration > renew deadline). */
export const L2LeaseTimings = defineRule({
  id: 'NET-CIL8',
  level: 'error',
  title: 'L2 announcement lease timings are consistent',
  lesson:
    'Each announced address is a Kubernetes lease. The renew deadline must exceed the retry period by at least 20% and ' +
    'the duration must exceed the renew deadline, or leader election fails and addresses flap between nodes. The ' +
    'timings are agent-wide: every L2 pool of a cluster shares them.',
  source: 'https://docs.cilium.io/en/stable/network/l2-announcements/#leader-election',
  fix: 'Set the L2Pool lease timings so that duration > renewDeadline ≥ 1.2 × retryPeriod (defaults 15s/5s/2s), the same on every pool.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'l2announcements.enabled') !== true) return;
    const raw = {
      leaseDuration: at(r.values, 'l2announcements.leaseDuration') ?? '15s',
      leaseRenewDeadline: at(r.values, 'l2announcements.leaseRenewDeadline') ?? '5s',
      leaseRetryPeriod: at(r.values, 'l2announcements.leaseRetryPeriod') ?? '2s',
    };
    const d = durationSeconds(raw.leaseDuration);
    const renew = durationSeconds(raw.leaseRenewDeadline);
    const retry = durationSeconds(raw.leaseRetryPeriod);
    for (const [k, v] of Object.entries({ leaseDuration: d, leaseRenewDeadline: renew, leaseRetryPeriod: retry })) {
      if (v === undefined || v <= 0) {
        yield { at: r.release, message: `l2announcements.${k} is not a positive Go duration`, value: raw[k as keyof typeof raw], expected: 'a duration such as "5s"' };
      }
    }
    if (d === undefined || renew === undefined || retry === undefined) return;
    const pools = leasePoolsOf(ctx.cluster);
    const timing = (p: (typeof pools)[number]) => `${p.leaseDurationSeconds}s/${p.leaseRenewDeadlineSeconds}s/${p.leaseRetryPeriodSeconds}s`;
    const first = pools[0];
    // Timings that come straight from a pool are the pool rule's (NET-L2P9) to judge; here: overrides and defaults.
    const fromPool = first !== undefined && d === first.leaseDurationSeconds && renew === first.leaseRenewDeadlineSeconds && retry === first.leaseRetryPeriodSeconds;
    if (!fromPool && renew < 1.2 * retry) {
      yield {
        at: r.release,
        message: 'the lease renew deadline is less than 1.2 × the retry period',
        value: raw,
        expected: `leaseRenewDeadline ≥ ${+(1.2 * retry).toFixed(3)}s`,
      };
    }
    if (!fromPool && d <= renew) {
      yield { at: r.release, message: 'the lease duration does not exceed the renew deadline', value: raw, expected: `leaseDuration > ${renew}s` };
    }
    for (const p of pools.slice(1)) {
      if (timing(p) !== timing(first!)) {
        yield {
          at: p,
          message: `L2 pool "${p.poolName}" asks for lease timings that differ from pool "${first!.poolName}"; Cilium's lease timings are agent-wide, so ${timing(first!)} applies`,
          value: timing(p),
          expected: timing(first!),
        };
      }
    }
  },
});
