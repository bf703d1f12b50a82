import { defineRule } from '../rule.js';
import { SECRET_FIX } from './advice.js';
import { isCredentialName, isHarmlessValue, namesASecret, scanText, walkJson } from './credentials.js';

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
      const seen = new Set<string>();
      for (const { pointer, key, value, parent } of walkJson(o.json)) {
        // Secret data is NET-SEC1's; an env entry's literal value is NET-SEC3's.
        if (o.kind === 'Secret' && /^\/(data|stringData)(\/|$)/.test(pointer)) continue;
        const hits: string[] = [];
        if (typeof value === 'string') {
          for (const h of scanText(value)) hits.push(h.line ? `${h.what} (line ${h.line})` : h.what);
          const isReference = parent !== null && typeof parent === 'object' && !Array.isArray(parent) && 'remoteRef' in parent;
          if (!Array.isArray(parent) && isCredentialName(key) && !isHarmlessValue(value) && !namesASecret(key, value) && !isReference) hits.push(`a literal value for ${JSON.stringify(key)}`);
        } else if (value !== null && typeof value === 'object' && !Array.isArray(parent) && /tunnelsecret$/i.test(key)) {
          hits.push('Cloudflare tunnel credentials (TunnelSecret)');
        }
        for (const what of hits) {
          const id = `${pointer}\u0000${what}`;
          if (seen.has(id)) continue;
          seen.add(id);
          yield {
            at: o.path,
            message: `${o.kind} ${o.name} carries ${what} at ${pointer}`,
            value: `${o.file}#${pointer}`,
            expected: 'a reference to a Secret, never the credential',
          };
        }
      }
    }
    for (const [file, content] of [...(extraFiles ?? new Map<string, string>())].sort(([a], [b]) => a.localeCompare(b))) {
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
