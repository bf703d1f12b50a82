import { ciliumReleases, l2Policies, truthy } from './model.js';
import { defineRule } from '../rule.js';
import { currentFiles } from '../values.js';

/** NET-L2P8: a cluster that renders L2 announcement policies renders Cilium with kube-proxy replacement and L2 announcements on. */
export const L2AnnouncementsEnabled = defineRule({
  id: 'NET-L2P8',
  level: 'error',
  title: 'L2 announcements are enabled in Cilium, with kube-proxy replacement',
  lesson:
    'A CiliumL2AnnouncementPolicy does nothing unless the agent runs with l2announcements.enabled, and L2 announcements require ' +
    'kube-proxy replacement. The policy applies cleanly and no node ever answers ARP for the address.',
  source: 'Cilium L2 announcements documentation (requirements)',
  fix: "Enable kubeProxyReplacement and l2announcements.enabled in the cluster's CiliumRelease (an L2Pool in the cluster enables the latter).",
  *check(ctx) {
    const { cluster, objects } = ctx;
    const policies = l2Policies(objects);
    if (!policies.length) return;
    const releases = ciliumReleases(objects, currentFiles(ctx));
    if (!releases.length) {
      yield {
        at: policies[0].path,
        level: 'warning',
        message: `the cluster renders L2 announcement policies but no Cilium release: kubeProxyReplacement and l2announcements.enabled cannot be checked`,
        value: policies.map((p) => p.name),
        expected: 'a CiliumRelease in the cluster',
        fix: `Add a CiliumRelease to ${cluster.clusterName}, or acknowledge NET-L2P8 when Cilium is installed outside the GitOps tree.`,
      };
      return;
    }
    for (const r of releases) {
      const kpr = r.values.kubeProxyReplacement;
      if (!truthy(kpr)) {
        yield {
          at: r.object.path,
          message: 'L2 announcements need kube-proxy replacement, but the Cilium release does not enable it',
          value: kpr ?? '(unset: false)',
          expected: 'kubeProxyReplacement: true',
        };
      }
      const l2 = r.values.l2announcements?.enabled;
      if (!truthy(l2)) {
        yield {
          at: r.object.path,
          message: 'the cluster renders L2 announcement policies, but the Cilium release does not enable l2announcements',
          value: l2 ?? '(unset: false)',
          expected: 'l2announcements.enabled: true',
        };
      }
    }
  },
});
