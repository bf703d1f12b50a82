import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { validateLoaded } from '../../schema/schema.js';
import { defineRule } from '../rule.js';
import { descendants } from '../../core/tree.js';

/** A JSON patch operation as cdk8s records it. */
interface PatchOp {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
}

/** The JSON patch operations added to an ApiObject with `addJsonPatch` (cdk8s keeps them private). */
function patchesOf(obj: ApiObject): PatchOp[] {
  const patches = (obj as unknown as { patches?: { _toJson(): PatchOp }[] }).patches ?? [];
  return patches.map((p) => p._toJson());
}

/** True when the JSON pointer resolves in `doc` (`/-` = append: the parent array exists). */
function resolves(doc: unknown, pointer: string): boolean {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: unknown = doc;
  for (const [i, part] of parts.entries()) {
    if (Array.isArray(cur) && part === '-' && i === parts.length - 1) return true;
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return false;
    cur = (cur as Record<string, unknown>)[part];
  }
  return true;
}

/** NET-SCH2: rendered objects have no field their kind does not define. */
export const NoUnknownFields = defineRule({
  id: 'NET-SCH2',
  level: 'error',
  title: 'Rendered objects carry no field their kind does not have',
  lesson:
    'An unknown field is dropped by the API server (or rejected under strict validation) without changing anything: the setting ' +
    'someone believes is live is not. Seed 002 set an ALPN list on a Gateway listener, a field Gateway API does not have. ' +
    'The Kubernetes L1 classes of cdk8s-plus drop unknown fields from their output themselves, so a JSON patch that adds one ' +
    'vanishes without a word: that is reported too.',
  source: 'seed 002 (gw-internal ALPN), Kubernetes field validation',
  fix: "Remove the field, or move the setting to where the kind really has it (see the kind's API reference).",
  *check({ cluster, objects }) {
    for (const o of objects) {
      for (const p of validateLoaded(o.json)) {
        if (p.kind === 'unknown-field') {
          yield {
            at: o.path,
            message: `${o.kind} ${o.name} has a field its kind does not define`,
            value: p.pointer,
            expected: `only fields of ${o.apiVersion} ${o.kind}`,
          };
        }
      }
    }
    // JSON patches whose target is missing from the output: the object's class dropped the field while serializing.
    const byPath = new Map<string, IConstruct>(descendants(cluster).map((c) => [c.node.path, c]));
    for (const o of objects) {
      const obj = byPath.get(o.path);
      if (!(obj instanceof ApiObject)) continue;
      const ops = patchesOf(obj);
      for (const [i, op] of ops.entries()) {
        if (!['add', 'replace', 'copy', 'move'].includes(op.op)) continue;
        const undone = ops.slice(i + 1).some((later) => (later.op === 'remove' && later.path === op.path) || (later.op === 'move' && later.from === op.path));
        if (undone || resolves(o.json, op.path)) continue;
        yield {
          at: o.path,
          message: `${o.kind} ${o.name}: the JSON patch "${op.op} ${op.path}" is missing from the output; its class dropped a field ${o.kind} does not define`,
          value: op.path,
          expected: `only fields of ${o.apiVersion} ${o.kind}`,
        };
      }
    }
  },
});
