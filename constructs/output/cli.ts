/**
 * The command line of a fleet app: `netkit synth app.ts` (or `tsx app.ts`) writes clusters/, `--check` only checks.
 */
import { parseArgs } from 'node:util';
import { formatFindings, SynthError } from '../errors.js';
import type { IConstruct } from 'constructs';
import type { CheckCacheOptions } from './check-cache.js';
import { synthesize } from './synth.js';

export interface CliOptions {
  readonly argv?: readonly string[];
  /** Where the report goes (stdout by default). */
  readonly log?: (line: string) => void;
  /** Where a usage mistake and the usage go (stderr by default). */
  readonly error?: (line: string) => void;
  /** The check cache (see output/check-cache.ts); by default the one `netkit synth` lends, else none. */
  readonly checkCache?: CheckCacheOptions;
}

/** What the command line of a fleet app accepts. */
export const CLI_USAGE = [
  'usage: <app> [--check] [--outdir <folder>]',
  '  --check             run every check, write nothing',
  '  --outdir <folder>   where the cluster folders go (default: clusters)',
  '  --help              print this',
].join('\n');

/**
 * The check cache that `netkit synth` lends the app it runs (bin/commands.mjs): the package's version and the hash
 * of the bundle, and the folder to keep it in.
 */
function lentCheckCache(): CheckCacheOptions | undefined {
  const lent = (globalThis as Record<symbol, unknown>)[Symbol.for('cdk8s-netkit.checkCache')] as Partial<CheckCacheOptions> | undefined;
  return typeof lent?.dir === 'string' && typeof lent.identity === 'string' ? { dir: lent.dir, identity: lent.identity } : undefined;
}

/**
 * Run the synthesizer for `root` as a CLI; returns the process exit code: 0 done, 1 findings of level error, 2 a
 * mistake on the command line (an unknown option or argument: the usage is printed, nothing is rendered).
 */
export async function runCli(root: IConstruct, options: CliOptions = {}): Promise<number> {
  const argv = options.argv ?? process.argv.slice(2);
  const log = options.log ?? ((l: string) => console.log(l));
  const error = options.error ?? ((l: string) => console.error(l));
  const outIdx = argv.indexOf('--outdir');
  if (outIdx >= 0 && (argv[outIdx + 1] === undefined || argv[outIdx + 1] === '' || argv[outIdx + 1]!.startsWith('--'))) {
    // `--outdir --check` must not write a folder named --check (and skip the check the user asked for).
    const given = argv[outIdx + 1];
    log(`--outdir needs a folder (value: ${given === undefined ? 'nothing' : JSON.stringify(given)}); expected e.g. --outdir clusters. Nothing was written.`);
    return 2;
  }
  let values: { check?: boolean; outdir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { check: { type: 'boolean' }, outdir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    error(`${e instanceof Error ? e.message : String(e)}. Nothing was written.\n${CLI_USAGE}`);
    return 2;
  }
  if (values.help) {
    log(CLI_USAGE);
    return 0;
  }
  const check = values.check ?? false;
  const outdir = values.outdir ?? 'clusters';
  try {
    const result = await synthesize(root, { outdir, write: !check, checkCache: options.checkCache ?? lentCheckCache() });
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
