#!/usr/bin/env node
/**
 * netkit: the package's command line (the subcommands are in bin/commands.mjs).
 *
 *   netkit synth [entry] [--outdir <folder>]   render the clusters of a cdk8s app (default entry: app.ts)
 *   netkit check [entry] [--outdir <folder>]   run every check, write nothing
 *   netkit diff --base <ref> [--head <ref>]     the semantic diff of clusters/ with risk flags (also --base-dir/--head-dir)
 */
import { main } from './commands.mjs';

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
