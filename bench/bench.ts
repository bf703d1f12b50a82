/**
 * Benchmark: the commands users type — `npm run synth`, `npm run check`, and a consumer project's `npx netkit synth`
 * — each paired with stock `npx cdk8s synth` in the same run (alternating, run by run), then the engine without npm,
 * then generated fleets of growing size with and without the check cache.
 *
 *   npm run bench [-- --runs 7 --sizes 10,50,100]
 *
 * Wall time is taken around each process (to the millisecond) and peak RSS is GNU time's (the largest process of the
 * command: npm itself, or the synth it starts). Results are written to BENCHMARKS.md, with the load average of the
 * machine before and after: other work on it slows every row alike, stock and ours.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeConsumer } from './consumer.js';

const root = resolve(import.meta.dirname, '..');
const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '7' }, sizes: { type: 'string', default: '10,50,100' } }, strict: true });
const runs = Number(opts.runs);
const sizes = opts.sizes.split(',').map(Number);
const loadBefore = loadavg();

interface Sample {
  wallSeconds: number;
  maxRssKb: number;
}

interface Command {
  readonly label: string;
  /** The command line as a user types it, for the table. */
  readonly shown: string;
  readonly cmd: (out: string) => string[];
  readonly cwd?: string;
  /** Environment of each run, from its output folder. */
  readonly env?: Record<string, string> | ((out: string) => Record<string, string>);
  /** Run before each timed run, untimed (put a tree in place, edit a file). */
  readonly prepare?: (out: string, run: number) => void;
  /** Folder whose manifests are counted, from the output folder. */
  readonly countDir?: (out: string) => string;
}

interface Row {
  readonly label: string;
  readonly shown: string;
  readonly wall: number;
  readonly rssMb: number;
  readonly manifests: number;
}

function timed(c: Command, out: string): Sample {
  const cmd = c.cmd(out);
  const start = process.hrtime.bigint();
  const env = typeof c.env === 'function' ? c.env(out) : c.env;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd], { cwd: c.cwd ?? root, encoding: 'utf8', env: { ...process.env, ...env } });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { wallSeconds, maxRssKb: Number(r.stderr.trim().split('\n').pop()) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Count YAML documents that are Kubernetes objects (kustomization.yaml files excluded) below dir. */
function countManifests(dir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e) && e !== 'kustomization.yaml') n += readFileSync(p, 'utf8').split(/^kind: /m).length - 1;
    }
  };
  walk(dir);
  return n;
}

/**
 * Output folders are removed only when every series has run: on this machine's file system (ext4 mounted with
 * discard) a large delete slows the file creations that follow it for seconds (bench/NOTES.md).
 */
const outputs: string[] = [];
function outputDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'netkit-bench-'));
  outputs.push(d);
  return d;
}

/**
 * Wait until creating files is fast again: 150 files of 2 KB in 50 new folders, at most {@link SETTLED_MS} for a
 * probe after the first; after 60 probes half a second apart the run goes ahead and BENCHMARKS.md says so.
 */
const SETTLED_MS = 10;
const settles = new Map<string, { waits: number; unsettled: number; bestMs: number }>();
function settle(label: string): void {
  const record = settles.get(label) ?? { waits: 0, unsettled: 0, bestMs: Infinity };
  settles.set(label, record);
  record.waits++;
  let best = Infinity;
  const body = `${'x'.repeat(2047)}\n`;
  for (let probe = 0; probe < 60; probe++) {
    const dir = outputDir();
    const started = performance.now();
    for (let d = 0; d < 50; d++) {
      mkdirSync(join(dir, 'apps', `d${d}`), { recursive: true });
      for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'apps', `d${d}`, `f${i}.yaml`), body);
    }
    const ms = performance.now() - started;
    best = Math.min(best, ms);
    if (probe >= 1 && ms <= SETTLED_MS) return;
    execFileSync('sleep', ['0.5']);
  }
  record.unsettled++;
  record.bestMs = Math.min(record.bestMs, best);
}

/**
 * Time `commands` against each other: one untimed run of each first (it leaves the caches any earlier run would),
 * then `runs` rounds, each running every command once in turn, so that a slow phase of the machine falls on all of
 * them alike.
 */
function paired(...commands: Command[]): Row[] {
  const samples = commands.map(() => [] as Sample[]);
  const manifests = commands.map(() => 0);
  for (const c of commands) {
    settle(c.label);
    const warm = outputDir();
    c.prepare?.(warm, -1);
    timed(c, warm);
  }
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, k) => {
      const out = outputDir();
      c.prepare?.(out, i);
      settle(c.label);
      samples[k]!.push(timed(c, out));
      if (i === 0 && c.countDir) manifests[k] = countManifests(c.countDir(out));
    });
  }
  return commands.map((c, k) => {
    const row = {
      label: c.label,
      shown: c.shown,
      wall: median(samples[k]!.map((s) => s.wallSeconds)),
      rssMb: Math.max(...samples[k]!.map((s) => s.maxRssKb)) / 1024,
      manifests: manifests[k]!,
    };
    console.log(`${row.label}: median ${row.wall.toFixed(3)} s, peak RSS ${row.rssMb.toFixed(0)} MB${row.manifests ? `, ${row.manifests} manifests` : ''}`);
    return row;
  });
}

const npx = (...args: string[]) => ['npx', ...args];
/** Stock cdk8s as cdk8s.yaml configures it (the app under tsx), into a folder of the benchmark's. */
const stock = (cwd: string, app: string): Command => ({
  label: `stock npx cdk8s synth (app: ${app})`,
  shown: '`npx cdk8s synth`',
  cmd: (out) => npx('cdk8s', 'synth', '--no-check-upgrade', '--output', out),
  cwd,
});

// --- The commands users type: the project -------------------------------------------------------------------------
// The project's own caches, as a user's clone has them; main.ts is restored whatever happens.
const mainTs = readFileSync(join(root, 'main.ts'), 'utf8');
let project: Row[];
try {
  project = paired(
    { label: 'npm run synth, tree up to date', shown: '`npm run synth`', cmd: () => ['npm', 'run', '--silent', 'synth'] },
    stock(root, 'npx tsx scripts/synth.ts'),
    { label: 'npm run check', shown: '`npm run check`', cmd: () => ['npm', 'run', '--silent', 'check'] },
    {
      label: 'npm run synth after an edit of main.ts (bundle rebuilt)',
      shown: '`npm run synth` after editing main.ts',
      cmd: () => ['npm', 'run', '--silent', 'synth'],
      prepare: (_, i) => writeFileSync(join(root, 'main.ts'), `${mainTs}// bench edit ${i}\n`),
    },
    {
      label: 'npm run synth on a fresh clone (no bundle, no code cache, no check cache)',
      shown: '`npm run synth`, first time',
      cmd: () => ['npm', 'run', '--silent', 'synth'],
      // an empty cache folder of its own for each run
      env: (out) => ({ NETKIT_CACHE_DIR: join(out, 'cache') }),
    },
  );
} finally {
  writeFileSync(join(root, 'main.ts'), mainTs);
  // the bundle of the committed main.ts back in the project's cache
  const restored = spawnSync('npm', ['run', '--silent', 'synth'], { cwd: root, encoding: 'utf8' });
  if (restored.status !== 0) console.error(`npm run synth after restoring main.ts failed:\n${restored.stdout}${restored.stderr}`);
}

// --- The commands users type: a consumer project from the packed package ------------------------------------------
const consumerWork = outputDir();
const consumer = makeConsumer(consumerWork);
const consumerRows = paired(
  {
    label: 'consumer: npx netkit synth app.ts, tree up to date',
    shown: '`npx netkit synth app.ts`',
    cmd: () => npx('netkit', 'synth', 'app.ts'),
    cwd: consumer,
  },
  stock(consumer, 'npx tsx app.ts'),
  { label: 'consumer: npx netkit check app.ts', shown: '`npx netkit check app.ts`', cmd: () => npx('netkit', 'check', 'app.ts'), cwd: consumer },
  { label: 'consumer: npx tsx app.ts (no bundle, no caches)', shown: '`npx tsx app.ts`', cmd: () => npx('tsx', 'app.ts'), cwd: consumer },
);

// --- The engine: netkit without npm, the example fleet --------------------------------------------------------------
// The engine and scale series keep their caches in a folder of the benchmark's (one check cache file per output folder).
const benchCache = outputDir();
const engine = paired(
  {
    label: 'example fleet: netkit synth into an empty folder (a first synth: every file written)',
    shown: '`node bin/netkit.mjs synth scripts/synth.ts --outdir <new>`',
    cmd: (out) => ['node', 'bin/netkit.mjs', 'synth', 'scripts/synth.ts', '--outdir', out],
    env: { NETKIT_CACHE_DIR: benchCache },
    countDir: (out) => out,
  },
  {
    label: 'example fleet: netkit synth over the committed tree, every rule run (NETKIT_CHECK_CACHE=0)',
    shown: 'the same over an up-to-date tree, check cache off',
    cmd: (out) => ['node', 'bin/netkit.mjs', 'synth', 'scripts/synth.ts', '--outdir', out],
    env: { NETKIT_CACHE_DIR: benchCache, NETKIT_CHECK_CACHE: '0' },
    prepare: (out) => cpSync(join(root, 'clusters'), out, { recursive: true }),
  },
  {
    label: 'example fleet: stock cdk8s CLI with the same bundled app (cdk8s synth --app "node bin/netkit.mjs synth scripts/synth.ts"; no checks)',
    shown: '`cdk8s synth --app <the bundled app>`',
    cmd: (out) => [
      join(root, 'node_modules', '.bin', 'cdk8s'),
      'synth',
      '--no-check-upgrade',
      '--app',
      'node bin/netkit.mjs synth scripts/synth.ts',
      '--output',
      out,
    ],
    env: { NETKIT_CACHE_DIR: benchCache },
  },
);

// --- Scale: generated fleets ---------------------------------------------------------------------------------------
const fleet = (n: number, env: Record<string, string> = {}) => ({
  cmd: (out: string) => ['node', 'bin/netkit.mjs', 'synth', 'bench/large-fleet.ts', '--outdir', out],
  env: { NETKIT_CACHE_DIR: benchCache, NETKIT_FLEET_CLUSTERS: String(n), ...env },
  countDir: (out: string) => out,
});
const untimed = (c: { cmd: (out: string) => string[]; env: Record<string, string> }, out: string) =>
  void execFileSync(c.cmd(out)[0]!, c.cmd(out).slice(1), { cwd: root, env: { ...process.env, ...c.env }, stdio: 'ignore' });
const scale = sizes.map((n) => {
  const f = fleet(n);
  const off = fleet(n, { NETKIT_CHECK_CACHE: '0' });
  const [fresh, cached, uncached] = paired(
    { label: `${n} clusters, first synth (every file written)`, shown: '', ...f },
    // over the tree just written, twice untimed: the check cache's keys include the folder as the rules see it
    { label: `${n} clusters, re-run over the up-to-date tree, check cache warm`, shown: '', ...f, prepare: (out) => (untimed(f, out), untimed(f, out)) },
    { label: `${n} clusters, re-run over the up-to-date tree, every rule run`, shown: '', ...off, prepare: (out) => untimed(off, out) },
  );
  return { n, fresh: fresh!, cached: cached!, uncached: uncached! };
});
const largest = sizes[sizes.length - 1]!;
// the tree and the check cache as the re-run above leaves them, then talos-2 gains a Workload
const [edited] = paired({
  label: `${largest} clusters, one cluster edited (a Workload added to talos-2) over the up-to-date tree, check cache warm`,
  shown: '',
  ...fleet(largest, { NETKIT_FLEET_EDIT: 'talos-2' }),
  prepare: (out) => (untimed(fleet(largest), out), untimed(fleet(largest), out)),
});

const ms = (s: number) => `${s.toFixed(3)} s`;
const ratio = (stockRow: Row, ours: Row) => `${(stockRow.wall / ours.wall).toFixed(1)}x`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
const loadAfter = loadavg();
const [synth, projectStock, check, afterEdit, cold] = project;
const [consumerSynth, consumerStock, consumerCheck, consumerTsx] = consumerRows;
const marginal = (rows: Row[]) => rows.slice(1).map((r, i) => ((r.wall - rows[i]!.wall) / (sizes[i + 1]! - sizes[i]!)) * 1000);
const freshMarginal = marginal(scale.map((s) => s.fresh));
const cachedMarginal = marginal(scale.map((s) => s.cached));
// linear: no added cluster costs much more than an earlier one did (a later, cheaper segment is start-up and noise)
const linear = (costs: number[]) => costs.every((c, i) => costs.slice(0, i).every((e) => c <= e * 1.5 + 1));
const big = scale.find((s) => s.n === largest)!;
const row = (r: Row, stockRow?: Row) =>
  `| ${r.shown} | ${ms(r.wall)} | ${r.rssMb.toFixed(0)} MB | ${stockRow ? `${ms(stockRow.wall)} (${stockRow.rssMb.toFixed(0)} MB) | ${ratio(stockRow, r)}` : '| '} |`;

const lines = [
  '# Benchmarks',
  '',
  `Measured by \`npm run bench\` (bench/bench.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, Node ${process.version}, median of ${runs} ` +
    `runs, wall time of the whole command (to the millisecond) and peak RSS (GNU time: the largest process of the command). ` +
    `Load average before the run ${loadBefore.map((l) => l.toFixed(1)).join(' / ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' / ')} ` +
    '(1/5/15 min): other work on the machine slows every row, stock and ours alike; each command is run in turn with the ' +
    'stock one it is compared with, round by round.',
  '',
  '## The commands users type',
  '',
  'The project (the example fleet of main.ts, three clusters), the tree up to date, against stock `npx cdk8s synth` ' +
    'as cdk8s.yaml configures it (`app: npx tsx scripts/synth.ts`; `--no-check-upgrade` and `--output` into a folder of the benchmark):',
  '',
  '| command | median wall | peak RSS | stock `npx cdk8s synth`, same rounds | faster |',
  '| --- | ---: | ---: | ---: | ---: |',
  row(synth!, projectStock),
  row(check!, projectStock),
  row(afterEdit!, projectStock),
  row(cold!, projectStock),
  '',
  `A consumer project made from \`npm pack\` of this package (bench/consumer.ts: the README's app shape, two clusters), the tree up to date, ` +
    'against stock `npx cdk8s synth` there (`app: npx tsx app.ts`):',
  '',
  '| command | median wall | peak RSS | stock `npx cdk8s synth`, same rounds | faster |',
  '| --- | ---: | ---: | ---: | ---: |',
  row(consumerSynth!, consumerStock),
  row(consumerCheck!, consumerStock),
  row(consumerTsx!, consumerStock),
  '',
  '## Engine (no npm), the example fleet',
  '',
  '| run | median wall | manifests | peak RSS |',
  '| --- | ---: | ---: | ---: |',
  ...engine.map((r) => `| ${r.label} | ${ms(r.wall)} | ${r.manifests || ''} | ${r.rssMb.toFixed(0)} MB |`),
  '',
  '## Scale: generated fleets (`NETKIT_FLEET_CLUSTERS=<n> node bin/netkit.mjs synth bench/large-fleet.ts`)',
  '',
  '| run | median wall | manifests | manifests/s | peak RSS |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...[...scale.flatMap((s) => [s.fresh, s.cached, s.uncached]), edited!].map(
    (r) => `| ${r.label} | ${ms(r.wall)} | ${r.manifests} | ${r.manifests ? (r.manifests / r.wall).toFixed(0) : ''} | ${r.rssMb.toFixed(0)} MB |`,
  ),
  '',
  `Marginal cost per added cluster (start-up cancels out): first synth ${freshMarginal.map((c) => c.toFixed(1)).join(' / ')} ms; ` +
    `re-run with the check cache warm ${cachedMarginal.map((c) => c.toFixed(1)).join(' / ')} ms (between ${sizes.join(', ')} clusters).`,
  '',
  ...([...settles.values()].some((s) => s.unsettled > 0)
    ? [
        `File creation did not get fast again (a probe at most ${SETTLED_MS} ms) before some runs: ${[...settles]
          .filter(([, s]) => s.unsettled > 0)
          .map(([label, s]) => `${label} (${s.unsettled} of ${s.waits} waits, fastest probe ${s.bestMs.toFixed(0)} ms)`)
          .join('; ')}. Those rows include a slow disk.`,
        '',
      ]
    : []),
  '## Targets (issue 16) and where this run stands',
  '',
  `- \`npm run synth\`, tree up to date, ≤ 0.5 s: ${ms(synth!.wall)} — ${met(synth!.wall <= 0.5)}; ≥ 5x stock \`npx cdk8s synth\` in the same run: ${ratio(projectStock!, synth!)} — ${met(projectStock!.wall / synth!.wall >= 5)}`,
  `- consumer \`npx netkit synth app.ts\` ≥ 5x stock: ${ratio(consumerStock!, consumerSynth!)} — ${met(consumerStock!.wall / consumerSynth!.wall >= 5)}`,
  `- ${largest}-cluster fleet end to end ≤ 1.5 s: first synth ${ms(big.fresh.wall)} — ${met(big.fresh.wall <= 1.5)}; re-run, every rule ${ms(big.uncached.wall)} — ${met(big.uncached.wall <= 1.5)}`,
  `- time linear in fleet size: ${linear(freshMarginal) && linear(cachedMarginal) ? 'linear (no later segment costs over 1.5x an earlier one)' : 'NOT linear (a later segment costs over 1.5x an earlier one)'}`,
  `- a synth after editing one cluster of ${largest} ≤ 0.6 s: ${ms(edited!.wall)} — ${met(edited!.wall <= 0.6)} (the edit comes as data: the bundle is not rebuilt; an edit of the fleet's source adds a rebuild, see \`npm run synth\` after editing main.ts)`,
  '',
];
for (const d of outputs) rmSync(d, { recursive: true, force: true });
writeFileSync(join(root, 'BENCHMARKS.md'), `${lines.join('\n')}\n${readFileSync(join(root, 'bench', 'NOTES.md'), 'utf8')}`);
console.log('wrote BENCHMARKS.md');
