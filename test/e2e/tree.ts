/**
 * Checks over a rendered cluster folder that hold for every cluster: folders applied by a GitOps tool list
 * exactly their files in kustomization.yaml (as resources, or as patches of a hand-made kustomization such as
 * bootstrap/argocd/, whose remote base is a URL and which its parent does not list: it is applied on its own).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LAYER_ORDER } from '../../constructs/component.js';

/** Folders (relative to the cluster folder) that carry a kustomization.yaml. */
export function kustomizationDirs(clusterDir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = join(clusterDir, rel);
    if (existsSync(join(abs, 'kustomization.yaml'))) out.push(rel);
    for (const e of readdirSync(abs)) {
      if (e === 'flux-system' || e.startsWith('.')) continue;
      if (statSync(join(abs, e)).isDirectory()) walk(rel ? `${rel}/${e}` : e);
    }
  };
  walk('');
  return out.sort();
}

/** Problems where a kustomization.yaml does not list exactly the YAML files and sub-folders it should. */
export function kustomizationProblems(clusterDir: string, options: { rootExtras?: string[] } = {}): string[] {
  const problems: string[] = [];
  for (const rel of kustomizationDirs(clusterDir)) {
    const abs = join(clusterDir, rel);
    const k = parse(readFileSync(join(abs, 'kustomization.yaml'), 'utf8')) as { resources?: string[]; patches?: { path?: string }[] };
    const listed = new Set([...(k.resources ?? []).filter((r) => !/^https:\/\//.test(r)), ...(k.patches ?? []).flatMap((p) => (p.path ? [p.path] : []))]);
    const present = new Set(
      readdirSync(abs).filter((e) => {
        if (e === 'kustomization.yaml' || e.startsWith('.')) return false;
        // the root lists the layer entries, not the layer folders (each layer is applied by its own entry);
        // bootstrap/, reports/ and edge/ are never applied from the root
        if (rel === '' && ['bootstrap', 'reports', 'edge', ...LAYER_ORDER].includes(e)) return false;
        // bootstrap/'s sub-folders (the engine's install) are applied on their own, before the root Application
        if (rel === 'bootstrap' && statSync(join(abs, e)).isDirectory()) return false;
        if (rel === '' && (options.rootExtras ?? []).includes(e)) return true;
        const st = statSync(join(abs, e));
        return st.isDirectory() ? existsSync(join(abs, e, 'kustomization.yaml')) : e.endsWith('.yaml');
      }),
    );
    for (const e of options.rootExtras ?? []) if (rel === '' && listed.has(e)) present.add(e);
    for (const e of listed) if (!present.has(e)) problems.push(`${rel || '.'}/kustomization.yaml lists ${e}, which is not there`);
    for (const e of present) if (!listed.has(e)) problems.push(`${rel || '.'}/kustomization.yaml does not list ${e}`);
  }
  return problems;
}
