/**
 * From objects to files: every object gets its own file inside its component folder, whatever its name; an object
 * that cannot be written becomes a finding reported with all the others; Argo CD sync options set on an object survive.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Acknowledgements, Component, GitOps, Layer } from '../../constructs/index.js';
import { ids, run, testCluster } from '../helpers.js';

/** The files of the one cluster of a successful outcome under `dir`. */
function filesUnder(outcome: Awaited<ReturnType<typeof run>>, dir: string): string[] {
  return [...outcome.result!.clusters[0].files.keys()].filter((f) => f.startsWith(`${dir}/`));
}

const configMap = (scope: Component, id: string, name: string, namespace: string, data: Record<string, string>) =>
  new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

describe('file layout', () => {
  it('gives two objects of one kind and name from different API groups their own files', async () => {
    const { app, cluster } = testCluster();
    const folder = new Component(cluster, 'Certs', { layer: Layer.APPS, folder: 'certs' });
    new ApiObject(folder, 'A', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { secretName: 'web-tls', dnsNames: ['web.example.lan'], issuerRef: { name: 'ca' } },
    });
    new ApiObject(folder, 'B', { apiVersion: 'example.com/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'shop' } });
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    const files = filesUnder(outcome, 'apps/certs').filter((f) => !f.endsWith('kustomization.yaml'));
    expect(files).toHaveLength(2);
    const groups = files.map((f) => parse(outcome.result!.clusters[0].files.get(f)!).apiVersion).sort();
    expect(groups).toEqual(['cert-manager.io/v1', 'example.com/v1']);
    const listed = parse(outcome.result!.clusters[0].files.get('apps/certs/kustomization.yaml')!).resources;
    expect(listed).toEqual(files.map((f) => f.split('/').pop()).sort());
  });

  it("keeps a namespaced file name from landing on another object's plain one", async () => {
    const { app, cluster } = testCluster();
    const folder = new Component(cluster, 'Cfg', { layer: Layer.APPS, folder: 'cfg' });
    configMap(folder, 'One', 'b', 'a', { x: '1' }); // collides with Two on configmap-b → configmap-a-b
    configMap(folder, 'Two', 'b', 'c', { x: '2' });
    configMap(folder, 'Three', 'a-b', 'z', { x: '3' }); // plain name configmap-a-b
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    const files = filesUnder(outcome, 'apps/cfg').filter((f) => !f.endsWith('kustomization.yaml'));
    expect(files).toHaveLength(3);
    const data = files.map((f) => parse(outcome.result!.clusters[0].files.get(f)!).data.x).sort();
    expect(data).toEqual(['1', '2', '3']);
  });

  it('keeps a file inside its folder whatever the object name holds, and shortens names file systems refuse', async () => {
    const { app, cluster } = testCluster();
    const folder = new Component(cluster, 'Cfg', { layer: Layer.APPS, folder: 'cfg' });
    const escape = configMap(folder, 'Escape', '../../../../outside', 'shop', { x: '1' });
    Acknowledgements.of(escape).add('NET-SCH4', 'an invalid name on purpose: the file layout must still hold');
    configMap(folder, 'Long', 'x'.repeat(253), 'shop', { x: '2' });
    const outcome = await run(app);
    const files = [...(outcome.result?.clusters[0].files.keys() ?? [])];
    const cfg = files.filter((f) => f.startsWith('apps/cfg/'));
    expect(cfg).toHaveLength(3); // two objects and the kustomization.yaml
    for (const f of cfg) {
      expect(f.split('/')).toHaveLength(3);
      expect(f.split('/').pop()).not.toMatch(/^\./);
      expect(Buffer.byteLength(f.split('/').pop()!)).toBeLessThanOrEqual(255);
    }
  });

  it('fails when an object cannot be written as YAML (NET-RUN1), reported with the other findings', async () => {
    const { app, cluster } = testCluster({ nodeMtu: 100 });
    new ApiObject(cluster, 'Odd', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'odd', namespace: 'shop' },
      data: Lazy.any({ produce: () => ({ hook: () => 1 }) }),
    });
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    const run1 = outcome.findings.filter((f) => f.ruleId === 'NET-RUN1');
    expect(run1).toEqual([expect.objectContaining({ path: 'test/Odd', message: expect.stringMatching(/^rendering ConfigMap odd failed: .*Function/) })]);
    expect(ids(outcome.findings)).toContain('NET-CLU4');
  });

  it('fails at the folder prop when a Component folder is not one plain folder name (NET-IN2, no crash)', async () => {
    const { app, cluster } = testCluster();
    const folder = new Component(cluster, 'Nested', { layer: Layer.APPS, folder: 'a/../../b' });
    configMap(folder, 'Cfg', 'cfg', 'shop', { x: '1' });
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(outcome.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'NET-IN2', path: 'test/Nested', value: 'a/../../b', message: expect.stringContaining('folder') }),
    );
    expect(outcome.findings.filter((f) => f.ruleId === 'NET-RUN1')).toEqual([]);
  });
});

describe('Argo CD decoration', () => {
  it('adds SkipDryRunOnMissingResource to the sync options an object already has, and only to custom resources', async () => {
    const { app, cluster } = testCluster({ gitops: GitOps.argocd({ repoUrl: 'https://git.example.lan/fleet.git' }) });
    const folder = new Component(cluster, 'Db', { layer: Layer.APPS, folder: 'db' });
    new ApiObject(folder, 'Db', {
      apiVersion: 'example.com/v1',
      kind: 'Database',
      metadata: { name: 'db', namespace: 'shop', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false, Delete=false' } },
    });
    configMap(folder, 'Cfg', 'cfg', 'shop', { x: '1' });
    const outcome = await run(app);
    const objs = outcome.result!.clusters[0].objects;
    expect(objs.find((o) => o.kind === 'Database')!.json.metadata.annotations['argocd.argoproj.io/sync-options']).toBe(
      'Prune=false,Delete=false,SkipDryRunOnMissingResource=true',
    );
    expect(objs.find((o) => o.kind === 'ConfigMap')!.json.metadata.annotations).toBeUndefined();
  });
});
