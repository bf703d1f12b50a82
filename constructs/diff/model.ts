/**
 * The semantic diff of two clusters/ trees: per cluster, the Kubernetes objects added, removed, renamed and
 * changed (field by field, as paths with old → new values), and the files that are not YAML as line diffs.
 */
import { parseAllDocuments } from 'yaml';
import { splitLines, unifiedHunks, type Hunk } from './line-diff.js';
import type { Tree } from './tree.js';

/** The GitOps layers, in the order they are applied. */
export const LAYERS = ['crds', 'cni', 'services', 'networking', 'apps'] as const;

/** Where a file sits, in the order a diff lists them: the layer entries, the layers, then what is never applied. */
export const SECTIONS = ['gitops', ...LAYERS, 'bootstrap', 'edge', 'reports'] as const;

/** One YAML (or JSON) document of a rendered file. */
export interface Doc {
  /** The cluster folder. */
  readonly cluster: string;
  /** The file, relative to the cluster folder. */
  readonly file: string;
  /** The document's place in its file (0 for the first). */
  readonly index: number;
  /** `gitops` (the folder's root files), a layer, or the top folder (`bootstrap`, `edge`, `reports`, ...). */
  readonly section: string;
  /** Kubernetes kind, when the document is an object. */
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly name?: string;
  readonly namespace?: string;
  /** How the diff pairs it across the two trees: the object's identity, or its file and place. */
  readonly key: string;
  /** The construct that rendered it (the file's `Rendered by cdk8s-netkit from <path>` line), when one did. */
  readonly origin?: string;
  /** The parsed document. */
  readonly value: unknown;
}

/** One field that differs, e.g. `spec.addresses[0].value`: `192.168.10.49` → `192.168.10.51`. */
export interface FieldChange {
  readonly path: string;
  readonly op: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
  /** For a multi-line string on both sides (a config file inside a ConfigMap): its line diff. */
  readonly hunks?: readonly Hunk[];
}

/** A document that differs between the trees. */
export interface DocChange {
  readonly status: 'added' | 'removed' | 'changed' | 'renamed';
  readonly before?: Doc;
  readonly after?: Doc;
  /** The fields that differ (empty for an added or removed document). */
  readonly fields: readonly FieldChange[];
}

/** A file diffed as lines (not YAML, or YAML that does not parse). */
export interface FileChange {
  readonly status: 'added' | 'removed' | 'changed';
  readonly file: string;
  readonly section: string;
  readonly hunks: readonly Hunk[];
}

/** What changes in one cluster. */
export interface ClusterDiff {
  readonly cluster: string;
  /** `added` or `removed` when the whole cluster folder is new or gone. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly docs: readonly DocChange[];
  readonly files: readonly FileChange[];
  /** Every document of each side, for the risk checks that look at the whole cluster (reachability, pruning). */
  readonly beforeDocs: readonly Doc[];
  readonly afterDocs: readonly Doc[];
}

/** The section of a file: `gitops` for the cluster folder's root files, else its top folder. */
export function sectionOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? 'gitops' : file.slice(0, slash);
}

/** The API group of an apiVersion (`networking.k8s.io/v1` → `networking.k8s.io`, `v1` → ``). */
export function groupOf(apiVersion: string | undefined): string {
  return apiVersion && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

const STRUCTURED = /\.(ya?ml|json)(\.dist)?$/;
const ORIGIN = /^# Rendered by cdk8s-netkit from (\S+?)\.?\s/m;

/** The documents of a structured file, or undefined when it is not YAML/JSON or does not parse. */
export function parseDocs(cluster: string, file: string, text: string): Doc[] | undefined {
  if (!STRUCTURED.test(file)) return undefined;
  const parsed = parseAllDocuments(text, { prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  if (docs.some((d) => d.errors.length)) return undefined;
  const section = sectionOf(file);
  const values = docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown).filter((v) => v !== null && v !== undefined);
  const origin = values.length === 1 ? ORIGIN.exec(text)?.[1] : undefined;
  // the layer folders and the root entries are applied together: one identity space; every other folder has its own
  const space = (LAYERS as readonly string[]).includes(section) || section === 'gitops' ? 'applied' : section;
  return values.map((value, index) => {
    const v = value as any;
    const isObject = v && typeof v === 'object' && !Array.isArray(v) && typeof v.kind === 'string' && typeof v.metadata?.name === 'string';
    const base = { cluster, file, index, section, origin, value };
    if (!isObject) return { ...base, key: `file:${file}#${index}` };
    const namespace = typeof v.metadata.namespace === 'string' ? v.metadata.namespace : undefined;
    const apiVersion = typeof v.apiVersion === 'string' ? v.apiVersion : undefined;
    return {
      ...base,
      kind: v.kind,
      apiVersion,
      name: v.metadata.name,
      namespace,
      key: `${space}|${groupOf(apiVersion)}|${v.kind}|${namespace ?? ''}|${v.metadata.name}`,
    };
  });
}

/** How a document is named in a diff: `HTTPRoute gateway/immich-external`, or its file for a document that is no object. */
export function docLabel(d: Doc): string {
  if (!d.kind) return d.index ? `${d.file} (document ${d.index + 1})` : d.file;
  return `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

function keyPath(path: string, key: string): string {
  if (PLAIN_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function named(items: readonly unknown[]): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const item of items) {
    if (!isRecord(item) || typeof item.name !== 'string' || map.has(item.name)) return undefined;
    map.set(item.name, item);
  }
  return map;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields that differ from `before` to `after`, as paths. Maps by key; lists of items that all have a unique
 * `name` by that name (`spec.listeners[name=https].port`); lists of scalars as items removed and added; other lists
 * by position. A multi-line string on both sides carries its line diff.
 */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (same(before, after)) return [];
  const at = path || '(document)';
  if (isRecord(before) && isRecord(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    return keys.flatMap((k) => {
      const p = keyPath(path, k);
      if (!(k in after)) return [{ path: p, op: 'removed' as const, before: before[k] }];
      if (!(k in before)) return [{ path: p, op: 'added' as const, after: after[k] }];
      return diffFields(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const nb = named(before);
    const na = named(after);
    if (nb && na && (nb.size || na.size)) {
      const names = [...nb.keys(), ...[...na.keys()].filter((n) => !nb.has(n))];
      return names.flatMap((n) => {
        const p = `${path}[name=${n}]`;
        if (!na.has(n)) return [{ path: p, op: 'removed' as const, before: nb.get(n) }];
        if (!nb.has(n)) return [{ path: p, op: 'added' as const, after: na.get(n) }];
        return diffFields(nb.get(n), na.get(n), p);
      });
    }
    if ([...before, ...after].every((v) => !isRecord(v) && !Array.isArray(v))) {
      // scalars: which items went and which came, by a line diff of their JSON
      const out: FieldChange[] = [];
      const hunks = unifiedHunks(before.map((v) => JSON.stringify(v)).join('\n'), after.map((v) => JSON.stringify(v)).join('\n'), 0);
      for (const h of hunks) {
        const m = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(h.header)!;
        let ia = Number(m[2]) ? Number(m[1]) - 1 : Number(m[1]);
        let ib = Number(m[4]) ? Number(m[3]) - 1 : Number(m[3]);
        for (const l of h.lines) {
          if (l.op === '-') out.push({ path: `${path}[${ia++}]`, op: 'removed', before: JSON.parse(l.text) });
          else if (l.op === '+') out.push({ path: `${path}[${ib++}]`, op: 'added', after: JSON.parse(l.text) });
        }
      }
      return out;
    }
    const out: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const p = `${path}[${i}]`;
      if (i >= after.length) out.push({ path: p, op: 'removed', before: before[i] });
      else if (i >= before.length) out.push({ path: p, op: 'added', after: after[i] });
      else out.push(...diffFields(before[i], after[i], p));
    }
    return out;
  }
  if (typeof before === 'string' && typeof after === 'string' && (before.includes('\n') || after.includes('\n'))) {
    return [{ path: at, op: 'changed', before, after, hunks: unifiedHunks(before, after) }];
  }
  return [{ path: at, op: 'changed', before, after }];
}

/** The value of a document with its name left out: what a rename keeps. */
function withoutName(d: Doc): string {
  const v = structuredClone(d.value) as any;
  if (isRecord(v) && isRecord(v.metadata)) delete v.metadata.name;
  return JSON.stringify(v);
}

/** Every document of a cluster's files, and the files that are diffed as lines. */
function readCluster(tree: Tree, cluster: string): { docs: Doc[]; text: Map<string, string> } {
  const docs: Doc[] = [];
  const text = new Map<string, string>();
  const prefix = `${cluster}/`;
  for (const [path, content] of tree) {
    if (!path.startsWith(prefix)) continue;
    const file = path.slice(prefix.length);
    const parsed = parseDocs(cluster, file, content);
    if (parsed) docs.push(...parsed);
    else text.set(file, content);
  }
  return { docs, text };
}

/** The cluster folders of a tree. */
export function clustersOf(tree: Tree): string[] {
  return [...new Set([...tree.keys()].filter((p) => p.includes('/')).map((p) => p.slice(0, p.indexOf('/'))))].sort();
}

function sectionRank(section: string): number {
  const i = (SECTIONS as readonly string[]).indexOf(section);
  return i < 0 ? SECTIONS.length : i;
}

function docOrder(c: DocChange): string {
  const d = (c.after ?? c.before)!;
  return `${String(sectionRank(d.section)).padStart(2, '0')}|${d.file}|${String(d.index).padStart(4, '0')}`;
}

/** The semantic diff of one cluster between two trees. */
export function diffCluster(before: Tree, after: Tree, cluster: string): ClusterDiff {
  const b = readCluster(before, cluster);
  const a = readCluster(after, cluster);
  const bByKey = new Map(b.docs.map((d) => [d.key, d]));
  const aByKey = new Map(a.docs.map((d) => [d.key, d]));
  const docs: DocChange[] = [];
  for (const d of a.docs) {
    const old = bByKey.get(d.key);
    if (!old) continue;
    const fields = diffFields(old.value, d.value);
    if (fields.length || old.file !== d.file) docs.push({ status: 'changed', before: old, after: d, fields });
  }
  const removed = b.docs.filter((d) => !aByKey.has(d.key));
  const added = a.docs.filter((d) => !bByKey.has(d.key));
  // renames: the same construct rendered it under a new name, or the same kind with the same content but the name
  const paired = new Set<Doc>();
  for (const match of [(x: Doc, y: Doc) => x.origin !== undefined && x.origin === y.origin, (x: Doc, y: Doc) => withoutName(x) === withoutName(y)]) {
    for (const old of removed) {
      if (paired.has(old) || !old.kind) continue;
      const neu = added.find((n) => !paired.has(n) && n.kind === old.kind && groupOf(n.apiVersion) === groupOf(old.apiVersion) && match(old, n));
      if (!neu) continue;
      paired.add(old).add(neu);
      docs.push({ status: 'renamed', before: old, after: neu, fields: diffFields(old.value, neu.value) });
    }
  }
  for (const d of removed) if (!paired.has(d)) docs.push({ status: 'removed', before: d, fields: [] });
  for (const d of added) if (!paired.has(d)) docs.push({ status: 'added', after: d, fields: [] });
  docs.sort((x, y) => (docOrder(x) < docOrder(y) ? -1 : docOrder(x) > docOrder(y) ? 1 : 0));

  const files: FileChange[] = [];
  for (const file of [...new Set([...b.text.keys(), ...a.text.keys()])].sort(
    (x, y) => sectionRank(sectionOf(x)) - sectionRank(sectionOf(y)) || (x < y ? -1 : 1),
  )) {
    const old = b.text.get(file);
    const neu = a.text.get(file);
    if (old === neu) continue;
    const status = old === undefined ? 'added' : neu === undefined ? 'removed' : 'changed';
    files.push({ status, file, section: sectionOf(file), hunks: unifiedHunks(old ?? '', neu ?? '') });
  }
  const has = (t: Tree) => [...t.keys()].some((p) => p.startsWith(`${cluster}/`));
  const status = !has(before) ? 'added' : !has(after) ? 'removed' : 'changed';
  return { cluster, status, docs, files, beforeDocs: b.docs, afterDocs: a.docs };
}

/** The semantic diff of every cluster that differs. */
export function diffTrees(before: Tree, after: Tree): ClusterDiff[] {
  const clusters = [...new Set([...clustersOf(before), ...clustersOf(after)])].sort();
  return clusters.map((c) => diffCluster(before, after, c)).filter((c) => c.docs.length || c.files.length);
}

/** The number of lines a multi-line value spans, for deciding what to fold. */
export function lineCount(text: string): number {
  return splitLines(text).length;
}
