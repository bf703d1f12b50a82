import { L2Pool } from '../../l2-pool.js';
import { at, durationSeconds, renderedCilium } from '../cilium/model.js';
import { defineRule } from '../rule.js';

/**
 * NET-L2P9: L2 announcement lease timings are consistent — duration > renew deadline ≥ 1.2 × retry period, all
 * positive — on every pool, the same on every pool, and as Cilium finally renders them.
 *
 * It also answers for NET-CIL8, which carried the same lesson seen from Cilium's values (see RULE_FORWARDS in
 * acknowledgements.ts): an acknowledgement of NET-CIL8 acknowledges this rule.
 */
export const LeaseTimingsValid = defineRule({
  id: 'NET-L2P9',
  level: 'error',
  title: 'L2 lease timings: duration > renew deadline, renew deadline ≥ 1.2 × retry period, the same on every pool',
  lesson:
    'Each announced address is a Kubernetes lease. Client-go leader election refuses a renew deadline that does not exceed the retry ' +
    'period by 20%, or a duration not above the renew deadline; the agent then never takes a lease and nothing is announced, or ' +
    'leases flap between nodes. The timings are agent-wide: Cilium applies one set, so every L2 pool of a cluster must ask for the same.',
  source: 'Cilium L2 announcements documentation (https://docs.cilium.io/en/stable/network/l2-announcements/#leader-election); ' + 'client-go leaderelection',
  fix:
    'Keep the defaults (15 s / 5 s / 2 s) or scale all three together, the same on every L2Pool; do not override ' +
    'l2announcements.lease* in the CiliumRelease values.',
  *check(ctx) {
    const pools = L2Pool.allOf(ctx.cluster);
    // What each pool asks for.
    for (const pool of pools) {
      const d = pool.leaseDurationSeconds;
      const r = pool.leaseRenewDeadlineSeconds;
      const p = pool.leaseRetryPeriodSeconds;
      const value = { leaseDurationSeconds: d, leaseRenewDeadlineSeconds: r, leaseRetryPeriodSeconds: p };
      for (const [name, v] of Object.entries(value)) {
        if (!Number.isFinite(v) || v <= 0)
          yield { at: pool, message: `pool ${pool.poolName}: ${name} must be a positive number of seconds`, value: v, expected: 'a number > 0' };
      }
      if (!(d > r))
        yield { at: pool, message: `pool ${pool.poolName}: the lease duration must exceed the renew deadline`, value, expected: `leaseDurationSeconds > ${r}` };
      if (!(r >= 1.2 * p))
        yield {
          at: pool,
          message: `pool ${pool.poolName}: the renew deadline must exceed the retry period by at least 20%`,
          value,
          expected: `leaseRenewDeadlineSeconds ≥ ${1.2 * p}`,
        };
    }

    // What Cilium renders: the first pool's timings, unless the values override them.
    const cilium = renderedCilium(ctx);
    if (!cilium || at(cilium.values, 'l2announcements.enabled') !== true) return;
    const raw = {
      leaseDuration: at(cilium.values, 'l2announcements.leaseDuration') ?? '15s',
      leaseRenewDeadline: at(cilium.values, 'l2announcements.leaseRenewDeadline') ?? '5s',
      leaseRetryPeriod: at(cilium.values, 'l2announcements.leaseRetryPeriod') ?? '2s',
    };
    const d = durationSeconds(raw.leaseDuration);
    const renew = durationSeconds(raw.leaseRenewDeadline);
    const retry = durationSeconds(raw.leaseRetryPeriod);
    for (const [k, v] of Object.entries({ leaseDuration: d, leaseRenewDeadline: renew, leaseRetryPeriod: retry })) {
      if (v === undefined || v <= 0) {
        yield {
          at: cilium.release,
          message: `l2announcements.${k} is not a positive Go duration`,
          value: raw[k as keyof typeof raw],
          expected: 'a duration such as "5s"',
        };
      }
    }
    if (d === undefined || renew === undefined || retry === undefined) return;
    const timing = (p: L2Pool) => `${p.leaseDurationSeconds}s/${p.leaseRenewDeadlineSeconds}s/${p.leaseRetryPeriodSeconds}s`;
    const first = pools[0];
    // Timings that come straight from the first pool were judged above; here: overrides and defaults.
    const fromPool =
      first !== undefined && d === first.leaseDurationSeconds && renew === first.leaseRenewDeadlineSeconds && retry === first.leaseRetryPeriodSeconds;
    if (!fromPool && renew < 1.2 * retry) {
      yield {
        at: cilium.release,
        message: 'the lease renew deadline is less than 1.2 × the retry period',
        value: raw,
        expected: `leaseRenewDeadline ≥ ${+(1.2 * retry).toFixed(3)}s`,
      };
    }
    if (!fromPool && d <= renew) {
      yield { at: cilium.release, message: 'the lease duration does not exceed the renew deadline', value: raw, expected: `leaseDuration > ${renew}s` };
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
