import { ipPools, l2Policies, loadBalancers, matches, type Labels } from './model.js';
import { defineRule } from '../rule.js';

/** NET-L2P7: no service (nor any service of a pool) is selected by two CiliumL2AnnouncementPolicies. */
export const OneL2PolicyPerService = defineRule({
  id: 'NET-L2P7',
  level: 'error',
  title: 'Each service is selected by exactly one L2 announcement policy',
  lesson:
    'Seed 002 ran two CiliumL2AnnouncementPolicies with overlapping selectors (l2-policy and default-l2-announcement): ARP announcements ' +
    'raced, failover was unpredictable and connectivity intermittent. Each pool renders exactly one policy; a raw policy added beside it ' +
    'through the escape hatch brings the fight back.',
  source: 'seed 002 (duplicate L2AnnouncementPolicy resources causing ARP conflicts)',
  fix: 'Delete the extra policy, or narrow its serviceSelector so it selects no service another policy announces.',
  *check({ objects }) {
    const policies = l2Policies(objects);
    if (policies.length < 2) return;
    // What can be announced: each LoadBalancer rendered, and every service a pool serves (its selector's labels).
    const targets: { what: string; labels: Labels }[] = loadBalancers(objects).map((lb) => ({ what: lb.displayName, labels: lb.labels }));
    for (const pool of ipPools(objects)) {
      const ml = pool.json.spec?.serviceSelector?.matchLabels;
      if (ml && typeof ml === 'object') targets.push({ what: `services of pool ${pool.name}`, labels: ml });
    }
    for (let i = 0; i < policies.length; i++) {
      for (let j = i + 1; j < policies.length; j++) {
        const [a, b] = [policies[i], policies[j]];
        const both = targets.filter((t) => matches(a.json.spec?.serviceSelector, t.labels) && matches(b.json.spec?.serviceSelector, t.labels));
        if (!both.length) continue;
        yield {
          at: b.path,
          message: `L2 announcement policies ${a.name} and ${b.name} both select ${both.map((t) => t.what).join(', ')}: their nodes race to answer ARP`,
          value: [a.name, b.name],
          expected: 'one policy per service',
        };
      }
    }
  },
});
