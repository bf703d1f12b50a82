/**
 * Input that bypasses the types ends in findings, never in a stack trace (issue 18). Every public construct of
 * constructs/index.ts is created with its valid props partly replaced by ill-typed values (wrong types, undefined,
 * null, NaN, negative and huge numbers, huge strings, nested garbage) or with garbage for props, then synthesized
 * into an output folder that holds a sentinel file. The synth must succeed or fail with findings, never throw and
 * never report NET-RUN1 (a construct or a rule that crashed), and a failed synth must leave the folder as it was.
 */
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as netkit from '../../constructs/index.js';
import { cleanup, run, tempDir } from '../helpers.js';
import { newCluster, PUBLIC_CONSTRUCTS } from './public-constructs.js';

/** Values a configuration file or an untyped caller may hand a construct. */
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, NaN, -1, 0, 0.5, 1e308, -Infinity, Infinity, '', true, [], {}, [null], { a: { b: [1, { c: null }] } }),
  fc.constantFrom('x'.repeat(5000), 'Not A Name!', '10.0.0.5/24', '999.1.1.1', 'UPPER', '-leading', '../escape'),
  fc.constant(() => 1),
  fc.integer({ min: -70000, max: 70000 }),
  fc.string({ maxLength: 80 }),
  fc.anything({ maxDepth: 2, maxKeys: 3, withNullPrototype: true }),
);

/** Every path into the plain objects and lists of `v` (class instances are replaced whole, not entered). */
function paths(v: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  const entries: [string, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [String(i), x])
    : v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype
      ? Object.entries(v)
      : [];
  for (const [k, x] of entries) {
    out.push([...prefix, k]);
    paths(x, [...prefix, k], out);
  }
  return out;
}

function setPath(o: unknown, p: readonly string[], value: unknown): unknown {
  if (!p.length) return value;
  const copy: Record<string, unknown> = Array.isArray(o) ? ([...o] as never) : { ...(o as Record<string, unknown>) };
  copy[p[0]] = setPath((o as Record<string, unknown> | undefined)?.[p[0]], p.slice(1), value);
  return copy;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    try {
      out[f] = readFileSync(join(dir, f), 'utf8');
    } catch {
      out[f] = '(folder)';
    }
  }
  return out;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

/** Create `pc` with `props` in a fresh cluster (or the Cluster itself with them) and synthesize into a sentinel folder. */
async function attempt(pc: (typeof PUBLIC_CONSTRUCTS)[number], mutate: (valid: Record<string, unknown>) => unknown) {
  const outdir = tempDir('netkit-boundary-');
  dirs.push(outdir);
  mkdirSync(join(outdir, 'test'), { recursive: true });
  writeFileSync(join(outdir, 'test', 'sentinel.txt'), 'a file the synthesizer did not write\n');
  writeFileSync(join(outdir, 'sentinel.txt'), 'beside the clusters\n');
  const before = snapshot(outdir);
  let app;
  if (pc.name === 'Cluster') {
    const probe = newCluster();
    ({ app } = newCluster(undefined, mutate(pc.props(probe.cluster)) as Record<string, unknown>));
  } else {
    const built = newCluster(pc.distribution);
    app = built.app;
    pc.create(built.cluster, mutate(pc.props(built.cluster)));
  }
  const outcome = await run(app, { write: true, outdir });
  return { outcome, before, after: snapshot(outdir) };
}

function assertContained({ outcome, before, after }: Awaited<ReturnType<typeof attempt>>) {
  const crashed = outcome.findings.filter((f) => f.ruleId === 'NET-RUN1');
  expect(crashed.map((f) => f.message)).toEqual([]);
  if (!outcome.ok) {
    expect(outcome.findings.some((f) => f.level === 'error')).toBe(true);
    expect(after).toEqual(before);
  }
  for (const f of outcome.findings.filter((x) => /^NET-IN\d$/.test(x.ruleId))) {
    expect(f.path).not.toBe('');
    expect(f.expected, netkit.formatFinding(f)).toBeTruthy();
    expect(f.expected).not.toMatch(/\d\.\d{12,}/);
  }
}

describe('every public construct', () => {
  it('is covered: each class exported from constructs/index.ts that builds a construct is listed', () => {
    const constructClasses = Object.entries(netkit)
      .filter(
        ([, v]) =>
          typeof v === 'function' &&
          v.prototype &&
          Object.prototype.isPrototypeOf.call(netkit.Component.prototype.constructor.prototype.__proto__, v.prototype),
      )
      .map(([k]) => k)
      // made by a factory (`ensure`), with no props of their own: SecretSources and ExternalSecretsOperator are per-cluster singletons
      .filter((k) => !['AddressPlan', 'BootstrapBundle', 'EdgeFolder', 'CloudflareClusterIssuer', 'SecretSources', 'ExternalSecretsOperator'].includes(k));
    const listed = new Set(PUBLIC_CONSTRUCTS.map((c) => c.name));
    expect(constructClasses.filter((k) => !listed.has(k))).toEqual([]);
  });

  for (const pc of PUBLIC_CONSTRUCTS) {
    describe(pc.name, () => {
      it('accepts its valid props without an input finding', async () => {
        const r = await attempt(pc, (valid) => valid);
        assertContained(r);
        expect(r.outcome.findings.filter((f) => /^NET-IN\d$/.test(f.ruleId)).map(netkit.formatFinding)).toEqual([]);
      });

      it('ends in findings or success, never a throw or NET-RUN1, when props bypass the types', async () => {
        const mutation = fc.oneof(
          { weight: 4, arbitrary: fc.array(fc.tuple(fc.nat(), garbage), { minLength: 1, maxLength: 3 }) },
          { weight: 1, arbitrary: garbage.map((g) => [[-1, g]] as [number, unknown][]) },
        );
        await fc.assert(
          fc.asyncProperty(mutation, async (muts) => {
            const r = await attempt(pc, (valid) => {
              const ps = paths(valid);
              let props: unknown = valid;
              for (const [i, g] of muts) props = i < 0 || !ps.length ? g : setPath(props, ps[i % ps.length], g);
              return props;
            });
            assertContained(r);
          }),
          { numRuns: 12, seed: 18, endOnFailure: true },
        );
      });
    });
  }
});
