/**
 * The package as another repository uses it: `npm pack`, install the tarball into a fresh consumer project,
 * type-check a consumer file that imports the constructs, and synthesize a cluster with it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const root = resolve(import.meta.dirname, '../..');

const CONSUMER = `
import { App } from 'cdk8s';
import { ApiEndpoint, Cluster, Distribution, GitOps, NodeRole, Workload, synthesize, type Finding } from 'cdk8s-netkit';
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
const result = await synthesize(app, { outdir: 'clusters' });
const warnings: readonly Finding[] = result.findings;
console.log(JSON.stringify({ files: [...result.clusters[0].files.keys()], warnings: warnings.length, typed: typed.GVK.kind }));
`;

describe('the published package', () => {
  it('installs into a consumer project, type-checks its imports and synthesizes', () => {
    const work = tempDir('netkit-consumer-');
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = readdirTgz(work);
    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: { 'cdk8s-netkit': `file:${tarball}`, cdk8s: own.devDependencies.cdk8s, constructs: own.devDependencies.constructs },
      }),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', skipLibCheck: false, types: [] },
        include: ['app.ts'],
      }),
    );
    writeFileSync(join(consumer, 'app.ts'), CONSUMER);
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: consumer,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = execFileSync(process.execPath, ['out/app.js'], { cwd: consumer, encoding: 'utf8' });
    const summary = JSON.parse(out.trim().split('\n').pop()!);
    expect(summary.typed).toBe('HelmRelease');
    expect(summary.files).toEqual(expect.arrayContaining(['kustomization.yaml', 'layer-apps.yaml', 'apps/hello/deployment-hello.yaml']));
    expect(existsSync(join(consumer, 'clusters/consumer/apps/hello/service-hello.yaml'))).toBe(true);
  }, 240_000);
});

function readdirTgz(dir: string): string {
  const name = execFileSync('ls', [dir], { encoding: 'utf8' })
    .split('\n')
    .find((f) => f.endsWith('.tgz'));
  if (!name) throw new Error(`npm pack wrote no tarball into ${dir}`);
  return join(dir, name);
}
