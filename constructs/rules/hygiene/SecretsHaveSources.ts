import { defineRule } from '../rule.js';
import { secretProvisions, secretReferences } from '../../secrets/references.js';

/**
 * NET-SEC4: every Secret a rendered object references has a source the tree declares or renders: a secret store, an
 * out-of-band command or SOPS file, or a controller of the tree that makes it (CloudNativePG, cert-manager).
 */
export const SecretsHaveSources = defineRule({
  id: 'NET-SEC4',
  level: 'error',
  title: 'Every Secret a rendered object references has a declared source',
  lesson:
    'A manifest that names a Secret nothing creates applies cleanly and then fails at run time: the pod sits in ' +
    'CreateContainerConfigError, cert-manager cannot solve DNS-01, cloudflared never connects. Seed 004 makes every runtime ' +
    'Secret with External Secrets from Doppler and seed 003 keeps its tokens in a store; a tree that names a Secret must also ' +
    'say where it comes from and when it exists.',
  source: 'seed 004 (External Secrets with Doppler), seed 003 (Cloudflare token and tunnel credentials)',
  fix:
    'Give the reference a source: `source: SecretSource.fromStore(store)` on the construct prop (an ExternalSecret is rendered ' +
    'beside the consumer), `SecretSource.outOfBand({ command })` or `({ sopsFile })` for a Secret made by hand, or ' +
    '`SecretSources.ensure(cluster).declare(scope, { name, namespace, source })` for an escape-hatch object.',
  *check({ cluster, objects }) {
    const provided = new Set(secretProvisions(cluster, objects).map((p) => `${p.namespace}/${p.name}`));
    for (const r of secretReferences(objects)) {
      if (provided.has(`${r.namespace}/${r.name}`)) continue;
      yield {
        at: r.object.path,
        message: `${r.object.kind} ${r.object.namespace ? `${r.object.namespace}/` : ''}${r.object.name} references Secret ${r.namespace}/${r.name} (${r.what}) at ${r.object.file}#${r.pointer}, and nothing declares where it comes from`,
        value: r.name,
        expected: `a source for Secret ${r.namespace}/${r.name}: a secret store, an out-of-band command or SOPS file, or a controller of the tree that makes it`,
      };
    }
  },
});
