/**
 * `netkit synth` / `netkit check` (bin/netkit.mjs, bin/commands.mjs, bin/fast-path.mjs): a probe app is bundled
 * in-process into its own node_modules/.cache/netkit/, rebuilt when (and only when) the content of a file it imports
 * changed, and run with V8's code cache. The project's own synth through it gives the committed tree, cached or not.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffCommand } from '../../constructs/diff/cli.js';
import { listFiles } from '../../constructs/output/writer.js';
import { cleanup, tempDir } from '../helpers.js';

const root = resolve(import.meta.dirname, '../..');
const NETKIT = join(root, 'bin', 'netkit.mjs');

/** The module a probe imports besides the library: a construct of its own. */
const EXTRA = `
import { Workload, type Cluster } from ${JSON.stringify(join(root, 'constructs/index.js'))};
export const IMAGE = 'nginx:1.27.3';
export function addWeb(cluster: Cluster): void {
  new Workload(cluster, 'web', { namespace: 'shop', image: IMAGE, ports: [{ name: 'http', port: 8080 }] });
}
`;

/** An app of the README's shape (top-level await), with a kind whose schema is loaded at run time (PodDisruptionBudget). */
const PROBE = `
import { ApiObject, App, Yaml } from 'cdk8s';
import { ApiEndpoint, Cluster, Distribution, GitOps, NodeRole, runCli } from ${JSON.stringify(join(root, 'constructs/index.js'))};
import { addWeb } from './extra.js';

const app = new App();
const PROPS = {
  distribution: Distribution.K3S,
  nodes: [{ name: 'cp1', address: '192.168.7.11', roles: [NodeRole.CONTROL_PLANE] }, { name: 'w1', address: '192.168.7.21' }],
  nodeSubnet: '192.168.7.0/24',
  apiEndpoint: ApiEndpoint.node('192.168.7.11'),
  domain: 'probe.lan',
  gitops: GitOps.flux(),
};
const cluster = new Cluster(app, 'probe', PROPS);
addWeb(cluster);
new ApiObject(cluster, 'pdb', {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } }, ...(process.env.PROBE_TYPO ? { maxUnavailabel: 1 } : {}) },
});
// a mistake that throws inside the library: the App is not inside a Cluster
if (process.env.PROBE_THROW) Cluster.of(app);
// cdk8s reads YAML through a child Node process (execFileSync), here one that fails: the call goes through
if (process.env.PROBE_CHILD) {
  try {
    Yaml.load('probe-missing.yaml');
  } catch (e) {
    console.log(\`execFileSync: \${String((e as Error).message).split('\\n')[0]}\`);
  }
}
console.log(\`meta: \${import.meta.url}\`);
process.on('exit', () => console.log(\`child_process loaded: \${process.moduleLoadList.includes('NativeModule child_process')}\`));
process.exitCode = await runCli(app);
`;

let dir = '';
let cacheDir = '';
const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

function netkit(args: string[], env: Record<string, string> = {}, cwd = dir) {
  const r = spawnSync(process.execPath, [NETKIT, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: `${r.stdout}${r.stderr}` };
}
const run = (env: Record<string, string> = {}) => netkit(['check', 'probe.ts'], env);

const appDir = () => join(cacheDir, 'apps', readdirSync(join(cacheDir, 'apps'))[0]!);
const codeCaches = () => readdirSync(appDir()).filter((f) => f.endsWith('.v8'));

describe('netkit synth', () => {
  beforeAll(() => {
    dir = tempDir('netkit-bin-');
    dirs.push(dir);
    // the probe finds its packages, and keeps its caches, in a node_modules of its own
    mkdirSync(join(dir, 'node_modules'));
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry !== '.cache') symlinkSync(join(root, 'node_modules', entry), join(dir, 'node_modules', entry));
    }
    cacheDir = join(dir, 'node_modules', '.cache', 'netkit');
    writeFileSync(join(dir, 'probe.ts'), PROBE);
    writeFileSync(join(dir, 'extra.ts'), EXTRA);
  });

  it('runs an app with top-level await from its own folder; import.meta.url is the file’s own', () => {
    const good = run();
    expect(good.out).toContain('check passed');
    expect(good.out).toContain(`meta: ${pathToFileURL(join(dir, 'probe.ts')).href}`);
    expect(good.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['extra.ts', 'node_modules', 'probe.ts']);
  }, 120_000);

  it('checks the schema of a kind it loads at run time (netkit lends the bundle its import)', () => {
    const bad = run({ PROBE_TYPO: '1' });
    expect(bad.out).toContain('NET-SCH2');
    expect(bad.out).toContain('/spec/maxUnavailabel');
    expect(bad.out).not.toContain('NET-SCH3');
    expect(bad.status).toBe(1);
  }, 60_000);

  it('reports an error thrown inside the library with a short source excerpt (the bundle keeps its lines short)', () => {
    const thrown = run({ PROBE_THROW: '1' });
    expect(thrown.status).not.toBe(0);
    expect(thrown.out).toContain('the app root is not inside a Cluster');
    expect(thrown.out.length).toBeLessThan(10_000);
  }, 60_000);

  it('loads child_process only when something calls it', () => {
    const synth = run();
    expect(synth.status).toBe(0);
    expect(synth.out).toContain('child_process loaded: false');
    const called = run({ PROBE_CHILD: '1' });
    expect(called.out).toMatch(/execFileSync: Command failed: .*_loadurl\.mjs probe-missing\.yaml/);
    expect(called.out).toContain('child_process loaded: true');
  }, 60_000);

  it('keeps a code cache that carries the SHA-256 of its data, and ignores and replaces a damaged one', () => {
    run();
    const [file] = codeCaches();
    expect(file).toBeDefined();
    const valid = (b: Buffer) => b.length > 32 && createHash('sha256').update(b.subarray(32)).digest().equals(b.subarray(0, 32));
    const path = join(appDir(), file!);
    expect(valid(readFileSync(path))).toBe(true);
    // damage the middle, as a lost write would: V8 would crash on it
    const damaged = readFileSync(path);
    damaged.fill(0, damaged.length >> 1, (damaged.length >> 1) + 65_536);
    writeFileSync(path, damaged);
    const again = run();
    expect(again.status).toBe(0);
    expect(again.out).toContain('check passed');
    expect(valid(readFileSync(path))).toBe(true);
    expect(codeCaches()).toEqual([file]);
  }, 60_000);

  it('rebuilds when the content of the entry or of a module it imports changes, never for a time stamp alone', async () => {
    const { prepare } = await import(pathToFileURL(join(root, 'bin', 'fast-path.mjs')).href);
    const entry = join(dir, 'probe.ts');
    const first = await prepare(entry, { cacheDir });
    expect(first.rebuilt).toBe(false);
    // a new time stamp, the same bytes: nothing to rebuild
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'extra.ts'), later, later);
    utimesSync(entry, later, later);
    expect(await prepare(entry, { cacheDir })).toEqual(first);
    // new bytes under the old time stamp: rebuilt, and the run shows the edit
    const stamp = statSync(join(dir, 'extra.ts')).mtime;
    writeFileSync(join(dir, 'extra.ts'), EXTRA.replace("'nginx:1.27.3'", "'nginx:latest'"));
    utimesSync(join(dir, 'extra.ts'), stamp, stamp);
    const edited = run();
    expect(edited.out).toMatch(/⚠ NET-IMG1 .*nginx:latest.*\n {2}→ at probe\/web/);
    expect((await prepare(entry, { cacheDir })).hash).not.toBe(first.hash);
    writeFileSync(entry, PROBE.replace('addWeb(cluster);', "addWeb(cluster);\nnew Cluster(app, 'second', { ...PROPS, domain: 'second.lan' });"));
    const entryEdited = run();
    expect(entryEdited.out).toMatch(/^second: \d+ files/m);
    // the bundles and code caches of earlier builds are removed
    expect(readdirSync(appDir()).filter((f) => f.startsWith('app-')).length).toBeLessThanOrEqual(2);
    writeFileSync(entry, PROBE);
    writeFileSync(join(dir, 'extra.ts'), EXTRA);
    expect(run().out).not.toContain('second:');
  }, 120_000);
});

describe('netkit command line', () => {
  const usageLine = /^usage: netkit <command> \[options\]/m;

  it('prints the usage for --help and exits 0, for every subcommand too', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = netkit(args, {}, root);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(usageLine);
      expect(r.stdout).toContain('netkit synth [entry]');
      expect(r.stdout).toContain('netkit check [entry]');
      expect(r.stdout).toContain('netkit diff --base <ref>');
      expect(r.stderr).toBe('');
    }
    const sub = netkit(['synth', '--help'], {}, root);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toMatch(/^usage: netkit synth \[entry\]/);
  });

  it('rejects an unknown command, option or argument with the usage on stderr and exit code 2, rendering nothing', () => {
    const cwd = tempDir('netkit-bin-usage-');
    dirs.push(cwd);
    writeFileSync(join(cwd, 'app.ts'), 'throw new Error("must not run");\n');
    const cases: [string[], RegExp][] = [
      [[], /no command given/],
      [['sytnh'], /unknown command "sytnh"/],
      [['synth', '--chek'], /Unknown option '--chek'/],
      [['synth', 'app.ts', 'other.ts'], /synth takes at most 1 argument\(s\); got "app.ts" "other.ts"/],
      [['check', '--check'], /Unknown option '--check'/],
      [['synth', '--outdir'], /--outdir <value>' argument missing/],
      [['synth', '--outdir='], /--outdir needs a folder/],
      [['synth', 'missing.ts'], /no such file: missing.ts/],
    ];
    for (const [args, message] of cases) {
      const r = netkit(args, {}, cwd);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(usageLine);
    }
    expect(readdirSync(cwd)).toEqual(['app.ts']);
  });

  it('reports an app it cannot bundle with esbuild’s message and exit code 1, no stack trace', () => {
    const cwd = tempDir('netkit-bin-build-');
    dirs.push(cwd);
    writeFileSync(join(cwd, 'app.ts'), "import { App } from 'cdk8s';\nconst app = ;\n");
    writeFileSync(join(cwd, 'other.ts'), "import './missing.js';\n");
    const syntax = netkit(['synth'], {}, cwd);
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toBe(`netkit: cannot bundle ${join(cwd, 'app.ts')}: Build failed with 1 error:\napp.ts:2:12: ERROR: Unexpected ";"\n`);
    const missing = netkit(['check', 'other.ts'], {}, cwd);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('other.ts:1:7: ERROR: Could not resolve "./missing.js"');
    expect(missing.stderr).not.toContain('    at ');
  });
});

describe('netkit diff (diffCommand of constructs/diff/cli.ts, run from its source through the fast path)', () => {
  /** What diffCommand itself writes for `argv`, run in this process. */
  async function inProcess(argv: string[], cwd: string) {
    let stdout = '';
    let stderr = '';
    const status = await diffCommand(argv, { cwd, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
    return { status, stdout, stderr };
  }

  it('writes the report diffCommand writes, flags included, for two folders and for a git revision', async () => {
    const cwd = tempDir('netkit-bin-diff-');
    dirs.push(cwd);
    const base = join(cwd, 'base');
    const head = join(cwd, 'head');
    // the base: an empty tree; the head: talos, whose argocd is public (a route on the external gateway, a tunnel rule)
    mkdirSync(base);
    for (const f of listFiles(join(root, 'clusters', 'talos'))) {
      mkdirSync(join(head, 'talos', f, '..'), { recursive: true });
      writeFileSync(join(head, 'talos', f), readFileSync(join(root, 'clusters', 'talos', f)));
    }
    const argv = ['diff', '--base-dir', 'base', '--head-dir', 'head', '--format', 'markdown'];
    const bin = netkit(argv, {}, cwd);
    expect(bin.stderr).toBe('');
    expect(bin.status).toBe(0);
    expect(bin.stdout).toContain('RISK-6');
    expect(bin.stdout).toContain('argocd.vanillax.me');
    expect(bin).toEqual({ ...(await inProcess(argv.slice(1), cwd)), out: bin.stdout });
    // a revision read with git: the committed tree against itself changes nothing
    const same = netkit(['diff', '--base', 'HEAD', '--head', 'HEAD'], {}, root);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('No change to the rendered clusters.');
  });

  it('rejects an unknown flag or a wrong combination with a usage and exit code 2; a missing revision or folder is exit code 1', () => {
    const cases: [string[], RegExp, RegExp][] = [
      [['diff', '--base', 'HEAD', '--bogus', 'x'], /Unknown option '--bogus'/, /^usage: netkit <command> \[options\]/m],
      [['diff', 'HEAD'], /diff takes at most 0 argument\(s\); got "HEAD"/, /^usage: netkit <command> \[options\]/m],
      [['diff', '--head', 'HEAD'], /give exactly one of --base and --base-dir/, /^usage: netkit diff --base <git ref>/m],
      [['diff', '--base', 'HEAD', '--format', 'html'], /--format is terminal or markdown \(value: "html"\)/, /^usage: netkit diff/m],
    ];
    for (const [args, message, usage] of cases) {
      const r = netkit(args, {}, root);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(usage);
    }
    const missing = netkit(['diff', '--base', 'no-such-ref-of-netkit'], {}, root);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^netkit diff: .*no-such-ref-of-netkit/m);
    const folder = netkit(['diff', '--base-dir', 'no-such-folder-of-netkit'], {}, root);
    expect(folder.status).toBe(1);
    expect(folder.stderr).toMatch(/^netkit diff: --base-dir "no-such-folder-of-netkit" is not a folder/);
  });
});

describe('npm run synth (netkit synth scripts/synth.ts)', () => {
  function tree(d: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of listFiles(d)) out[f] = readFileSync(join(d, f), 'utf8');
    return out;
  }

  it('renders the committed tree from a fresh cache and from a warm one, byte for byte, with the same report', () => {
    const work = tempDir('netkit-bin-project-');
    dirs.push(work);
    const env = { NETKIT_CACHE_DIR: join(work, 'cache') };
    const committed = tree(join(root, 'clusters'));
    const reports: string[] = [];
    // a fresh bundle and check cache; the bundle cached, a first write elsewhere; a re-run (the check cache is keyed
    // to the folder as written: stored now); a re-run with every cluster's findings from the check cache
    for (const [i, out] of ['a', 'b', 'b', 'b'].entries()) {
      const r = netkit(['synth', 'scripts/synth.ts', '--outdir', join(work, out)], env, root);
      expect(r.status, r.out).toBe(0);
      expect(tree(join(work, out))).toEqual(committed);
      reports.push(r.out.replaceAll(join(work, out), 'OUT'));
      if (i === 0) expect(readdirSync(join(work, 'cache')).sort()).toEqual(['apps', 'checks']);
    }
    expect(reports[0]).toContain('homelab: 47 files, 17 objects; changed: 47 added');
    expect(reports[1]).toBe(reports[0]);
    expect(reports[2]).toContain('homelab: 47 files, 17 objects; up to date');
    expect(reports[3]).toBe(reports[2]);
  }, 240_000);
});
