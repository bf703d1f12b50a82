import { defineRule } from '../rule.js';

/**
 * NET-OUT1: one object identity (kind, namespace, name) has one definition in the cluster folder: rendered once, and
 * not again in a hand-written manifest its kustomization.yaml lists (output/foreign.ts).
 */
export const ObjectRenderedOnce = defineRule({
  id: 'NET-OUT1',
  level: 'error',
  title: 'Each object (kind, namespace, name) is defined exactly once: rendered once, and not again by a hand-written manifest',
  lesson:
    'Two manifests for one object make the GitOps engine apply them in turn: the last one wins on every reconcile and the ' +
    'cluster flaps between them. Seed 002 had two L2 announcement policies doing the same job and paid with ARP fights. ' +
    'Only one of the two can be written to its file, so the other would vanish unseen; a hand-written manifest listed beside ' +
    'a rendered one with the same object makes kustomize refuse to build the whole folder. No acknowledgement silences this rule.',
  source: 'seed 002 (duplicate L2 policies), seed 003 (ownership conflicts), kustomize (an object id may be added once)',
  fix: 'Keep one definition of the object: remove the duplicate construct or rename one of them.',
  *check({ cluster, objects, existing }) {
    const seen = new Map<string, string>();
    const keyOf = (o: { apiVersion: string; kind: string; namespace?: string; name?: string }) =>
      `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : 'core'}/${o.kind}/${o.namespace ?? ''}/${o.name ?? ''}`;
    for (const o of objects) {
      const key = keyOf(o);
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
    // hand-written manifests the kustomization.yaml files list: the engine applies them beside the rendered objects
    for (const f of existing?.handWritten ?? []) {
      for (const o of f.status === 'listed' ? (f.objects ?? []) : []) {
        if (o.name === undefined) continue;
        const key = keyOf(o);
        const where = `clusters/${cluster.clusterName}/${f.file}`;
        const first = seen.get(key);
        if (first) {
          yield {
            at: first.startsWith('clusters/') ? cluster : first,
            message: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} is defined by hand in ${where} and also ${first.startsWith('clusters/') ? `in ${first}` : `rendered by ${first}`}`,
            value: f.file,
            expected: 'one definition per object',
            fix: first.startsWith('clusters/')
              ? `Keep one of the two definitions: delete the object from ${where} or from ${first}.`
              : `Keep one definition: delete the object from ${where}, or remove the construct at ${first} (to change a rendered object, use its construct's props or an escape hatch).`,
          };
        } else {
          seen.set(key, where);
        }
      }
    }
  },
});
