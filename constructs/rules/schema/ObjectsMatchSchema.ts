import { validateLoaded } from '../../schema/schema.js';
import { defineRule } from '../rule.js';

/** NET-SCH1: every rendered object passes its kind's schema validator. */
export const ObjectsMatchSchema = defineRule({
  id: 'NET-SCH1',
  level: 'error',
  title: 'Every rendered object passes the schema of its kind',
  lesson:
    'A manifest the API server rejects stops the whole GitOps layer it is in, and it is found only after the commit. The typed ' +
    "models of kubernetes-models and @kubernetes-models/* carry each kind's validator; every object is checked before a file is written.",
  source: 'kubernetes-models, @kubernetes-models/* (upstream CRD schemas)',
  fix: "Correct the field named in the message; for escape-hatch objects, check the kind's API reference.",
  *check({ objects }) {
    for (const o of objects) {
      for (const p of validateLoaded(o.json)) {
        if (p.kind === 'invalid') {
          // the value is what the object holds at the offending field (the file is in the message's path)
          yield {
            at: o.path,
            message: `${o.kind} ${o.name} is invalid: ${p.message}${o.file ? ` (in ${o.file})` : ''}`,
            value: valueAt(o.json, p.pointer),
            expected: `a valid ${o.apiVersion} ${o.kind}`,
          };
        }
      }
    }
  },
});

/** The value at a JSON pointer (`/spec/ports/0/port`), or undefined. */
export function valueAt(json: unknown, pointer: string): unknown {
  let v: unknown = json;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
