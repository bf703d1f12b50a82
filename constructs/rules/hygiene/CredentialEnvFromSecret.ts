import { defineRule } from '../rule.js';
import { forEachJson, isCredentialName, isHarmlessValue, pointerOf } from './credentials.js';

/** NET-SEC3: an environment variable named like a credential takes its value from a Secret, never a literal. */
export const CredentialEnvFromSecret = defineRule({
  id: 'NET-SEC3',
  level: 'error',
  title: 'Environment variables named like credentials (PASSWORD, TOKEN, SECRET, API_KEY) come from a Secret',
  lesson:
    'A `value:` on an env var such as POSTGRE_PASSWORD puts the password into the manifest, the Git history and every ' +
    '`kubectl describe`. Seed 003\'s Label Studio read POSTGRE_PASSWORD "from secret": the manifest names the Secret and ' +
    'the key, the store (External Secrets with Doppler in seed 004) holds the value.',
  source: 'seed 003 (Label Studio database environment), seed 004 (External Secrets)',
  fix:
    'Replace `value:` with `valueFrom: { secretKeyRef: { name, key } }` or load the whole Secret with `envFrom: [{ secretRef: { name } }]` ' +
    '(Workload: envFromSecrets). Create that Secret with an ExternalSecret (imports/external-secrets.ts) or SOPS, not in clusters/.',
  *check({ objects }) {
    for (const o of objects) {
      const found: { pointer: string; name: string }[] = [];
      forEachJson(o.json, (_key, value, _parent, keys) => {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
        const entry = value as Record<string, unknown>;
        if (typeof entry.name !== 'string' || typeof entry.value !== 'string' || 'valueFrom' in entry) return;
        if (!isCredentialName(entry.name) || isHarmlessValue(entry.value)) return;
        found.push({ pointer: pointerOf(keys), name: entry.name });
      });
      for (const { pointer, name } of found) {
        yield {
          at: o.path,
          message: `${o.kind} ${o.name} sets ${name} to a literal value at ${pointer}/value`,
          value: `${o.file}#${pointer}/value`,
          expected: `${name} from valueFrom.secretKeyRef or envFrom`,
        };
      }
    }
  },
});
