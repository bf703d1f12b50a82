/**
 * The values a Helm release object (Flux HelmRelease, Argo CD Application with a chart source) renders with,
 * wherever they are written: inline (`spec.values`, `helm.valuesObject`, `helm.values`), or in a values file of the
 * cluster folder — read by Flux through a ConfigMap the folder's kustomization generates from the file
 * (`valuesFrom`), by Argo CD through the Git source referenced as `$<ref>/` (`helm.valueFiles`). Rules read the
 * values through here, so they judge exactly what the engine (and the bootstrap, which reads the same file) applies.
 */
import { parse as parseYaml } from 'yaml';
import type { Cluster } from '../cluster.js';
import { Component } from '../component.js';
import type { RenderedObject, RuleContext } from './rule.js';

/** One layer of a release's values, in Helm's merge order (later layers win). */
export interface ValuesSource {
  /** A JSON pointer into the release object, or the path of a values file under `clusters/<cluster>/`. */
  readonly where: string;
  /** The values file's path under `clusters/<cluster>/`, when the layer comes from one. */
  readonly file?: string;
  readonly values: Record<string, any>;
}

/** A ConfigMap generator of a kustomization: the ConfigMap it makes and, per data key, the file it reads. */
export interface ConfigMapGenerator {
  readonly name: string;
  readonly namespace?: string;
  /** Data key → file name (relative to the kustomization's folder). */
  readonly files: ReadonlyMap<string, string>;
}

/** What a values look-up reads: files of the cluster folder, and the ConfigMap generators of its kustomizations. */
export interface TreeFiles {
  readonly clusterName: string;
  /** Text of a file under `clusters/<cluster>/`. */
  read(path: string): string | undefined;
  /** The ConfigMap generators of the kustomization in folder `dir`. */
  generators(dir: string): readonly ConfigMapGenerator[];
}

const current = new WeakMap<RuleContext, TreeFiles>();

/** The files this synth renders: the values files among `files` (the extra files), the generators from the components. */
export function treeFiles(cluster: Cluster, files: ReadonlyMap<string, string> | undefined): TreeFiles {
  const byDir = new Map<string, ConfigMapGenerator[]>();
  for (const c of cluster.constructsOf(Component)) {
    for (const f of c.files) {
      if (!f.configMap) continue;
      const dir = `${c.layer}/${c.folder}`;
      const g: ConfigMapGenerator = {
        name: f.configMap.name,
        ...(f.configMap.namespace ? { namespace: f.configMap.namespace } : {}),
        files: new Map([[f.configMap.key, f.name]]),
      };
      byDir.set(dir, [...(byDir.get(dir) ?? []), g]);
    }
  }
  return { clusterName: cluster.clusterName, read: (path) => files?.get(path), generators: (dir) => byDir.get(dir) ?? [] };
}

/** The files this synth renders, for the context's cluster (computed once per rule run). */
export function currentFiles(ctx: RuleContext): TreeFiles {
  let files = current.get(ctx);
  if (!files) {
    files = treeFiles(ctx.cluster, ctx.extraFiles);
    current.set(ctx, files);
  }
  return files;
}

/** The files the previous synth wrote (the committed tree), when there is one. */
export function previousFiles(ctx: RuleContext): TreeFiles | undefined {
  const previous = ctx.previous;
  if (!previous?.file) return undefined;
  const read = (path: string) => previous.file!(path);
  return { clusterName: ctx.cluster.clusterName, read, generators: (dir) => parseGenerators(read(dir ? `${dir}/kustomization.yaml` : 'kustomization.yaml')) };
}

/** The ConfigMap generators of a kustomization.yaml's text (`files: [key=file]` or `[file]`). */
export function parseGenerators(text: string | undefined): ConfigMapGenerator[] {
  if (!text) return [];
  let doc: any;
  try {
    doc = parseYaml(text);
  } catch {
    return [];
  }
  const list = Array.isArray(doc?.configMapGenerator) ? doc.configMapGenerator : [];
  return list
    .filter((g: any) => typeof g?.name === 'string')
    .map((g: any) => ({
      name: g.name,
      ...(typeof g.namespace === 'string' ? { namespace: g.namespace } : {}),
      files: new Map(
        (Array.isArray(g.files) ? g.files : [])
          .filter((f: unknown): f is string => typeof f === 'string')
          .map((f: string) => (f.includes('=') ? [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] : [f.split('/').pop()!, f]) as [string, string]),
      ),
    }));
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** Values text (YAML, or JSON, which is YAML) as an object: `{}` for a scalar or a list, undefined when it does not parse. */
export function parseValuesText(text: string | undefined): Record<string, any> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = writtenJson(text) ?? parseYaml(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {};
  } catch {
    return undefined;
  }
}

/**
 * A values file as the synthesizer writes it (core/json-file.ts: JSON.stringify with two spaces and a newline), read
 * with JSON.parse: for such text it gives what the YAML parser gives, about 50x faster (the YAML parse of Cilium's
 * values.json was half of a synth's time: every rule that reads values, the bootstrap report). Any other text — a
 * file edited by hand, with duplicate keys, another layout, `__proto__` — is left to the YAML parser.
 */
function writtenJson(text: string): unknown {
  if (!text.startsWith('{') || text.includes('"__proto__"')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return `${JSON.stringify(v, null, 2)}\n` === text ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The values layers of a release object, in the order Helm merges them. Flux: each `valuesFrom` ConfigMap that a
 * kustomization of the object's folder generates from a file (a ConfigMap or Secret the tree does not generate is
 * not known offline and is skipped), then `spec.values`. Argo CD, per chart source: each `helm.valueFiles` entry that
 * names a file of this cluster folder through a `$<ref>` Git source (or, in a single-source Application, a path
 * relative to the chart), then `helm.values`, then `helm.valuesObject`.
 */
export function valueSources(o: Pick<RenderedObject, 'kind' | 'json' | 'file'>, files?: TreeFiles): ValuesSource[] {
  const spec = (o.json as { spec?: Record<string, any> }).spec ?? {};
  const out: ValuesSource[] = [];
  const fromFile = (path: string) => {
    const values = parseValuesText(files?.read(path));
    if (values) out.push({ where: path, file: path, values });
  };
  if (o.kind === 'HelmRelease') {
    const ns = (o.json as any).metadata?.namespace as string | undefined;
    for (const ref of Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []) {
      if (ref?.kind !== 'ConfigMap' || typeof ref.name !== 'string' || ref.targetPath || !files) continue;
      const key = typeof ref.valuesKey === 'string' ? ref.valuesKey : 'values.yaml';
      const dir = dirOf(o.file);
      const g = files.generators(dir).find((x) => x.name === ref.name && (x.namespace === undefined || ns === undefined || x.namespace === ns));
      const name = g?.files.get(key);
      if (name) fromFile(dir ? `${dir}/${name}` : name);
    }
    if (spec.values && typeof spec.values === 'object') out.push({ where: '/spec/values', values: spec.values });
    return out;
  }
  if (o.kind !== 'Application') return out;
  const sources: { src: any; pointer: string }[] = [
    ...(spec.source ? [{ src: spec.source, pointer: '/spec/source' }] : []),
    ...(Array.isArray(spec.sources) ? spec.sources.map((src: any, i: number) => ({ src, pointer: `/spec/sources/${i}` })) : []),
  ];
  const refs = new Map<string, any>(sources.filter((s) => typeof s.src?.ref === 'string').map((s) => [s.src.ref, s.src]));
  for (const { src, pointer } of sources) {
    const helm = src?.helm;
    if (!src?.chart || !helm) continue;
    for (const vf of Array.isArray(helm.valueFiles) ? helm.valueFiles : []) {
      if (typeof vf !== 'string' || !files) continue;
      const m = /^\$([^/]+)\/(.*)$/.exec(vf);
      if (!m || !refs.has(m[1]!)) continue;
      const prefix = `clusters/${files.clusterName}/`;
      if (m[2]!.startsWith(prefix)) fromFile(m[2]!.slice(prefix.length));
    }
    if (typeof helm.values === 'string') {
      const v = parseValuesText(helm.values);
      if (v) out.push({ where: `${pointer}/helm/values`, values: v });
    }
    if (helm.valuesObject && typeof helm.valuesObject === 'object') out.push({ where: `${pointer}/helm/valuesObject`, values: helm.valuesObject });
  }
  return out;
}

function isMap(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Helm's coalescing of two layers: maps merge key by key, anything else in `over` replaces. */
function coalesce(base: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? coalesce(out[k], v) : v;
  return out;
}

/** The values a release object renders with: its layers merged in Helm's order. */
export function releaseValuesOf(o: Pick<RenderedObject, 'kind' | 'json' | 'file'>, files?: TreeFiles): Record<string, any> {
  return valueSources(o, files).reduce<Record<string, any>>((acc, s) => coalesce(acc, s.values), {});
}
