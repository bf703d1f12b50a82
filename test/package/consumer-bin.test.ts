/**
 * `netkit synth` in a consumer project made from the packed package (bench/consumer.ts): the app of the README's
 * shape renders through the package's binary exactly what it renders under tsx, cached or not.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConsumer } from '../../bench/consumer.js';
import { listFiles } from '../../constructs/output/writer.js';
import { cleanup, tempDir } from '../helpers.js';

let work = '';
let consumer = '';
beforeAll(() => {
  work = tempDir('netkit-consumer-bin-');
  consumer = makeConsumer(work);
}, 240_000);
afterAll(() => cleanup(work));

function exec(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: consumer, encoding: 'utf8', env: { ...process.env, NETKIT_CACHE_DIR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const netkit = (...args: string[]) => exec(process.execPath, [join(consumer, 'node_modules', '.bin', 'netkit'), ...args]);

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFiles(dir)) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

describe('netkit in a consumer project', () => {
  it('renders what tsx renders, from a fresh cache and a warm one, and checks', () => {
    const tsx = exec(join(consumer, 'node_modules', '.bin', 'tsx'), ['app.ts', '--outdir', 'by-tsx']);
    expect(tsx.status, tsx.stderr).toBe(0);
    const expected = tree(join(consumer, 'by-tsx'));
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['homelab/apps/hello/deployment-hello.yaml', 'lab/apps/web/service-web.yaml']));
    const reports: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = netkit('synth', 'app.ts');
      expect(r.status, r.stderr).toBe(0);
      expect(tree(join(consumer, 'clusters'))).toEqual(expected);
      reports.push(r.stdout);
    }
    expect(reports[0]).toBe(tsx.stdout.replaceAll('by-tsx/', 'clusters/'));
    expect(reports[1]).toMatch(/^homelab: \d+ files, \d+ objects; up to date$/m);
    expect(reports[2]).toBe(reports[1]);
    // the bundle is kept in the consumer's own node_modules/.cache/netkit/
    expect(listFiles(join(consumer, 'node_modules', '.cache', 'netkit')).some((f) => /^apps\/\w+\/manifest\.json$/.test(f))).toBe(true);
    const check = netkit('check', 'app.ts', '--outdir', 'elsewhere');
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/check passed; nothing written$/m);
    expect(listFiles(consumer).some((f) => f.startsWith('elsewhere/'))).toBe(false);
  }, 240_000);

  it('netkit diff runs the compiled diff engine (dist/constructs/diff/cli.js) of the installed package', () => {
    // the tsx render and the binary's are the same tree: no change; an empty base adds every file of both clusters
    const same = netkit('diff', '--base-dir', 'by-tsx', '--head-dir', 'clusters');
    expect(same.stderr).toBe('');
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('No change to the rendered clusters.');
    mkdirSync(join(consumer, 'empty-base'), { recursive: true });
    const all = netkit('diff', '--base-dir', 'empty-base', '--head-dir', 'clusters', '--format', 'markdown');
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^<!-- netkit-diff -->\n## Rendered diff of `clusters\/`/);
    expect([...all.stdout.matchAll(/^### (\S+) \(new cluster\)$/gm)].map((m) => m[1])).toEqual(['homelab', 'lab']);
    const bad = netkit('diff', '--base-dir', 'by-tsx', '--dry-run');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--dry-run'[\s\S]*usage: netkit <command>/);
  });

  it('rejects an unknown option with the usage and exit code 2', () => {
    const r = netkit('synth', 'app.ts', '--dry-run');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--dry-run'[\s\S]*usage: netkit <command>/);
  });
});
