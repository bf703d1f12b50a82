/**
 * IsolatedDatabase, ExternalDatabase and AppIngressPolicy: what they render, in both policy engines.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  Acknowledgements,
  AppIngressPolicy,
  CiliumRelease,
  ExternalDatabase,
  K3sServerConfig,
  GitOps,
  IsolatedDatabase,
  PolicyEngine,
  SecretSource,
  Workload,
  workloadPolicy,
  CLOUDNATIVE_PG_CHART_VERSION,
} from '../../constructs/index.js';
import { file, run, testCluster } from '../helpers.js';

function clientsFixture(engine?: PolicyEngine, overrides: Parameters<typeof testCluster>[0] = {}) {
  const { app, cluster } = testCluster(overrides);
  const api = new Workload(cluster, 'clients-api', { namespace: 'clients', image: 'example/clients-api:1.0.0', ports: [{ name: 'http', port: 8080 }] });
  const db = new IsolatedDatabase(cluster, 'clients-db', {
    namespace: 'clients',
    metricsNamespace: 'monitoring',
    backup: { cidr: '192.168.1.50/32', port: 9000 },
    ...(engine ? { policyEngine: engine } : {}),
  });
  db.connections.allowFrom(api);
  return { app, cluster, api, db };
}

const dbFiles = (prefix: string) => [
  `${prefix}-default-deny-ingress.yaml`,
  `${prefix}-clients-db-ingress.yaml`,
  `${prefix}-clients-db-egress.yaml`,
  `${prefix}-clients-api-egress-clients-db.yaml`,
];

describe('IsolatedDatabase', () => {
  it('renders the CNPG Cluster, the operator release and the NetworkPolicies (snapshots)', async () => {
    const { app } = clientsFixture();
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    await expect(file(out, 'test', 'apps/clients-db/cluster-clients-db.yaml')).toMatchFileSnapshot('./__snapshots__/cluster-clients-db.yaml');
    await expect(file(out, 'test', 'services/cloudnative-pg/helmrelease-cnpg.yaml')).toMatchFileSnapshot('./__snapshots__/helmrelease-cnpg.yaml');
    await expect(file(out, 'test', 'services/cloudnative-pg/helmrepository-cloudnative-pg.yaml')).toMatchFileSnapshot(
      './__snapshots__/helmrepository-cloudnative-pg.yaml',
    );
    for (const f of dbFiles('networkpolicy')) {
      await expect(file(out, 'test', `apps/clients-db/${f}`)).toMatchFileSnapshot(`./__snapshots__/kubernetes-${f}`);
    }
  });

  it('renders CiliumNetworkPolicies with policyEngine CILIUM; the namespace default-deny stays a NetworkPolicy (snapshots)', async () => {
    const { app } = clientsFixture(PolicyEngine.CILIUM);
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    const files = [...out.result!.clusters[0].files.keys()].filter((f) => f.startsWith('apps/clients-db/') && !f.endsWith('kustomization.yaml'));
    expect(files.sort()).toEqual([
      'apps/clients-db/ciliumnetworkpolicy-clients-api-egress-clients-db.yaml',
      'apps/clients-db/ciliumnetworkpolicy-clients-db-egress.yaml',
      'apps/clients-db/ciliumnetworkpolicy-clients-db-ingress.yaml',
      'apps/clients-db/cluster-clients-db.yaml',
      'apps/clients-db/networkpolicy-default-deny-ingress.yaml',
    ]);
    for (const f of dbFiles('ciliumnetworkpolicy').slice(1)) {
      await expect(file(out, 'test', `apps/clients-db/${f}`)).toMatchFileSnapshot(`./__snapshots__/cilium-${f}`);
    }
    const egress = parse(file(out, 'test', 'apps/clients-db/ciliumnetworkpolicy-clients-db-egress.yaml'));
    expect(egress.spec.egress).toContainEqual({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] });
  });

  it('renders for Argo CD: the operator is an Application', async () => {
    // The apps wave needs the operator's CRDs: Argo CD waits for the services wave only with the Application health check.
    const { app } = clientsFixture(undefined, { gitops: GitOps.argocd({ repoUrl: 'https://example.com/repo.git', revision: 'main' }) });
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    const yaml = file(out, 'test', 'services/cloudnative-pg/application-cnpg.yaml');
    await expect(yaml).toMatchFileSnapshot('./__snapshots__/application-cnpg.yaml');
    expect(parse(yaml).spec.source).toMatchObject({
      chart: 'cloudnative-pg',
      targetRevision: CLOUDNATIVE_PG_CHART_VERSION,
      repoURL: 'https://cloudnative-pg.github.io/charts',
    });
  });

  it('admits clients on 5432, the instances and the operator (cnpg-system) on 5432 and 8000, monitoring on 9187', async () => {
    const { app } = clientsFixture();
    const out = await run(app);
    const ingress = parse(file(out, 'test', 'apps/clients-db/networkpolicy-clients-db-ingress.yaml'));
    const ns = (n: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } });
    expect(ingress.spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'clients-db' } });
    expect(ingress.spec.policyTypes).toEqual(['Ingress']);
    // CloudNativePG networking docs: the operator reaches every instance on 8000 and 5432; the instances reach
    // each other (replication on 5432, the primary isolation check on the status port 8000).
    expect(ingress.spec.ingress).toEqual([
      { from: [{ namespaceSelector: ns('clients'), podSelector: { matchLabels: { app: 'clients-api' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      {
        from: [
          { namespaceSelector: ns('clients'), podSelector: { matchLabels: { 'cnpg.io/cluster': 'clients-db' } } },
          { namespaceSelector: ns('cnpg-system'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } } },
        ],
        ports: [
          { port: 5432, protocol: 'TCP' },
          { port: 8000, protocol: 'TCP' },
        ],
      },
      { from: [{ namespaceSelector: ns('monitoring') }], ports: [{ port: 9187, protocol: 'TCP' }] },
    ]);
  });

  it('limits egress to DNS, the API server endpoints (control-plane nodes and the API address on 6443), the peers and the backup', async () => {
    const { app } = clientsFixture();
    const out = await run(app);
    const egress = parse(file(out, 'test', 'apps/clients-db/networkpolicy-clients-db-egress.yaml'));
    // written out: cp1 (the one control-plane node of the test cluster) and the API VIP
    const apiCidrs = ['192.168.1.11/32', '192.168.1.10/32'];
    expect(egress.spec.policyTypes).toEqual(['Egress']);
    expect(egress.spec.egress).toHaveLength(4);
    expect(egress.spec.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    expect(egress.spec.egress[1]).toEqual({ to: apiCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: 6443, protocol: 'TCP' }] });
    expect(egress.spec.egress[2].ports).toEqual([
      { port: 5432, protocol: 'TCP' },
      { port: 8000, protocol: 'TCP' },
    ]);
    expect(egress.spec.egress[3]).toEqual({ to: [{ ipBlock: { cidr: '192.168.1.50/32' } }], ports: [{ port: 9000, protocol: 'TCP' }] });
    // never the Service VIP: it is translated to the endpoints before policy applies
    expect(JSON.stringify(egress)).not.toContain('10.43.0.1');
  });

  it("gives the client's egress the database port and DNS through kube-dns, in both engines (the objects, not a snapshot)", async () => {
    const kubeDns = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    };
    const kube = await run(clientsFixture().app);
    expect(parse(file(kube, 'test', 'apps/clients-db/networkpolicy-clients-api-egress-clients-db.yaml')).spec).toEqual({
      podSelector: { matchLabels: { app: 'clients-api' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'clients' } },
              podSelector: { matchLabels: { 'cnpg.io/cluster': 'clients-db' } },
            },
          ],
          ports: [{ port: 5432, protocol: 'TCP' }],
        },
        {
          to: [kubeDns],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ],
    });
    const cilium = await run(clientsFixture(PolicyEngine.CILIUM).app);
    expect(parse(file(cilium, 'test', 'apps/clients-db/ciliumnetworkpolicy-clients-api-egress-clients-db.yaml')).spec).toEqual({
      endpointSelector: { matchLabels: { app: 'clients-api' } },
      egress: [
        {
          toEndpoints: [{ matchLabels: { 'cnpg.io/cluster': 'clients-db', 'k8s:io.kubernetes.pod.namespace': 'clients' } }],
          toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
        },
        {
          toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' } }],
          toPorts: [
            {
              ports: [
                { port: '53', protocol: 'UDP' },
                { port: '53', protocol: 'TCP' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('counts clients added after construction, and allowing the same client twice renders one policy', async () => {
    const { app, db, api } = clientsFixture();
    db.connections.allowFrom(api);
    expect(db.clients).toHaveLength(1);
    const out = await run(app);
    const egressFiles = [...out.result!.clusters[0].files.keys()].filter((f) => f.includes('clients-api-egress'));
    expect(egressFiles).toEqual(['apps/clients-db/networkpolicy-clients-api-egress-clients-db.yaml']);
  });

  it('writes one default-deny per namespace and one operator release for two databases', async () => {
    const { app, cluster, api } = clientsFixture();
    new IsolatedDatabase(cluster, 'orders-db', { namespace: 'clients', clients: [api] });
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    const objs = out.result!.clusters[0].objects;
    expect(objs.filter((o) => o.kind === 'NetworkPolicy' && o.name === 'default-deny-ingress')).toHaveLength(1);
    expect(objs.filter((o) => o.kind === 'HelmRelease' && o.name === 'cnpg')).toHaveLength(1);
  });
});

describe('ExternalDatabase (seed 003)', () => {
  it('gives only the declared client an egress policy to the pinned /32 on the database port, plus DNS; no node pin (snapshot)', async () => {
    const { app, cluster } = testCluster();
    const ls = new Workload(cluster, 'label-studio', {
      namespace: 'apps',
      image: 'heartexlabs/label-studio:1.21.0',
      ports: [{ name: 'http', port: 8085 }],
      envFromSecrets: [{ name: 'labelfish-db-credentials', source: SecretSource.outOfBand({ sopsFile: 'secrets/labelfish-db.sops.yaml' }) }],
    });
    new ExternalDatabase(cluster, 'labelfish-db', { host: 'db.example.com', address: '18.116.211.217', port: 5432, clients: [ls] });
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    const yaml = file(out, 'test', 'apps/labelfish-db/networkpolicy-label-studio-egress-labelfish-db.yaml');
    await expect(yaml).toMatchFileSnapshot('./__snapshots__/external-label-studio-egress-labelfish-db.yaml');
    const p = parse(yaml);
    expect(p.metadata.namespace).toBe('apps');
    expect(p.spec.podSelector).toEqual({ matchLabels: { app: 'label-studio' } });
    expect(p.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '18.116.211.217/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    ]);
    const deployment = parse(file(out, 'test', 'apps/label-studio/deployment-label-studio.yaml'));
    expect(deployment.spec.template.spec.nodeSelector).toBeUndefined();
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'labelfish-db-credentials' } }]);
  });

  it('allows a host name by default: toFQDNs on Cilium, and the DNS rule its DNS proxy needs (snapshot)', async () => {
    const { app, cluster } = testCluster();
    new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
    new K3sServerConfig(cluster, 'K3sServerConfig');
    const ls = new Workload(cluster, 'label-studio', { namespace: 'apps', image: 'heartexlabs/label-studio:1.21.0', ports: [{ name: 'http', port: 8085 }] });
    const db = new ExternalDatabase(cluster, 'labelfish-db', { host: 'p.abc.db.postgresbridge.com', clients: [ls] });
    expect([db.pinned, db.cidr, db.policyEngine]).toEqual([false, undefined, PolicyEngine.CILIUM]);
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    const yaml = file(out, 'test', 'apps/labelfish-db/ciliumnetworkpolicy-label-studio-egress-labelfish-db.yaml');
    await expect(yaml).toMatchFileSnapshot('./__snapshots__/external-fqdn-label-studio-egress-labelfish-db.yaml');
    const p = parse(yaml);
    expect(p.spec.endpointSelector).toEqual({ matchLabels: { app: 'label-studio' } });
    expect(p.spec.egress).toEqual([
      { toFQDNs: [{ matchName: 'p.abc.db.postgresbridge.com' }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
      {
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
        toPorts: [
          {
            ports: [
              { port: '53', protocol: 'UDP' },
              { port: '53', protocol: 'TCP' },
            ],
            rules: { dns: [{ matchPattern: '*' }] },
          },
        ],
      },
    ]);
  });

  it('never renders a NetworkPolicy rule without peers (which would allow everyone) for a name it cannot express', async () => {
    const { app, cluster } = testCluster();
    const ls = new Workload(cluster, 'label-studio', { namespace: 'apps', image: 'heartexlabs/label-studio:1.21.0', ports: [{ name: 'http', port: 8085 }] });
    const db = new ExternalDatabase(cluster, 'labelfish-db', { host: 'p.abc.db.postgresbridge.com', clients: [ls], policyEngine: PolicyEngine.KUBERNETES });
    Acknowledgements.of(db).add('NET-DB6', 'testing what the Kubernetes engine renders for a name');
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    const p = parse(file(out, 'test', 'apps/labelfish-db/networkpolicy-label-studio-egress-labelfish-db.yaml'));
    expect(p.spec.egress).toHaveLength(1); // DNS only: the name has no NetworkPolicy form
    expect(p.spec.egress[0].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
    ]);
  });

  it('renders a CiliumNetworkPolicy with toCIDR in the CILIUM engine (snapshot)', async () => {
    const { app, cluster } = testCluster();
    const ls = new Workload(cluster, 'label-studio', { namespace: 'apps', image: 'heartexlabs/label-studio:1.21.0', ports: [{ name: 'http', port: 8085 }] });
    new ExternalDatabase(cluster, 'labelfish-db', { cidr: '18.116.211.0/28', clients: [ls], policyEngine: PolicyEngine.CILIUM });
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    const yaml = file(out, 'test', 'apps/labelfish-db/ciliumnetworkpolicy-label-studio-egress-labelfish-db.yaml');
    await expect(yaml).toMatchFileSnapshot('./__snapshots__/external-cilium-label-studio-egress-labelfish-db.yaml');
    expect(parse(yaml).spec.egress[0]).toEqual({ toCIDR: ['18.116.211.0/28'], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] });
  });
});

describe('AppIngressPolicy (seed 001 clients-api-allow-ingress)', () => {
  it('admits the ingress namespace, monitoring and the own namespace on the workload ports (snapshot)', async () => {
    const { app, cluster } = testCluster();
    const api = new Workload(cluster, 'clients-api', { namespace: 'clients', image: 'example/clients-api:1.0.0', ports: [{ name: 'http', port: 8080 }] });
    new AppIngressPolicy(cluster, 'ApiIngress', { workload: api });
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    const yaml = file(out, 'test', 'apps/clients-api/networkpolicy-clients-api-allow-ingress.yaml');
    await expect(yaml).toMatchFileSnapshot('./__snapshots__/app-clients-api-allow-ingress.yaml');
    const p = parse(yaml);
    expect(p.spec.ingress.map((r: any) => r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual([
      'kube-system',
      'monitoring',
      'clients',
    ]);
    expect(p.spec.ingress.every((r: any) => JSON.stringify(r.ports) === JSON.stringify([{ port: 8080, protocol: 'TCP' }]))).toBe(true);
  });

  it('workloadPolicy places the policy next to the workload, with options', async () => {
    const { app, cluster } = testCluster();
    const api = new Workload(cluster, 'web', { namespace: 'web', image: 'example/web:1.0.0', ports: [{ name: 'http', port: 80 }] });
    workloadPolicy(api, { ingressNamespaces: ['gateway'], monitoringNamespace: null, sameNamespace: false });
    const out = await run(app);
    const p = parse(file(out, 'test', 'apps/web/networkpolicy-web-allow-ingress.yaml'));
    expect(p.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
  });
});
