import { defineRule } from '../rule.js';

/** NET-OUT1: one object identity (kind, namespace, name) is rendered once. */
export const ObjectRenderedOnce = defineRule({
  id: 'NET-OUT1',
  level: 'error',
  title: 'Each object (kind, namespace, name) is rendered exactly once',
  lesson:
    'Two manifests for one object make the GitOps engine apply them in turn: the last one wins on every reconcile and the ' +
    'cluster flaps between them. Seed 002 had two L2 announcement policies doing the same job and paid with ARP fights. ' +
    'Only one of the two can be written to its file, so the other would vanish unseen: no acknowledgement silences this rule.',
  source: 'seed 002 (duplicate L2 policies), seed 003 (ownership conflicts)',
  fix: 'Keep one definition of the object: remove the duplicate construct or rename one of them.',
  *check({ objects }) {
    const seen = new Map<string, string>();
    for (const o of objects) {
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : 'core';
      const key = `${group}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
      const first = seen.get(key);
      if (first) {
        yield {
          at: o.path,
          message: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} is also rendered by ${first}`,
          value: `${o.kind}/${o.name}`,
          expected: 'one definition per object',
        };
      } else {
        seen.set(key, o.path);
      }
    }
  },
});
