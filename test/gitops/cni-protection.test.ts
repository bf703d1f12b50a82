/**
 * The CNI survives what the GitOps engine does to its entry: a renamed file, a removed layer, a deleted root. And
 * every Argo CD Application keeps retrying a failed sync.
 */
import { describe, expect, it } from 'vitest';
import { ARGO_KEEP, ARGO_RETRY, CertManagerRelease, CiliumRelease, GitOps } from '../../constructs/index.js';
import { run, testCluster } from '../helpers.js';

const argocd = GitOps.argocd({ repoUrl: 'https://git.example.lan/fleet.git' });

async function objectsOf(gitops: GitOps) {
  const { app, cluster } = testCluster({ gitops });
  new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
  new CertManagerRelease(cluster, 'CertManager');
  const o = await run(app);
  if (!o.ok) throw new Error(o.findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`).join('\n'));
  return o.result!.clusters[0].objects;
}

describe('Argo CD', () => {
  it('keeps the Cilium Application and the CNI layer out of prune and cascade: no finalizer, Prune=false and Delete=false', async () => {
    const objects = await objectsOf(argocd);
    for (const file of ['cni/cilium/application-cilium.yaml', 'layer-cni.yaml']) {
      const app = objects.find((o) => o.file === file)!.json;
      expect(app.metadata.finalizers, file).toBeUndefined();
      expect(app.metadata.annotations['argocd.argoproj.io/sync-options'], file).toBe('Prune=false,Delete=false');
    }
    expect(ARGO_KEEP).toBe('Prune=false,Delete=false');
  });

  it('keeps the resources finalizer everywhere else: the root, the other layers, other charts', async () => {
    const objects = await objectsOf(argocd);
    const others = objects.filter(
      (o) => o.kind === 'Application' && !['cni/cilium/application-cilium.yaml', 'layer-cni.yaml'].includes(o.file) && o.name !== 'gateway-api-crds',
    );
    expect(others.map((o) => o.file).sort()).toEqual([
      'bootstrap/root-application.yaml',
      'layer-services.yaml',
      'services/cert-manager/application-cert-manager.yaml',
    ]);
    for (const o of others) {
      expect(o.json.metadata.finalizers, o.file).toEqual(['resources-finalizer.argocd.argoproj.io']);
      expect(o.json.metadata.annotations?.['argocd.argoproj.io/sync-options'], o.file).toBeUndefined();
    }
  });

  it('retries every failed sync without end, backing off to at most three minutes', async () => {
    const apps = (await objectsOf(argocd)).filter((o) => o.kind === 'Application');
    expect(apps.length).toBeGreaterThanOrEqual(5);
    for (const a of apps) expect(a.json.spec.syncPolicy.retry, a.file).toEqual({ limit: -1, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } });
    expect(ARGO_RETRY.limit).toBeLessThan(0);
  });
});

describe('Flux', () => {
  it('never garbage-collects the Cilium HelmRelease or the CNI layer Kustomization', async () => {
    const objects = await objectsOf(GitOps.flux());
    const prune = (file: string) => objects.find((o) => o.file === file)!.json.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'];
    expect(prune('cni/cilium/helmrelease-cilium.yaml')).toBe('disabled');
    expect(prune('layer-cni.yaml')).toBe('disabled');
    expect(prune('layer-services.yaml')).toBeUndefined();
    expect(prune('services/cert-manager/helmrelease-cert-manager.yaml')).toBeUndefined();
  });
});
