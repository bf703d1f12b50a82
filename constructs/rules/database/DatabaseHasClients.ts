import { IsolatedDatabase } from '../../isolated-database.js';
import { ExternalDatabase } from '../../external-database.js';
import { defineRule } from '../rule.js';

/** NET-DB3: every database declares at least one client. */
export const DatabaseHasClients = defineRule({
  id: 'NET-DB3',
  level: 'error',
  title: 'Every database declares at least one client',
  lesson:
    'An isolated database with no client is reachable by no application: it is either dead weight or a forgotten allowFrom that ' +
    'will surface as a timeout after deploy. An external database with no client gets no egress policy at all.',
  source: 'seed 001 (clients-db exists for clients-api); seed 003 (label-studio and its external PostgreSQL)',
  fix: 'Declare the clients: clients: [app] in the props, or db.connections.allowFrom(app).',
  *check({ cluster }) {
    for (const db of [...cluster.constructsOf(IsolatedDatabase), ...cluster.constructsOf(ExternalDatabase)]) {
      if (db.connections.peers.length > 0) continue;
      yield {
        at: db,
        message: `database ${db.name} has no client`,
        value: [],
        expected: 'at least one client (a Workload or IPeer)',
      };
    }
  },
});
