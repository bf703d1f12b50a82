/**
 * The synthesizer as a program: renders the fleet that main.ts describes.
 *
 *   npm run synth            writes clusters/ (netkit synth scripts/synth.ts: this file bundled and cached, bin/fast-path.mjs)
 *   npm run check            checks only, writes nothing (--check)
 *   npm run synth:dev        the same from the sources (tsx), --outdir <folder> to write elsewhere
 *   cdk8s synth              cdk8s.yaml's app: the stock cdk8s path, kept for the benchmark's comparison
 */
import { App } from 'cdk8s';
import { exitWhenFlushed, runCli } from '../constructs/index.js';
import { buildFleet } from '../main.js';

if (process.env.CDK8S_OUTDIR) {
  // Under `cdk8s synth`, which sets CDK8S_OUTDIR: cdk8s' own synth, one YAML per chart into that folder.
  buildFleet(new App({ outdir: process.env.CDK8S_OUTDIR })).synth();
} else {
  void runCli(buildFleet()).then(exitWhenFlushed);
}
