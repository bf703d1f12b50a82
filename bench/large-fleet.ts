/**
 * A generated fleet for the benchmark: N clusters, cycling through the example fleet's three cluster designs.
 *
 *   NETKIT_FLEET_CLUSTERS=100 netkit synth bench/large-fleet.ts --outdir <folder>
 *
 * NETKIT_FLEET_EDIT=<cluster> adds one Workload to that cluster: the edit of one cluster among many.
 */
import { App } from 'cdk8s';
import { Cluster, exitWhenFlushed, runCli, Workload } from '../constructs/index.js';
import { buildFleet } from '../main.js';

const n = Number(process.env.NETKIT_FLEET_CLUSTERS ?? '50');
const app = buildFleet(new App(), { copies: Math.ceil(n / 3), limit: n });
const edit = process.env.NETKIT_FLEET_EDIT;
if (edit) {
  const cluster = app.node.tryFindChild(edit);
  if (!(cluster instanceof Cluster)) throw new Error(`NETKIT_FLEET_EDIT: no cluster ${edit} in a fleet of ${n}`);
  new Workload(cluster, 'bench-edit', { namespace: 'bench', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
}
void runCli(app, { log: () => {} }).then(exitWhenFlushed);
