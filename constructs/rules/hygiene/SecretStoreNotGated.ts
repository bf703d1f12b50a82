import { Layer, UNGATED_LAYERS } from '../../component.js';
import { defineRule } from '../rule.js';

const STORE_KINDS = new Set(['ClusterSecretStore', 'SecretStore']);

/**
 * NET-SEC5: a secret store sits in a layer of its own that no layer waits for: no Flux Kustomization health-checks it
 * (wait, healthChecks) or depends on its layer, and with Argo CD its layer carries nothing else.
 */
export const SecretStoreNotGated = defineRule({
  id: 'NET-SEC5',
  level: 'error',
  title: 'A secret store is in a layer of its own, and no layer waits for its health',
  lesson:
    "Seed 004's Doppler API timed out now and then; while the ClusterSecretStore was part of the Flux health checks every " +
    'layer behind it stalled, although only the Secrets it makes needed it. The fix there: keep the store out of the health ' +
    'checks and let the consumers of its Secrets wait for them. A store in a layer that others depend on, or whose layer waits ' +
    "for the store's readiness, brings the stall back.",
  source: 'seed 004 (phase 4: keep ClusterSecretStore out of Flux health checks)',
  fix:
    `Declare the store with SecretStore (it renders in the ${Layer.SECRET_STORE} layer, which nothing depends on, with wait: false); ` +
    'remove the store from any healthChecks and any dependsOn on its layer.',
  *check({ cluster, objects }) {
    const root = `clusters/${cluster.clusterName}/`;
    const folderOf = (o: { json: any }) =>
      String(o.json.spec?.path ?? o.json.spec?.source?.path ?? '')
        .replace(/^\.\//, '')
        .replace(root, '')
        .replace(/\/+$/, '');
    const stores = objects.filter((o) => STORE_KINDS.has(o.kind) && o.apiVersion.startsWith('external-secrets.io/'));
    if (!stores.length) return;
    const storeLayers = new Set(stores.map((s) => s.file.split('/')[0]!));
    for (const s of stores) {
      const layer = s.file.split('/')[0]!;
      if (!UNGATED_LAYERS.has(layer as Layer)) {
        yield {
          at: s.path,
          message: `${s.kind} ${s.name} is rendered in layer ${layer} (${s.file}), which the layers after it wait for`,
          value: layer,
          expected: `the store in the ${Layer.SECRET_STORE} layer, on its own`,
        };
      }
    }
    const entries = objects.filter((o) => !o.file.includes('/') && o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'));
    const byName = new Map(entries.map((e) => [e.name, folderOf(e)]));
    for (const e of entries) {
      const folder = folderOf(e);
      if (storeLayers.has(folder) && e.json.spec?.wait === true) {
        yield {
          at: e.path,
          message: `Flux Kustomization ${e.name} applies a secret store (layer ${folder}) with wait: true (${e.file}#/spec/wait): it is Ready only once the store's provider answers`,
          value: true,
          expected: 'wait: false on the layer of the store',
        };
      }
      for (const [i, h] of (Array.isArray(e.json.spec?.healthChecks) ? e.json.spec.healthChecks : []).entries()) {
        if (STORE_KINDS.has(h?.kind)) {
          yield {
            at: e.path,
            message: `Flux Kustomization ${e.name} health-checks ${h.kind} ${h.name} (${e.file}#/spec/healthChecks/${i})`,
            value: h.name,
            expected: 'no secret store among the health checks: check the Secrets the bootstrap needs instead',
          };
        }
      }
      for (const [i, d] of (Array.isArray(e.json.spec?.dependsOn) ? e.json.spec.dependsOn : []).entries()) {
        const dep = byName.get(d?.name);
        if (dep !== undefined && storeLayers.has(dep)) {
          yield {
            at: e.path,
            message: `Flux Kustomization ${e.name} depends on ${d.name}, the layer of the secret store: it waits until the store is applied (${e.file}#/spec/dependsOn/${i})`,
            value: d.name,
            expected: 'no layer depends on the store layer',
          };
        }
      }
    }
  },
});
