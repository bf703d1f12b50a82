/**
 * What both renderers share: how a value reads in one line, what each status is called, counts in words.
 */
import type { ClusterDiff, DocChange } from './model.js';

/** A value on one line: a string as is, anything else as compact JSON; long ones end in `…`. */
export function showValue(value: unknown, max = 160): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `3 added, 1 changed, 1 renamed` for a cluster's documents and files. */
export function clusterCounts(c: ClusterDiff): string {
  const counts = new Map<string, number>();
  for (const d of c.docs) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
  for (const f of c.files) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  const parts = ['added', 'removed', 'renamed', 'changed'].filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${s}`);
  return parts.join(', ');
}

/** Section headings. */
export const SECTION_TITLES: Readonly<Record<string, string>> = {
  gitops: 'GitOps entries (layer Kustomizations / Applications)',
  crds: 'layer crds',
  cni: 'layer cni',
  services: 'layer services',
  networking: 'layer networking',
  apps: 'layer apps',
  bootstrap: 'bootstrap (applied once, by hand)',
  edge: 'edge (hosts outside Kubernetes)',
  reports: 'reports',
};

export function sectionTitle(section: string): string {
  return SECTION_TITLES[section] ?? section;
}

/** Group items by section, in the order they come (already sorted by section). */
export function bySection<T>(items: readonly T[], sectionOf: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(sectionOf(i), [...(out.get(sectionOf(i)) ?? []), i]);
  return out;
}

export function docSection(d: DocChange): string {
  return (d.after ?? d.before)!.section;
}
