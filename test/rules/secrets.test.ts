import { k8s } from 'cdk8s-plus-30';
import { describe, expect, it } from 'vitest';
import { Acknowledgements, SecretSource, SecretSources, Workload } from '../../constructs/index.js';
import { ExternalSecret } from '../../imports/external-secrets.js';
import { isCredentialName, scanText } from '../../constructs/rules/hygiene/credentials.js';
import { file, ids, run, testCluster } from '../helpers.js';
import { byId, configMap, deploymentWithEnv, everythingPrinted, helmChart } from './support.js';

// Credential-shaped test values, assembled so that the test file itself holds no scanner-triggering literal.
const PEM = ['-----BEGIN', 'OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH', 'PRIVATE KEY-----'].join(' ');
const RSA_PEM = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA', 'PRIVATE KEY-----'].join(' ');
const TUNNEL_JSON = JSON.stringify({
  AccountTag: '8fa97474778c8a894925c148ca829739',
  TunnelSecret: 'bm90LWEtcmVhbC1zZWNyZXQtYnV0LWxvbmctZW5vdWdo',
  TunnelID: '6ff4dfd7-2b77-4a4f-84d9-3241bea658dc',
});
const AWS_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SECRET_LINE = 'aws_secret_access_key = ' + 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GH_TOKEN = 'ghp_' + 'a'.repeat(36);
const JWT = 'eyJhbGciOiJIUzI1NiJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIn0' + '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const DB_URL = 'postgres://labelfish_owner:' + 'Tr0ub4dor3x' + '@p.example.db.postgresbridge.com:5432/labelfish';
const DOPPLER = 'dp.st.' + 'prd.' + 'x'.repeat(6) + 'Ab3'.repeat(10);
const SLACK_WEBHOOK = 'https://hooks.slack.com/services/' + 'T04QZ1A2B/B05R9XK3L7M/' + 'q8ZkW2mN4vR7tY1pL6sD3fGh';

describe('NET-SEC1 Secret data', () => {
  it('fails when a Secret carries stringData or data, naming the keys but not the values', async () => {
    const { app, cluster } = testCluster();
    new k8s.KubeSecret(cluster, 'Db', { metadata: { name: 'db', namespace: 'apps' }, stringData: { password: 'correct-horse-battery' } });
    new k8s.KubeSecret(cluster, 'Api', { metadata: { name: 'api', namespace: 'apps' }, data: { token: Buffer.from('abc123456789').toString('base64') } });
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    const found = byId(outcome, 'NET-SEC1');
    expect(found.map((f) => f.message)).toEqual([
      'Secret apps/api carries data in clear text (keys: token)',
      'Secret apps/db carries stringData in clear text (keys: password)',
    ]);
    expect(found[0].path).toBe('test/Api');
    expect(found[0].fix).toMatch(/secretKeyRef/);
    expect(found[0].fix).toMatch(/ExternalSecret/);
    expect(found[0].fix).toMatch(/SOPS/);
    expect(everythingPrinted(outcome)).not.toContain('correct-horse-battery');
  });

  it('passes a Secret without data, SOPS-encrypted values and an ExternalSecret', async () => {
    const { app, cluster } = testCluster();
    new k8s.KubeSecret(cluster, 'Sa', {
      metadata: { name: 'sa-token', namespace: 'apps', annotations: { 'kubernetes.io/service-account.name': 'sa' } },
      type: 'kubernetes.io/service-account-token',
    });
    new k8s.KubeSecret(cluster, 'Sops', {
      metadata: { name: 'sops', namespace: 'apps' },
      stringData: { password: 'ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]' },
    });
    new ExternalSecret(cluster, 'Es', {
      metadata: { name: 'db', namespace: 'apps' },
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'doppler' },
        target: { name: 'db' },
        data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
      },
    });
    const outcome = await run(app);
    expect(ids(outcome.findings).filter((i) => i.startsWith('NET-SEC'))).toEqual([]);
  });

  it('is acknowledged on the Secret with a reason, and listed in reports/review.md', async () => {
    const { app, cluster } = testCluster();
    const s = new k8s.KubeSecret(cluster, 'Demo', { metadata: { name: 'demo', namespace: 'apps' }, stringData: { password: 'not-used-anywhere' } });
    Acknowledgements.of(s).add('NET-SEC1', 'throwaway demo credential for a kind cluster');
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    expect(byId(outcome, 'NET-SEC1')).toEqual([]);
    expect(outcome.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toContain('NET-SEC1');
    expect(file(outcome, 'test', 'reports/review.md')).toContain('throwaway demo credential for a kind cluster');
  });
});

describe('NET-SEC2 credentials anywhere', () => {
  /** name, ConfigMap data, what the message names, and the secret part of the data that must never be printed. */
  const cases: [string, Record<string, string>, RegExp, string][] = [
    ['a PEM private key', { id_ed25519: PEM }, /PEM private key/, 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ'],
    ['an RSA PEM private key', { 'tls.key': RSA_PEM }, /PEM private key/, 'MIIEowIBAAKCAQEA7'],
    ['tunnel credentials JSON', { 'credentials.json': TUNNEL_JSON }, /tunnel credentials/, JSON.parse(TUNNEL_JSON).TunnelSecret],
    ['an AWS access key id', { 'aws.conf': `[default]\naws_access_key_id = ${AWS_ID}` }, /AWS access key id/, AWS_ID],
    ['an AWS secret access key', { 'aws.conf': `[default]\n${AWS_SECRET_LINE}` }, /AWS secret access key/, AWS_SECRET_LINE.split(' = ')[1]!],
    ['a URL with user:password@', { DATABASE_URL: DB_URL }, /user:password@/, 'Tr0ub4dor3x'],
    ['a URL with a password and no user (redis://:password@)', { REDIS_URL: 'redis://:' + 'Tr0ub4dor3x' + '@redis:6379/0' }, /user:password@/, 'Tr0ub4dor3x'],
    ['a GitHub token', { 'gh.txt': GH_TOKEN }, /GitHub token/, GH_TOKEN],
    ['a JWT', { 'auth.txt': JWT }, /JSON Web Token/, JWT.split('.')[2]!],
    ['a Doppler service token', { 'doppler.env': `DOPPLER_TOKEN=${DOPPLER}` }, /Doppler token/, DOPPLER],
    ['a password key', { password: 'hunter2hunter2' }, /literal value for "password"/, 'hunter2hunter2'],
    ['a client secret, even one shaped like a name', { 'oidc.yaml': 'clientSecret: abc-def-ghi\n' }, /literal value for "clientSecret"/, 'abc-def-ghi'],
    [
      'an API key inside a config file',
      { 'config.yaml': 'server:\n  port: 8080\n  apiKey: "k3y-0f-the-kingdom"\n' },
      /literal value for "apiKey" \(line 3\)/,
      'k3y-0f-the-kingdom',
    ],
    [
      'a Slack webhook URL',
      { 'alertmanager.yml': `receivers:\n  - name: ops\n    slack_configs:\n      - api_url: ${SLACK_WEBHOOK}\n` },
      /Slack webhook URL \(line 4\)/,
      SLACK_WEBHOOK.split('/').pop()!,
    ],
    [
      'a one-word value under a key ending in "secret" that holds the secret itself',
      { 'app.yaml': 'auth:\n  jwtSecret: wildcard\n' },
      /literal value for "jwtSecret" \(line 2\)/,
      'wildcard',
    ],
    [
      'a credential under tlsSecret that is not a lower-case word',
      { 'values.yaml': 'ingress:\n  tlsSecret: s3cr3tW1ldcard\n' },
      /literal value for "tlsSecret" \(line 2\)/,
      's3cr3tW1ldcard',
    ],
  ];
  for (const [name, data, what, secret] of cases) {
    it(`fails when a ConfigMap carries ${name}`, async () => {
      const { app, cluster } = testCluster();
      configMap(cluster, 'leaky', data);
      const outcome = await run(app);
      expect(outcome.ok).toBe(false);
      const found = byId(outcome, 'NET-SEC2');
      expect(found.length).toBeGreaterThan(0);
      expect(found.map((f) => f.message).join('\n')).toMatch(what);
      expect(found[0].path).toBe('test/leaky');
      expect(found[0].value).toMatch(/^apps\/manifests\/configmap-leaky\.yaml#\/data\//);
      // the finding says where, never what
      const printed = everythingPrinted(outcome);
      for (const v of Object.values(data)) for (const line of v.split('\n')) if (line.length > 24) expect(printed).not.toContain(line);
      // the secret itself, however short (a line-length filter alone skips 'password: hunter2hunter2')
      expect(Object.values(data).join('\n')).toContain(secret);
      expect(printed).not.toContain(secret);
    });
  }

  it('fails when Helm values carry a password, naming the HelmRelease', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'LabelStudio', { namespace: 'apps', values: { postgresql: { auth: { password: 'pg-pass-1234' } } } });
    const outcome = await run(app);
    const found = byId(outcome, 'NET-SEC2');
    expect(found.map((f) => [f.path, f.message])).toEqual([
      ['test/LabelStudio/Chart/Resource', 'HelmRelease example carries a literal value for "password" at /spec/values/postgresql/auth/password'],
    ]);
  });

  it('fails when an edge file carries a credential, naming the file and line', async () => {
    const { app, cluster } = testCluster();
    cluster.addFile(
      'edge/registries.yaml',
      () =>
        `mirrors:\n  docker.io:\n    endpoint: ["https://mirror.lan"]\nconfigs:\n  mirror.lan:\n    auth:\n      username: k3s\n      password: pull-pass-9876\n`,
    );
    const outcome = await run(app);
    const found = byId(outcome, 'NET-SEC2');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      path: 'test',
      value: 'edge/registries.yaml:8',
      message: 'clusters/test/edge/registries.yaml carries a literal value for "password" on line 8',
    });
    expect(everythingPrinted(outcome)).not.toContain('pull-pass-9876');
  });

  it('passes references: secretName, secretKeyRef, apiTokenSecretRef, credentials-file paths, existingSecret, placeholders', async () => {
    const { app, cluster } = testCluster();
    configMap(cluster, 'cloudflared', {
      'config.yaml': 'tunnel: 6ff4dfd7-2b77-4a4f-84d9-3241bea658dc\ncredentials-file: /etc/cloudflared/creds/credentials.json\nno-autoupdate: true\n',
      DATABASE_URL: 'postgres://labelfish_owner:${POSTGRES_PASSWORD}@db:5432/labelfish',
      PUBLIC_URL: 'https://user@example.org/path',
      token_file: '/var/run/secrets/token',
      'values.yaml': 'ingress:\n  tlsSecret: wildcard-tls\n',
      'ingress.yaml': 'tls:\n  tlsSecret: wildcard\n  caSecret: homelab\n',
      'notify.yaml': 'slack:\n  url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n',
    });
    helmChart(cluster, 'Cm', {
      namespace: 'cert-manager',
      values: {
        issuer: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare-api-token', key: 'api-token' } } },
        tls: { secretName: 'wildcard-tls', tlsSecret: 'wildcard-tls' },
        ingress: { tls: { tlsSecret: 'wildcard' }, TLS_SECRET: 'wildcard' },
        grafana: { adminSecret: 'grafana-admin' },
        postgresql: { auth: { existingSecret: 'db-credentials', secretKeys: { userPasswordKey: 'password' } } },
        serviceAccount: { automountServiceAccountToken: false },
        password: '',
      },
    });
    deploymentWithEnv(cluster, 'api', [
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'API_TOKEN_FILE', value: '/run/secrets/api-token' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    SecretSources.ensure(cluster).declare(cluster, { name: 'db', namespace: 'apps', source: SecretSource.outOfBand({ sopsFile: 'secrets/db.sops.yaml' }) });
    const outcome = await run(app);
    expect(outcome.findings.filter((f) => f.ruleId.startsWith('NET-SEC'))).toEqual([]);
  });

  it('is acknowledged on the construct with a reason', async () => {
    const { app, cluster } = testCluster();
    const cm = configMap(cluster, 'fixture', { 'test-key.pem': PEM });
    Acknowledgements.of(cm).add('NET-SEC2', 'a published test fixture key, never trusted anywhere');
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    expect(outcome.result!.clusters[0].acknowledged.map((a) => [a.ruleId, a.path])).toEqual([['NET-SEC2', 'test/fixture']]);
  });
});

describe('NET-SEC3 credential env values', () => {
  it('fails when an env var named like a credential has a literal value, in a Workload or in Helm values', async () => {
    const { app, cluster } = testCluster();
    new Workload(cluster, 'label-studio', {
      namespace: 'apps',
      image: 'heartexlabs/label-studio:1.21.0',
      ports: [{ name: 'http', port: 8080 }],
      env: { POSTGRE_HOST: 'db.example', POSTGRE_PASSWORD: 'plain-text-pw', CF_API_TOKEN: 'cf-token-value', MY_SECRET: 's3cr3t-value' },
    });
    helmChart(cluster, 'Chart', { namespace: 'apps', values: { extraEnv: [{ name: 'OPENAI_API_KEY', value: 'sk-not-real-1234' }] } });
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    const found = byId(outcome, 'NET-SEC3');
    expect(found.map((f) => f.message).sort()).toEqual([
      'Deployment label-studio sets CF_API_TOKEN to a literal value at /spec/template/spec/containers/0/env/0/value',
      'Deployment label-studio sets MY_SECRET to a literal value at /spec/template/spec/containers/0/env/1/value',
      'Deployment label-studio sets POSTGRE_PASSWORD to a literal value at /spec/template/spec/containers/0/env/3/value',
      'HelmRelease example sets OPENAI_API_KEY to a literal value at /spec/values/extraEnv/0/value',
    ]);
    expect(found[0].fix).toMatch(/secretKeyRef/);
    const printed = everythingPrinted(outcome);
    for (const v of ['plain-text-pw', 'cf-token-value', 's3cr3t-value', 'sk-not-real-1234']) expect(printed).not.toContain(v);
  });

  it('passes env from secretKeyRef and envFrom', async () => {
    const { app, cluster } = testCluster();
    new Workload(cluster, 'api', {
      namespace: 'apps',
      image: 'ghcr.io/example/api:2.0.1',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: [{ name: 'api-credentials', source: SecretSource.outOfBand({ sopsFile: 'secrets/api.sops.yaml' }) }],
      env: { PASSWORD_MIN_LENGTH: '12' },
    });
    deploymentWithEnv(cluster, 'worker', [{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } }]);
    SecretSources.ensure(cluster).declare(cluster, {
      name: 'api',
      namespace: 'apps',
      source: SecretSource.outOfBand({ command: 'kubectl -n apps create secret generic api --from-file=key' }),
    });
    const outcome = await run(app);
    expect(outcome.findings.filter((f) => f.ruleId.startsWith('NET-SEC'))).toEqual([]);
  });

  it('is acknowledged for one Deployment only', async () => {
    const { app, cluster } = testCluster();
    const demo = deploymentWithEnv(cluster, 'demo', [{ name: 'ADMIN_PASSWORD', value: 'demo-only-value' }]);
    deploymentWithEnv(cluster, 'real', [{ name: 'ADMIN_PASSWORD', value: 'real-value-123' }]);
    Acknowledgements.of(demo).add('NET-SEC3', 'demo app with a published default password');
    const outcome = await run(app);
    expect(byId(outcome, 'NET-SEC3').map((f) => f.path)).toEqual(['test/real']);
    expect(outcome.ok).toBe(false);
  });
});

describe('credential detectors', () => {
  it('tells credential names from references', () => {
    for (const n of ['password', 'POSTGRE_PASSWORD', 'apiToken', 'API_KEY', 'clientSecret', 'aws_secret_access_key', 'TunnelSecret', 'db-passwd'])
      expect(isCredentialName(n), n).toBe(true);
    for (const n of [
      'secretName',
      'secretKeyRef',
      'apiTokenSecretRef',
      'credentials-file',
      'existingSecret',
      'passwordFile',
      'tokenSecretRef',
      'automountServiceAccountToken',
      'secretsNamespace',
      'username',
    ])
      expect(isCredentialName(n), n).toBe(false);
  });

  it('reads a lower-case word under a TLS/CA secret key as a Secret name, and nothing else', () => {
    // the false positive: a Secret name without a hyphen
    for (const line of ['tlsSecret: wildcard', 'TLS_SECRET: wildcard', 'caSecret: homelab', 'certificateSecret: gateway'])
      expect(scanText(line), line).toEqual([]);
    // no false negative: keys whose value is the secret itself, bare `secret`, and values that are not one lower-case word
    for (const line of [
      'jwtSecret: wildcard',
      'sessionSecret: homelab',
      'secret: wildcard',
      'adminSecret: grafana',
      'tlsSecret: Wildcard',
      'tlsSecret: wildcard2024',
      'replicaSecret: homelab',
    ]) {
      expect(
        scanText(line).map((h) => h.what),
        line,
      ).toEqual([`a literal value for ${JSON.stringify(line.split(':')[0])}`]);
    }
  });

  it('finds a Slack webhook URL, but not the documentation placeholder', () => {
    expect(scanText(`url: ${SLACK_WEBHOOK}`).map((h) => h.what)).toEqual(['a Slack webhook URL']);
    expect(scanText('https://hooks.slack.com/workflows/' + 'T04QZ1A2B/A05R9XK3L7M/4711/' + 'q8ZkW2mN4vR7tY1pL6sD3fGh').map((h) => h.what)).toEqual([
      'a Slack webhook URL',
    ]);
    expect(scanText('https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX')).toEqual([]);
    expect(scanText('https://hooks.slack.com/services/')).toEqual([]);
  });

  it('finds nothing in ordinary manifests text', () => {
    expect(scanText('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 443\n')).toEqual([]);
    expect(scanText('https://github.com/example/talos-gitops.git')).toEqual([]);
    expect(scanText('ghcr.io/fluxcd/helm-controller:v1.5.1')).toEqual([]);
  });
});
