/**
 * Runs every corpus case: synth into an output folder that already holds a good rendered tree, expect a finding of
 * the case's rule id whose message holds the case's fragment and whose value is the case's, and expect the folder
 * byte-identical afterwards (an error writes nothing;
 * a case whose rule is a warning runs as `--check` would, without writing).
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CiliumRelease } from '../../constructs/cilium-release.js';
import { K3sServerConfig, ruleById, Workload } from '../../constructs/index.js';
import { listFiles } from '../../constructs/output/writer.js';
import { cleanup, run, tempDir, testCluster } from '../helpers.js';
import { CORPUS } from './cases/index.js';

/** The good tree every case starts from: the same cluster `test`, Cilium in tunnel mode, one pinned workload. */
function goodApp() {
  const { app, cluster } = testCluster();
  new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
  new K3sServerConfig(cluster, 'K3sServerConfig');
  new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });
  return app;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

let template: string;
const dirs: string[] = [];

beforeAll(async () => {
  template = tempDir('netkit-corpus-good-');
  dirs.push(template);
  const good = await run(goodApp(), { write: true, outdir: template });
  expect(good.findings, 'the good tree must render without findings').toEqual([]);
});

afterAll(() => dirs.forEach(cleanup));

describe('corpus', () => {
  it('holds at least 40 cases, each with a unique name and a rule id from the catalogue', () => {
    const all = CORPUS.flatMap((a) => a.cases);
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    for (const c of all) {
      expect(ruleById(c.expect), `${c.name}: ${c.expect}`).toBeDefined();
      expect(c.says.length, `${c.name}: a fragment of the message`).toBeGreaterThan(10);
      expect(Object.hasOwn(c, 'value'), `${c.name}: the value the finding names`).toBe(true);
    }
  });

  for (const area of CORPUS) {
    describe(area.area, () => {
      for (const c of area.cases) {
        it(`${c.expect}: ${c.name}`, async () => {
          const outdir = tempDir('netkit-corpus-');
          dirs.push(outdir);
          cpSync(template, outdir, { recursive: true });
          c.prepare?.(join(outdir, 'test'));
          const before = snapshot(outdir);
          expect(Object.keys(before).length).toBeGreaterThan(5);

          const isError = ruleById(c.expect)!.level === 'error';
          const outcome = await run(c.build(), { write: isError, outdir });
          const found = outcome.findings.filter((f) => f.ruleId === c.expect);
          expect(found.length, `${c.expect} not among: ${outcome.findings.map((f) => `${f.ruleId} ${f.message}`).join(' | ')}`).toBeGreaterThan(0);
          const saying = found.filter((f) => f.message.includes(c.says));
          expect(saying.length, `no ${c.expect} finding says "${c.says}": ${found.map((f) => f.message).join(' | ')}`).toBeGreaterThan(0);
          expect(saying.map((f) => f.value)).toContainEqual(c.value);
          // a rule that crashes on bad input is a defect of its own, reported beside the finding the case expects
          if (c.expect !== 'NET-RUN1') expect(outcome.findings.filter((f) => f.ruleId === 'NET-RUN1')).toEqual([]);
          if (isError) expect(outcome.ok).toBe(false);
          expect(snapshot(outdir)).toEqual(before);
        });
      }
    });
  }
});
