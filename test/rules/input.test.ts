/**
 * The input rules (NET-IN1 to NET-IN4) and NET-CLU6: noncompliant, compliant and acknowledged cases, the collapse of
 * follow-on findings under a boundary finding, and the props validator's own behaviour.
 */
import { describe, expect, it } from 'vitest';
import { Acknowledgements, CiliumRelease, Workload } from '../../constructs/index.js';
import * as p from '../../constructs/core/props.js';
import { run, testCluster } from '../helpers.js';

const web = (scope: import('constructs').Construct, props: Record<string, unknown> = {}) =>
  new Workload(scope, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }], ...props } as never);

const of = <T extends { ruleId: string }>(findings: readonly T[], id: string): T[] => findings.filter((f) => f.ruleId === id);

describe.each([
  ['NET-IN1', { replicas: -2 }, { value: -2, expected: 'an integer from 0 to 1000' }],
  ['NET-IN2', { name: 'Web_Frontend' }, { value: 'Web_Frontend', fix: 'Use a valid name, e.g. "web-frontend".' }],
  ['NET-IN3', { ports: [{ name: 'http', port: 0 }] }, { value: 0, expected: 'a port number from 1 to 65535' }],
] as const)('%s', (id, bad, shown) => {
  it('noncompliant: fails with the prop, the value given and what was expected', async () => {
    const { app, cluster } = testCluster();
    web(cluster, bad);
    const o = await run(app);
    expect(o.ok).toBe(false);
    expect(of(o.findings, id)).toEqual([expect.objectContaining({ level: 'error', path: 'test/web-app/web', ...shown })]);
    expect(of(o.findings, 'NET-RUN1')).toEqual([]);
  });

  it('compliant: valid props give no input finding', async () => {
    const { app, cluster } = testCluster();
    web(cluster);
    const o = await run(app);
    expect(o.findings.filter((f) => f.ruleId.startsWith('NET-IN'))).toEqual([]);
  });

  it('acknowledged: silenced on the construct', async () => {
    const { app, cluster } = testCluster();
    const w = web(cluster, bad);
    Acknowledgements.of(w).add(id, 'checked by hand for this test of the acknowledgement');
    const o = await run(app);
    expect(of(o.findings, id)).toEqual([]);
    expect(o.result?.clusters[0]?.acknowledged.map((f) => f.ruleId) ?? []).toContain(id);
  });
});

describe('NET-IN4', () => {
  it('noncompliant: warns with the network meant', async () => {
    const o = await run(testCluster({ serviceCidr: '10.43.7.1/16' }).app);
    expect(of(o.findings, 'NET-IN4')).toEqual([
      expect.objectContaining({ level: 'warning', value: '10.43.7.1/16', message: expect.stringContaining('did you mean 10.43.0.0/16?') }),
    ]);
  });

  it('compliant: a network address gives no warning', async () => {
    const o = await run(testCluster({ serviceCidr: '10.43.0.0/16' }).app);
    expect(of(o.findings, 'NET-IN4')).toEqual([]);
  });

  it('acknowledged: silenced on the cluster', async () => {
    const { app, cluster } = testCluster({ serviceCidr: '10.43.7.1/16' });
    Acknowledgements.of(cluster).add('NET-IN4', 'the address is written as the router shows it');
    const o = await run(app);
    expect(of(o.findings, 'NET-IN4')).toEqual([]);
  });
});

describe('NET-CLU6', () => {
  const cilium = (nodeMtu: number, extra: Record<string, unknown> = {}, routing?: CiliumRelease['routingMode']) => {
    const { app, cluster } = testCluster({ nodeMtu });
    const release = new CiliumRelease(cluster, 'Cilium', { version: '1.20', extraValues: extra });
    return { app, release, routing };
  };

  it("noncompliant: Cilium's MTU above the node MTU", async () => {
    const o = await run(cilium(1500, { MTU: 1600 }).app);
    expect(of(o.findings, 'NET-CLU6')).toEqual([expect.objectContaining({ level: 'error', value: 1600, expected: 'at most the node MTU 1500' })]);
  });

  it('noncompliant (warning): the VXLAN overhead leaves pods less than 1280', async () => {
    const o = await run(cilium(1300).app);
    expect(of(o.findings, 'NET-CLU6')).toEqual([expect.objectContaining({ level: 'warning', value: 1250 })]);
  });

  it("compliant: the Cluster's MTU, or MTU 0 (auto)", async () => {
    expect(of((await run(cilium(1400).app)).findings, 'NET-CLU6')).toEqual([]);
    expect(of((await run(cilium(1500, { MTU: 0 }).app)).findings, 'NET-CLU6')).toEqual([]);
  });

  it('acknowledged: silenced on the release', async () => {
    const { app, release } = cilium(1500, { MTU: 1600 });
    Acknowledgements.of(release).add('NET-CLU6', 'the NICs really run 1600, the Cluster says 1500 for the edge');
    expect(of((await run(app)).findings, 'NET-CLU6')).toEqual([]);
  });
});

describe('follow-on findings', () => {
  it('are collapsed under the boundary finding of the same construct, with a count', async () => {
    const { app, cluster } = testCluster();
    web(cluster, { image: 42 });
    const o = await run(app);
    const boundary = of(o.findings, 'NET-IN1');
    expect(boundary).toHaveLength(1);
    // the empty image the Workload went on with would fail the image rules: those are left out, and counted
    expect(boundary[0]!.message).toMatch(/\(\d+ follow-on findings? of this construct left out: NET-/);
    expect(o.findings.filter((f) => f.path.startsWith('test/web-app/web') && !f.ruleId.startsWith('NET-IN'))).toEqual([]);
  });
});

describe('props validator', () => {
  it('drops a wrong optional prop, keeps unknown keys with a warning and a suggestion', () => {
    const spec = p.object({ replicas: p.optional(p.integer({ min: 1, max: 3 })), name: p.name('label') });
    const r = p.check(spec, { replicas: 9, name: 'ok', replicsa: 2 });
    expect(r.value).toEqual({ name: 'ok', replicsa: 2 });
    expect(r.issues).toEqual([
      expect.objectContaining({ level: 'warning', path: 'replicsa', fix: 'Did you mean replicas?' }),
      expect.objectContaining({ level: 'error', path: 'replicas', value: 9, expected: 'an integer from 1 to 3' }),
    ]);
  });

  it('lower-cases a name where normalizing is allowed, and says so', () => {
    const r = p.check(p.name('label', { normalize: true }), 'Lan');
    expect(r.value).toBe('lan');
    expect(r.issues).toEqual([expect.objectContaining({ kind: 'name', level: 'warning', value: 'Lan' })]);
  });

  it('never throws on cyclic or hostile input', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hostile = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(p.check(p.json(), cyclic).issues).toHaveLength(1);
    expect(p.check(p.object({ x: p.string() }), hostile).value).toBe(p.INVALID);
  });
});
