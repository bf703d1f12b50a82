/**
 * The check cache (constructs/output/check-cache.ts): a synth that takes a cluster's findings from the cache writes
 * the same bytes and prints the same report as one that runs every rule, and a cluster that changed is checked
 * again.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { afterAll, describe, expect, it } from 'vitest';
import { Acknowledgements, Cluster, runCli, Workload, type CheckCacheOptions } from '../../constructs/index.js';
import { listFiles } from '../../constructs/output/writer.js';
import { buildFleet } from '../../main.js';
import { cleanup, tempDir } from '../helpers.js';

const work = tempDir('netkit-check-cache-');
afterAll(() => cleanup(work));

/** The example fleet twice over (six clusters), with `edit` applied to it. */
function fleet(edit?: (app: App) => void): App {
  const app = buildFleet(new App({ outdir: join(work, 'dist') }), { copies: 2 });
  edit?.(app);
  return app;
}

const clusterOf = (app: App, name: string) => app.node.findChild(name) as Cluster;

/** runCli's exit code and report, with the output folder written as OUT. */
async function cli(app: App, outdir: string, checkCache?: CheckCacheOptions, ...flags: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCli(app, { argv: ['--outdir', outdir, ...flags], log: (l) => lines.push(l), checkCache });
  return { code, out: lines.join('\n').replaceAll(outdir, 'OUT') };
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFiles(dir)) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

const cache: CheckCacheOptions = { dir: join(work, 'cache'), identity: 'test:1' };
const cacheFile = () => join(cache.dir, readdirSync(cache.dir)[0]!);
const fresh = join(work, 'fresh');
const cached = join(work, 'cached');

describe('the check cache', () => {
  it('gives the same tree and report as a synth that runs every rule, first write and re-runs alike', async () => {
    const runs: [{ code: number; out: string }, { code: number; out: string }][] = [];
    // the first write; a re-run over the tree just written (the cache's keys change with the folder: stored now);
    // a re-run that takes every cluster's findings from the cache
    for (let i = 0; i < 3; i++) runs.push([await cli(fleet(), fresh), await cli(fleet(), cached, cache)]);
    for (const [a, b] of runs) {
      expect(b.code).toBe(0);
      expect(b).toEqual(a);
    }
    expect(runs[0]![0].out).toContain('talos-2: 83 files, 45 objects; changed: 83 added');
    expect(runs[2]![0].out).toContain('talos-2: 83 files, 45 objects; up to date; 1 acknowledged');
    expect(tree(cached)).toEqual(tree(fresh));
    expect(Object.keys(tree(cached)).length).toBeGreaterThan(200);
    const stored = JSON.parse(readFileSync(cacheFile(), 'utf8'));
    expect(stored.identity).toBe('test:1');
    expect(Object.keys(stored.clusters).sort()).toEqual(['homelab', 'homelab-2', 'oceanid', 'oceanid-2', 'talos', 'talos-2']);
  }, 120_000);

  it('takes the findings of an unchanged cluster from the cache, and only under the same key and identity', async () => {
    const file = cacheFile();
    const original = readFileSync(file, 'utf8');
    const stored = JSON.parse(original);
    // a finding no rule made, planted in the cache: it shows only if the cache is read and the key still matches
    const planted = { ruleId: 'NET-IMG1', level: 'warning', path: 'oceanid-2', message: 'planted in the check cache', fix: 'none' };
    stored.clusters['oceanid-2'].findings.push(planted);
    writeFileSync(file, JSON.stringify(stored));
    try {
      const hit = await cli(fleet(), cached, cache);
      expect(hit.code).toBe(0);
      expect(hit.out).toContain('⚠ NET-IMG1 planted in the check cache\n  → at oceanid-2');
      // another identity (another version or bundle of the code) uses nothing stored under the first
      const other = await cli(fleet(), cached, { ...cache, identity: 'test:2' });
      expect(other.out).not.toContain('planted');
      // which replaced the cache: the first identity finds nothing of its own there now, the planted finding neither
      expect(JSON.parse(readFileSync(file, 'utf8')).identity).toBe('test:2');
      expect((await cli(fleet(), cached, cache)).out).not.toContain('planted');
    } finally {
      writeFileSync(file, original);
    }
  }, 120_000);

  it('checks a cluster again when its objects, its model or its folder changed', async () => {
    expect((await cli(fleet(), cached, cache)).code).toBe(0);
    const before = tree(cached);
    // an error in one cached cluster: a Secret in clear text
    const secret = await cli(
      fleet(
        (app) =>
          new k8s.KubeSecret(clusterOf(app, 'homelab-2'), 'Db', {
            metadata: { name: 'db', namespace: 'clients' },
            stringData: { password: 'hunter2-hunter2' },
          }),
      ),
      cached,
      cache,
    );
    expect(secret.code).toBe(1);
    expect(secret.out).toMatch(/^✖ NET-SEC1 Secret clients\/db carries stringData in clear text .*\n {2}→ at homelab-2\/Db$/m);
    expect(tree(cached)).toEqual(before);
    // a warning from an edit of another cluster, the same against a synth without the cache
    const edit = (app: App) => new Workload(clusterOf(app, 'talos'), 'web', { namespace: 'apps', image: 'nginx:latest', ports: [{ name: 'http', port: 80 }] });
    const warned = await cli(fleet(edit), cached, cache);
    expect(warned.out).toMatch(/^⚠ NET-IMG1 .*nginx:latest.*\n {2}→ at talos\/web/m);
    expect(warned).toEqual(await cli(fleet(edit), fresh));
    // the model alone: an acknowledgement that silences nothing is a warning of the review phase
    const acked = await cli(
      fleet((app) => Acknowledgements.of(clusterOf(app, 'oceanid')).add('NET-SEC1', 'no Secret in clear text here, checked by hand')),
      cached,
      cache,
    );
    expect(acked.out).toMatch(/NET-ACK\d+ .*NET-SEC1/);
    // a file of the folder changed by hand: the previous tree the rules compare with is part of the key
    const values = join(cached, 'homelab', 'cni', 'cilium', 'values.json');
    const text = readFileSync(values, 'utf8');
    writeFileSync(values, text.replace('"routingMode": "tunnel"', '"routingMode": "native"'));
    try {
      const handEdited = await cli(fleet(), cached, cache, '--check');
      // NET-CIL11 compares with the committed tree: the live cluster runs the routing mode written there
      expect(handEdited.code).toBe(1);
      expect(handEdited.out).toMatch(/^✖ NET-CIL11 routingMode changes on a live cluster .*"before":"native","after":"tunnel"/m);
      expect(handEdited).toEqual(await cli(fleet(), cached, undefined, '--check'));
    } finally {
      writeFileSync(values, text);
    }
    expect((await cli(fleet(), cached, cache, '--check')).out).not.toContain('NET-CIL11');
  }, 240_000);
});
