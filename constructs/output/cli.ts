/**
 * The command line of a fleet app: `tsx scripts/synth.ts` writes clusters/, `tsx scripts/synth.ts --check` only checks.
 */
import { formatFindings, SynthError } from '../errors.js';
import type { IConstruct } from 'constructs';
import { synthesize } from './synth.js';

export interface CliOptions {
  readonly argv?: readonly string[];
  readonly log?: (line: string) => void;
}

/** Run the synthesizer for `root` as a CLI; returns the process exit code. */
export async function runCli(root: IConstruct, options: CliOptions = {}): Promise<number> {
  const argv = options.argv ?? process.argv.slice(2);
  const log = options.log ?? ((l: string) => console.log(l));
  const check = argv.includes('--check');
  const outIdx = argv.indexOf('--outdir');
  const outdir = outIdx >= 0 ? argv[outIdx + 1] : 'clusters';
  if (outdir === undefined || outdir === '' || outdir.startsWith('--')) {
    // `--outdir --check` must not write a folder named --check (and skip the check the user asked for).
    log(`--outdir needs a folder (value: ${outdir === undefined ? 'nothing' : JSON.stringify(outdir)}); expected e.g. --outdir clusters. Nothing was written.`);
    return 2;
  }
  try {
    const result = await synthesize(root, { outdir, write: !check });
    if (result.findings.length) log(formatFindings(result.findings));
    for (const c of result.clusters) {
      const { added, changed, removed } = c.changes;
      const verb = check ? 'would change' : 'changed';
      const summary =
        added.length + changed.length + removed.length === 0
          ? 'up to date'
          : `${verb}: ${added.length} added, ${changed.length} changed, ${removed.length} removed`;
      log(`${c.name}: ${c.files.size} files, ${c.objects.length} objects; ${summary}${c.acknowledged.length ? `; ${c.acknowledged.length} acknowledged` : ''}`);
    }
    const warnings = result.findings.length;
    log(
      check
        ? `check passed${warnings ? ` with ${warnings} warning(s)` : ''}; nothing written`
        : `synth done${warnings ? ` with ${warnings} warning(s)` : ''}: ${outdir}/`,
    );
    return 0;
  } catch (e) {
    if (e instanceof SynthError) {
      log(formatFindings(e.findings));
      const errors = e.findings.filter((f) => f.level === 'error').length;
      log(`\n${check ? 'check' : 'synth'} failed with ${errors} error(s); ${outdir}/ was not changed.`);
      return 1;
    }
    throw e;
  }
}

/**
 * End the process with `code` once stdout and stderr have handed on everything written to them.
 *
 * A synth leaves nothing running, so a program that only synthesizes may stop here rather than let Node wind down
 * on its own: that skips tearing the heap down piece by piece, 5–10 ms of a 0.2 s synth (bench/NOTES.md). Writes to
 * pipes are asynchronous on POSIX (Node's "note on process I/O"); the write callbacks wait for them, so no output is
 * cut off.
 */
export function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
