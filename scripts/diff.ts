/**
 * `npm run diff -- --base <git ref> [--head <git ref>]`: the semantic diff of clusters/ with risk flags
 * (constructs/diff/cli.ts). The package's `netkit diff` (bin/commands.mjs) runs this file through its fast path in a
 * clone, and the same function compiled (dist/constructs/diff/cli.js) when installed.
 */
import { diffCommand } from '../constructs/diff/cli.js';

process.exitCode = await diffCommand(process.argv.slice(2));
