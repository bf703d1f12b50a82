/**
 * A rule or a construct that throws becomes a NET-RUN1 finding, reported with every other finding; nothing crashes.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { Workload } from '../../constructs/index.js';
import { listFiles } from '../../constructs/output/writer.js';
import { cleanup, ids, run, tempDir, testCluster } from '../helpers.js';
import { byId } from './support.js';

const { THROWING } = vi.hoisted(() => ({ THROWING: { id: 'NET-TEST1', yieldsFirst: true } }));

vi.mock('../../constructs/rules/catalogue.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../constructs/rules/catalogue.js')>();
  const rule: import('../../constructs/rules/rule.js').Rule = {
    id: THROWING.id,
    level: 'error',
    title: 'A rule that fails halfway, for this test',
    lesson: 'Stands for any rule with a bug.',
    source: 'test',
    fix: 'none',
    *check({ cluster }) {
      if (cluster.clusterName !== 'boom') return;
      yield { at: cluster, message: 'found before the crash', level: 'warning' };
      throw new TypeError("Cannot read properties of undefined (reading 'spec')");
    },
  };
  return { ...original, RULES: [...original.RULES, rule] };
});

describe('NET-RUN1', () => {
  it('turns a rule that throws into a finding, keeps what it found before, and runs every other rule', async () => {
    const { app, cluster } = testCluster({}, 'boom');
    new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:latest', ports: [{ name: 'http', port: 80 }] });
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(byId(outcome, 'NET-RUN1')).toMatchObject([
      { level: 'error', path: 'boom', message: "rule NET-TEST1 failed: Cannot read properties of undefined (reading 'spec')" },
    ]);
    expect(byId(outcome, 'NET-TEST1')).toMatchObject([{ message: 'found before the crash' }]);
    expect(ids(outcome.findings)).toContain('NET-IMG1'); // the rules after it still ran
  });

  it('turns an object that cannot render, and an extra file that cannot be produced, into findings', async () => {
    const { app, cluster } = testCluster({ nodeMtu: 100 });
    new ApiObject(cluster, 'Broken', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'broken', namespace: 'apps' },
      data: Lazy.any({
        produce: () => {
          throw new Error('values file not found: values/broken.yaml');
        },
      }),
    });
    cluster.addFile('reports/inventory.md', () => {
      throw new Error('inventory source missing');
    });
    const outdir = tempDir();
    try {
      const outcome = await run(app, { write: true, outdir });
      expect(outcome.ok).toBe(false);
      const crashes = byId(outcome, 'NET-RUN1');
      expect(crashes.map((f) => f.path)).toEqual(['test', 'test/Broken']);
      expect(crashes[0].message).toBe('rendering the reports and edge files failed: inventory source missing');
      expect(crashes[1].message).toMatch(/^rendering ConfigMap broken failed: .*values file not found: values\/broken\.yaml/);
      expect(listFiles(outdir)).toEqual([]); // nothing written
      expect(ids(outcome.findings)).toContain('NET-CLU4'); // reported together with the crashes
    } finally {
      cleanup(outdir);
    }
  });
});
