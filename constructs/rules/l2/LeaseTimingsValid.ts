import { L2Pool } from '../../l2-pool.js';
import { defineRule } from '../rule.js';

/** NET-L2P9: lease duration > renew deadline ≥ 1.2 × retry period, all positive. */
export const LeaseTimingsValid = defineRule({
  id: 'NET-L2P9',
  level: 'error',
  title: 'L2 lease timings: duration > renew deadline, renew deadline ≥ 1.2 × retry period',
  lesson:
    'Each announced address is a Kubernetes lease. Client-go leader election refuses a renew deadline that does not exceed the retry ' +
    'period by 20%, or a duration not above the renew deadline; the agent then never takes a lease and nothing is announced.',
  source: 'Cilium L2 announcements documentation (leader election); client-go leaderelection',
  fix: 'Keep the defaults (15 s / 5 s / 2 s) or scale all three together.',
  *check({ cluster }) {
    for (const pool of L2Pool.allOf(cluster)) {
      const d = pool.leaseDurationSeconds;
      const r = pool.leaseRenewDeadlineSeconds;
      const p = pool.leaseRetryPeriodSeconds;
      const value = { leaseDurationSeconds: d, leaseRenewDeadlineSeconds: r, leaseRetryPeriodSeconds: p };
      for (const [name, v] of Object.entries(value)) {
        if (!Number.isFinite(v) || v <= 0) yield { at: pool, message: `pool ${pool.poolName}: ${name} must be a positive number of seconds`, value: v, expected: 'a number > 0' };
      }
      if (!(d > r)) yield { at: pool, message: `pool ${pool.poolName}: the lease duration must exceed the renew deadline`, value, expected: `leaseDurationSeconds > ${r}` };
      if (!(r >= 1.2 * p)) yield { at: pool, message: `pool ${pool.poolName}: the renew deadline must exceed the retry period by at least 20%`, value, expected: `leaseRenewDeadlineSeconds ≥ ${1.2 * p}` };
    }
  },
});
