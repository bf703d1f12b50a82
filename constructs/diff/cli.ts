/**
 * `netkit diff` (bin/commands.mjs) / `npm run diff` (scripts/diff.ts): the semantic diff of the rendered clusters/
 * between two revisions, with risk flags.
 *
 *   netkit diff --base origin/main                     base commit → the working tree
 *   netkit diff --base v1 --head v2                    two commits (CI: the base and head commits of a pull request)
 *   netkit diff --base-dir a/ --head-dir b/            two rendered folders
 *
 * Exit codes: 0 the report was written (whatever it flags), 1 a tree could not be read, 2 a usage error.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderMarkdown } from './markdown.js';
import { buildReport } from './report.js';
import { renderTerminal, wantsColor } from './terminal.js';
import { readDirTree, readGitTree, resolveCommit, TreeError, type Tree } from './tree.js';

export const USAGE = `usage: netkit diff --base <git ref> [--head <git ref>] [options]
       netkit diff --base-dir <folder> --head-dir <folder> [options]

Compares the rendered clusters/ of two revisions object by object and flags the risks of RISKS.md.

  --base <ref>          the base revision (read with git, nothing is checked out)
  --head <ref>          the head revision; default: the working tree
  --base-dir <folder>   a rendered folder as the base (instead of --base)
  --head-dir <folder>   a rendered folder as the head (instead of --head)
  --dir <path>          the clusters folder in the repository; default: clusters
  --format <f>          terminal (default) or markdown (a GitHub comment)
  --output <file>       write the report to a file instead of stdout
  --base-error <file>   the base failed to render: this file holds its log, shown in the report
  --base-label <text>   how the report names the base; default: the ref or folder
  --head-label <text>   how the report names the head
  --link-base <url>     prefix for links to RULES.md, RISKS.md and reports (Markdown), e.g. https://github.com/o/r/blob/<sha>/
  --max-chars <n>       size cap of the Markdown; default: 65000 (a GitHub comment holds 65536)
  -h, --help            this text
`;

const VALUED = [
  '--base',
  '--head',
  '--base-dir',
  '--head-dir',
  '--dir',
  '--format',
  '--output',
  '--base-error',
  '--base-label',
  '--head-label',
  '--link-base',
  '--max-chars',
] as const;
type Flag = (typeof VALUED)[number];

/** Where the command reads and writes; the process's own by default (tests pass their own). */
export interface DiffIo {
  readonly cwd?: string;
  readonly stdout?: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr?: { write(text: string): unknown };
  readonly env?: NodeJS.ProcessEnv;
}

/** Parse `argv`; a string is the usage error to print. */
export function parseDiffArgs(argv: readonly string[]): Partial<Record<Flag, string>> | { help: true } | string {
  const out: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') return { help: true };
    const eq = a.indexOf('=');
    const name = (a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a) as Flag;
    if (!VALUED.includes(name)) return `unknown argument ${JSON.stringify(a)}`;
    const value = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--')))
      return `${name} needs a value (value: ${value === undefined ? 'nothing' : JSON.stringify(value)})`;
    if (out[name] !== undefined) return `${name} is given twice`;
    out[name] = value;
  }
  if ((out['--base'] === undefined) === (out['--base-dir'] === undefined)) return 'give exactly one of --base and --base-dir';
  if (out['--head'] !== undefined && out['--head-dir'] !== undefined) return 'give at most one of --head and --head-dir';
  if (out['--format'] !== undefined && !['terminal', 'markdown'].includes(out['--format']))
    return `--format is terminal or markdown (value: ${JSON.stringify(out['--format'])})`;
  if (out['--max-chars'] !== undefined && !/^[1-9]\d*$/.test(out['--max-chars']))
    return `--max-chars is a positive whole number (value: ${JSON.stringify(out['--max-chars'])})`;
  return out;
}

/** A folder named on the command line: it must exist (a mistyped folder would read as an empty tree, everything added). */
function givenFolder(cwd: string, flag: string, value: string): string {
  const dir = resolve(cwd, value);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new TreeError(`${flag} ${JSON.stringify(value)} is not a folder (${dir}); give a rendered folder`);
  return dir;
}

/** Run the command; returns the exit code. */
export async function diffCommand(argv: string[], io: DiffIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const cwd = io.cwd ?? process.cwd();
  const parsed = parseDiffArgs(argv);
  if (typeof parsed === 'string') {
    stderr.write(`netkit diff: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  if ('help' in parsed) {
    stdout.write(USAGE);
    return 0;
  }
  const dir = (parsed['--dir'] ?? 'clusters').replace(/\/+$/, '');
  let before: Tree;
  let after: Tree;
  let baseLabel: string;
  let headLabel: string;
  let baseError: string | undefined;
  try {
    if (parsed['--base'] !== undefined) {
      before = readGitTree(parsed['--base'], dir, cwd);
      baseLabel = `${parsed['--base']} (${resolveCommit(parsed['--base'], cwd).slice(0, 12)})`;
    } else {
      before = readDirTree(givenFolder(cwd, '--base-dir', parsed['--base-dir']!));
      baseLabel = parsed['--base-dir']!;
    }
    if (parsed['--head'] !== undefined) {
      after = readGitTree(parsed['--head'], dir, cwd);
      headLabel = `${parsed['--head']} (${resolveCommit(parsed['--head'], cwd).slice(0, 12)})`;
    } else {
      after = readDirTree(parsed['--head-dir'] === undefined ? resolve(cwd, dir) : givenFolder(cwd, '--head-dir', parsed['--head-dir']));
      headLabel = parsed['--head-dir'] ?? 'the working tree';
    }
    if (parsed['--base-error'] !== undefined) baseError = readFileSync(resolve(cwd, parsed['--base-error']), 'utf8');
  } catch (e) {
    if (e instanceof TreeError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      stderr.write(`netkit diff: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  const report = buildReport(before, after, {
    base: parsed['--base-label'] ?? baseLabel,
    head: parsed['--head-label'] ?? headLabel,
    dir,
    baseError,
  });
  const markdown = parsed['--format'] === 'markdown';
  const toFile = parsed['--output'] !== undefined;
  const text = markdown
    ? renderMarkdown(report, {
        maxChars: parsed['--max-chars'] ? Number(parsed['--max-chars']) : undefined,
        linkBase: parsed['--link-base'],
        // runnable as printed: the commits by SHA (a label such as `main (<sha>)` is no shell word)
        fullCommand:
          parsed['--base'] === undefined
            ? undefined
            : `npm run diff -- --base ${resolveCommit(parsed['--base'], cwd)}` +
              (parsed['--head'] === undefined ? '' : ` --head ${resolveCommit(parsed['--head'], cwd)}`) +
              (parsed['--dir'] === undefined ? '' : ` --dir ${dir}`),
      })
    : renderTerminal(report, { color: !toFile && wantsColor(stdout, io.env ?? process.env) });
  if (toFile) {
    const file = resolve(cwd, parsed['--output']!);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    stderr.write(`netkit diff: ${report.flags.length} risk flag(s), ${report.clusters.length} cluster(s) changed; written to ${parsed['--output']}\n`);
  } else stdout.write(text);
  return 0;
}
