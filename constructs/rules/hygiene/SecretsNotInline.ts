import { defineRule } from '../rule.js';
import { SECRET_FIX } from './advice.js';

/** NET-SEC1: no Secret object with data or stringData is rendered into the GitOps tree. */
export const SecretsNotInline = defineRule({
  id: 'NET-SEC1',
  level: 'error',
  title: 'No Secret with data or stringData is rendered',
  lesson:
    'clusters/ is a Git repository that Flux or Argo CD reads: a Secret rendered there is a credential in Git history forever ' +
    '(base64 is an encoding, not encryption). Seed 004 keeps runtime secrets in Doppler and lets External Secrets create the ' +
    'Kubernetes Secrets in the cluster; seed 003 kept its tokens in a secret store rather than in manifests.',
  source: 'seed 004 (External Secrets with Doppler), seed 003 (tokens kept in ESC)',
  fix: SECRET_FIX,
  *check({ objects }) {
    for (const o of objects) {
      if (o.kind !== 'Secret' || o.apiVersion !== 'v1') continue;
      for (const field of ['data', 'stringData'] as const) {
        const content = o.json[field];
        if (!content || typeof content !== 'object') continue;
        // SOPS-encrypted values are safe to commit
        const keys = Object.entries(content as Record<string, unknown>)
          .filter(([, v]) => !(typeof v === 'string' && /^ENC\[[A-Z0-9_]+,/.test(v)))
          .map(([k]) => k)
          .sort();
        if (!keys.length) continue;
        yield {
          at: o.path,
          message: `Secret ${o.namespace ? `${o.namespace}/` : ''}${o.name} carries ${field} in clear text (keys: ${keys.join(', ')})`,
          value: `${o.file} ${field}`,
          expected: 'no Secret data in clusters/: a reference to a Secret created outside Git',
        };
      }
    }
  },
});
