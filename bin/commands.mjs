/**
 * The subcommands of `netkit` (bin/netkit.mjs) and their dispatcher.
 *
 * Each subcommand is one entry of {@link COMMANDS}: its usage line, its options in node:util `parseArgs` form, how
 * many positionals it takes, and `run`, which gets the parsed values and returns the exit code. A mistake on the
 * command line prints the usage on stderr and exits 2; `--help` prints it on stdout and exits 0.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BuildError, cacheDirFor, PACKAGE_ROOT, packageVersion, prepare, run, UsageError } from './fast-path.mjs';

/** Run a cdk8s app through the fast path (bin/fast-path.mjs) with the given arguments; resolves to its exit code. */
async function runApp(entry, argv) {
  const cacheDir = cacheDirFor(dirname(resolve(entry)));
  const prepared = await prepare(entry, { cacheDir });
  // the app's runCli skips the checks of a cluster that nothing they read has changed since (constructs/output/cli.ts)
  // NETKIT_CHECK_CACHE=0: every rule runs (the benchmark's comparison)
  const checkCache = process.env.NETKIT_CHECK_CACHE === '0' ? undefined : { dir: join(cacheDir, 'checks'), identity: `${packageVersion()}:${prepared.hash}` };
  await run(prepared, entry, argv, checkCache ? { 'cdk8s-netkit.checkCache': checkCache } : {});
  // the app sets process.exitCode (runCli's README shape) or ends the process itself
  return undefined;
}

/**
 * `netkit diff`: diffCommand of constructs/diff/cli.ts. In a clone the source runs through the fast path, on the entry
 * that `npm run diff` runs (scripts/diff.ts, which sets process.exitCode); in an installed package (no scripts/, no
 * TypeScript sources) the compiled dist/constructs/diff/cli.js is imported.
 */
async function runDiff(argv) {
  const entry = join(PACKAGE_ROOT, 'scripts', 'diff.ts');
  if (existsSync(entry)) {
    const prepared = await prepare(entry, { cacheDir: cacheDirFor(PACKAGE_ROOT) });
    await run(prepared, entry, argv);
    return undefined;
  }
  const compiled = join(PACKAGE_ROOT, 'dist', 'constructs', 'diff', 'cli.js');
  if (!existsSync(compiled)) throw new BuildError(`neither scripts/diff.ts nor dist/constructs/diff/cli.js in ${PACKAGE_ROOT} (run npm run build)`);
  const { diffCommand } = await import(pathToFileURL(compiled).href);
  return diffCommand(argv);
}

/** The options of `netkit diff`, all valued; diffCommand checks their values and how they combine. */
const DIFF_FLAGS = ['base', 'head', 'base-dir', 'head-dir', 'dir', 'format', 'output', 'base-error', 'base-label', 'head-label', 'link-base', 'max-chars'];

const appOptions = { outdir: { type: 'string' } };
const appArgs = (values) => (values.outdir === undefined ? [] : ['--outdir', values.outdir]);

/**
 * The subcommands. To add one (e.g. `diff`): an entry with `usage`, `options`, `positionals` (the most it takes)
 * and `run({ values, positionals })` returning an exit code (or undefined to leave `process.exitCode` as the
 * command set it). A TypeScript module of the library is reached through {@link runApp} on a small entry, or
 * through dist/ in an installed package.
 */
export const COMMANDS = {
  synth: {
    usage: 'netkit synth [entry] [--outdir <folder>] [--check]   render the clusters of a cdk8s app (entry: app.ts)',
    options: { ...appOptions, check: { type: 'boolean' } },
    positionals: 1,
    run: ({ values, positionals }) => runApp(positionals[0] ?? 'app.ts', [...appArgs(values), ...(values.check ? ['--check'] : [])]),
  },
  check: {
    usage: 'netkit check [entry] [--outdir <folder>]             run every check of a cdk8s app, write nothing',
    options: appOptions,
    positionals: 1,
    run: ({ values, positionals }) => runApp(positionals[0] ?? 'app.ts', [...appArgs(values), '--check']),
  },
  diff: {
    usage:
      'netkit diff --base <ref> [--head <ref>] | --base-dir <folder> [--head-dir <folder>] [--format terminal|markdown]\n' +
      '                                                      the semantic diff of clusters/ with risk flags (RISKS.md)',
    options: Object.fromEntries(DIFF_FLAGS.map((f) => [f, { type: 'string' }])),
    positionals: 0,
    // diffCommand parses its own arguments again: the values keep the order and the spelling given
    run: ({ values }) => runDiff(DIFF_FLAGS.flatMap((f) => (values[f] === undefined ? [] : [`--${f}`, values[f]]))),
  },
};

export function usage() {
  return [
    `usage: netkit <command> [options]   (cdk8s-netkit ${packageVersion()})`,
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '  netkit <command> --help',
    '',
    'The app is bundled with esbuild and cached under node_modules/.cache/netkit/ (rebuilt when a file it imports',
    'changes); type-check it with tsc. --outdir defaults to clusters.',
  ].join('\n');
}

/** Parse `argv` and run the subcommand; resolves to the exit code (undefined: what the command set). */
export async function main(argv) {
  const fail = (message) => {
    process.stderr.write(`netkit: ${message}\n\n${usage()}\n`);
    return 2;
  };
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (name === undefined) return fail('no command given');
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) return fail(`unknown command ${JSON.stringify(name)}`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return fail(e.message);
  }
  if (parsed.values.help) {
    process.stdout.write(`usage: ${command.usage}\n`);
    return 0;
  }
  if (parsed.positionals.length > command.positionals)
    return fail(`${name} takes at most ${command.positionals} argument(s); got ${parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  if (parsed.values.outdir === '') return fail('--outdir needs a folder, e.g. --outdir clusters');
  try {
    return await command.run(parsed);
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message);
    if (e instanceof BuildError) {
      process.stderr.write(`netkit: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
