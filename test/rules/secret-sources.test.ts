/**
 * Secret sources (issue 19): the typed model (a store or out of band), the store's layer that gates nothing, and rules
 * NET-SEC4 (every referenced Secret has a source) and NET-SEC5 (no layer waits for the store).
 */
import { spawnSync } from 'node:child_process';
import { k8s } from 'cdk8s-plus-30';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  Acknowledgements,
  CloudflareClusterIssuer,
  Component,
  GitOps,
  IsolatedDatabase,
  Layer,
  EXTERNAL_SECRET_HEALTH_EXPR,
  EXTERNAL_SECRET_HEALTH_KEY,
  EXTERNAL_SECRET_HEALTH_LUA,
  SECRET_STORE_HEALTH_KEY,
  SECRET_STORE_HEALTH_LUA,
  SecretSource,
  SecretSources,
  SecretStore,
  StoreProvider,
  Workload,
} from '../../constructs/index.js';
import { ClusterSecretStore } from '../../imports/external-secrets.js';
import { file, ids, run, testCluster } from '../helpers.js';
import type { App } from 'cdk8s';
import { Cluster } from '../../constructs/cluster.js';
import { renderObjects } from '../../constructs/output/render.js';
import { SecretStoreNotGated } from '../../constructs/rules/hygiene/SecretStoreNotGated.js';
import type { RuleContext } from '../../constructs/rules/rule.js';

const y = (text: string) => parse(text.replace(/^#.*\n/, ''));
const DOPPLER_TOKEN = 'kubectl -n external-secrets create secret generic doppler-token --from-literal=dopplerToken="$DOPPLER_TOKEN"';

function doppler(scope: Parameters<typeof testCluster>[0] = {}) {
  const t = testCluster(scope);
  const store = new SecretStore(t.cluster, 'Doppler', {
    provider: StoreProvider.doppler({ tokenSecret: { name: 'doppler-token', key: 'dopplerToken' }, project: 'oceanid', config: 'prd' }),
    credential: { command: DOPPLER_TOKEN },
  });
  return { ...t, store };
}

describe('SecretStore and SecretSource.fromStore', () => {
  it('renders the operator (secrets layer), the store (secret-store layer) and an ExternalSecret beside its consumer', async () => {
    const { app, cluster, store } = doppler();
    new Workload(cluster, 'label-studio', {
      namespace: 'apps',
      image: 'heartexlabs/label-studio:1.21.0',
      ports: [{ name: 'http', port: 8085 }],
      envFromSecrets: [{ name: 'labelfish-db', source: SecretSource.fromStore(store, { remoteKeys: { POSTGRE_PASSWORD: 'LABELFISH_DB_PASSWORD' } }) }],
    });
    const o = await run(app);
    expect(o.findings).toEqual([]);
    expect(y(file(o, 'test', 'secrets/external-secrets/helmrelease-external-secrets.yaml')).spec.chart.spec).toMatchObject({
      chart: 'external-secrets',
      version: '2.1.0',
    });
    expect(y(file(o, 'test', 'secret-store/secret-store/clustersecretstore-doppler.yaml'))).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'doppler' },
      spec: {
        provider: {
          doppler: {
            auth: { secretRef: { dopplerToken: { name: 'doppler-token', key: 'dopplerToken', namespace: 'external-secrets' } } },
            project: 'oceanid',
            config: 'prd',
          },
        },
      },
    });
    const es = y(file(o, 'test', 'apps/label-studio/externalsecret-labelfish-db.yaml'));
    expect(es).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'labelfish-db', namespace: 'apps' },
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'doppler' },
        target: { name: 'labelfish-db', creationPolicy: 'Owner' },
        data: [{ secretKey: 'POSTGRE_PASSWORD', remoteRef: { key: 'LABELFISH_DB_PASSWORD' } }],
      },
    });
    // remoteKeys say what the whole Secret holds: no dataFrom of a store key that does not exist
    expect(es.spec).not.toHaveProperty('dataFrom');
  });

  it('a whole-Secret consumer (envFrom) gets dataFrom extract of one store key, never an empty data', async () => {
    const { app, cluster, store } = doppler();
    new Workload(cluster, 'api', {
      namespace: 'apps',
      image: 'ghcr.io/example/api:1.0.0',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: [
        { name: 'api-env', source: SecretSource.fromStore(store) },
        { name: 'api-extra', source: SecretSource.fromStore(store, { remoteKey: 'API_EXTRA_JSON' }) },
      ],
    });
    const o = await run(app);
    expect(o.findings).toEqual([]);
    const env = y(file(o, 'test', 'apps/api/externalsecret-api-env.yaml'));
    expect(env.spec.dataFrom).toEqual([{ extract: { key: 'api-env' } }]);
    expect(env.spec).not.toHaveProperty('data');
    expect(y(file(o, 'test', 'apps/api/externalsecret-api-extra.yaml')).spec.dataFrom).toEqual([{ extract: { key: 'API_EXTRA_JSON' } }]);
  });

  it("Flux: the store's layer has wait: false, and the next layer depends on the operator's layer, not on the store's", async () => {
    const { app, cluster, store } = doppler();
    new Workload(cluster, 'api', {
      namespace: 'apps',
      image: 'ghcr.io/example/api:1.0.0',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: [{ name: 'api-env', source: SecretSource.fromStore(store) }],
    });
    const o = await run(app);
    const storeLayer = y(file(o, 'test', 'layer-secret-store.yaml'));
    expect(storeLayer.spec).toMatchObject({ wait: false, dependsOn: [{ name: 'secrets' }] });
    expect(y(file(o, 'test', 'layer-secrets.yaml')).spec).toMatchObject({ wait: true });
    expect(y(file(o, 'test', 'layer-apps.yaml')).spec.dependsOn).toEqual([{ name: 'secrets' }]);
    for (const [path, content] of o.result!.clusters[0]!.files) {
      if (/^layer-.*\.yaml$/.test(path)) expect(y(content).spec.dependsOn ?? [], path).not.toContainEqual({ name: 'secret-store' });
    }
  });

  it('Argo CD: argocd-cm reads a ClusterSecretStore as Healthy, so the next sync wave never waits for the provider', async () => {
    const { app } = doppler({ gitops: GitOps.argocd({ repoUrl: 'https://example.org/repo.git' }) });
    const o = await run(app);
    expect(o.findings).toEqual([]);
    expect(y(file(o, 'test', 'bootstrap/argocd/argocd-cm.yaml')).data[SECRET_STORE_HEALTH_KEY]).toBe(SECRET_STORE_HEALTH_LUA);
  });

  it('declaring one Secret with two sources is a finding on the second consumer', async () => {
    const { app, cluster, store } = doppler();
    const ports = [{ name: 'http', port: 80 }];
    new Workload(cluster, 'a', { namespace: 'apps', image: 'x/a:1.0.0', ports, envFromSecrets: [{ name: 'shared', source: SecretSource.fromStore(store) }] });
    new Workload(cluster, 'b', {
      namespace: 'apps',
      image: 'x/b:1.0.0',
      ports,
      envFromSecrets: [{ name: 'shared', source: SecretSource.outOfBand({ sopsFile: 'secrets/shared.sops.yaml' }) }],
    });
    const o = await run(app);
    const f = o.findings.filter((x) => x.ruleId === 'NET-SEC4');
    expect(f.map((x) => [x.path, x.message])).toEqual([
      [
        'test/b-app/b',
        'Secret apps/shared is declared with two sources: ExternalSecret from ClusterSecretStore doppler (Doppler (project oceanid, config prd)) (at test/a-app/a) and out of band, from the SOPS file `secrets/shared.sops.yaml` (`sops -d secrets/shared.sops.yaml | kubectl apply -f -`)',
      ],
    ]);
  });

  const LUA = ['lua5.1', 'lua'].find((bin) => {
    const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
    return r.status === 0 && /Lua 5\.1/.test(`${r.stdout}${r.stderr}`);
  });
  if (!LUA) console.warn('SKIPPED: no Lua 5.1 interpreter (apt-get install lua5.1); the ClusterSecretStore health check was not run');
  it.skipIf(!LUA)('the store health check is Healthy whatever the store says, and carries its Ready condition as the message', () => {
    const health = (obj: string) => {
      const program = `obj = ${obj}\nlocal check = loadstring(io.read("*a"))\nlocal hs = check()\nio.write(tostring(hs.status) .. "|" .. tostring(hs.message))`;
      const r = spawnSync(LUA!, ['-e', program], { input: SECRET_STORE_HEALTH_LUA, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout;
    };
    expect(health('{}')).toBe('Healthy|store not reported yet');
    expect(health('{ status = { conditions = { { type = "Ready", status = "False", reason = "ValidationFailed", message = "doppler: timeout" } } } }')).toBe(
      'Healthy|Ready=False: doppler: timeout',
    );
    expect(health('{ status = { conditions = { { type = "Ready", status = "True", reason = "Valid" } } } }')).toBe('Healthy|Ready=True: Valid');
  });
});

describe('reports/bootstrap.md', () => {
  it("creates the store credential's namespace before the command that creates the credential in it", async () => {
    const { app } = doppler();
    const report = file(await run(app), 'test', 'reports/bootstrap.md');
    const ns = report.indexOf('kubectl create namespace external-secrets --dry-run=client -o yaml | kubectl apply -f -');
    const credential = report.indexOf(DOPPLER_TOKEN);
    expect(ns).toBeGreaterThan(-1);
    expect(credential).toBeGreaterThan(ns);
    expect(report).toContain('by hand, before the bootstrap, once namespace external-secrets exists (above)');
  });
});

describe('ExternalSecrets gate no layer on the store', () => {
  const api = (store: SecretStore, cluster: ReturnType<typeof doppler>['cluster']) =>
    new Workload(cluster, 'api', {
      namespace: 'apps',
      image: 'ghcr.io/example/api:1.0.0',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: [{ name: 'api-env', source: SecretSource.fromStore(store) }],
    });

  it('Flux: a waiting layer holding an ExternalSecret reads it as current once synced, and the rule passes', async () => {
    const { app, cluster, store } = doppler();
    api(store, cluster);
    const o = await run(app);
    expect(o.findings).toEqual([]);
    const apps = y(file(o, 'test', 'layer-apps.yaml'));
    expect(apps.spec.wait).toBe(true);
    expect(apps.spec.healthCheckExprs).toEqual([{ ...EXTERNAL_SECRET_HEALTH_EXPR }]);
    // layers without ExternalSecrets keep the plain wait
    expect(y(file(o, 'test', 'layer-secrets.yaml')).spec).not.toHaveProperty('healthCheckExprs');
  });

  it('Argo CD: argocd-cm reads an ExternalSecret as Healthy once synced', async () => {
    const { app, cluster, store } = doppler({ gitops: GitOps.argocd({ repoUrl: 'https://example.org/repo.git' }) });
    api(store, cluster);
    const o = await run(app);
    expect(o.findings).toEqual([]);
    expect(y(file(o, 'test', 'bootstrap/argocd/argocd-cm.yaml')).data[EXTERNAL_SECRET_HEALTH_KEY]).toBe(EXTERNAL_SECRET_HEALTH_LUA);
  });

  const LUA = ['lua5.1', 'lua'].find((bin) => spawnSync(bin, ['-v'], { encoding: 'utf8' }).status === 0);
  it.skipIf(!LUA)('the ExternalSecret health check: Healthy once the Secret was written, even after a failed refresh', () => {
    const health = (obj: string) => {
      const program = `obj = ${obj}\nlocal check = loadstring(io.read("*a"))\nlocal hs = check()\nio.write(tostring(hs.status) .. "|" .. tostring(hs.message))`;
      const r = spawnSync(LUA!, ['-e', program], { input: EXTERNAL_SECRET_HEALTH_LUA, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout;
    };
    const notReady = '{ type = "Ready", status = "False", reason = "SecretSyncedError", message = "doppler: timeout" }';
    expect(health('{}')).toBe('Progressing|waiting for the first sync');
    expect(health(`{ status = { conditions = { ${notReady} } } }`)).toBe('Progressing|not synced yet: doppler: timeout');
    expect(
      health('{ status = { binding = { name = "api-env" }, syncedResourceVersion = "1-abc", conditions = { { type = "Ready", status = "True" } } } }'),
    ).toBe('Healthy|Secret synced');
    expect(health(`{ status = { binding = { name = "api-env" }, conditions = { ${notReady} } } }`)).toBe(
      'Healthy|Secret synced before; latest refresh: doppler: timeout',
    );
    expect(health(`{ status = { syncedResourceVersion = "1-abc", conditions = { ${notReady} } } }`)).toBe(
      'Healthy|Secret synced before; latest refresh: doppler: timeout',
    );
    expect(health(`{ status = { binding = { name = "" }, syncedResourceVersion = "", conditions = { ${notReady} } } }`)).toBe(
      'Progressing|not synced yet: doppler: timeout',
    );
  });
});

describe('NET-SEC4 every referenced Secret has a source', () => {
  it('fails for a Secret nothing declares, naming the referencing path and the fix', async () => {
    const { app, cluster } = testCluster();
    new Workload(cluster, 'api', { namespace: 'apps', image: 'x/api:1.0.0', ports: [{ name: 'http', port: 80 }], envFromSecrets: ['api-env'] });
    new CloudflareClusterIssuer(new Component(cluster, 'Tls', { layer: Layer.NETWORKING }), 'Issuer', {
      email: 'ops@example.lan',
      zones: ['example.lan'],
      apiTokenSecret: { name: 'cloudflare-api-token', key: 'api-token' },
    });
    const o = await run(app);
    expect(o.ok).toBe(false);
    const f = o.findings.filter((x) => x.ruleId === 'NET-SEC4');
    expect(f.map((x) => [x.path, x.message, x.value])).toEqual([
      [
        'test/Tls/Issuer/Resource',
        'ClusterIssuer letsencrypt-cloudflare references Secret cert-manager/cloudflare-api-token (the cloudflare DNS-01 solver) at networking/tls/clusterissuer-letsencrypt-cloudflare.yaml#/spec/acme/solvers/0/dns01/cloudflare/apiTokenSecretRef/name, and nothing declares where it comes from',
        'cloudflare-api-token',
      ],
      [
        'test/api-app/api/Resource',
        'Deployment apps/api references Secret apps/api-env (envFrom of container api) at apps/api/deployment-api.yaml#/spec/template/spec/containers/0/envFrom/0/secretRef/name, and nothing declares where it comes from',
        'api-env',
      ],
    ]);
    expect(f[1]!.fix).toMatch(/SecretSource\.fromStore/);
  });

  it("passes for declared sources, a CloudNativePG cluster's -app Secret, cert-manager's certificates and optional references", async () => {
    const { app, cluster } = testCluster();
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
    const api = new Workload(cluster, 'clients-api', {
      namespace: 'clients',
      image: 'x/api:1.0.0',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: [
        db.appSecretName,
        { name: 'api-keys', source: SecretSource.outOfBand({ command: 'kubectl -n clients create secret generic api-keys --from-file=keys' }) },
      ],
    });
    db.connections.allowFrom(api);
    new k8s.KubeDeployment(cluster, 'Optional', {
      metadata: { name: 'optional', namespace: 'apps' },
      spec: {
        selector: { matchLabels: { app: 'o' } },
        template: {
          metadata: { labels: { app: 'o' } },
          spec: { containers: [{ name: 'o', image: 'x/o:1.0.0', envFrom: [{ secretRef: { name: 'maybe', optional: true } }] }] },
        },
      },
    });
    const o = await run(app);
    expect(o.findings.filter((x) => x.ruleId === 'NET-SEC4')).toEqual([]);
  });

  it('fails for the superuser Secret of a database whose superuser access is off', async () => {
    const { app, cluster } = testCluster();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
    new Workload(cluster, 'admin', {
      namespace: 'clients',
      image: 'x/admin:1.0.0',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: ['clients-db-superuser'],
    });
    const o = await run(app);
    expect(o.findings.filter((x) => x.ruleId === 'NET-SEC4').map((x) => x.message)).toEqual([
      expect.stringContaining('references Secret clients/clients-db-superuser (envFrom of container admin)'),
    ]);
  });

  it('is acknowledged on the consumer with a reason', async () => {
    const { app, cluster } = testCluster();
    const w = new Workload(cluster, 'api', { namespace: 'apps', image: 'x/api:1.0.0', ports: [{ name: 'http', port: 80 }], envFromSecrets: ['api-env'] });
    Acknowledgements.of(w).add('NET-SEC4', 'created by the platform team before every deploy');
    const o = await run(app);
    expect(o.ok).toBe(true);
    expect(o.result!.clusters[0]!.acknowledged.map((a) => [a.ruleId, a.path])).toEqual([['NET-SEC4', 'test/api-app/api/Resource']]);
  });
});

describe('NET-SEC5 no layer waits for the secret store', () => {
  function storeIn(layer: Layer) {
    const t = testCluster();
    new ClusterSecretStore(new Component(t.cluster, 'Stores', { layer, folder: 'stores' }), 'Doppler', {
      metadata: { name: 'doppler' },
      spec: { provider: { doppler: { auth: { secretRef: { dopplerToken: { name: 'doppler-token', key: 'dopplerToken', namespace: 'external-secrets' } } } } } },
    });
    SecretSources.ensure(t.cluster).declare(t.cluster, {
      name: 'doppler-token',
      namespace: 'external-secrets',
      source: SecretSource.outOfBand({ command: DOPPLER_TOKEN }),
    });
    return t;
  }

  it('fails for a store rendered in a layer the later layers wait for', async () => {
    const { app, cluster } = storeIn(Layer.NETWORKING);
    new SecretStore(cluster, 'Vault', {
      provider: StoreProvider.vault({ server: 'https://vault.example:8200', path: 'kv', tokenSecret: { name: 'vault-token', key: 'token' } }),
      credential: { sopsFile: 'secrets/vault-token.sops.yaml' },
    });
    const o = await run(app);
    const f = o.findings.filter((x) => x.ruleId === 'NET-SEC5');
    expect(f.map((x) => [x.path, x.message])).toEqual([
      [
        'test/GitOps',
        "Flux Kustomization networking applies a secret store (layer networking) with wait: true (layer-networking.yaml#/spec/wait): it is Ready only once the store's provider answers",
      ],
      [
        'test/Stores/Doppler',
        'ClusterSecretStore doppler is rendered in layer networking (networking/stores/clustersecretstore-doppler.yaml), which the layers after it wait for',
      ],
    ]);
  });

  /** The objects of a synth of `app`, as the rules see them, with the Flux entry of `layer` changed by `edit`. */
  function renderedWith(app: App, layer: string, edit: (spec: any) => void): RuleContext {
    const cluster = app.node.findAll().find((c): c is Cluster => c instanceof Cluster)!;
    cluster.prepare();
    const objects = renderObjects(cluster).objects.map((o) => (o.file === `layer-${layer}.yaml` ? { ...o, json: structuredClone(o.json) } : o));
    edit(objects.find((o) => o.file === `layer-${layer}.yaml`)!.json.spec);
    return { cluster, objects } as unknown as RuleContext;
  }
  const netSec5 = (ctx: RuleContext) => [...SecretStoreNotGated.check(ctx)];

  it('fails for a Flux layer that waits for the health of an ExternalSecret without the synced-once expression', () => {
    const { app, cluster, store } = doppler();
    new Workload(cluster, 'api', {
      namespace: 'apps',
      image: 'ghcr.io/example/api:1.0.0',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: [{ name: 'api-env', source: SecretSource.fromStore(store) }],
    });
    const found = netSec5(renderedWith(app, 'apps', (spec) => delete spec.healthCheckExprs));
    expect(found.map((r) => [r.at, r.message])).toEqual([
      [
        'test/GitOps',
        'Flux Kustomization apps waits for the health of ExternalSecret apps/api-env (layer-apps.yaml#/spec): each turns Ready=False when a refresh fails, and holds up this layer and the layers after it',
      ],
    ]);
    // an expression that still fails on a refresh error is no exclusion
    const strict = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', current: "status.conditions.all(c, c.status == 'True')" };
    expect(netSec5(renderedWith(app, 'apps', (spec) => (spec.healthCheckExprs = [strict]))).length).toBe(1);
    // healthChecks naming the ExternalSecret gate the layer even with wait: false
    const named = (spec: any) => {
      spec.wait = false;
      delete spec.healthCheckExprs;
      spec.healthChecks = [{ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: 'api-env', namespace: 'apps' }];
    };
    expect(netSec5(renderedWith(app, 'apps', named)).length).toBe(1);
    // compliant: as rendered, and wait: false without health checks
    expect(netSec5(renderedWith(app, 'apps', () => {}))).toEqual([]);
    expect(netSec5(renderedWith(app, 'apps', (spec) => ((spec.wait = false), delete spec.healthCheckExprs)))).toEqual([]);
  });

  it('passes for the SecretStore construct', async () => {
    const { app } = doppler();
    expect(ids((await run(app)).findings)).toEqual([]);
  });

  it('is acknowledged on the store with a reason', async () => {
    const { app, cluster } = storeIn(Layer.APPS);
    Acknowledgements.of(cluster).add('NET-SEC5', 'the apps layer is the last one: nothing waits for it');
    const o = await run(app);
    expect(o.findings.filter((x) => x.ruleId === 'NET-SEC5')).toEqual([]);
    expect(o.result!.clusters[0]!.acknowledged.map((a) => a.ruleId)).toEqual(['NET-SEC5', 'NET-SEC5']);
  });
});

describe('NET-SEC6 a Secret the tree makes is applied no later than its consumer', () => {
  /** A Deployment in the networking layer reading `name`, whose ExternalSecret is declared on an apps-layer workload. */
  function lateSecret() {
    const t = doppler();
    const edge = new Component(t.cluster, 'Edge', { layer: Layer.NETWORKING, folder: 'edge-proxy' });
    new k8s.KubeDeployment(edge, 'Proxy', {
      metadata: { name: 'proxy', namespace: 'edge' },
      spec: {
        selector: { matchLabels: { app: 'proxy' } },
        template: {
          metadata: { labels: { app: 'proxy' } },
          spec: { containers: [{ name: 'proxy', image: 'x/proxy:1.0.0', envFrom: [{ secretRef: { name: 'proxy-env' } }] }] },
        },
      },
    });
    const app = new Workload(t.cluster, 'api', { namespace: 'apps', image: 'x/api:1.0.0', ports: [{ name: 'http', port: 80 }] });
    SecretSources.ensure(app).declare(app, { name: 'proxy-env', namespace: 'edge', source: SecretSource.fromStore(t.store) });
    return { ...t, edge };
  }

  it('fails when the ExternalSecret lands in a later layer than the pod that needs it', async () => {
    const { app } = lateSecret();
    const o = await run(app);
    expect(o.findings.filter((f) => f.ruleId === 'NET-SEC6').map((f) => [f.path, f.message])).toEqual([
      [
        'test/Edge/Proxy',
        'Deployment edge/proxy needs Secret edge/proxy-env in step 4 (layer networking), but ExternalSecret proxy-env that makes it (apps/api/externalsecret-proxy-env.yaml) is applied in step 5 (layer apps), which does not come before it',
      ],
    ]);
  });

  it('passes for an ExternalSecret beside its consumer and for a database client in the database layer', async () => {
    const { app, cluster, store } = doppler();
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
    const api = new Workload(cluster, 'clients-api', {
      namespace: 'clients',
      image: 'x/api:1.0.0',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: [db.appSecretName, { name: 'api-keys', source: SecretSource.fromStore(store) }],
    });
    db.connections.allowFrom(api);
    const o = await run(app);
    expect(o.findings).toEqual([]);
  });

  it('is acknowledged on the consumer with a reason', async () => {
    const { app, cluster } = lateSecret();
    Acknowledgements.of(cluster.node.findChild('Edge')).add('NET-SEC6', 'the proxy tolerates a late Secret: it restarts until it exists');
    const o = await run(app);
    expect(o.findings.filter((f) => f.ruleId === 'NET-SEC6')).toEqual([]);
    expect(o.result!.clusters[0]!.acknowledged.map((a) => a.ruleId)).toEqual(['NET-SEC6']);
  });
});
