/**
 * `npm run reachability -- <cluster> [--explain]`: synthesize the example fleet without writing, evaluate the
 * network policies of one cluster offline, and print who reaches what.
 *
 * Rows: every workload the rendered objects create, a stranger pod (`kubectl run`, as in seed 001) in every
 * namespace of a database or a client, and the CNPG operator. Columns: every database port (5432, status 8000,
 * metrics 9187) and every external database. Exit code 1 when a database is reachable from anything but its
 * declared clients (the same verdicts as rule NET-DB4).
 */
import { App } from 'cdk8s';
import { buildFleet } from '../main.js';
import {
  CNPG_METRICS_PORT,
  CNPG_STATUS_PORT,
  Cluster,
  ExternalDatabase,
  IsolatedDatabase,
  POSTGRES_PORT,
  SynthError,
  synthesize,
} from '../constructs/index.js';
import { NetworkModel, renderMatrix, type MatrixTarget } from '../constructs/reachability/index.js';
import { probeNamespaces, probes } from '../constructs/rules/database/DatabaseReachableOnlyFromClients.js';

async function main(argv: readonly string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith('--'));
  const explain = argv.includes('--explain');
  const app = buildFleet(new App({ outdir: 'dist' }));
  const clusters = app.node.findAll().filter((c): c is Cluster => c instanceof Cluster);
  const names = clusters.map((c) => c.clusterName);
  const name = args[0];
  if (!name || !names.includes(name)) {
    process.stderr.write(`usage: npm run reachability -- <cluster> [--explain]\n${name ? `no cluster "${name}"; ` : ''}clusters: ${names.join(', ')}\n`);
    return 2;
  }
  let result;
  try {
    result = await synthesize(app, { write: false });
  } catch (e) {
    if (!(e instanceof SynthError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  const synthesized = result.clusters.find((c) => c.name === name)!;
  const cluster = clusters.find((c) => c.clusterName === name)!;
  const dbs = cluster.constructsOf(IsolatedDatabase);
  const externals = cluster.constructsOf(ExternalDatabase);
  // a pinned single address, or a host name the egress allows by name (a pinned block has no one address to ask about)
  const reachable = externals.filter((e) => (e.pinned ? e.address !== undefined : e.host !== undefined));
  const model = new NetworkModel(
    synthesized.objects.map((o) => o.json),
    {
      workloads: probes(probeNamespaces(dbs, externals), dbs.length > 0),
      externals: reachable.map((e) => ({ ...(e.pinned ? { ip: e.address! } : { host: e.host! }), name: e.name, ports: [e.port] })),
    },
  );
  const targets: MatrixTarget[] = [
    ...dbs.flatMap((d) => {
      const pods = model.workloads().find((w) => w.kind === 'Cluster' && w.namespace === d.namespace && w.name === d.name);
      return pods ? [POSTGRES_PORT, CNPG_STATUS_PORT, CNPG_METRICS_PORT].map((port) => ({ peer: pods, port })) : [];
    }),
    ...reachable.map((e) => ({ peer: e.name, port: e.port })),
  ];
  process.stdout.write(`${name}: ${model.policies().length} policies, ${model.workloads().length} pods (probes included)\n\n`);
  if (!targets.length) {
    process.stdout.write('no databases in this cluster; the full matrix follows\n\n');
    process.stdout.write(renderMatrix(model, { explain }));
    return 0;
  }
  process.stdout.write(renderMatrix(model, { sources: model.workloads(), targets, explain }));
  if (externals.length) {
    process.stdout.write(
      '\nExternal databases: only the declared clients get an egress policy to them. NetworkPolicy cannot deny, so a pod\n' +
        "whose egress no policy isolates reaches them too; the database's own firewall, and every node's firewall/NAT\n" +
        '(seed 003: the workers dropped 18.116.211.217:5432), decide the rest.\n',
    );
  }
  const db4 = synthesized.findings.filter((f) => f.ruleId === 'NET-DB4');
  for (const f of db4) process.stdout.write(`\n✖ ${f.message}\n`);
  return db4.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
