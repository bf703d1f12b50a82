import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { k8s } from 'cdk8s-plus-30';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_USAGE, runCli, Workload } from '../../constructs/index.js';
import { listFiles } from '../../constructs/output/writer.js';
import { cleanup, tempDir, testCluster } from '../helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(cleanup));

function outdir(): string {
  const d = tempDir('netkit-cli-');
  dirs.push(d);
  return join(d, 'clusters');
}

async function cli(app: import('cdk8s').App, argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCli(app, { argv, log: (l) => lines.push(l) });
  return { code, out: lines.join('\n') };
}

/** A cluster with three errors of different rules and one warning. */
function badApp() {
  const { app, cluster } = testCluster({ nodeMtu: 70000, podCidr: '10.43.0.0/16' });
  new k8s.KubeSecret(cluster, 'Db', { metadata: { name: 'db', namespace: 'apps' }, stringData: { password: 'letmein-please' } });
  new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx', ports: [{ name: 'http', port: 80 }] });
  return app;
}

describe('runCli', () => {
  it('exits 1 on errors, prints every finding as ✖/⚠ ID message, → at path, fix, and writes nothing', async () => {
    const dir = outdir();
    const { code, out } = await cli(badApp(), ['--outdir', dir]);
    expect(code).toBe(1);
    expect(out).toMatch(/^✖ NET-CLU1 podCidr 10\.43\.0\.0\/16 overlaps serviceCidr 10\.43\.0\.0\/16 .*\n {2}→ at test\n {2}fix: /m);
    expect(out).toMatch(/^✖ NET-CLU4 nodeMtu is out of range \(value: 70000\); expected an integer from 1280 to 9216\n {2}→ at test\n {2}fix: /m);
    expect(out).toMatch(/^✖ NET-SEC1 Secret apps\/db carries stringData in clear text \(keys: password\).*\n {2}→ at test\/Db\n {2}fix: .*ExternalSecret/m);
    expect(out).toMatch(/^⚠ NET-IMG1 .*nginx.*\n {2}→ at test\/web-app\/web\/Resource/m);
    expect(out).not.toContain('letmein-please');
    // errors come before warnings
    expect(out.indexOf('✖ NET-SEC1')).toBeLessThan(out.indexOf('⚠ NET-IMG1'));
    expect(out).toMatch(/synth failed with 3 error\(s\); .*clusters\/ was not changed\./);
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves an existing tree byte-identical when the synth fails', async () => {
    const dir = outdir();
    const good = testCluster();
    new Workload(good.cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });
    expect((await cli(good.app, ['--outdir', dir])).code).toBe(0);
    const before = snapshot(join(dir, 'test'));
    expect(Object.keys(before).length).toBeGreaterThan(3);
    const { code } = await cli(badApp(), ['--outdir', dir]);
    expect(code).toBe(1);
    expect(snapshot(join(dir, 'test'))).toEqual(before);
  });

  it('refuses --outdir without a folder, and does not take the next option for one', async () => {
    const d = tempDir('netkit-cli-');
    dirs.push(d);
    const good = testCluster();
    new Workload(good.cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });
    const cwd = process.cwd();
    process.chdir(d);
    try {
      const missing = await cli(good.app, ['--outdir']);
      expect(missing.code).toBe(2);
      expect(missing.out).toBe('--outdir needs a folder (value: nothing); expected e.g. --outdir clusters. Nothing was written.');
      const option = await cli(good.app, ['--outdir', '--check']);
      expect(option.code).toBe(2);
      expect(option.out).toContain('(value: "--check")');
      expect(readdirSync(d)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('rejects an unknown option or an argument with the usage and exit code 2, writing nothing; --help prints the usage', async () => {
    const d = tempDir('netkit-cli-');
    dirs.push(d);
    const good = testCluster();
    new Workload(good.cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });
    const cwd = process.cwd();
    process.chdir(d);
    try {
      for (const argv of [['--chek'], ['--check', 'clusters'], ['-x'], ['--check=yes'], ['--outdir', 'out', 'extra']]) {
        const out: string[] = [];
        const errors: string[] = [];
        const code = await runCli(good.app, { argv, log: (l) => out.push(l), error: (l) => errors.push(l) });
        expect(code, argv.join(' ')).toBe(2);
        expect(out).toEqual([]);
        expect(errors.join('\n')).toContain(CLI_USAGE);
        expect(errors.join('\n')).toMatch(/^(Unknown option|Unexpected argument|Option '--check' does not take an argument)/);
      }
      expect(readdirSync(d)).toEqual([]);
      const out: string[] = [];
      expect(await runCli(good.app, { argv: ['--help'], log: (l) => out.push(l) })).toBe(0);
      expect(out).toEqual([CLI_USAGE]);
      expect(CLI_USAGE).toMatch(/--check[\s\S]*--outdir <folder>[\s\S]*--help/);
      expect(readdirSync(d)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('exits 0 with --check on a good app and writes no file', async () => {
    const dir = outdir();
    const { app, cluster } = testCluster();
    new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });
    const { code, out } = await cli(app, ['--check', '--outdir', dir]);
    expect(code).toBe(0);
    expect(out).toMatch(/^test: \d+ files, \d+ objects; would change: \d+ added, 0 changed, 0 removed$/m);
    expect(out).toMatch(/check passed; nothing written$/);
    expect(existsSync(dir)).toBe(false);
  });

  it('exits 0 with --check and warnings, still writing nothing; exits 1 with --check on errors', async () => {
    const dir = outdir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'README.md'), 'hand-written\n');
    const { app, cluster } = testCluster();
    new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:latest', ports: [{ name: 'http', port: 80 }] });
    const warned = await cli(app, ['--check', '--outdir', dir]);
    expect(warned.code).toBe(0);
    expect(warned.out).toMatch(/check passed with 1 warning\(s\); nothing written/);
    expect(readdirSync(dir)).toEqual(['README.md']);
    const failed = await cli(badApp(), ['--check', '--outdir', dir]);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/check failed with 3 error\(s\)/);
    expect(readdirSync(dir)).toEqual(['README.md']);
  });
});

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFiles(dir)) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}
