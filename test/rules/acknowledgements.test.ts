import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { describe, expect, it } from 'vitest';
import { Acknowledgements, Cluster, ruleById, Workload } from '../../constructs/index.js';
import { clusterProps, file, ids, run, testCluster } from '../helpers.js';
import { byId } from './support.js';

function floating(cluster: import('constructs').Construct, name: string): Workload {
  return new Workload(cluster, name, { namespace: 'apps', image: `example/${name}:latest`, ports: [{ name: 'http', port: 80 }] });
}

describe('acknowledgements', () => {
  it('fails (NET-ACK1) when the rule id is unknown', async () => {
    const { app, cluster } = testCluster();
    Acknowledgements.of(cluster).add('NET-IMG99', 'a reason that is long enough');
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(byId(outcome, 'NET-ACK1')).toMatchObject([{ level: 'error', path: 'test', message: 'acknowledgement of an unknown rule id', value: 'NET-IMG99' }]);
  });

  it('fails (NET-ACK1) when the reason is shorter than 10 characters, and does not silence the finding', async () => {
    const { app, cluster } = testCluster();
    const w = floating(cluster, 'web');
    Acknowledgements.of(w).add('NET-IMG1', 'ok  fine ');
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(byId(outcome, 'NET-ACK1')).toMatchObject([
      { path: 'test/web-app/web', message: 'acknowledgement of NET-IMG1 has no real reason', value: 'ok  fine ' },
    ]);
    expect(byId(outcome, 'NET-IMG1')).toHaveLength(1);
  });

  it('fails (NET-ACK1) when the path matches no construct', async () => {
    const { app, cluster } = testCluster();
    floating(cluster, 'web');
    Acknowledgements.of(cluster).add('NET-IMG1', 'tracks main on purpose', { path: 'wbe-app/web' });
    const outcome = await run(app);
    expect(byId(outcome, 'NET-ACK1')).toMatchObject([
      { message: 'acknowledgement of NET-IMG1 covers a path that matches no construct', value: 'test/wbe-app/web' },
    ]);
    expect(byId(outcome, 'NET-IMG1')).toHaveLength(1);
  });

  it('warns (NET-ACK2) when an acknowledgement silences nothing', async () => {
    const { app, cluster } = testCluster();
    Acknowledgements.of(cluster).add('NET-IMG1', 'no floating images here any more');
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    expect(byId(outcome, 'NET-ACK2')).toMatchObject([{ level: 'warning', path: 'test', message: 'acknowledgement of NET-IMG1 silenced no finding' }]);
  });

  it('limits an acknowledgement with a path to that construct, and lists it in reports/review.md', async () => {
    const { app, cluster } = testCluster();
    floating(cluster, 'preview');
    floating(cluster, 'prod');
    Acknowledgements.of(cluster).add('NET-IMG1', 'the preview deployment follows latest on purpose', { path: 'preview-app' });
    const outcome = await run(app);
    expect(byId(outcome, 'NET-IMG1').map((f) => f.path)).toEqual(['test/prod-app/prod/Resource']);
    const review = file(outcome, 'test', 'reports/review.md');
    expect(review).toContain('## Acknowledged');
    expect(review).toMatch(
      /\| NET-IMG1 \| `test\/preview-app\/preview\/Resource` \| .*:latest.* \| the preview deployment follows latest on purpose \(`test`\) \|/,
    );
    expect(review).toContain('## Warnings');
    expect(review).toMatch(/\| NET-IMG1 \| `test\/prod-app\/prod\/Resource` \|/);
  });

  it('fails (NET-ACK1) when the acknowledgement is made on the App, outside every Cluster', async () => {
    const { app, cluster } = testCluster();
    floating(cluster, 'web');
    Acknowledgements.of(app).add('NET-IMG1', 'meant for every cluster of the fleet');
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(byId(outcome, 'NET-ACK1')).toMatchObject([
      { path: '(app root)', message: 'acknowledgement of NET-IMG1 is made outside every Cluster and covers nothing' },
    ]);
    expect(byId(outcome, 'NET-IMG1')).toHaveLength(1);
  });

  it('takes a reason of exactly 10 characters, and counts them without the spaces around', async () => {
    const reason = async (text: string) => {
      const { app, cluster } = testCluster();
      Acknowledgements.of(floating(cluster, 'web')).add('NET-IMG1', text);
      return byId(await run(app), 'NET-ACK1').map((f) => ({ message: f.message, value: f.value, expected: f.expected }));
    };
    expect(await reason('ten chars!')).toEqual([]);
    expect(await reason('    ninechars    ')).toEqual([
      { message: 'acknowledgement of NET-IMG1 has no real reason', value: '    ninechars    ', expected: 'a reason of at least 10 characters' },
    ]);
  });

  it('accepts an acknowledgement on any cluster of the app, not only the first', async () => {
    const { app } = testCluster();
    const second = new Cluster(app, 'second', clusterProps());
    Acknowledgements.of(floating(second, 'web')).add('NET-IMG1', 'a floating tag is fine for this demo');
    const outcome = await run(app);
    expect(byId(outcome, 'NET-ACK1')).toEqual([]);
    expect(byId(outcome, 'NET-IMG1')).toEqual([]);
  });

  it('says what it expects of an acknowledgement outside every cluster, of an unknown id, of one that can never be made', async () => {
    const { app, cluster } = testCluster();
    Acknowledgements.of(app).add('NET-IMG1', 'made on the App by mistake');
    Acknowledgements.of(cluster).add('NET-NOPE1', 'a typo in the rule id here').add('NET-RUN1', 'trying to silence a crash');
    const said = byId(await run(app), 'NET-ACK1').map((f) => ({ value: f.value, expected: f.expected, fix: f.fix }));
    expect(said).toEqual(
      expect.arrayContaining([
        {
          value: 'NET-IMG1',
          expected: 'an acknowledgement on a Cluster or a construct inside one',
          fix: 'Call Acknowledgements.of(...) on the cluster or on the construct the finding is about.',
        },
        { value: 'NET-NOPE1', expected: 'an id listed in RULES.md', fix: ruleById('NET-ACK1')!.fix },
        { value: 'NET-RUN1', expected: 'a rule that can be acknowledged', fix: 'Remove the acknowledgement and fix what NET-RUN1 reports.' },
      ]),
    );
  });

  it('never silences its own findings', async () => {
    const { app, cluster } = testCluster();
    Acknowledgements.of(cluster).add('NET-NOPE1', 'trying to hide a typo').add('NET-ACK1', 'and hide the finding about it');
    const outcome = await run(app);
    expect(ids(outcome.findings)).toContain('NET-ACK1');
    expect(outcome.ok).toBe(false);
  });

  it('fails (NET-ACK1) on an acknowledgement of NET-RUN1, and still reports the failure: what failed was never checked', async () => {
    const { app, cluster } = testCluster();
    const broken = new ApiObject(cluster, 'Broken', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'broken', namespace: 'apps' },
      data: Lazy.any({
        produce: () => {
          throw new Error('values file missing');
        },
      }),
    });
    Acknowledgements.of(broken).add('NET-RUN1', 'the values file is optional in this cluster');
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(byId(outcome, 'NET-ACK1')).toMatchObject([{ path: 'test/Broken', message: expect.stringMatching(/^NET-RUN1 cannot be acknowledged: /) }]);
    expect(byId(outcome, 'NET-RUN1')).toMatchObject([
      { path: 'test/Broken', message: expect.stringMatching(/^rendering ConfigMap broken failed: .*values file missing/) },
    ]);
    expect(byId(outcome, 'NET-ACK2')).toEqual([]); // reported once, as NET-ACK1
  });

  it('keeps an acknowledged error from failing the synth, and the synth writes the review', async () => {
    const { app, cluster } = testCluster();
    const s = new k8s.KubeSecret(cluster, 'S', { metadata: { name: 's', namespace: 'apps' }, stringData: { note: 'hello world' } });
    Acknowledgements.of(s).add('NET-SEC1', 'non-sensitive greeting used by the smoke test');
    const outcome = await run(app, { write: true });
    expect(outcome.ok).toBe(true);
    expect(file(outcome, 'test', 'reports/review.md')).toContain('non-sensitive greeting used by the smoke test');
  });
});
