import { Layer, UNGATED_LAYERS } from '../../component.js';
import { defineRule } from '../rule.js';
import { EXTERNAL_SECRET_HEALTH_EXPR } from '../../secret-source.js';

const STORE_KINDS = new Set(['ClusterSecretStore', 'SecretStore']);

/**
 * NET-SEC5: a secret store sits in a layer of its own that no layer waits for: no Flux Kustomization health-checks it
 * (wait, healthChecks) or depends on its layer, and with Argo CD its layer carries nothing else. Nor does a Flux layer
 * wait on the health of an ExternalSecret (Ready=False whenever the store's provider does not answer) unless its
 * `healthCheckExprs` read an ExternalSecret as current once it wrote its Secret.
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
    'remove the store from any healthChecks and any dependsOn on its layer. A Flux layer that holds ExternalSecrets and waits ' +
    '(wait: true, or healthChecks naming one) carries healthCheckExprs that read an ExternalSecret as current once synced ' +
    '(the renderer adds them).',
  *check({ cluster, objects }) {
    const root = `clusters/${cluster.clusterName}/`;
    const folderOf = (o: { json: any }) =>
      String(o.json.spec?.path ?? o.json.spec?.source?.path ?? '')
        .replace(/^\.\//, '')
        .replace(root, '')
        .replace(/\/+$/, '');
    const stores = objects.filter((o) => STORE_KINDS.has(o.kind) && o.apiVersion.startsWith('external-secrets.io/'));
    const externalSecrets = objects.filter((o) => o.kind === 'ExternalSecret' && o.apiVersion.startsWith('external-secrets.io/'));
    if (!stores.length && !externalSecrets.length) return;
    const esLayers = new Map<string, string[]>();
    for (const es of externalSecrets) {
      const layer = es.file.split('/')[0]!;
      esLayers.set(layer, [...(esLayers.get(layer) ?? []), `${es.namespace ?? ''}/${es.name}`]);
    }
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
      const checks: any[] = Array.isArray(e.json.spec?.healthChecks) ? e.json.spec.healthChecks : [];
      const held = esLayers.get(folder);
      const waitsOnEs = e.json.spec?.wait === true || checks.some((h) => h?.kind === 'ExternalSecret');
      const exprs: any[] = Array.isArray(e.json.spec?.healthCheckExprs) ? e.json.spec.healthCheckExprs : [];
      const excluded = exprs.some(
        (x) =>
          x?.kind === 'ExternalSecret' && String(x?.apiVersion ?? '').startsWith('external-secrets.io/') && x?.current === EXTERNAL_SECRET_HEALTH_EXPR.current,
      );
      if (held && waitsOnEs && !excluded) {
        yield {
          at: e.path,
          message:
            `Flux Kustomization ${e.name} waits for the health of ExternalSecret ${held.join(', ')} (${e.file}#/spec): each turns Ready=False ` +
            'when a refresh fails, and holds up this layer and the layers after it',
          value: { wait: e.json.spec?.wait, healthCheckExprs: exprs },
          expected: `healthCheckExprs with ${JSON.stringify(EXTERNAL_SECRET_HEALTH_EXPR)} (current once synced), or wait: false`,
        };
      }
      for (const [i, h] of checks.entries()) {
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
