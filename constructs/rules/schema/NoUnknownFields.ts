import { validateLoaded } from '../../validation/schema.js';
import { defineRule } from '../rule.js';

/** NET-SCH2: rendered objects have no field their kind does not define. */
export const NoUnknownFields = defineRule({
  id: 'NET-SCH2',
  level: 'error',
  title: 'Rendered objects carry no field their kind does not have',
  lesson:
    'An unknown field is dropped by the API server (or rejected under strict validation) without changing anything: the setting ' +
    'someone believes is live is not. Seed 002 set an ALPN list on a Gateway listener, a field Gateway API does not have.',
  source: 'seed 002 (gw-internal ALPN), Kubernetes field validation',
  fix: 'Remove the field, or move the setting to where the kind really has it (see the kind\'s API reference).',
  *check({ objects }) {
    for (const o of objects) {
      for (const p of validateLoaded(o.json)) {
        if (p.kind === 'unknown-field') {
          yield { at: o.path, message: `${o.kind} ${o.name} has a field its kind does not define`, value: p.pointer, expected: `only fields of ${o.apiVersion} ${o.kind}` };
        }
      }
    }
  },
});
