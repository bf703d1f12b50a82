/**
 * The package as another repository uses it, installed the two ways README.md gives: from a Git URL (npm clones the
 * repository, installs its devDependencies and runs `prepare`, which compiles dist/) and from the tarball `npm pack`
 * makes. Each consumer is set up as README.md says for TypeScript 7 (`@types/node`, tsconfig `types: ["node"]`),
 * type-checks a file that imports the constructs, and synthesizes a cluster with it.
 *
 * The installs read the local npm cache first (`--prefer-offline`): with the cache this repository's own install
 * filled, they need no network.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const root = resolve(import.meta.dirname, '../..');
const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const CONSUMER = `
import { App } from 'cdk8s';
import { ApiEndpoint, Cluster, Distribution, GitOps, NodeRole, Workload, runCli, synthesize, type Finding } from 'cdk8s-netkit';
import { FluxHelmRelease } from 'cdk8s-netkit/imports';

const app = new App();
const cluster = new Cluster(app, 'consumer', {
  distribution: Distribution.K3S,
  nodes: [
    { name: 'cp1', address: '192.168.7.11', roles: [NodeRole.CONTROL_PLANE] },
    { name: 'w1', address: '192.168.7.21' },
  ],
  nodeSubnet: '192.168.7.0/24',
  apiEndpoint: ApiEndpoint.node('192.168.7.11'),
  domain: 'consumer.lan',
  gitops: GitOps.flux(),
});
new Workload(cluster, 'hello', { namespace: 'demo', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
const typed: typeof FluxHelmRelease = FluxHelmRelease;
if (process.argv.includes('--summary')) {
  const result = await synthesize(app, { outdir: 'clusters' });
  const warnings: readonly Finding[] = result.findings;
  console.log(JSON.stringify({ files: [...result.clusters[0].files.keys()], warnings: warnings.length, typed: typed.GVK.kind }));
} else {
  process.exitCode = await runCli(app);
}
`;

/** README.md's consumer setup: ESM, the peer dependencies, @types/node, and TypeScript 7's `types`. */
function consumerProject(dir: string, netkit: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { 'cdk8s-netkit': netkit, cdk8s: own.devDependencies.cdk8s, constructs: own.devDependencies.constructs },
      devDependencies: { '@types/node': own.devDependencies['@types/node'] },
      // as README.md's consumer package.json: esbuild (the binary's bundler) works without its postinstall check
      ...extra,
      allowScripts: { esbuild: false, ...((extra.allowScripts as object | undefined) ?? {}) },
    }),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        outDir: 'out',
        skipLibCheck: false,
        types: ['node'],
      },
      include: ['app.ts'],
    }),
  );
  writeFileSync(join(dir, 'app.ts'), CONSUMER);
}

/** `npm install` in the consumer; returns npm's warnings, one per line. */
function npmInstall(dir: string): string[] {
  const r = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
  expect(r.status, `npm install failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  return `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith('npm warn'));
}

/**
 * Every warning of a consumer's install is one README.md explains: on Node.js 20 the typed models
 * (`kubernetes-models`, `@kubernetes-models/*`) declare Node.js 22 (EBADENGINE); on 22 and later, none.
 */
function expectOnlyExplainedWarnings(warnings: string[]): void {
  const unexplained = warnings.filter((l) => !l.startsWith('npm warn EBADENGINE'));
  expect(unexplained).toEqual([]);
  const packages = warnings.map((l) => /package: '(.+)@[^@]+'/.exec(l)?.[1]).filter((p): p is string => !!p);
  for (const p of packages) expect(p).toMatch(/^(kubernetes-models|@kubernetes-models\/[a-z-]+)$/);
  if (Number(process.versions.node.split('.')[0]) >= 22) expect(warnings).toEqual([]);
  else expect(packages.length).toBeGreaterThan(0);
}

/** Type-check and compile the consumer with this repository's TypeScript 7, then synthesize. */
function compileAndSynthesize(dir: string): void {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
  expect(tsc.status, `tsc failed:\n${tsc.stdout}${tsc.stderr}`).toBe(0);
  const out = execFileSync(process.execPath, ['out/app.js', '--summary'], { cwd: dir, encoding: 'utf8' });
  const summary = JSON.parse(out.trim().split('\n').pop()!);
  expect(summary.typed).toBe('HelmRelease');
  expect(summary.files).toEqual(expect.arrayContaining(['kustomization.yaml', 'layer-apps.yaml', 'apps/hello/deployment-hello.yaml']));
  expect(existsSync(join(dir, 'clusters/consumer/apps/hello/service-hello.yaml'))).toBe(true);
  // the README's command line: runCli, the check mode writes nothing and exits 0
  const check = spawnSync(process.execPath, ['out/app.js', '--check', '--outdir', 'checked'], { cwd: dir, encoding: 'utf8' });
  expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
  expect(existsSync(join(dir, 'checked'))).toBe(false);
}

/**
 * This working tree as a Git repository of its own: the tracked and the new (not ignored) files, committed, so that
 * the install sees what is being changed, not only what was committed. node_modules (a link here) and dist/ stay out,
 * as in a fresh clone.
 */
function gitSnapshot(to: string): string {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && !/^(node_modules|dist)(\/|$)/.test(f) && existsSync(join(root, f)));
  for (const f of listed) cpSync(join(root, f), join(to, f), { verbatimSymlinks: true, recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: to, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=netkit test', '-c', 'user.email=test@netkit.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'snapshot');
  return to;
}

describe('the package installed as README.md says', () => {
  it('installs from a Git URL: npm runs prepare, which compiles dist/; the consumer type-checks and synthesizes', () => {
    const work = tempDir('netkit-git-');
    const repo = gitSnapshot(join(work, 'cdk8s-netkit'));
    expect(existsSync(join(repo, 'dist'))).toBe(false);
    const spec = `git+file://${repo}`;
    const consumer = join(work, 'consumer');
    // npm 11 runs a Git dependency's prepare only when allowScripts approves it, by the spec installed from
    consumerProject(consumer, spec, { allowScripts: { [spec]: true } });
    const warnings = npmInstall(consumer);
    expectOnlyExplainedWarnings(warnings);
    const installed = join(consumer, 'node_modules/cdk8s-netkit');
    expect(existsSync(join(installed, 'dist/constructs/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/constructs/index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'dist/imports/index.js'))).toBe(true);
    // only what `files` names is installed: no sources, scripts or tests
    expect(readdirSync(installed).sort()).toEqual(['CHANGELOG.md', 'README.md', 'RISKS.md', 'RULES.md', 'bin', 'dist', 'package.json']);
    compileAndSynthesize(consumer);
  }, 300_000);

  it('installs from the tarball npm pack makes; the consumer type-checks and synthesizes', () => {
    const work = tempDir('netkit-consumer-');
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball, `npm pack wrote no tarball into ${work}`).toBeDefined();
    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    renameSync(join(work, tarball!), join(consumer, tarball!));
    // as `npm install ./cdk8s-netkit-<version>.tgz` saves it
    consumerProject(consumer, `file:${tarball}`);
    // npm 11 lists the package's prepare among the install scripts to review, although it never runs prepare from a
    // tarball (which carries dist/); README.md says so and how to record it: `npm install-scripts deny cdk8s-netkit`
    const first = npmInstall(consumer);
    const listed = first.filter((l) => l.startsWith('npm warn install-scripts ') && /\(\w+: /.test(l));
    if (listed.length) {
      expect(listed).toEqual([`npm warn install-scripts   cdk8s-netkit@${own.version} (prepare: ${own.scripts.prepare})`]);
      execFileSync('npm', ['install-scripts', 'deny', 'cdk8s-netkit'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
      rmSync(join(consumer, 'node_modules'), { recursive: true });
      expectOnlyExplainedWarnings(npmInstall(consumer));
    } else {
      // an npm without install-script approval (npm 10) runs no dependency's script and lists none
      expectOnlyExplainedWarnings(first);
    }
    expect(existsSync(join(consumer, 'node_modules/cdk8s-netkit/dist/constructs/index.js'))).toBe(true);
    compileAndSynthesize(consumer);
  }, 240_000);
});
