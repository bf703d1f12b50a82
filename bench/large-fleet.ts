/**
 * A generated fleet for the benchmark: N clusters, cycling through the example fleet's three cluster designs.
 *   node dist/bundle/bench/large-fleet.mjs <N> <outdir>
 */
import { App } from 'cdk8s';
import { exitWhenFlushed, runCli } from '../constructs/index.js';
import { buildFleet } from '../main.js';

const n = Number(process.argv[2] ?? '50');
const outdir = process.argv[3] ?? 'clusters-bench';
const app = buildFleet(new App(), { copies: Math.ceil(n / 3), limit: n });
void runCli(app, { argv: ['--outdir', outdir], log: () => {} }).then(exitWhenFlushed);
