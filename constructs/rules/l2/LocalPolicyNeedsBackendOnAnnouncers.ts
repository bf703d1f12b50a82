import { l2Policies, loadBalancers, matches, nodeLabels, selectedNodes } from './model.js';
import { defineRule } from '../rule.js';

/**
 * NET-L2P10: a LoadBalancer Service announced by L2 with externalTrafficPolicy Local has a backend on every node the
 * policy selects, i.e. it is served by a DaemonSet that runs on all of them.
 */
export const LocalPolicyNeedsBackendOnAnnouncers = defineRule({
  id: 'NET-L2P10',
  level: 'error',
  title: 'externalTrafficPolicy Local on an L2-announced Service needs a backend on every announcing node',
  lesson:
    'With L2 announcements one node, the lease holder, receives all traffic for the address. With externalTrafficPolicy Local that node ' +
    'forwards only to local backends: if the lease holder runs none, traffic is dropped (cilium#27800). Seed 002 calls Local the ' +
    '"critical fix"; it only holds where a backend runs on every announcing node (gateways: NET-CIL16).',
  source: 'cilium#27800, onedr0p/cluster-template#1606; seed 002',
  fix: 'Use externalTrafficPolicy Cluster, or run the backends as a DaemonSet on every node the L2 policy selects (or narrow its nodeSelector).',
  *check({ cluster, objects }) {
    const policies = l2Policies(objects);
    for (const lb of loadBalancers(objects)) {
      if (lb.kind !== 'Service' || lb.externalTrafficPolicy !== 'Local') continue;
      const announcing = policies.filter((p) => matches(p.json.spec?.serviceSelector, lb.labels));
      if (!announcing.length) continue;
      const nodes = [...new Map(announcing.flatMap((p) => selectedNodes(cluster, p.json.spec?.nodeSelector)).map((n) => [n.name, n])).values()];
      const svc = lb.object.json;
      const selector = svc.spec?.selector as Record<string, string> | undefined;
      const daemonSets =
        selector && Object.keys(selector).length
          ? objects.filter(
              (o) =>
                o.kind === 'DaemonSet' &&
                o.namespace === lb.object.namespace &&
                matches({ matchLabels: selector }, o.json.spec?.template?.metadata?.labels ?? {}),
            )
          : [];
      const covered = (nodeName: string) =>
        daemonSets.some((ds) => {
          const node = nodes.find((n) => n.name === nodeName)!;
          return matches({ matchLabels: ds.json.spec?.template?.spec?.nodeSelector ?? {} }, nodeLabels(node));
        });
      const missing = nodes.filter((n) => !covered(n.name)).map((n) => n.name);
      if (!missing.length) continue;
      yield {
        at: lb.object.path,
        message:
          `${lb.displayName} uses externalTrafficPolicy Local and is announced by L2 policy ${announcing.map((p) => p.name).join(', ')}, ` +
          `but no DaemonSet backend runs on ${missing.join(', ')}: when such a node holds the lease, traffic is dropped (cilium#27800)`,
        value: 'Local',
        expected: `externalTrafficPolicy Cluster, or a DaemonSet backend on ${nodes.map((n) => n.name).join(', ')}`,
      };
    }
  },
});
