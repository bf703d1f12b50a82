import { validateLoaded } from '../../schema/schema.js';
import { defineRule } from '../rule.js';

/** NET-SCH3: every rendered kind has a schema the synthesizer can check it against. */
export const KnownKinds = defineRule({
  id: 'NET-SCH3',
  level: 'warning',
  title: 'Every rendered kind has a known schema',
  lesson: 'An object of a kind no model describes is written unchecked; a typo in its apiVersion only shows on the cluster.',
  source: 'foundation issue (validation of escape hatches)',
  fix: 'Check the apiVersion and kind; if the kind is right, acknowledge NET-SCH3 on the construct with the reason.',
  *check({ objects }) {
    for (const o of objects) {
      if (validateLoaded(o.json).some((p) => p.kind === 'unknown-kind')) {
        yield { at: o.path, message: `no schema is known for ${o.apiVersion} ${o.kind}; the object is written unchecked`, value: `${o.apiVersion}/${o.kind}` };
      }
    }
  },
});
