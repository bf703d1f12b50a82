/**
 * The example fleet end to end: a fresh synth equals the committed clusters/ tree file for file (compared read-only:
 * a test never writes into clusters/; `npm run synth` regenerates it and the PR diff shows the change), and the tree
 * is one Flux and Argo CD accept.
 */
import { execFileSync } from 'node:child_process';
import { kubectlFor } from '../tools/helm.js';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { listFiles } from '../../constructs/output/writer.js';
import { expectCommitted, nonEmpty, run, tempDir, type Outcome } from '../helpers.js';
import { kustomizationDirs, kustomizationProblems } from './tree.js';
import { STANDIN } from '../gitops/standin.js';
import { ARGOCD_INSTALL_DIR, ARGOCD_VERSION, argoCdInstallUrl, LAYER_ORDER, UNGATED_LAYERS } from '../../constructs/index.js';

const committed = resolve(import.meta.dirname, '../../clusters');
let fresh: Outcome;

beforeAll(async () => {
  fresh = await run(buildFleet(), { write: true });
  if (!fresh.ok) throw new Error(`the example fleet does not synthesize:\n${fresh.findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`).join('\n')}`);
});

describe('example fleet', () => {
  it('renders the three example clusters', () => {
    expect(fresh.result!.clusters.map((c) => c.name)).toEqual(['homelab', 'talos', 'oceanid']);
  });

  it('renders no ExternalSecret with neither data nor dataFrom (the External Secrets webhook rejects it)', () => {
    const found = [];
    for (const c of fresh.result!.clusters) {
      for (const [path, content] of c.files) {
        if (!path.endsWith('.yaml')) continue;
        for (const doc of parseAllDocuments(content)) {
          const o = doc.toJS();
          if (o?.kind !== 'ExternalSecret') continue;
          found.push(`${c.name}/${path}`);
          const data = o.spec?.data ?? [];
          const dataFrom = o.spec?.dataFrom ?? [];
          expect(data.length + dataFrom.length, `${c.name}/${path}`).toBeGreaterThan(0);
          expect(o.spec, `${c.name}/${path}: an empty list is rejected as well`).not.toMatchObject({ data: [] });
        }
      }
    }
    nonEmpty(found, 'ExternalSecrets in the example fleet');
  });

  it('has no open errors, and its warnings and acknowledged findings are listed in reports/review.md', () => {
    // The fleet acknowledges findings (talos), so the rows below are checked on a real review, not skipped.
    expect(fresh.result!.clusters.some((c) => c.findings.length + c.acknowledged.length > 0)).toBe(true);
    for (const c of fresh.result!.clusters) {
      const review = c.files.get('reports/review.md');
      expect(review !== undefined, `${c.name}: reports/review.md exactly when there is something to review`).toBe(
        c.findings.length + c.acknowledged.length > 0,
      );
      for (const f of c.findings) expect(f.level).toBe('warning');
      for (const f of [...c.findings, ...c.acknowledged]) expect(review, `${c.name}: ${f.ruleId} at ${f.path}`).toContain(`| ${f.ruleId} | \`${f.path}\` |`);
    }
  });

  it('matches the committed clusters/ tree: same files', () => {
    const freshFiles = listFiles(fresh.outdir).filter((f) => !f.includes('/flux-system/'));
    const committedOwned = existsSync(committed) ? listFiles(committed).filter((f) => readOwnedList(committed).has(f) || f.endsWith('.netkit-owned')) : [];
    expect(committedOwned, 'run `npm run synth` and commit clusters/').toEqual(freshFiles);
  });

  it('matches the committed clusters/ tree: every file, byte for byte (read-only: `npm run synth` rewrites it)', () => {
    for (const f of nonEmpty(listFiles(fresh.outdir), 'rendered file')) expectCommitted(readFileSync(join(fresh.outdir, f), 'utf8'), f);
  });

  it('gives every applied folder a kustomization.yaml listing exactly its files', () => {
    for (const c of fresh.result!.clusters) {
      const flux = c.files.get('kustomization.yaml')?.includes('flux-system');
      expect(kustomizationProblems(join(fresh.outdir, c.name), flux ? { rootExtras: ['flux-system'] } : {}), c.name).toEqual([]);
    }
  });

  it('orders the Flux layers with dependsOn and waits for their health', () => {
    const flux = fresh.result!.clusters.filter((x) => x.files.get('kustomization.yaml')?.includes('flux-system'));
    expect(flux.length).toBeGreaterThan(0);
    for (const c of flux) {
      const layers = c.objects.filter((o) => o.kind === 'Kustomization' && o.file.startsWith('layer-'));
      expect(layers.length).toBeGreaterThan(0);
      const all = LAYER_ORDER.filter((l) => layers.some((o) => o.name === l));
      // the gated layers form one chain; an ungated layer (the secret store) hangs off it: wait false, nothing after it
      const order = all.filter((l) => !UNGATED_LAYERS.has(l));
      order.forEach((name, i) => {
        const k = layers.find((o) => o.name === name)!.json;
        expect(k.spec.path).toBe(`./clusters/${c.name}/${name}`);
        expect(k.spec.wait).toBe(true);
        expect(k.spec.dependsOn).toEqual(i === 0 ? undefined : [{ name: order[i - 1] }]);
      });
      for (const name of all.filter((l) => UNGATED_LAYERS.has(l))) {
        const k = layers.find((o) => o.name === name)!.json;
        expect(k.spec.wait).toBe(false);
        expect(k.spec.dependsOn).toEqual([{ name: all[all.indexOf(name) - 1] }]);
      }
      const root = parse(c.files.get('kustomization.yaml')!);
      expect(root.resources).toEqual(['flux-system', ...all.map((l) => `layer-${l}.yaml`).sort()]);
    }
  });

  it('orders the Argo CD layer Applications with sync waves, and skips the dry run of custom resources', () => {
    const argo = fresh.result!.clusters.filter((x) => x.files.has('bootstrap/root-application.yaml'));
    expect(argo.length).toBeGreaterThan(0);
    for (const c of argo) {
      const apps = c.objects.filter((o) => o.file.startsWith('layer-'));
      const waves = apps.map((a) => Number(a.json.metadata.annotations['argocd.argoproj.io/sync-wave']));
      const order: readonly string[] = LAYER_ORDER;
      const byLayer = apps.map((a) => order.indexOf(a.file.replace(/^layer-|\.yaml$/g, '')));
      expect(waves).toEqual(byLayer);
      for (const o of c.objects.filter((x) => !/^(v1|apps\/v1|networking\.k8s\.io\/v1|batch\/v1|argoproj\.io\/v1alpha1)$/.test(x.apiVersion))) {
        expect(o.json.metadata.annotations?.['argocd.argoproj.io/sync-options'], `${o.kind} ${o.name}`).toBe('SkipDryRunOnMissingResource=true');
      }
    }
  });

  it('lists every edge/ file of a cluster in its edge/README.md, which says how to apply it', () => {
    const withEdge = fresh.result!.clusters.filter((c) => [...c.files.keys()].some((f) => f.startsWith('edge/')));
    expect(withEdge.map((c) => c.name).sort()).toEqual(['homelab', 'oceanid', 'talos']);
    for (const c of withEdge) {
      const readme = c.files.get('edge/README.md');
      expect(readme, `${c.name}/edge/README.md`).toBeDefined();
      for (const f of [...c.files.keys()].filter((x) => x.startsWith('edge/') && x !== 'edge/README.md')) {
        expect(readme, `${c.name}: ${f}`).toMatch(new RegExp(`^- \`${f.slice('edge/'.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` → .+\n  \\S`, 'm'));
      }
    }
  });

  it('writes no Secret: the workloads name their credentials by secretRef, and no written file holds a Secret', () => {
    // The fleet renders no Secret object at all (a loop over its Secrets would check nothing): the credentials exist
    // outside the tree, and what the tree holds are the references to them.
    const objects = nonEmpty(
      fresh.result!.clusters.flatMap((c) => c.objects.map((o) => ({ cluster: c.name, o }))),
      'rendered object',
    );
    expect(objects.filter(({ o }) => o.kind === 'Secret').map(({ o }) => o.path)).toEqual([]);
    const refs = objects
      .filter(({ o }) => o.kind === 'Deployment')
      .flatMap(({ cluster, o }) =>
        (o.json.spec.template.spec.containers as { envFrom?: { secretRef?: { name: string } }[] }[]).flatMap((ct) =>
          (ct.envFrom ?? []).flatMap((e) => (e.secretRef ? [`${cluster}/${o.json.metadata.namespace}/${e.secretRef.name}`] : [])),
        ),
      );
    expect(refs.sort()).toEqual(['homelab/clients/clients-db-app', 'oceanid/apps/labelfish-db-credentials']);
    // every file written, edge files and the bootstrap bundle included, not only the objects above
    const yamlFiles = nonEmpty(
      listFiles(fresh.outdir).filter((f) => /\.ya?ml(\.dist)?$/.test(f)),
      'written YAML file',
    );
    const secrets = yamlFiles.filter((f) =>
      parseAllDocuments(readFileSync(join(fresh.outdir, f), 'utf8')).some((d) => (d.toJS() as { kind?: string } | null)?.kind === 'Secret'),
    );
    expect(secrets).toEqual([]);
  });

  const kubectl = kubectlFor('`kubectl kustomize` builds were not checked');

  it.skipIf(!kubectl)('builds every kustomization folder with kubectl kustomize (flux-system stubbed as after bootstrap)', () => {
    const copy = tempDir('netkit-kustomize-');
    cpSync(fresh.outdir, copy, { recursive: true });
    let built = 0;
    for (const c of fresh.result!.clusters) {
      const dir = join(copy, c.name);
      if (c.files.get('kustomization.yaml')?.includes('flux-system')) {
        mkdirSync(join(dir, 'flux-system'), { recursive: true });
        writeFileSync(join(dir, 'flux-system', 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
      }
      // the Argo CD install's remote base cannot be fetched offline: build it against the stand-in
      if (existsSync(join(dir, ARGOCD_INSTALL_DIR))) {
        const install = join(dir, ARGOCD_INSTALL_DIR);
        cpSync(STANDIN, join(install, 'install-standin.yaml'));
        const k = join(install, 'kustomization.yaml');
        writeFileSync(k, readFileSync(k, 'utf8').replace(argoCdInstallUrl(ARGOCD_VERSION), 'install-standin.yaml'));
      }
      for (const rel of kustomizationDirs(dir)) {
        const out = execFileSync(kubectl!, ['kustomize', join(dir, rel)], { encoding: 'utf8' });
        expect(
          parseAllDocuments(out).every((d) => d.errors.length === 0),
          `${c.name}/${rel}`,
        ).toBe(true);
        built++;
      }
    }
    expect(built).toBeGreaterThan(3);
  });
});

function readOwnedList(dir: string): Set<string> {
  const out = new Set<string>();
  for (const cluster of listFiles(dir).filter((f) => f.endsWith('.netkit-owned'))) {
    const base = cluster.replace(/\.netkit-owned$/, '');
    for (const line of readFileSync(join(dir, cluster), 'utf8').split('\n')) {
      if (line && !line.startsWith('#')) out.add(base + line.split('  ').pop());
    }
  }
  return out;
}
