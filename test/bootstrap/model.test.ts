/**
 * The apply-order model on its own: steps in order with what each provides, Flux gating read from each
 * Kustomization's wait/dependsOn, and reports/bootstrap.md of the example fleet.
 */
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { CiliumRelease, GitOps } from '../../constructs/index.js';
import { applyOrder, cniStep, providersOf } from '../../constructs/bootstrap/model.js';
import { HealthGatesReported } from '../../constructs/rules/bootstrap/HealthGatesReported.js';
import type { RenderedObject, RuleContext } from '../../constructs/rules/rule.js';
import { file, run, testCluster } from '../helpers.js';

const obj = (file: string, json: RenderedObject['json'], path = `test/${file}`): RenderedObject => ({
  path,
  file,
  apiVersion: json.apiVersion,
  kind: json.kind,
  name: json.metadata.name,
  ...(json.metadata.namespace ? { namespace: json.metadata.namespace } : {}),
  json,
});

const layer = (name: string, spec: Record<string, unknown>) =>
  obj(`layer-${name}.yaml`, {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { path: `./clusters/test/${name}`, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
  });

/** services (cert-manager) and networking (a Certificate), networking dependsOn services; `wait` on services as given. */
function fluxObjects(wait: boolean): RenderedObject[] {
  return [
    layer('services', { wait }),
    layer('networking', { wait: true, dependsOn: [{ name: 'services' }] }),
    obj('services/cert-manager/helmrelease-cert-manager.yaml', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'cert-manager', namespace: 'cert-manager' },
      spec: { chart: { spec: { chart: 'cert-manager', version: 'v1.21.1' } }, values: { crds: { enabled: true } } },
    }),
    obj('networking/certs/certificate-web.yaml', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'web', namespace: 'apps' },
      spec: {},
    }),
  ];
}

function orderFor(objects: RenderedObject[]) {
  const { cluster } = testCluster();
  new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
  return { cluster, order: applyOrder({ cluster, objects, valuesOf: (o) => o.json.spec?.values ?? {}, readFile: () => undefined }) };
}

describe('the apply-order model', () => {
  it('orders the nodes, the bootstrap and the layers, with what each makes available', () => {
    const { order } = orderFor(fluxObjects(true));
    expect(order.steps.map((s) => s.id)).toEqual(['nodes', 'bootstrap/cilium', 'bootstrap/flux', 'layer/services', 'layer/networking']);
    expect(cniStep(order)!.id).toBe('bootstrap/cilium');
    expect(providersOf(order, { group: 'cert-manager.io', kind: 'Certificate' }).map((p) => p.step.id)).toEqual(['layer/services']);
    expect(providersOf(order, { group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease' }).map((p) => p.step.id)).toEqual(['bootstrap/flux']);
    const networking = order.steps[4]!;
    expect([...networking.healthyBefore].sort()).toEqual([0, 1, 2, 3]);
    expect(networking.waitsFor).toBe('dependsOn services Ready (healthy: wait: true)');
  });

  it('takes a dependency without wait (or healthChecks) as applied only, and NET-BOOT4 says so', () => {
    const objects = fluxObjects(false);
    const { cluster, order } = orderFor(objects);
    const networking = order.steps.find((s) => s.id === 'layer/networking')!;
    expect(networking.appliedBefore.has(3)).toBe(true);
    expect(networking.healthyBefore.has(3)).toBe(false);
    const ctx = { cluster, objects, acknowledgements: [], ruleIds: new Set<string>(), extraFiles: new Map() } as unknown as RuleContext;
    const results = [...HealthGatesReported.check(ctx)];
    expect(results.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /step 4 \(layer networking\) needs Certificate\.cert-manager\.io .* in step 3 \(layer services\), but does not wait for its health: Flux Kustomization flux-system\/services \(layer-services\.yaml\) has neither wait: true nor healthChecks/,
      ),
    ]);
  });

  it('Argo CD: an install folder rendered at bootstrap/argocd/ goes with the install step, and its argocd-cm health check counts', () => {
    const { cluster } = testCluster({ gitops: GitOps.argocd({ repoUrl: 'https://git.example/fleet.git' }) });
    const cm = obj('bootstrap/argocd/configmap-argocd-cm.yaml', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: 'argocd' },
      data: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}\nreturn hs\n' },
    });
    const root = obj('bootstrap/root-application.yaml', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'test-root', namespace: 'argocd' },
      spec: {},
    });
    const order = applyOrder({ cluster, objects: [cm, root], valuesOf: () => ({}), readFile: () => undefined });
    expect(order.steps.find((s) => s.id === 'bootstrap/argocd')!.objects).toEqual([cm]);
    expect(order.steps.find((s) => s.id === 'bootstrap/root-application')!.objects).toEqual([root]);
    expect(order.applicationHealth).toEqual({ reported: true, why: expect.stringContaining('bootstrap/argocd/configmap-argocd-cm.yaml') });
    // the Argo CD that syncs the tree is declared without the check: only a rendered argocd-cm can say otherwise
    const bare = testCluster({ gitops: GitOps.argocd({ repoUrl: 'https://git.example/fleet.git', applicationHealthCheck: false }) }).cluster;
    expect(applyOrder({ cluster: bare, objects: [root], valuesOf: () => ({}), readFile: () => undefined }).applicationHealth!.reported).toBe(false);
    expect(applyOrder({ cluster, objects: [root], valuesOf: () => ({}), readFile: () => undefined }).applicationHealth).toEqual({
      reported: true,
      why: expect.stringContaining('bootstrap/argocd/argocd-cm.yaml'),
    });
  });

  it('refuses a dependsOn cycle with a message naming the Kustomization', () => {
    expect(() => orderFor([layer('a', { wait: true, dependsOn: [{ name: 'b' }] }), layer('b', { wait: true, dependsOn: [{ name: 'a' }] })])).toThrow(
      /Flux Kustomization [ab] depends on itself \(dependsOn cycle\)/,
    );
  });
});

describe('reports/bootstrap.md of the example fleet', async () => {
  const o = await run(buildFleet(new App()));

  it('talos: every step in order, with what it makes available and what the networking layer takes from where', () => {
    const report = file(o, 'talos', 'reports/bootstrap.md');
    const rows = report
      .split('## What each step')[0]!
      .split('\n')
      .filter((l) => /^\| \d+ \|/.test(l))
      .map((l) => l.split(' | ')[1]);
    expect(rows).toEqual([
      'The nodes (Talos) and the API server',
      'Gateway API v1.6.1 CRDs (standard channel), the bundle the crds layer keeps afterwards',
      'Cilium 1.20.0 (Helm release cilium in kube-system) from cni/cilium/values.json, the file the engine reads',
      'Argo CD in argocd (bootstrap/argocd/ when the tree renders it; otherwise the Argo CD already installed)',
      'The root Application talos-root: Argo CD syncs clusters/talos/ layer by layer (sync waves) and adopts Cilium',
      'layer crds',
      'layer cni',
      'layer secrets',
      'layer secret-store',
      'layer services',
      'layer networking',
      'layer apps',
    ]);
    expect(report).toContain('Argo CD Application health: reported');
    expect(report).toMatch(
      /\| 6 \| layer cni \| .* \| Cilium, adopted: running since step 2; cilium\.io: CiliumLoadBalancerIPPool, CiliumL2AnnouncementPolicy, 18 more \|/,
    );
    expect(report).toMatch(
      /- step 10 \(layer networking\):\n( {2}- .*\n)* {2}- ClusterIssuer\.cert-manager\.io: step 9 \(layer services: the cert-manager chart \(Application argocd\/cert-manager\)\)\n/,
    );
    expect(report).toContain('  - Gateway.gateway.networking.k8s.io: step 1 (Gateway API v1.6.1 CRDs)');
  });

  it('talos: the Secrets in the order they are needed, the store credential first, force-sync for the bootstrap ones', () => {
    const report = file(o, 'talos', 'reports/bootstrap.md');
    const secrets = report.split('## Secrets, in the order they are needed')[1]!;
    const rows = secrets
      .split('\n')
      .filter((l) => /^\| \d+ \|/.test(l))
      .map((l) => l.split(' | ').slice(1, 3));
    expect(rows).toEqual([
      ['external-secrets/onepassword-connect-token', 'step 8 (layer secret-store)'],
      ['cert-manager/cloudflare-api-token', 'step 10 (layer networking)'],
      ['cloudflared/cloudflared-credentials', 'step 10 (layer networking)'],
      ['gateway/wildcard-vanillax-me-tls', 'step 10 (layer networking)'],
    ]);
    expect(secrets).toContain('out of band: `kubectl -n external-secrets create secret generic onepassword-connect-token');
    expect(secrets).toContain('kubectl -n cert-manager annotate externalsecret cloudflare-api-token external-secrets.io/force-sync="$(date +%s)" --overwrite');
    expect(secrets).toContain('cert-manager, from Certificate gateway/wildcard-vanillax-me');
  });

  it('oceanid: the store layer waits for the operator, and the next layer waits for the operator, never for the store', () => {
    const report = file(o, 'oceanid', 'reports/bootstrap.md');
    expect(report).toMatch(/\| 5 \| layer secret-store \| .* \| dependsOn secrets Ready \(healthy: wait: true\) \|/);
    expect(report).toMatch(/\| 6 \| layer networking \| .* \| dependsOn secrets Ready \(healthy: wait: true\) \|/);
    expect(report).not.toMatch(/dependsOn secret-store/);
    expect(report).toMatch(/\| apps\/labelfish-db-credentials \| step 7 \(layer apps\) \| .*ExternalSecret from ClusterSecretStore doppler/);
    expect(report).toMatch(/\| cloudflared\/cloudflared-token \| step 6 \(layer networking\) \| Deployment cloudflared \(env TUNNEL_TOKEN/);
  });

  it('homelab: Cilium before Flux; the apps layer takes the CloudNativePG Cluster kind from the services layer', () => {
    const report = file(o, 'homelab', 'reports/bootstrap.md');
    expect(report).toContain('`bash clusters/homelab/bootstrap/bootstrap.sh <flux bootstrap provider and flags>`');
    expect(report).toMatch(/\| 1 \| Cilium 1\.19\.6 .*\| no \| the CNI: pods can run/);
    expect(report).toMatch(/\| 2 \| Flux, reconciling clusters\/homelab\/ .*\| yes \|/);
    expect(report).toContain('  - Cluster.postgresql.cnpg.io: step 4 (layer services: the cloudnative-pg chart (HelmRelease cnpg-system/cnpg))');
    expect(report).not.toContain('Gateway API');
    expect(report).toMatch(
      /\| clients\/clients-db-app \| step 5 \(layer apps\) \| Deployment clients-api .* \| CloudNativePG, for Cluster clients\/clients-db/,
    );
  });
});
