#!/usr/bin/env node
/**
 * Mutation testing (StrykerJS with its vitest runner), scoped per area: `npm run mutate -- <area>...`, or
 * `npm run mutate -- --changed [base]` for the areas whose code a change touches (CI). `npm run mutate -- --list` names
 * the areas. Each area mutates its own files and runs only its own test files; each keeps an incremental file in
 * reports/mutation/ (git-ignored: it embeds the source of every file it covers, so committing it would conflict on
 * every change), so a re-run tests only the mutants of changed code and changed tests. A score below the area's target
 * fails the run (exit 1).
 *
 * Options: --concurrency N (default 1: the machine is shared), --full (ignore the incremental file), --no-threshold.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const REPORTS = join(ROOT, 'reports', 'mutation');

/** Rule areas: one per folder of constructs/rules/. */
const RULE_AREAS = readdirSync(join(ROOT, 'constructs', 'rules'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Test folders a rule area's mutants are held to, besides its own test/<area>/. */
const RULE_TESTS = ['test/rules/**/*.test.ts', 'test/corpus/**/*.test.ts'];

/**
 * Every area: the files it mutates, the test files that run against them, and the target score (%).
 * @type {Record<string, { mutate: string[]; tests: string[]; target: number }>}
 */
const AREAS = {
  ...Object.fromEntries(
    RULE_AREAS.map((area) => [
      `rules/${area}`,
      {
        mutate: [`constructs/rules/${area}/**/*.ts`],
        tests: [...(existsSync(join(ROOT, 'test', area)) ? [`test/${area}/**/*.test.ts`] : []), ...RULE_TESTS],
        target: 85,
      },
    ]),
  ),
  writer: {
    mutate: ['constructs/output/writer.ts'],
    tests: ['test/output/writer.test.ts', 'test/output/exit.test.ts', 'test/rules/ownership.test.ts'],
    target: 85,
  },
  reachability: {
    mutate: ['constructs/reachability/**/*.ts', '!constructs/reachability/ip.ts', '!constructs/reachability/index.ts', '!constructs/reachability/types.ts'],
    tests: ['test/reachability/**/*.test.ts'],
    target: 75,
  },
  address: {
    mutate: ['constructs/cluster/address.ts', 'constructs/cluster/ip.ts', 'constructs/reachability/ip.ts'],
    tests: ['test/cluster/**/*.test.ts', 'test/l2/pool.test.ts', 'test/l2/properties.test.ts', 'test/reachability/properties.test.ts'],
    target: 75,
  },
};

/**
 * The areas a list of changed paths touches: a changed file the area mutates, or a changed test of the area's own
 * (the tests every rule area shares, test/rules/ and test/corpus/, would name all twelve, so they do not count here).
 */
export function areasTouched(paths) {
  const glob = (g) =>
    new RegExp(
      `^${g
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '(.*/)?')
        .replace(/\*/g, '[^/]*')}$`,
    );
  return Object.entries(AREAS)
    .filter(([, a]) => {
      const own = [...a.mutate.filter((g) => !g.startsWith('!')), ...a.tests.filter((t) => !RULE_TESTS.includes(t))];
      return paths.some((p) => own.some((g) => glob(g).test(p)));
    })
    .map(([name]) => name);
}

function parseArgs(argv) {
  const out = { areas: [], concurrency: 1, full: false, threshold: true, changed: undefined, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--concurrency') out.concurrency = Number(argv[++i]);
    else if (a === '--full') out.full = true;
    else if (a === '--no-threshold') out.threshold = false;
    else if (a === '--list') out.list = true;
    else if (a === '--changed') out.changed = argv[i + 1] && !argv[i + 1].startsWith('-') ? argv[++i] : 'origin/main';
    else if (a === '--incremental')
      continue; // the default; accepted for symmetry with Stryker's own flag
    else out.areas.push(a.replace(/\/$/, ''));
  }
  return out;
}

/** The score of a list of mutant results, as Stryker computes it: detected / (valid mutants with a result). */
function summarize(results) {
  const count = (s) => results.filter((r) => r.status === s).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const errors = count('RuntimeError') + count('CompileError');
  const ignored = count('Ignored');
  const valid = killed + timeout + survived + noCoverage;
  const score = valid ? ((killed + timeout) / valid) * 100 : 100;
  return { mutants: results.length, killed, timeout, survived, noCoverage, errors, ignored, score: Math.round(score * 100) / 100 };
}

async function runArea(name, area, options) {
  const { Stryker } = await import('@stryker-mutator/core');
  mkdirSync(REPORTS, { recursive: true });
  const slug = name.replace(/\//g, '-');
  const stryker = new Stryker({
    packageManager: 'npm',
    testRunner: 'vitest',
    vitest: { configFile: 'vitest.stryker.config.ts', related: false },
    plugins: ['@stryker-mutator/vitest-runner'],
    mutate: area.mutate,
    testFiles: area.tests,
    coverageAnalysis: 'perTest',
    // A static mutant changes what a module computes once, when it loads: for a rule that is its title, lesson,
    // source and fix (prose, not behaviour), and testing each one reloads every test file (about 20 s a mutant here).
    // They are left out and MUTATION.md counts them apart; the checks, messages and values are all per test.
    ignoreStatic: true,
    incremental: true,
    force: options.full,
    incrementalFile: join(REPORTS, `${slug}.incremental.json`),
    concurrency: options.concurrency,
    // the shared machine is slow under load: a mutant that loops still times out, a busy one does not
    timeoutMS: 30_000,
    timeoutFactor: 3,
    // outside the worktree: ESLint, Prettier and vitest never see the sandbox
    tempDirName: join(tmpdir(), `netkit-stryker-${slug}`),
    cleanTempDir: 'always',
    // Stryker rewrites the tsconfig's paths with the typescript package's JS API, which TypeScript 7 (the native
    // compiler) no longer has; the project's tsconfig has no extends or references to rewrite, so point it at none
    tsconfigFile: 'no-tsconfig-to-rewrite.json',
    ignorePatterns: ['dist', 'bench/results', 'reports', '.ci/*.log', '.ci/*.json'],
    reporters: ['clear-text', 'progress', 'json'],
    jsonReporter: { fileName: join(REPORTS, `${slug}.json`) },
    clearTextReporter: { reportMutants: true, reportTests: false, reportScoreTable: true },
    thresholds: { high: area.target, low: area.target - 10, break: null },
  });
  const results = await stryker.runMutationTest();
  const summary = { area: name, target: area.target, date: new Date().toISOString().slice(0, 10), ...summarize(results) };
  writeFileSync(join(REPORTS, `${slug}.summary.json`), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

async function main() {
  // the sandbox does not sit beside ../shared: the tests find the upstream data through NETKIT_SHARED_DIR
  const shared = resolve(ROOT, '..', 'shared');
  if (!process.env.NETKIT_SHARED_DIR && existsSync(shared)) process.env.NETKIT_SHARED_DIR = shared;
  const options = parseArgs(process.argv.slice(2));
  if (options.list) {
    for (const [name, a] of Object.entries(AREAS)) console.log(`${name}\t${a.target}%\t${a.mutate.join(' ')}`);
    return 0;
  }
  let areas = options.areas;
  if (options.changed) {
    const diff = execFileSync('git', ['diff', '--name-only', `${options.changed}...HEAD`], { cwd: ROOT, encoding: 'utf8' });
    areas = areasTouched(diff.split('\n').filter(Boolean));
    console.log(`mutate: areas touched since ${options.changed}: ${areas.join(', ') || 'none'}`);
  }
  const unknown = areas.filter((a) => !AREAS[a]);
  if (unknown.length || (!areas.length && !options.changed)) {
    console.error(`mutate: ${unknown.length ? `unknown area ${unknown.join(', ')}; ` : ''}name one or more of: ${Object.keys(AREAS).join(', ')}`);
    return 2;
  }
  const summaries = [];
  for (const name of areas) summaries.push(await runArea(name, AREAS[name], options));
  mkdirSync(REPORTS, { recursive: true });
  writeFileSync(join(REPORTS, 'last-run.json'), `${JSON.stringify(summaries, null, 2)}\n`);
  let failed = 0;
  for (const s of summaries) {
    const below = s.score < s.target;
    if (below) failed++;
    console.log(
      `mutate: ${s.area}: ${s.score.toFixed(2)} % (target ${s.target} %) — ${s.killed} killed, ${s.timeout} timeout, ${s.survived} survived, ` +
        `${s.noCoverage} no coverage, ${s.errors} errors${below ? ' — BELOW TARGET' : ''}`,
    );
  }
  return options.threshold && failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exitCode = await main();
}
