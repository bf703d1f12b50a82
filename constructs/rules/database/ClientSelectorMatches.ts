import { IsolatedDatabase } from '../../isolated-database.js';
import { ExternalDatabase } from '../../external-database.js';
import { defineRule } from '../rule.js';
import { formatLabels, modelOf, peerSelects } from './model.js';

/** NET-DB2: every declared client of a database names pods that exist. */
export const ClientSelectorMatches = defineRule({
  id: 'NET-DB2',
  level: 'error',
  title: 'Every declared database client selects a rendered workload',
  lesson:
    'A client declared by labels that no pod carries opens the database to nobody — the app that needs it is denied, and the ' +
    'mistake shows only as a connection timeout (Cilium drops silently, seed 001). Clients are checked against the workloads the ' +
    'rendered tree creates.',
  source: 'seed 001 (clients-db allows only app: clients-api)',
  fix: 'Pass the Workload itself to connections.allowFrom, or fix the namespace/labels of the IPeer to those of the client pods.',
  *check(ctx) {
    const { model } = modelOf(ctx);
    if (!model) return;
    const dbs = [...ctx.cluster.constructsOf(IsolatedDatabase), ...ctx.cluster.constructsOf(ExternalDatabase)];
    for (const db of dbs) {
      for (const peer of db.connections.peers) {
        if (model.workloads().some((w) => peerSelects(peer, w))) continue;
        const there = model
          .workloads()
          .filter((w) => w.namespace === peer.namespace)
          .map((w) => `${w.name} ${formatLabels(w.labels)}`);
        yield {
          at: db,
          message: `client ${peer.displayName} of database ${db.name} selects no workload: no pod in namespace ${peer.namespace} carries ${formatLabels(peer.selector)}`,
          value: `${peer.namespace} ${formatLabels(peer.selector)}`,
          expected: `labels of a workload in ${peer.namespace} (there: ${there.join('; ') || 'none'})`,
        };
      }
    }
  },
});
