/**
 * Benchmark: `npm run synth`'s engine (compiled JS: render + every rule + schema validation + atomic write) against
 * the stock `cdk8s synth` path on the same app, and the synthesizer on generated fleets of growing size.
 *
 *   npm run bench [-- --runs 7 --sizes 10,25,50]
 *
 * Wall time and peak RSS come from GNU time around each process, so they include Node's start-up and module
 * loading, as a user running the command sees them. Results are written to BENCHMARKS.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const runs = Number(opt('runs', '7'));
const sizes = opt('sizes', '10,25,50').split(',').map(Number);

interface Sample {
  wallSeconds: number;
  maxRssKb: number;
}

function timed(cmd: string[], env: Record<string, string> = {}): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...cmd], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop()!;
  const [wall, rss] = last.split(' ').map(Number);
  return { wallSeconds: wall, maxRssKb: rss };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
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

function series(label: string, cmd: (out: string) => string[], env: Record<string, string> = {}, countDir?: (out: string) => string) {
  const samples: Sample[] = [];
  let manifests = 0;
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'netkit-bench-'));
    samples.push(timed(cmd(out), env));
    if (i === 0) manifests = countManifests(countDir ? countDir(out) : out);
    rmSync(out, { recursive: true, force: true });
  }
  const wall = median(samples.map((s) => s.wallSeconds));
  const rss = Math.max(...samples.map((s) => s.maxRssKb));
  const row = { label, wall, manifests, perSecond: manifests / wall, rssMb: rss / 1024 };
  console.log(`${label}: median ${wall.toFixed(3)} s, ${manifests} manifests, ${row.perSecond.toFixed(0)} manifests/s, peak RSS ${row.rssMb.toFixed(0)} MB`);
  return row;
}

execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

const fleet = series('example fleet: npm run synth engine (node dist/bundle/main.mjs: render + every rule + schema validation + write)', (out) => ['node', 'dist/bundle/main.mjs', '--outdir', out]);
const stock = series(
  'example fleet: stock cdk8s synth (same app, no checks)',
  (out) => ['npx', 'cdk8s', 'synth', '--no-check-upgrade', '--app', 'node dist/bundle/main.mjs', '--output', out],
);
const scale = sizes.map((n) => series(`generated fleet, ${n} clusters`, (out) => ['node', 'dist/bundle/bench/large-fleet.mjs', String(n), out]));

// Linearity: the marginal cost of a cluster between successive sizes (start-up cancels out), and the marginal
// throughput in manifests per second.
const marginal = scale.slice(1).map((s, i) => ({
  from: sizes[i],
  to: sizes[i + 1],
  msPerCluster: ((s.wall - scale[i].wall) / (sizes[i + 1] - sizes[i])) * 1000,
  manifestsPerSecond: (s.manifests - scale[i].manifests) / (s.wall - scale[i].wall),
}));
const perClusterCosts = marginal.map((m) => m.msPerCluster);
const linear = perClusterCosts.length > 0 && Math.max(...perClusterCosts) / Math.min(...perClusterCosts) < 1.5;
const speedup = stock.wall / fleet.wall;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

const lines = [
  '# Benchmarks',
  '',
  `Measured by \`npm run bench\` (bench/bench.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, Node ${process.version}, ` +
    `median of ${runs} runs, wall time and peak RSS of the whole process (GNU time), start-up included.`,
  '',
  '| run | median wall | manifests | manifests/s | peak RSS |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...[fleet, stock, ...scale].map((r) => `| ${r.label} | ${r.wall.toFixed(3)} s | ${r.manifests} | ${r.perSecond.toFixed(0)} | ${r.rssMb.toFixed(0)} MB |`),
  '',
  'Marginal cost between fleet sizes (start-up cancels out):',
  '',
  '| clusters | ms per added cluster | manifests/s (marginal) |',
  '| --- | ---: | ---: |',
  ...marginal.map((m) => `| ${m.from} → ${m.to} | ${m.msPerCluster.toFixed(1)} | ${m.manifestsPerSecond.toFixed(0)} |`),
  '',
  'Targets (foundation issue) and where this run stands:',
  '',
  `- example fleet synth + validation ≤ 0.3 s wall: ${fleet.wall.toFixed(2)} s — ${met(fleet.wall <= 0.3)}`,
  `- ≥ 5x faster than stock \`cdk8s synth\`: ${speedup.toFixed(1)}x — ${met(speedup >= 5)} (the stock path runs the CLI and the app as two Node processes and validates nothing)`,
  `- ≥ 10,000 manifests/s at scale: ${Math.max(...marginal.map((m) => m.manifestsPerSecond)).toFixed(0)} marginal — ${met(Math.max(...marginal.map((m) => m.manifestsPerSecond)) >= 10000)}`,
  `- time linear in fleet size: marginal cost per cluster ${perClusterCosts.map((c) => c.toFixed(1)).join(' / ')} ms — ${linear ? 'linear (within 1.5x)' : 'NOT linear'}`,
  '',
];
writeFileSync(join(root, 'BENCHMARKS.md'), `${lines.join('\n')}\n${readFileSync(join(root, 'bench', 'NOTES.md'), 'utf8')}`);
console.log('wrote BENCHMARKS.md');
