import { defineRule } from '../rule.js';
import { SECRET_FIX } from './advice.js';
import { forEachJson, isCredentialName, isHarmlessValue, namesASecret, pointerOf, scanText } from './credentials.js';
import { compareText } from '../../core/order.js';

/**
 * NET-SEC2: nothing that looks like a credential appears in any rendered object or extra file.
 *
 * Findings name the kind of credential and where it is, never the credential itself.
 */
export const CredentialsNotRendered = defineRule({
  id: 'NET-SEC2',
  level: 'error',
  title: 'No credential appears anywhere in the rendered tree or its extra files',
  lesson:
    'A credential hides in many places besides a Secret: a Helm value, a ConfigMap, a connection URL with user:password@, ' +
    'a tunnel credentials JSON (AccountTag/TunnelSecret), an edge host file. Seed 003 pasted a Cloudflare API token and tunnel ' +
    'ids into its runbook; anything rendered into clusters/ is just as public to whoever reads the repository.',
  source: 'seed 003 (Cloudflare token and tunnel credentials), seed 004 (Doppler-backed External Secrets)',
  fix: SECRET_FIX,
  *check({ cluster, objects, extraFiles }) {
    for (const o of objects) {
      const found: { pointer: string; what: string }[] = [];
      forEachJson(o.json, (key, value, parent, keys) => {
        // Secret data is NET-SEC1's; an env entry's literal value is NET-SEC3's.
        if (o.kind === 'Secret' && keys.length === 1 && (key === 'data' || key === 'stringData')) return false;
        let hits: string[] | undefined;
        if (typeof value === 'string') {
          for (const h of scanText(value)) (hits ??= []).push(h.line ? `${h.what} (line ${h.line})` : h.what);
          if (!Array.isArray(parent) && isCredentialName(key) && !isHarmlessValue(value) && !namesASecret(key, value) && !('remoteRef' in parent)) {
            (hits ??= []).push(`a literal value for ${JSON.stringify(key)}`);
          }
        } else if (value !== null && typeof value === 'object' && !Array.isArray(parent) && /tunnelsecret$/i.test(key)) {
          hits = ['Cloudflare tunnel credentials (TunnelSecret)'];
        }
        if (!hits) return;
        // the pointer of a value is unique in the object: repeats can only come from the same value
        const pointer = pointerOf(keys);
        for (const what of new Set(hits)) found.push({ pointer, what });
      });
      for (const { pointer, what } of found) {
        yield {
          at: o.path,
          message: `${o.kind} ${o.name} carries ${what} at ${pointer}`,
          value: `${o.file}#${pointer}`,
          expected: 'a reference to a Secret, never the credential',
        };
      }
    }
    for (const [file, content] of [...(extraFiles ?? new Map<string, string>())].sort(([a], [b]) => compareText(a, b))) {
      for (const h of scanText(content)) {
        yield {
          at: cluster,
          message: `clusters/${cluster.clusterName}/${file} carries ${h.what}${h.line ? ` on line ${h.line}` : ''}`,
          value: h.line ? `${file}:${h.line}` : file,
          expected: 'a reference to a credential kept outside Git (a file path on the host, a Secret)',
        };
      }
    }
  },
});
