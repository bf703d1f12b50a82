/**
 * Hand-written files beside the rendered ones (output/foreign.ts): a manifest is listed in the kustomization.yaml of
 * its folder, never edited or moved; what cannot be listed is reported (NET-OUT4); an object defined by hand and by a
 * construct fails NET-OUT1.
 */
import { execFileSync } from 'node:child_process';
import { kubectlFor } from '../tools/helm.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Acknowledgements, Cluster, GitOps, Workload } from '../../constructs/index.js';
import { listFiles } from '../../constructs/output/writer.js';
import { clusterProps, ids, run, tempDir } from '../helpers.js';

function fleet(options: { withCache?: boolean; argocd?: boolean } = {}): App {
  const app = new App({ outdir: tempDir('netkit-dist-') });
  const gitops = options.argocd ? GitOps.argocd({ repoUrl: 'https://git.example.lan/fleet.git' }) : GitOps.flux();
  const cluster = new Cluster(app, 'demo', clusterProps({ gitops }));
  new Workload(cluster, 'web', { namespace: 'shop', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
  if (options.withCache) new Workload(cluster, 'cache', { namespace: 'shop', image: 'redis:7.4.1', ports: [{ name: 'redis', port: 6379 }] });
  return app;
}

const PDB =
  'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n';
const configMap = (name: string) => `# kept by hand\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  a: b\n`;

function put(dir: string, file: string, content: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), content);
}

/** The `resources` of a rendered kustomization.yaml on disk. */
function resources(dir: string, folder: string): string[] {
  return parse(readFileSync(join(dir, folder, 'kustomization.yaml'), 'utf8')).resources;
}

function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    ]),
  );
}

/** A tree rendered once, then given the hand-written files. */
async function treeWith(files: Record<string, string>, options: Parameters<typeof fleet>[0] = {}) {
  const out = tempDir();
  await run(fleet(options), { write: true, outdir: out });
  const dir = join(out, 'demo');
  for (const [file, content] of Object.entries(files)) put(dir, file, content);
  return { out, dir };
}

const kubectl = kubectlFor('the kustomize builds with hand-written manifests were not checked');

describe('hand-written manifests beside the rendered files', () => {
  it('lists a manifest added to a layer folder, a component folder and the cluster folder, and never edits it', async () => {
    const { out, dir } = await treeWith({
      'apps/pdb-web.yaml': PDB,
      'apps/web/configmap-extra.yaml': configMap('extra'),
      'sources.yaml': configMap('at-root'),
    });
    const outcome = await run(fleet(), { write: true, outdir: out });
    expect(outcome.ok).toBe(true);
    expect(ids(outcome.findings)).not.toContain('NET-OUT4');
    expect(resources(dir, 'apps')).toEqual(['namespaces', 'pdb-web.yaml', 'web']);
    expect(resources(dir, 'apps/web')).toEqual(['configmap-extra.yaml', 'deployment-web.yaml', 'service-web.yaml']);
    expect(resources(dir, '')).toEqual(['flux-system', 'layer-apps.yaml', 'sources.yaml']);
    // the files are the user's, byte for byte, and not claimed
    expect(readFileSync(join(dir, 'apps/pdb-web.yaml'), 'utf8')).toBe(PDB);
    const owned = readFileSync(join(dir, '.netkit-owned'), 'utf8');
    expect(owned).not.toMatch(/pdb-web\.yaml|configmap-extra\.yaml|sources\.yaml/);
    // a second synth changes nothing; deleting the file drops it from the list
    const before = fingerprint(dir);
    const again = await run(fleet(), { write: true, outdir: out });
    expect(again.result!.clusters[0].changes).toEqual({ added: [], changed: [], removed: [] });
    expect(fingerprint(dir)).toEqual(before);
    rmSync(join(dir, 'apps/pdb-web.yaml'));
    await run(fleet(), { write: true, outdir: out });
    expect(resources(dir, 'apps')).toEqual(['namespaces', 'web']);
  });

  it("leaves flux bootstrap's flux-system/ as the one entry it already was, without a finding", async () => {
    const { out, dir } = await treeWith({
      'flux-system/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\n  - gotk-sync.yaml\n',
      'flux-system/gotk-components.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n',
      'flux-system/gotk-sync.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\n',
    });
    const before = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
    const outcome = await run(fleet(), { write: true, outdir: out });
    expect(outcome.findings).toEqual([]);
    expect(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')).toBe(before);
    expect(resources(dir, '')).toEqual(['flux-system', 'layer-apps.yaml']);
  });

  it('lists the same way for Argo CD, whose root Application syncs the cluster folder', async () => {
    const { out, dir } = await treeWith({ 'apps/pdb-web.yaml': PDB, 'extra.yaml': configMap('root') }, { argocd: true });
    const outcome = await run(fleet({ argocd: true }), { write: true, outdir: out });
    expect(outcome.ok).toBe(true);
    expect(resources(dir, 'apps')).toContain('pdb-web.yaml');
    expect(resources(dir, '')).toContain('extra.yaml');
  });

  it('lists a folder of its own below a layer: by its kustomization.yaml when it has one, else each manifest in it', async () => {
    const { out, dir } = await treeWith({
      'apps/tools/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n',
      'apps/tools/cm.yaml': configMap('tools'),
      'apps/tools/deeper/ignored-by-its-kustomization.yaml': configMap('deeper'),
      'apps/loose/a.yaml': configMap('loose-a'),
      'apps/loose/sub/b.yaml': configMap('loose-b'),
    });
    const outcome = await run(fleet(), { write: true, outdir: out });
    expect(outcome.ok).toBe(true);
    // the hand-made kustomization decides what its folder builds; a plain folder's manifests are listed one by one
    expect(resources(dir, 'apps')).toEqual(['loose/a.yaml', 'loose/sub/b.yaml', 'namespaces', 'tools', 'web']);
  });

  it.skipIf(!kubectl)('builds with kubectl kustomize: the layer applies the hand-written objects beside the rendered ones', async () => {
    const { out, dir } = await treeWith({ 'apps/pdb-web.yaml': PDB, 'apps/loose/a.yaml': configMap('loose-a') });
    await run(fleet(), { write: true, outdir: out });
    const built = execFileSync(kubectl!, ['kustomize', join(dir, 'apps')], { encoding: 'utf8' });
    expect(built).toContain('kind: PodDisruptionBudget');
    expect(built).toContain('name: loose-a');
    expect(built).toContain('kind: Deployment');
  });

  it('reports a manifest in a folder no engine applies (NET-OUT4), says where to move it, and leaves it alone', async () => {
    const { out, dir } = await treeWith({
      'reports/pdb-web.yaml': PDB,
      'bootstrap/extra/cm.yaml': configMap('bootstrap'),
      // not for Kubernetes: a Talos machine-config document and a values file are not reported where nothing applies
      'bootstrap/talos-vip.yaml': 'apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 192.168.1.10\nlink: eth0\n',
      'reports/values.yaml': 'replicas: 2\n',
    });
    const outcome = await run(fleet(), { write: true, outdir: out });
    expect(outcome.ok).toBe(true);
    const found = outcome.findings.filter((f) => f.ruleId === 'NET-OUT4');
    expect(found.map((f) => [f.level, f.path, f.value, f.message])).toEqual([
      [
        'warning',
        'demo',
        'bootstrap/extra/cm.yaml',
        'clusters/demo/bootstrap/extra/cm.yaml is a manifest in bootstrap/, a folder no GitOps engine applies: nothing applies it',
      ],
      [
        'warning',
        'demo',
        'reports/pdb-web.yaml',
        'clusters/demo/reports/pdb-web.yaml is a manifest in reports/, a folder no GitOps engine applies: nothing applies it',
      ],
    ]);
    expect(found[1]!.fix).toBe("Move it to apps/ (e.g. clusters/demo/apps/pdb-web.yaml); the next synth lists it in that folder's kustomization.yaml.");
    expect(readFileSync(join(dir, 'reports/pdb-web.yaml'), 'utf8')).toBe(PDB);
    expect(resources(dir, 'apps')).toEqual(['namespaces', 'web']);
    // the warning is in the review report the reviewer reads
    expect(readFileSync(join(dir, 'reports/review.md'), 'utf8')).toContain('reports/pdb-web.yaml');
  });

  it('reports YAML in an applied folder that is not a manifest, and keeps quiet about files that are no YAML', async () => {
    const { out, dir } = await treeWith({
      'apps/web/values.yaml': 'replicas: 2\n',
      'apps/talos.yaml': 'apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 192.168.1.10\n',
      'apps/broken.yaml': 'kind: [unclosed\n',
      'apps/kustomization.yml': 'resources: []\n',
      'apps/web/README.md': '# notes\n',
      'apps/notes.txt': 'kustomize ignores me\n',
      'apps/web/only-a-comment.yaml': '# nothing here yet\n',
    });
    const outcome = await run(fleet(), { write: true, outdir: out });
    expect(outcome.ok).toBe(true);
    const found = outcome.findings.filter((f) => f.ruleId === 'NET-OUT4');
    expect(found.map((f) => f.value)).toEqual(['apps/broken.yaml', 'apps/kustomization.yml', 'apps/talos.yaml', 'apps/web/values.yaml']);
    expect(found.find((f) => f.value === 'apps/talos.yaml')!.message).toContain('apiVersion "v1alpha1" is neither v1 nor <group>/<version>');
    expect(found.find((f) => f.value === 'apps/web/values.yaml')!.message).toBe(
      'clusters/demo/apps/web/values.yaml is YAML in a folder the GitOps engine applies, but document 1 is not a Kubernetes object (no apiVersion and kind): no kustomization.yaml can list it, so nothing applies it',
    );
    expect(found.find((f) => f.value === 'apps/broken.yaml')!.message).toMatch(/it does not parse as YAML \(/);
    expect(found.find((f) => f.value === 'apps/kustomization.yml')!.message).toContain('a second kustomization file beside the rendered kustomization.yaml');
    expect(resources(dir, 'apps')).toEqual(['namespaces', 'web']);
    expect(resources(dir, 'apps/web')).toEqual(['deployment-web.yaml', 'service-web.yaml']);
    expect(existsSync(join(dir, 'apps/notes.txt'))).toBe(true);
  });

  it('is acknowledged on the cluster with a reason', async () => {
    const { out } = await treeWith({ 'bootstrap/extra/cm.yaml': configMap('bootstrap') });
    const app = fleet();
    Acknowledgements.of(app.node.findChild('demo')).add('NET-OUT4', 'applied once by hand before Flux runs');
    const outcome = await run(app, { outdir: out });
    expect(outcome.ok).toBe(true);
    expect(ids(outcome.findings)).not.toContain('NET-OUT4');
    expect(outcome.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toEqual(['NET-OUT4']);
  });

  it('removes the files it used to own from a folder it no longer renders, and lists the hand-written manifest left there from the layer', async () => {
    const out = tempDir();
    await run(fleet({ withCache: true }), { write: true, outdir: out });
    const dir = join(out, 'demo');
    put(dir, 'apps/cache/pdb-cache.yaml', PDB.replaceAll('web', 'cache'));
    expect(resources(dir, 'apps/cache')).toEqual(['deployment-cache.yaml', 'service-cache.yaml']);

    const outcome = await run(fleet(), { write: true, outdir: out });
    expect(outcome.ok).toBe(true);
    expect(outcome.result!.clusters[0].changes.removed).toEqual([
      'apps/cache/deployment-cache.yaml',
      'apps/cache/kustomization.yaml',
      'apps/cache/service-cache.yaml',
    ]);
    expect(listFiles(join(dir, 'apps/cache'))).toEqual(['pdb-cache.yaml']);
    expect(resources(dir, 'apps')).toEqual(['cache/pdb-cache.yaml', 'namespaces', 'web']);
    // nothing it wrote was edited: nothing to keep or say
    expect(ids(outcome.findings)).not.toContain('NET-OUT5');
  });

  it('keeps a file it wrote and no longer renders when it was edited by hand since, lists it, and says so (NET-OUT5)', async () => {
    const out = tempDir();
    await run(fleet({ withCache: true }), { write: true, outdir: out });
    const dir = join(out, 'demo');
    const edited = `${readFileSync(join(dir, 'apps/cache/deployment-cache.yaml'), 'utf8')}# memory limit raised by hand during the incident\n`;
    writeFileSync(join(dir, 'apps/cache/deployment-cache.yaml'), edited);

    const outcome = await run(fleet(), { write: true, outdir: out });
    expect(outcome.ok).toBe(true);
    expect(outcome.findings.map((f) => [f.ruleId, f.level, f.path, f.value, f.message])).toEqual([
      [
        'NET-OUT5',
        'warning',
        'demo',
        'apps/cache/deployment-cache.yaml',
        'clusters/demo/apps/cache/deployment-cache.yaml was written by the synthesizer and changed by hand since; nothing renders it any more, ' +
          'so it is kept as a hand-written file and listed in apps/kustomization.yaml: the engine still applies it',
      ],
    ]);
    // the unedited files of the construct go; the edited one stays, byte for byte, and is the user's from now on
    expect(outcome.result!.clusters[0].changes.removed).toEqual(['apps/cache/kustomization.yaml', 'apps/cache/service-cache.yaml']);
    expect(readFileSync(join(dir, 'apps/cache/deployment-cache.yaml'), 'utf8')).toBe(edited);
    expect(resources(dir, 'apps')).toEqual(['cache/deployment-cache.yaml', 'namespaces', 'web']);
    expect(readFileSync(join(dir, '.netkit-owned'), 'utf8')).not.toContain('apps/cache/');
    // the next synth sees an ordinary hand-written manifest: listed, no warning
    const again = await run(fleet(), { write: true, outdir: out });
    expect(again.findings).toEqual([]);
    expect(resources(dir, 'apps')).toEqual(['cache/deployment-cache.yaml', 'namespaces', 'web']);
  });

  it('overwrites a file it still renders even when edited by hand, and removes unedited files it no longer renders, without NET-OUT5', async () => {
    const out = tempDir();
    await run(fleet({ withCache: true }), { write: true, outdir: out });
    const dir = join(out, 'demo');
    const rendered = readFileSync(join(dir, 'apps/web/deployment-web.yaml'), 'utf8');
    writeFileSync(join(dir, 'apps/web/deployment-web.yaml'), `${rendered}# edited\n`);
    const outcome = await run(fleet(), { write: true, outdir: out });
    expect(ids(outcome.findings)).not.toContain('NET-OUT5');
    expect(readFileSync(join(dir, 'apps/web/deployment-web.yaml'), 'utf8')).toBe(rendered);
    expect(existsSync(join(dir, 'apps/cache'))).toBe(false);
  });

  it('acknowledges NET-OUT5 on the cluster with a reason (the file is still kept)', async () => {
    const out = tempDir();
    await run(fleet({ withCache: true }), { write: true, outdir: out });
    const dir = join(out, 'demo');
    writeFileSync(join(dir, 'apps/cache/service-cache.yaml'), '# taken over by the platform team\n');
    const app = fleet();
    Acknowledgements.of(app.node.findChild('demo')).add('NET-OUT5', 'the platform team maintains the cache Service now');
    const outcome = await run(app, { write: true, outdir: out });
    expect(ids(outcome.findings)).not.toContain('NET-OUT5');
    expect(outcome.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toEqual(['NET-OUT5']);
    expect(readFileSync(join(dir, 'apps/cache/service-cache.yaml'), 'utf8')).toBe('# taken over by the platform team\n');
  });

  it('fails when a hand-written manifest defines an object a construct renders (NET-OUT1), leaving the tree byte-identical', async () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports:\n    - port: 80\n';
    const { out } = await treeWith({ 'apps/my-service.yaml': service, 'apps/a.yaml': configMap('twice'), 'apps/b.yaml': configMap('twice') });
    const before = fingerprint(out);
    const app = fleet();
    Acknowledgements.of(app.node.findChild('demo')).add('NET-OUT1', 'the hand-written Service is the one that counts');
    const outcome = await run(app, { write: true, outdir: out });
    expect(outcome.ok).toBe(false);
    const found = outcome.findings.filter((f) => f.ruleId === 'NET-OUT1');
    expect(found.map((f) => [f.path, f.value, f.message])).toEqual([
      ['demo', 'apps/b.yaml', 'ConfigMap shop/twice is defined by hand in clusters/demo/apps/b.yaml and also in clusters/demo/apps/a.yaml'],
      [
        'demo/web-app/web/Service',
        'apps/my-service.yaml',
        'Service shop/web is defined by hand in clusters/demo/apps/my-service.yaml and also rendered by demo/web-app/web/Service',
      ],
    ]);
    expect(ids(outcome.findings)).toContain('NET-ACK1');
    expect(fingerprint(out)).toEqual(before);
  });
});
