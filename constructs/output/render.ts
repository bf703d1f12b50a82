/**
 * From a Cluster's constructs to the files of `clusters/<cluster>/`: where each object goes, the kustomization.yaml
 * of every folder, and the GitOps entry objects (Flux Kustomizations or Argo CD Applications per layer).
 */
import { createHash } from 'node:crypto';
import type { ApiObject } from 'cdk8s';
import type { Cluster } from '../cluster.js';
import { ARGO_KEEP, ARGO_RETRY, ARGO_SYNC_OPTIONS, FLUX_PRUNE, GitOpsFlavour } from '../gitops/gitops.js';
import { Component, Layer, LAYER_ORDER, UNGATED_LAYERS } from '../component.js';
import type { RenderedObject, SynthFailure } from '../rules/rule.js';
import { objectJson } from '../core/to-json.js';
import { EXTERNAL_SECRET_HEALTH_EXPR } from '../secret-source.js';
import { objectFile, toYaml } from './yaml.js';
import { compareText } from '../core/order.js';
import { ARGOCD_VERSION } from '../core/versions.js';
import { ARGOCD_INSTALL_DIR, argoCdInstallFiles, routesTerminatingTlsForArgoCd } from '../gitops/argocd-install.js';

const CORE_GROUPS =
  /^(|apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|storage\.k8s\.io|coordination\.k8s\.io|discovery\.k8s\.io|apiextensions\.k8s\.io|scheduling\.k8s\.io|admissionregistration\.k8s\.io)$/;

export interface RenderedCluster {
  readonly objects: RenderedObject[];
  /** What could not be turned into JSON or placed (NET-RUN1 reports each). */
  readonly failures: SynthFailure[];
}

/**
 * The YAML text of each placed object, serialized once while rendering: an object that cannot be written as YAML
 * (a function or a symbol among its values) becomes a failure there (NET-RUN1) instead of crashing the layout.
 */
const serialized = new WeakMap<object, string>();

/** A folder name a Component may use: one path segment, not hidden, no `..`. */
const FOLDER = /^[A-Za-z0-9_][A-Za-z0-9._ -]*$/;

/** Longest file name (without `.yaml`) written; file systems allow 255 bytes, Kubernetes names 253 characters. */
const MAX_STEM = 200;

/** Turn every ApiObject of the cluster into a placed, GitOps-decorated object; add the entry objects. */
export function renderObjects(cluster: Cluster): RenderedCluster {
  const failures: SynthFailure[] = [];
  const placed: { obj: ApiObject; json: RenderedObject['json']; dir: string }[] = [];
  const fail = (obj: ApiObject, error: string, fix?: string) =>
    failures.push({ at: obj.node.path, during: `rendering ${obj.kind} ${obj.metadata.name ?? obj.node.id}`, error, ...(fix !== undefined ? { fix } : {}) });
  for (const obj of cluster.apiObjects) {
    const component = Component.enclosing(obj);
    if (component && !FOLDER.test(component.folder)) {
      fail(
        obj,
        `the folder "${component.folder}" of ${component.node.path} is not one plain folder name`,
        'Give the Component a folder name of letters, digits, ".", "_" or "-", without "/" or "..".',
      );
      continue;
    }
    let json: RenderedObject['json'];
    try {
      json = objectJson(obj);
      if (cluster.gitops.flavour === GitOpsFlavour.ARGOCD) decorateForArgo(json);
      serialized.set(json, toYaml(json));
    } catch (e) {
      fail(obj, e instanceof Error ? e.message : String(e));
      continue;
    }
    const dir = component ? `${component.layer}/${component.folder}` : `${Layer.APPS}/manifests`;
    placed.push({ obj, json, dir });
  }

  const files = fileNames(
    placed.map((p) => p.dir),
    placed.map((p) => p.json),
  );
  const objects: RenderedObject[] = placed.map((p, i) => {
    const ns = p.json.metadata?.namespace as string | undefined;
    return {
      path: p.obj.node.path,
      file: files[i],
      apiVersion: p.json.apiVersion,
      kind: p.json.kind,
      name: p.json.metadata?.name,
      ...(ns ? { namespace: ns } : {}),
      json: p.json,
    };
  });

  const withExternalSecrets = new Set(
    objects.filter((o) => o.kind === 'ExternalSecret' && o.apiVersion.startsWith('external-secrets.io/')).map((o) => o.file.split('/')[0]!),
  );
  objects.push(...entryObjects(cluster, usedLayers(objects), withExternalSecrets));
  return { objects, failures };
}

/**
 * File names: `<kind>-<name>.yaml`; where two objects of one folder would share a name, `<kind>-<namespace>-<name>`;
 * where even that collides (same kind and name from two API groups, or a namespaced name that equals another's plain
 * one), a short hash of the object's identity is appended. Characters a Kubernetes name cannot hold (a `/` would
 * make a sub-folder, `..` would leave the cluster folder) are replaced by `_`; over-long names are shortened with a
 * hash. Deterministic: the name depends only on the objects.
 */
function fileNames(dirs: readonly string[], jsons: readonly RenderedObject['json'][]): string[] {
  const safe = (s: unknown) =>
    String(s ?? '')
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, (m) => '_'.repeat(m.length));
  const identity = (j: RenderedObject['json']) =>
    `${j.apiVersion.split('/').slice(0, -1).join('/')}/${j.kind}/${j.metadata?.namespace ?? ''}/${j.metadata?.name}`;
  const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);
  const fit = (stem: string) => (stem.length > MAX_STEM ? `${stem.slice(0, MAX_STEM - 9)}-${hash(stem)}` : stem);
  const base = jsons.map((j) => `${j.kind.toLowerCase()}-${safe(j.metadata?.name)}`);
  const key = (i: number, stem: string) => `${dirs[i]}/${stem}`;
  const count = (stems: readonly string[]) => {
    const m = new Map<string, Set<string>>();
    stems.forEach((s, i) => m.set(key(i, s), (m.get(key(i, s)) ?? new Set()).add(identity(jsons[i]))));
    return m;
  };
  const baseCounts = count(base);
  const withNs = base.map((b, i) => {
    const ns = jsons[i].metadata?.namespace;
    return baseCounts.get(key(i, b))!.size > 1 && ns ? `${jsons[i].kind.toLowerCase()}-${safe(ns)}-${safe(jsons[i].metadata?.name)}` : b;
  });
  const nsCounts = count(withNs);
  const taken = new Set(base.map((b, i) => key(i, b)));
  return withNs.map((stem, i) => {
    const clash = nsCounts.get(key(i, stem))!.size > 1 || (stem !== base[i] && taken.has(key(i, stem)));
    return `${dirs[i]}/${fit(clash ? `${stem}-${hash(identity(jsons[i]))}` : stem)}.yaml`;
  });
}

function usedLayers(objects: readonly RenderedObject[]): Layer[] {
  const used = new Set(objects.map((o) => o.file.split('/')[0]));
  return LAYER_ORDER.filter((l) => used.has(l));
}

/** Argo CD: custom resources may arrive with their CRD in the same sync; skip their dry run. */
function decorateForArgo(json: RenderedObject['json']): void {
  const group = json.apiVersion.includes('/') ? json.apiVersion.split('/')[0] : '';
  if (CORE_GROUPS.test(group) || json.kind === 'Application') return;
  json.metadata = json.metadata ?? {};
  const annotations = { ...(json.metadata.annotations ?? {}) };
  // Options set on the object (Prune=false, ...) are kept: the annotation holds a comma-separated list.
  const options = String(annotations[ARGO_SYNC_OPTIONS] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (!options.some((o) => o.startsWith('SkipDryRunOnMissingResource='))) options.push('SkipDryRunOnMissingResource=true');
  json.metadata.annotations = { ...annotations, [ARGO_SYNC_OPTIONS]: options.join(',') };
}

/**
 * The objects that make the GitOps engine apply the layers in order.
 *
 * The CNI layer's entry is kept out of every cascade: Flux never prunes its Kustomization, and Argo CD never prunes or
 * deletes its Application, which carries no resources finalizer either. Renaming a file, removing the layer or
 * deleting the root then leaves the running CNI alone (deleting it would cut every pod off the network, the GitOps
 * controllers included, and nothing could re-apply it).
 */
function entryObjects(cluster: Cluster, layers: readonly Layer[], withExternalSecrets: ReadonlySet<string>): RenderedObject[] {
  const root = `clusters/${cluster.clusterName}`;
  const at = `${cluster.node.path}/GitOps`;
  const out: RenderedObject[] = [];
  // Each layer depends on the nearest layer before it that others may wait for; an ungated layer (the secret store)
  // depends on the one before it too, and nothing depends on it.
  const gateOf = (i: number): Layer | undefined => {
    for (let j = i - 1; j >= 0; j--) if (!UNGATED_LAYERS.has(layers[j]!)) return layers[j];
    return undefined;
  };
  if (cluster.gitops.flavour === GitOpsFlavour.FLUX) {
    layers.forEach((layer, i) => {
      const gate = gateOf(i);
      const ungated = UNGATED_LAYERS.has(layer);
      const json = {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: {
          name: layer,
          namespace: cluster.gitops.namespace,
          ...(layer === Layer.CNI ? { annotations: { [FLUX_PRUNE]: 'disabled' } } : {}),
        },
        spec: {
          interval: cluster.gitops.interval,
          retryInterval: '1m',
          timeout: '10m',
          path: `./${root}/${layer}`,
          prune: true,
          // the store's layer is Ready once applied: its health (the provider answering) gates nothing
          wait: !ungated,
          // an ExternalSecret is healthy once it wrote its Secret: a later refresh that fails (the store's provider down)
          // turns it Ready=False, which must not hold up its layer and those after it
          ...(!ungated && withExternalSecrets.has(layer) ? { healthCheckExprs: [{ ...EXTERNAL_SECRET_HEALTH_EXPR }] } : {}),
          sourceRef: { kind: 'GitRepository', name: cluster.gitops.fluxSourceName },
          ...(gate ? { dependsOn: [{ name: gate }] } : {}),
        },
      };
      out.push(entry(at, `layer-${layer}.yaml`, json));
    });
  } else {
    const g = cluster.gitops;
    const app = (name: string, path: string, options: { wave?: number; keep?: boolean } = {}) => {
      const annotations = {
        ...(options.wave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(options.wave) } : {}),
        ...(options.keep ? { [ARGO_SYNC_OPTIONS]: ARGO_KEEP } : {}),
      };
      return {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name,
          namespace: g.namespace,
          ...(Object.keys(annotations).length ? { annotations } : {}),
          ...(options.keep ? {} : { finalizers: ['resources-finalizer.argocd.argoproj.io'] }),
        },
        spec: {
          project: g.project,
          source: { repoURL: g.repoUrl!, targetRevision: g.revision, path },
          destination: { server: 'https://kubernetes.default.svc' },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['ServerSideApply=true'],
            retry: structuredClone(ARGO_RETRY),
          },
        },
      };
    };
    layers.forEach((layer) => {
      out.push(
        entry(
          at,
          `layer-${layer}.yaml`,
          app(`${cluster.clusterName}-${layer}`, `${root}/${layer}`, { wave: LAYER_ORDER.indexOf(layer), keep: layer === Layer.CNI }),
        ),
      );
    });
    out.push(entry(at, 'bootstrap/root-application.yaml', app(`${cluster.clusterName}-root`, root)));
  }
  return out;
}

function entry(path: string, file: string, json: RenderedObject['json']): RenderedObject {
  return { path, file, apiVersion: json.apiVersion, kind: json.kind, name: json.metadata.name, namespace: json.metadata.namespace, json };
}

/**
 * A folder whose kustomization.yaml is made by hand for it (a remote base, patches) instead of listing its files. Its
 * parent does not list it: it is applied on its own (e.g. `kubectl apply -k bootstrap/argocd`), never by the GitOps
 * engine. No rendered object may land in it.
 */
export interface KustomizeFolder {
  /** Path relative to the cluster folder. */
  readonly dir: string;
  /** Its files by name, kustomization.yaml included. */
  readonly files: ReadonlyMap<string, string>;
}

/** The hand-made kustomization folders of the cluster's GitOps engine: Argo CD's install with its configuration. */
export function engineFolders(cluster: Cluster, objects: readonly RenderedObject[]): KustomizeFolder[] {
  if (cluster.gitops.flavour !== GitOpsFlavour.ARGOCD) return [];
  const namespace = cluster.gitops.namespace;
  const files = argoCdInstallFiles(
    {
      namespace,
      version: ARGOCD_VERSION,
      tlsTerminatedBy: routesTerminatingTlsForArgoCd(objects, namespace),
      secretStore: objects.some((o) => o.kind === 'ClusterSecretStore' && o.apiVersion.startsWith('external-secrets.io/')),
      externalSecrets: objects.some((o) => o.kind === 'ExternalSecret' && o.apiVersion.startsWith('external-secrets.io/')),
    },
    { yaml: toYaml },
  );
  return [{ dir: ARGOCD_INSTALL_DIR, files }];
}

/**
 * Adds entries to the kustomization.yaml of folders the GitOps engine applies: given the folders whose
 * kustomization.yaml lists their files (`''` is the cluster folder) and every path rendered, it returns the entries
 * to add per folder. The synthesizer lists hand-written manifests this way (output/foreign.ts).
 */
export type ExtraEntries = (applied: ReadonlySet<string>, rendered: ReadonlySet<string>) => ReadonlyMap<string, readonly string[]>;

/**
 * Every file of the cluster's folder: objects, kustomization.yaml per folder, the engine's folders, and extra files.
 * `extraEntries` lists more files or folders in the kustomization.yaml of the folders it names.
 */
export function layoutFiles(
  cluster: Cluster,
  objects: readonly RenderedObject[],
  extra: ReadonlyMap<string, string>,
  extraEntries?: ExtraEntries,
): Map<string, string> {
  const files = new Map<string, string>();
  for (const o of objects) files.set(o.file, objectFile(o.path, o.json, serialized.get(o.json)));

  const folders = engineFolders(cluster, objects);
  for (const f of folders) {
    const inside = objects.find((o) => o.file.startsWith(`${f.dir}/`));
    if (inside) throw new Error(`${inside.kind} ${inside.name} from ${inside.path} would be written to ${f.dir}/, which holds the GitOps engine's own install`);
  }

  // kustomization.yaml: component folders list their files, layer folders their components, the root its entries.
  const dirs = new Map<string, Set<string>>();
  const add = (dir: string, entryName: string) => {
    if (!dirs.has(dir)) dirs.set(dir, new Set());
    dirs.get(dir)!.add(entryName);
  };
  for (const o of objects) {
    const parts = o.file.split('/');
    if (parts.length === 3) {
      add(`${parts[0]}/${parts[1]}`, parts[2]);
      add(parts[0], parts[1]);
    } else if (parts.length === 2) {
      add(parts[0], parts[1]);
    } else {
      add('', parts[0]);
    }
  }
  if (cluster.gitops.flavour === GitOpsFlavour.FLUX) add('', 'flux-system');
  for (const f of folders) for (const [name, content] of f.files) files.set(`${f.dir}/${name}`, content);
  for (const [file, content] of extra) files.set(file, content);
  if (extraEntries) {
    const kustomizations = [...dirs.keys()].map((dir) => (dir ? `${dir}/kustomization.yaml` : 'kustomization.yaml'));
    // the folders the engine applies: the cluster folder, the layers its entries point at, and their components
    // (bootstrap/ has a kustomization.yaml too, for the root Application, but no entry points at it)
    const applied = new Set([...dirs.keys()].filter((d) => d === '' || (LAYER_ORDER as readonly string[]).includes(d.split('/')[0])));
    const more = extraEntries(applied, new Set([...files.keys(), ...kustomizations]));
    for (const [dir, entries] of more) if (dirs.has(dir)) for (const e of entries) add(dir, e);
  }
  const generators = configMapGenerators(cluster);
  for (const [dir, entries] of [...dirs].sort(([a], [b]) => compareText(a, b))) {
    const resources = [...entries].sort((a, b) => (a === 'flux-system' ? -1 : b === 'flux-system' ? 1 : compareText(a, b)));
    const configMapGenerator = generators.get(dir);
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources,
      ...(configMapGenerator ? { configMapGenerator } : {}),
    };
    const header = configMapGenerator
      ? '# Rendered by cdk8s-netkit: lists exactly the manifests of this folder; its other files become the ConfigMaps below.\n'
      : '# Rendered by cdk8s-netkit: lists exactly the files of this folder.\n';
    files.set(dir ? `${dir}/kustomization.yaml` : 'kustomization.yaml', `${header}${toYaml(kustomization)}`);
  }
  return new Map([...files].sort(([a], [b]) => compareText(a, b)));
}

/**
 * The kustomize ConfigMap generators of each component folder, from the components' files: the name is kept as given
 * (no hash suffix, so the objects naming the ConfigMap need no rewriting) and the labels are set on the ConfigMap.
 */
function configMapGenerators(cluster: Cluster): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const component of cluster.constructsOf(Component)) {
    for (const f of component.files) {
      if (!f.configMap) continue;
      const dir = `${component.layer}/${component.folder}`;
      const { name, namespace, key, labels } = f.configMap;
      const options = { disableNameSuffixHash: true, ...(labels && Object.keys(labels).length ? { labels: { ...labels } } : {}) };
      out.set(dir, [...(out.get(dir) ?? []), { name, ...(namespace ? { namespace } : {}), files: [`${key}=${f.name}`], options }]);
    }
  }
  return out;
}
