/**
 * Invariants of NetworkPolicy semantics, checked over random small clusters.
 *
 * Note that "adding a policy never widens what a pod accepts" is false in Kubernetes: policies are additive, so a
 * second policy on an already isolated pod widens it. The true statements are the ones below.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KubeObject, NetworkModel } from '../../constructs/reachability/index.js';
import { deployment, namespace, policy } from './helpers.js';

const KEYS = ['app', 'tier'];
const VALUES = ['a', 'b'];
const NAMESPACES = ['n1', 'n2'];
const PORTS = [80, 443];

const labelsArb = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 });
const selectorArb = fc.oneof(
  fc.constant({}),
  labelsArb.map((l) => ({ matchLabels: l })),
  fc.record({
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('In', 'NotIn'), values: fc.subarray(VALUES, { minLength: 1 }) }),
        fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { maxLength: 2 },
    ),
  }),
);
const peerArb = fc.oneof(
  fc.record({ podSelector: selectorArb }),
  fc.record({ namespaceSelector: selectorArb }),
  fc.record({ podSelector: selectorArb, namespaceSelector: selectorArb }),
);
const portArb = fc.oneof(
  fc.record({ port: fc.constantFrom<number | string>(...PORTS, 'http') }),
  fc.record({ port: fc.constant(70), endPort: fc.constantFrom(80, 100) }),
  fc.record({ protocol: fc.constant('TCP') }),
);
const ruleArb = fc.record({
  peers: fc.option(fc.array(peerArb, { maxLength: 2 }), { nil: undefined }),
  ports: fc.option(fc.array(portArb, { maxLength: 2 }), { nil: undefined }),
});
const policySpecArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selectorArb,
  types: fc.constantFrom<string[] | undefined>(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(ruleArb, { maxLength: 2 }),
  egress: fc.array(ruleArb, { maxLength: 2 }),
});
type PolicySpec = typeof policySpecArb extends fc.Arbitrary<infer T> ? T : never;

const worldArb = fc.record({
  nsLabels: fc.tuple(labelsArb, labelsArb),
  pods: fc.array(fc.record({ ns: fc.constantFrom(...NAMESPACES), labels: labelsArb, http: fc.constantFrom(80, 443, undefined) }), {
    minLength: 2,
    maxLength: 4,
  }),
  policies: fc.array(policySpecArb, { maxLength: 3 }),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function toPolicy(s: PolicySpec, name: string, only?: { ingress?: PolicySpec['ingress']; egress?: PolicySpec['egress']; types?: string[] }): KubeObject {
  const rule = (field: 'from' | 'to') => (r: PolicySpec['ingress'][number]) => ({
    ...(r.peers ? { [field]: r.peers } : {}),
    ...(r.ports ? { ports: r.ports } : {}),
  });
  const types = only?.types ?? s.types;
  return policy(s.namespace, name, {
    podSelector: s.podSelector,
    ...(types ? { policyTypes: types } : {}),
    ingress: (only?.ingress ?? s.ingress).map(rule('from')),
    egress: (only?.egress ?? s.egress).map(rule('to')),
  });
}

function base(w: World): KubeObject[] {
  return [
    namespace('n1', w.nsLabels[0]),
    namespace('n2', w.nsLabels[1]),
    ...w.pods.map((p, i) => deployment(p.ns, `p${i}`, p.labels, p.http ? [{ name: 'http', containerPort: p.http }] : [])),
  ];
}

/** Every verdict of the model, as `src→dst:port=allowed`. */
function verdicts(objects: KubeObject[]): Map<string, boolean> {
  const m = new NetworkModel(objects);
  const out = new Map<string, boolean>();
  for (const s of m.workloads()) for (const d of m.workloads()) for (const port of PORTS) out.set(`${s.id}→${d.id}:${port}`, m.canReach(s, d, port).allowed);
  return out;
}

/** The policy types the API would default to. */
function effectiveTypes(s: PolicySpec): string[] {
  return s.types ?? (s.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
}

describe('properties', () => {
  it('verdicts do not depend on the order of the objects', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const objects = [...base(w), ...w.policies.map((p, i) => toPolicy(p, `np${i}`))];
        expect(verdicts([...objects].reverse())).toEqual(verdicts(objects));
      }),
      { numRuns: 150 },
    );
  });

  it('a policy with N rules equals N one-rule policies plus a rule-less one (rules are a union)', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const whole = w.policies.map((p, i) => toPolicy(p, `np${i}`));
        const split = w.policies.flatMap((p, i) => {
          const types = effectiveTypes(p);
          return [
            toPolicy(p, `np${i}-isolate`, { ingress: [], egress: [], types }),
            ...p.ingress.map((r, j) => toPolicy(p, `np${i}-in${j}`, { ingress: [r], egress: [], types })),
            ...p.egress.map((r, j) => toPolicy(p, `np${i}-eg${j}`, { ingress: [], egress: [r], types })),
          ];
        });
        expect(verdicts([...base(w), ...split])).toEqual(verdicts([...base(w), ...whole]));
      }),
      { numRuns: 150 },
    );
  });

  it('adding a policy with no rules never allows anything new', () => {
    fc.assert(
      fc.property(worldArb, policySpecArb, (w, extra) => {
        const before = verdicts([...base(w), ...w.policies.map((p, i) => toPolicy(p, `np${i}`))]);
        const deny = toPolicy(extra, 'deny', { ingress: [], egress: [], types: effectiveTypes(extra) });
        const after = verdicts([...base(w), ...w.policies.map((p, i) => toPolicy(p, `np${i}`)), deny]);
        for (const [k, allowed] of after) if (allowed) expect(before.get(k), k).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('adding an Ingress policy never revokes a connection to a pod that was already isolated for ingress', () => {
    fc.assert(
      fc.property(worldArb, policySpecArb, (w, extra) => {
        const objects = [...base(w), ...w.policies.map((p, i) => toPolicy(p, `np${i}`))];
        const m = new NetworkModel(objects);
        const added = new NetworkModel([...objects, toPolicy(extra, 'extra', { egress: [], types: ['Ingress'] })]);
        for (const s of m.workloads())
          for (const d of m.workloads())
            for (const port of PORTS) {
              const v = m.canReach(s, d, port);
              if (v.allowed && v.ingress.isolated) expect(added.canReach(s, d, port).allowed, v.explanation).toBe(true);
            }
      }),
      { numRuns: 150 },
    );
  });
});
