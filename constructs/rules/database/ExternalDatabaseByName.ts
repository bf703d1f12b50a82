import { CiliumRelease } from '../../cilium-release.js';
import { PolicyEngine } from '../../database/policy.js';
import { ExternalDatabase } from '../../external-database.js';
import { HelmChart } from '../../helm-chart.js';
import { isDnsName } from '../../reachability/dns.js';
import type { Cluster } from '../../cluster.js';
import { defineRule } from '../rule.js';

/** The values of the cluster's Cilium: its CiliumRelease, or a `cilium` chart release added otherwise. */
function ciliumValues(cluster: Cluster): Record<string, unknown> | undefined {
  const release = CiliumRelease.of(cluster);
  if (release) return release.values();
  return cluster
    .constructsOf(HelmChart)
    .find((c) => c.chart === 'cilium')
    ?.values();
}

/**
 * NET-DB6: an external database's egress names what it allows: its host name, through Cilium's DNS-based policy,
 * or an address the user pinned.
 */
export const ExternalDatabaseByName = defineRule({
  id: 'NET-DB6',
  level: 'error',
  title: 'An external database is allowed by its host name on Cilium, or by an address the user pins',
  lesson:
    'A managed database keeps its host name and moves its address (fail-over, maintenance, a new instance): an egress ' +
    'policy to the /32 it had on the day the policy was written cuts its clients off on the day it moves, with nothing ' +
    "in Git changed. NetworkPolicy cannot name a host; Cilium can (toFQDNs), provided its DNS proxy sees the clients' " +
    "lookups (an L7 DNS rule, which needs the agent's L7 proxy). An address pin is right only where the provider " +
    'guarantees the address, and is then said so explicitly.',
  source: 'seed 003 (the Crunchy Bridge PostgreSQL allowed as 18.116.211.217/32); Cilium docs: DNS-based policies, DNS proxy',
  fix: 'Give the database its host and run the egress on Cilium (the default for a host without a pin); pin an address with address: or cidr: only when the provider guarantees it.',
  *check({ cluster }) {
    for (const db of cluster.constructsOf(ExternalDatabase)) {
      const pins = Object.entries(db.givenPins);
      if (pins.length > 1) {
        yield {
          at: db,
          message: `external database ${db.name} is pinned twice, by address and by cidr`,
          value: db.givenPins,
          expected: 'at most one of address and cidr',
          fix: 'Keep one pin: address for a single static IP, cidr for a block.',
        };
        continue;
      }
      if (db.pinned) continue;
      if (db.host === undefined) {
        yield {
          at: db,
          message: `external database ${db.name} has neither a host name nor a pinned address, so its clients' egress allows nothing but DNS`,
          value: {},
          expected: 'host (allowed by name on Cilium), or address/cidr (a pin)',
        };
        continue;
      }
      if (!isDnsName(db.host)) {
        yield {
          at: db,
          message: `external database ${db.name} has host ${JSON.stringify(db.host)}, which is not a DNS name, and no pinned address`,
          value: db.host,
          expected: 'a DNS name such as db.example.com',
          fix: 'Give its DNS name as host; an IP address goes in address: (a pin).',
        };
        continue;
      }
      if (db.policyEngine === PolicyEngine.KUBERNETES) {
        yield {
          at: db,
          message: `external database ${db.name} is reached by host name ${db.host}, which a Kubernetes NetworkPolicy cannot allow (it matches addresses only)`,
          value: { host: db.host, policyEngine: db.policyEngine },
          expected: 'policyEngine CILIUM (toFQDNs), or a pinned address',
        };
        continue;
      }
      const values = ciliumValues(cluster);
      if (!values) {
        yield {
          at: db,
          message: `external database ${db.name} is allowed by host name with a CiliumNetworkPolicy (toFQDNs), but the cluster runs no Cilium`,
          value: { host: db.host },
          expected: 'a CiliumRelease (or a cilium chart release) in the cluster',
          fix: "Add the cluster's CiliumRelease, or pin the address with address: when the provider guarantees it.",
        };
        continue;
      }
      if (values.l7Proxy === false) {
        yield {
          at: db,
          message: `external database ${db.name} is allowed by host name, but Cilium runs without its L7 proxy (l7Proxy: false), so no DNS proxy learns the addresses of ${db.host}`,
          value: { l7Proxy: false },
          expected: 'l7Proxy left on (the chart default)',
          fix: 'Remove l7Proxy: false from the Cilium values, or pin the address with address: when the provider guarantees it.',
        };
      }
    }
  },
});
