/** Secrets, ownership and image mistakes: the hygiene rules (NET-SEC, NET-OWN, NET-IMG). */
import { k8s } from 'cdk8s-plus-30';
import { Component, Layer, SecretSource, SecretSources, SecretStore, StoreProvider, Workload } from '../../../constructs/index.js';
import { ClusterSecretStore } from '../../../imports/external-secrets.js';
import { testCluster } from '../../helpers.js';
import { configMap, deploymentWithEnv, helmChart } from '../../rules/support.js';
import type { CorpusArea } from '../case.js';

// Credential-shaped values, assembled at run time so this file holds none.
const TUNNEL_JSON = () =>
  JSON.stringify({
    AccountTag: '8fa97474778c8a894925c148ca829739',
    TunnelSecret: 'bm90LWEtcmVhbC1zZWNyZXQtYnV0LWxvbmc=',
    TunnelID: '6ff4dfd7-2b77-4a4f-84d9-3241bea658dc',
  });
const PEM = () => ['-----BEGIN', 'PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END', 'PRIVATE KEY-----'].join(' ');

export const HYGIENE: CorpusArea = {
  area: 'hygiene',
  cases: [
    {
      name: 'a Secret with the Doppler service token in stringData',
      from: 'seed 004 (Doppler token for External Secrets committed as a Secret)',
      expect: 'NET-SEC1',
      says: 'Secret external-secrets/doppler-token carries stringData in clear text (keys: dopplerToken)',
      value: 'apps/manifests/secret-doppler-token.yaml stringData',
      build: () => {
        const { app, cluster } = testCluster();
        new k8s.KubeSecret(cluster, 'DopplerToken', {
          metadata: { name: 'doppler-token', namespace: 'external-secrets' },
          stringData: { dopplerToken: 'dp.st.prd.' + 'x'.repeat(30) },
        });
        return app;
      },
    },
    {
      name: 'cloudflared tunnel credentials JSON in a ConfigMap',
      from: 'seed 003 (tunnel config and credentials managed beside the manifests)',
      expect: 'NET-SEC2',
      says: 'ConfigMap cloudflared carries Cloudflare tunnel credentials (AccountTag with TunnelSecret) at',
      value: 'apps/manifests/configmap-cloudflared.yaml#/data/credentials.json',
      build: () => {
        const { app, cluster } = testCluster();
        configMap(cluster, 'cloudflared', { 'credentials.json': TUNNEL_JSON() });
        return app;
      },
    },
    {
      name: 'a database URL with user:password@ in a ConfigMap',
      from: 'seed 003 (Crunchy Bridge connection for Label Studio)',
      expect: 'NET-SEC2',
      says: 'ConfigMap label-studio carries a URL with user:password@ at /data/DATABASE_URL',
      value: 'apps/manifests/configmap-label-studio.yaml#/data/DATABASE_URL',
      build: () => {
        const { app, cluster } = testCluster();
        configMap(cluster, 'label-studio', {
          DATABASE_URL: 'postgresql://labelfish_owner:' + 'Xy7'.repeat(4) + '@p.example.db.postgresbridge.com:5432/labelfish?sslmode=require',
        });
        return app;
      },
    },
    {
      name: 'an AWS access key in Helm values',
      from: 'seed 003 (AWS us-east-2 database, infrastructure tokens)',
      expect: 'NET-SEC2',
      says: 'HelmRelease velero carries an AWS access key id at /spec/values/credentials/accessKeyId',
      value: 'services/backup/helmrelease-velero.yaml#/spec/values/credentials/accessKeyId',
      build: () => {
        const { app, cluster } = testCluster();
        helmChart(cluster, 'Backup', {
          chart: 'velero',
          namespace: 'velero',
          values: { credentials: { useSecret: false, accessKeyId: 'AKIA' + 'Q'.repeat(16) } },
        });
        return app;
      },
    },
    {
      name: 'a private key in an edge host file',
      from: 'seed 001 (HAProxy host files next to the cluster tree)',
      expect: 'NET-SEC2',
      says: 'clusters/test/edge/haproxy/tls.pem carries a PEM private key block on line 1',
      value: 'edge/haproxy/tls.pem:1',
      build: () => {
        const { app, cluster } = testCluster();
        cluster.addFile('edge/haproxy/tls.pem', () => PEM());
        return app;
      },
    },
    {
      name: 'POSTGRE_PASSWORD set as a literal env value',
      from: 'seed 003 (Label Studio POSTGRE_PASSWORD)',
      expect: 'NET-SEC3',
      says: 'Deployment label-studio sets POSTGRE_PASSWORD to a literal value at',
      value: 'apps/label-studio/deployment-label-studio.yaml#/spec/template/spec/containers/0/env/1/value',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'label-studio', {
          namespace: 'apps',
          image: 'heartexlabs/label-studio:1.21.0',
          ports: [{ name: 'http', port: 8080 }],
          env: { POSTGRE_HOST: 'p.example.db.postgresbridge.com', POSTGRE_PASSWORD: 'pg-' + 'a1'.repeat(6) },
        });
        return app;
      },
    },
    {
      name: 'a Cloudflare API token as a literal env value',
      from: 'seed 003 (CF_TOKEN for the tunnel configuration API)',
      expect: 'NET-SEC3',
      says: 'Deployment tunnel-sync sets CF_API_TOKEN to a literal value at /spec/template/spec/containers/0/env/0/value',
      value: 'apps/manifests/deployment-tunnel-sync.yaml#/spec/template/spec/containers/0/env/0/value',
      build: () => {
        const { app, cluster } = testCluster();
        deploymentWithEnv(cluster, 'tunnel-sync', [{ name: 'CF_API_TOKEN', value: 'cf-' + 'b2'.repeat(10) }]);
        return app;
      },
    },
    {
      name: 'a Service the Helm release also creates',
      from: 'seed 003 (Flux Helm ownership conflicts: label-studio-ls-app)',
      expect: 'NET-OWN1',
      says: 'Service apps/label-studio-ls-app is rendered as a manifest (test/Svc,',
      value: 'Service apps/label-studio-ls-app',
      build: () => {
        const { app, cluster } = testCluster();
        helmChart(cluster, 'LabelStudio', { chart: 'label-studio', namespace: 'apps', owns: [{ kind: 'Service', name: 'label-studio-ls-app' }] });
        new k8s.KubeService(cluster, 'Svc', {
          metadata: { name: 'label-studio-ls-app', namespace: 'apps' },
          spec: { selector: { app: 'ls-app' }, ports: [{ port: 8085 }] },
        });
        return app;
      },
    },
    {
      name: 'a chart that creates its own namespace',
      from: 'seed 003 (ownership contracts between Pulumi and Flux)',
      expect: 'NET-OWN1',
      says: 'Namespace cattle-system is rendered as a manifest (test/Namespaces-services/cattle-system,',
      value: 'Namespace cattle-system',
      build: () => {
        const { app, cluster } = testCluster();
        helmChart(cluster, 'Rancher', { chart: 'rancher', namespace: 'cattle-system', owns: [{ kind: 'Namespace', name: 'cattle-system' }] });
        return app;
      },
    },
    {
      name: 'two charts with one release name in one namespace',
      from: 'seed 003 (stale Helm release metadata)',
      expect: 'NET-OWN2',
      says: 'Helm release apps/label-studio (chart label-studio-v2) is also defined at test/Old/Chart (chart label-studio)',
      value: 'apps/label-studio',
      build: () => {
        const { app, cluster } = testCluster();
        helmChart(cluster, 'Old', { chart: 'label-studio', namespace: 'apps', releaseName: 'label-studio' });
        helmChart(cluster, 'New', { chart: 'label-studio-v2', namespace: 'apps', releaseName: 'label-studio' });
        return app;
      },
    },
    {
      name: 'an image on :latest',
      from: 'seed 004 (pre-pulled bootstrap images must be named exactly)',
      expect: 'NET-IMG1',
      says: 'Deployment apps/web container web uses the floating tag :latest',
      value: 'nginx:latest',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:latest', ports: [{ name: 'http', port: 80 }] });
        return app;
      },
    },
    {
      name: 'an init container without a tag',
      from: 'seed 003 (init container waiting for the database)',
      expect: 'NET-IMG1',
      says: 'Deployment apps/label-studio container wait-for-db uses an image without tag or digest, which means :latest',
      value: 'postgres',
      build: () => {
        const { app, cluster } = testCluster();
        new k8s.KubeDeployment(cluster, 'Ls', {
          metadata: { name: 'label-studio', namespace: 'apps' },
          spec: {
            selector: { matchLabels: { app: 'ls' } },
            template: {
              metadata: { labels: { app: 'ls' } },
              spec: { initContainers: [{ name: 'wait-for-db', image: 'postgres' }], containers: [{ name: 'app', image: 'heartexlabs/label-studio:1.21.0' }] },
            },
          },
        });
        return app;
      },
    },
    {
      name: "a workload's envFrom names a Secret nothing creates",
      from: 'seed 003 (Label Studio in CreateContainerConfigError until its database Secret existed)',
      expect: 'NET-SEC4',
      says: 'Deployment apps/label-studio references Secret apps/labelfish-db-credentials (envFrom of container label-studio)',
      value: 'labelfish-db-credentials',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'label-studio', {
          namespace: 'apps',
          image: 'heartexlabs/label-studio:1.21.0',
          ports: [{ name: 'http', port: 8085 }],
          envFromSecrets: ['labelfish-db-credentials'],
        });
        return app;
      },
    },
    {
      name: "a client reads a CloudNativePG cluster's -app Secret that no rendered database makes",
      from: 'seed 001 (clients-api reading the clients-db credentials)',
      expect: 'NET-SEC4',
      says: 'Deployment clients/clients-api references Secret clients/clients-db-app',
      value: 'clients-db-app',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'clients-api', {
          namespace: 'clients',
          image: 'registry.example/clients-api:1.0.0',
          ports: [{ name: 'http', port: 8080 }],
          envFromSecrets: ['clients-db-app'],
        });
        return app;
      },
    },
    {
      name: 'a ClusterSecretStore in the services layer, which every later layer waits for',
      from: 'seed 004 (phase 4: the Doppler store gated the Flux graph)',
      expect: 'NET-SEC5',
      says: 'ClusterSecretStore doppler is rendered in layer services',
      value: 'services',
      build: () => {
        const { app, cluster } = testCluster();
        const services = new Component(cluster, 'Stores', { layer: Layer.SERVICES, folder: 'stores' });
        new ClusterSecretStore(services, 'Doppler', {
          metadata: { name: 'doppler' },
          spec: {
            provider: { doppler: { auth: { secretRef: { dopplerToken: { name: 'doppler-token', key: 'dopplerToken', namespace: 'external-secrets' } } } } },
          },
        });
        SecretSources.ensure(cluster).declare(cluster, {
          name: 'doppler-token',
          namespace: 'external-secrets',
          source: SecretSource.outOfBand({ command: 'kubectl -n external-secrets create secret generic doppler-token --from-literal=dopplerToken="$T"' }),
        });
        // the operator, for the store's CRD
        new SecretStore(cluster, 'Vault', {
          provider: StoreProvider.vault({ server: 'https://vault.example:8200', path: 'kv', tokenSecret: { name: 'vault-token', key: 'token' } }),
          credential: { sopsFile: 'secrets/vault-token.sops.yaml' },
        });
        return app;
      },
    },
    {
      name: 'the ExternalSecret a networking-layer pod needs is rendered in the apps layer',
      from: 'seed 004 (phase 4: a Secret is a dependency of its consumers, made with them)',
      expect: 'NET-SEC6',
      says: 'Deployment edge/proxy needs Secret edge/proxy-env in step 4 (layer networking)',
      value: 'proxy-env',
      build: () => {
        const { app, cluster } = testCluster();
        const store = new SecretStore(cluster, 'Doppler', {
          provider: StoreProvider.doppler({ tokenSecret: { name: 'doppler-token', key: 'dopplerToken' } }),
          credential: { command: 'kubectl -n external-secrets create secret generic doppler-token --from-literal=dopplerToken="$T"' },
        });
        const edge = new Component(cluster, 'Edge', { layer: Layer.NETWORKING, folder: 'edge-proxy' });
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
        const api = new Workload(cluster, 'api', { namespace: 'apps', image: 'x/api:1.0.0', ports: [{ name: 'http', port: 80 }] });
        SecretSources.ensure(api).declare(api, { name: 'proxy-env', namespace: 'edge', source: SecretSource.fromStore(store) });
        return app;
      },
    },
  ],
};
