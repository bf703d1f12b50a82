import { NetworkModel, ReachabilityError, type HypotheticalWorkload, type Workload } from '../../reachability/index.js';
import { CNPG_NAMESPACE, CNPG_OPERATOR_LABELS } from '../../cnpg-operator.js';
import { ExternalDatabase } from '../../external-database.js';
import { PolicyEngine } from '../../database/policy.js';
import { INSTANCE_PORTS, IsolatedDatabase, POSTGRES_PORT } from '../../isolated-database.js';
import { defineRule } from '../rule.js';
import { peerSelects } from './model.js';

/** Label of the probe pods the proof adds; no real pod carries it. */
export const PROBE_LABEL = 'netkit.dev/probe';
/** A namespace no object lives in, for the "anybody else" probe. */
export const PROBE_NAMESPACE = 'netkit-probe';

/**
 * The pods the proof asks about besides the rendered workloads: a stranger (a `kubectl run` pod, seed 001) in
 * every namespace that matters and in an unrelated one, and the CNPG operator.
 */
export function probes(namespaces: Iterable<string>, withOperator = true): HypotheticalWorkload[] {
  const out: HypotheticalWorkload[] = [...new Set([...namespaces, PROBE_NAMESPACE])].sort().map((ns) => ({
    name: 'stranger',
    namespace: ns,
    labels: { [PROBE_LABEL]: 'stranger' },
  }));
  if (withOperator) out.push({ name: 'cnpg-operator', namespace: CNPG_NAMESPACE, labels: { ...CNPG_OPERATOR_LABELS } });
  return out;
}

/** The namespaces worth probing: each database's, its clients' and its metrics scraper's. */
export function probeNamespaces(dbs: readonly IsolatedDatabase[], externals: readonly ExternalDatabase[]): string[] {
  return [
    ...dbs.flatMap((d) => [d.namespace, ...(d.metricsNamespace ? [d.metricsNamespace] : [])]),
    ...[...dbs, ...externals].flatMap((d) => d.connections.peers.map((p) => p.namespace)),
  ];
}

/** NET-DB4: the rendered policies admit exactly the declared clients to each database — proved by evaluation. */
export const DatabaseReachableOnlyFromClients = defineRule({
  id: 'NET-DB4',
  level: 'error',
  title: 'Each database is reachable on 5432 from its declared clients and from nothing else',
  lesson:
    'Seed 001 proved its isolation by hand: a kubectl-run pod without app: clients-api must hang on psql. This rule runs that ' +
    'check offline on every synth, over every rendered policy (escape hatches included): each workload and a stranger pod in ' +
    'every relevant namespace is asked "can you reach the database on 5432", and the answer must be yes exactly for the clients ' +
    '(and the instances and the operator). The operator and the instances must also reach each other on 5432 and the status ' +
    'port 8000, or replication, status polling and the primary isolation check break. External databases: each client must be allowed out, ' +
    "to the pinned address or, by name, through Cilium's DNS proxy.",
  source:
    'seed 001 (Verifying isolation); seed 003 (external database egress); CloudNativePG docs (networking: the operator reaches every instance on 8000 and 5432, instances reach each other)',
  fix: 'Read the explanation: it names the policy and rule that allowed or denied. Declare the client with connections.allowFrom, or remove the policy that widens access.',
  *check(ctx) {
    const dbs = ctx.cluster.constructsOf(IsolatedDatabase);
    const externals = ctx.cluster.constructsOf(ExternalDatabase);
    if (!dbs.length && !externals.length) return;
    let model: NetworkModel;
    try {
      model = new NetworkModel(
        ctx.objects.map((o) => o.json),
        { workloads: probes(probeNamespaces(dbs, externals), dbs.length > 0) },
      );
    } catch (e) {
      const problems = e instanceof ReachabilityError ? e.problems : [(e as Error).message];
      yield {
        at: ctx.cluster,
        message: 'the rendered network policies cannot be evaluated, so no database isolation can be proved',
        value: problems.join(' | '),
        expected: 'well-formed NetworkPolicy / CiliumNetworkPolicy objects',
        fix: 'Fix the policies the problems name.',
      };
      return;
    }
    for (const db of dbs) {
      const target = model.workloads().find((w) => w.kind === 'Cluster' && w.namespace === db.namespace && w.name === db.name);
      if (!target) continue;
      for (const w of model.workloads()) {
        if (w === target || isOperator(w)) continue; // the operator: below
        const expected = db.connections.peers.some((p) => peerSelects(p, w)) || sameDatabase(w, db);
        const v = model.canReach(w, target, POSTGRES_PORT);
        if (v.allowed === expected) continue;
        yield {
          at: db,
          message: expected
            ? `declared client ${w.id} cannot reach database ${db.namespace}/${db.name} on ${POSTGRES_PORT}`
            : `database ${db.namespace}/${db.name} is reachable on ${POSTGRES_PORT} from ${w.id}, which is not a declared client`,
          value: v.explanation,
          expected: expected ? 'ALLOWED (a declared client)' : `DENIED (clients: ${db.connections.peers.map((p) => p.displayName).join(', ') || 'none'})`,
        };
      }
      // The operator and the instances themselves need both instance ports (CloudNativePG networking docs).
      const operator = model.workloads().find(isOperator);
      const peers = [...(operator && db.operator ? [{ w: operator, who: 'the CloudNativePG operator' }] : []), { w: target, who: 'its own instances' }];
      for (const { w, who } of peers) {
        for (const port of INSTANCE_PORTS) {
          const v = model.canReach(w, target, port);
          if (v.allowed) continue;
          yield {
            at: db,
            message: `${who} cannot reach database ${db.namespace}/${db.name} on ${port}`,
            value: v.explanation,
            expected: `ALLOWED (the operator and the instances use ${INSTANCE_PORTS.join(' and ')}: replication, status, failover)`,
          };
        }
      }
    }
    for (const ext of externals) {
      // a name NetworkPolicy cannot allow is NET-DB6's finding, not a second one here
      if (!ext.pinned && ext.policyEngine !== PolicyEngine.CILIUM) continue;
      // by its pinned address, or (when the egress allows the name) by its host name; nothing to ask about a block
      const destination = ext.destination;
      if (!destination) continue;
      for (const w of model.workloads().filter((x) => ext.connections.peers.some((p) => peerSelects(p, x)))) {
        let v;
        try {
          v = model.canReach(w, destination, ext.port);
        } catch {
          continue; // a host that is not a DNS name: NET-DB6 reports it
        }
        if (v.allowed) continue;
        yield {
          at: ext,
          message: `declared client ${w.id} cannot reach external database ${ext.name} at ${ext.pinned ? ext.address : ext.host}:${ext.port}`,
          value: v.explanation,
          expected: 'ALLOWED (a declared client)',
        };
      }
    }
  },
});

/** The operator probe pod the proof adds (see {@link probes}). */
function isOperator(w: Workload): boolean {
  return w.kind === 'Hypothetical' && w.name === 'cnpg-operator' && w.namespace === CNPG_NAMESPACE;
}

function sameDatabase(w: Workload, db: IsolatedDatabase): boolean {
  return w.namespace === db.namespace && Object.entries(db.selector).every(([k, v]) => w.labels[k] === v);
}
