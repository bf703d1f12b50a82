/**
 * One values file for the engine and the bootstrap: kustomize builds the Flux cilium folder into the ConfigMap the
 * HelmRelease reads (the file's exact text, a stable name, helm-controller's watch label), the Argo CD Application
 * names the same file through its Git source, and the bootstrap installs from it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CiliumRelease, Component, GitOps, Layer } from '../../constructs/index.js';
import { file, run, testCluster } from '../helpers.js';
import { kubectlFor } from '../tools/helm.js';
import { ciliumCluster, releaseObject, renderedValues } from './fixtures.js';

const KUBECTL = kubectlFor('the Cilium values folders were not built with kubectl kustomize');

/** Writes the rendered files of one cluster under a fresh folder and builds `dir` with kubectl kustomize. */
function kustomize(files: ReadonlyMap<string, string>, dir: string): Record<string, any>[] {
  const root = mkdtempSync(join(tmpdir(), 'netkit-kustomize-'));
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const out = execFileSync(KUBECTL!, ['kustomize', join(root, dir)], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJSON());
}

describe('the Cilium values file', () => {
  it.skipIf(!KUBECTL)('Flux: kustomize builds cni/cilium into the HelmRelease and the ConfigMap cilium-values holding values.json as it is', async () => {
    const o = await run(ciliumCluster({ version: '1.19' }).app);
    const files = o.result!.clusters[0]!.files;
    const docs = kustomize(files, 'cni/cilium');
    const cm = docs.find((d) => d.kind === 'ConfigMap')!;
    expect(cm.metadata).toEqual({ name: 'cilium-values', namespace: 'kube-system', labels: { 'reconcile.fluxcd.io/watch': 'Enabled' } });
    expect(cm.data).toEqual({ 'values.yaml': files.get('cni/cilium/values.json') });
    const hr = docs.find((d) => d.kind === 'HelmRelease')!;
    expect(hr.spec.valuesFrom).toEqual([{ kind: 'ConfigMap', name: cm.metadata.name, valuesKey: 'values.yaml' }]);
    // the layer folder builds too, with the generated ConfigMap in it
    expect(
      kustomize(files, 'cni')
        .filter((d) => d.kind === 'ConfigMap')
        .map((d) => d.metadata.name),
    ).toEqual(['cilium-values']);
  });

  it('Argo CD: the Application reads the same file through its Git source; no ConfigMap is generated', async () => {
    const o = await run(ciliumCluster({}, { gitops: GitOps.argocd({ repoUrl: 'https://git.example/fleet.git', revision: 'v2' }) }).app);
    const app = releaseObject(o);
    expect(app.spec.sources[1]).toEqual({ repoURL: 'https://git.example/fleet.git', targetRevision: 'v2', ref: 'values' });
    expect(file(o, 'test', 'cni/cilium/kustomization.yaml')).not.toContain('configMapGenerator');
    expect(renderedValues(o).k8sServiceHost).toBe('192.168.1.10');
  });

  it('holds exactly the values the release computes, keys sorted, values added after construction included', async () => {
    const c = ciliumCluster({});
    c.cilium.addExtraValues({ policyCIDRMatchMode: ['nodes'], hubble: { relay: { enabled: true } } });
    const o = await run(c.app);
    const text = file(o, 'test', 'cni/cilium/values.json');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(c.cilium.values())));
    const top = Object.keys(JSON.parse(text));
    expect(top).toEqual([...top].sort());
    expect(text.endsWith('}\n')).toBe(true);
    expect(c.cilium.chart.valuesFilePath).toBe('cni/cilium/values.json');
  });

  it('refuses component files that would read as manifests, and a second file of one name', () => {
    const { cluster } = testCluster();
    const c = new Component(cluster, 'X', { layer: Layer.APPS });
    expect(() => c.addFile('values.yaml', () => '')).toThrow(/does not end in \.yaml or \.yml/);
    expect(() => c.addFile('../escape.json', () => '')).toThrow(/one plain file name/);
    c.addFile('values.json', () => '{}\n');
    expect(() => c.addFile('values.json', () => '{}\n')).toThrow(/twice/);
    expect(c.filePath('values.json')).toBe('apps/x/values.json');
  });

  it('refuses extra files of the cluster outside reports/, edge/ and bootstrap/, and YAML under bootstrap/', () => {
    const { cluster } = testCluster();
    expect(() => cluster.addFile('cni/cilium/values.json', () => '')).toThrow(/reports\/, edge\/ or bootstrap\//);
    expect(() => cluster.addFile('bootstrap/extra.yaml', () => '')).toThrow(/no \.yaml there/);
    expect(() => cluster.addFile('bootstrap/notes.txt', () => '')).not.toThrow();
  });

  it('is the one source of the values: CiliumRelease keeps no inline copy in the release object', async () => {
    for (const gitops of [GitOps.flux(), GitOps.argocd({ repoUrl: 'https://git.example/fleet.git' })]) {
      const { app, cluster } = testCluster({ gitops });
      new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
      const o = await run(app);
      const text = file(
        o,
        'test',
        [...o.result!.clusters[0]!.files.keys()].find((f) => /^cni\/cilium\/(helmrelease|application)-cilium\.yaml$/.test(f))!,
      );
      expect(text).not.toMatch(/k8sServiceHost|valuesObject|^\s+values:/m);
    }
  });
});
