/**
 * `npm run diff -- --base <git ref> [--head <git ref>]`: the semantic diff of clusters/ with risk flags
 * (constructs/diff/cli.ts; the package's `netkit diff` runs the same function).
 */
import { diffCommand } from '../constructs/diff/cli.js';

process.exitCode = await diffCommand(process.argv.slice(2));
