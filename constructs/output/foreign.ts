/**
 * Hand-written files beside the rendered ones. Flux and Argo CD build a folder with a kustomization.yaml from that
 * file alone, so a manifest someone adds to `clusters/<cluster>/` would be applied by nobody unless a
 * kustomization.yaml lists it. The synthesizer lists it, in the kustomization.yaml of the nearest folder it writes
 * that the engine applies — the way the engine applies every YAML file of a folder without one — and never edits or
 * moves the file itself. What it cannot list (a manifest in reports/, edge/ or bootstrap/, YAML that is not a list of
 * Kubernetes objects) is reported by rule NET-OUT4; an object defined both by hand and by a construct, by NET-OUT1.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LAYER_ORDER } from '../component.js';
import { compareText } from '../core/order.js';
import type { HandWrittenFile } from '../rules/rule.js';

/** The names kustomize reads a folder's build from. */
const KUSTOMIZATION_FILES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** The files kustomize (and Flux, for a folder without kustomization.yaml) takes for manifests. */
const YAML_FILE = /\.ya?ml$/;

export interface HandWrittenPlan {
  /** Entries to add to the kustomization.yaml of applied folders (`''`: the cluster folder). */
  readonly entries: Map<string, string[]>;
  /** Every hand-written YAML file and what becomes of it, by path. */
  readonly files: HandWrittenFile[];
}

/**
 * Decide, for each foreign file of the cluster folder `dir`, whether a kustomization.yaml lists it. `applied` are the
 * folders the engine applies, each with a rendered kustomization.yaml; `rendered` every path this synth writes.
 */
export function planHandWritten(dir: string, foreign: ReadonlySet<string>, applied: ReadonlySet<string>, rendered: ReadonlySet<string>): HandWrittenPlan {
  const written = new Set<string>(['']);
  for (const f of rendered) for (let d = posix.dirname(f); d !== '.' && !written.has(d); d = posix.dirname(d)) written.add(d);
  const entries = new Map<string, string[]>();
  const files: HandWrittenFile[] = [];
  const list = (folder: string, entry: string) => entries.set(folder, [...(entries.get(folder) ?? []), entry]);
  const relative = (folder: string, path: string) => (folder ? path.slice(folder.length + 1) : path);
  // where an unapplied manifest would be listed: the last layer the cluster has (apps/ when it has one)
  const suggest = [...LAYER_ORDER].reverse().find((l) => applied.has(l)) ?? '';

  for (const file of [...foreign].sort(compareText)) {
    if (rendered.has(file)) continue; // a rendered file would overwrite it: NET-OUT2
    const parent = posix.dirname(file) === '.' ? '' : posix.dirname(file);
    let folder = parent;
    while (!written.has(folder)) folder = posix.dirname(folder) === '.' ? '' : posix.dirname(folder);
    const name = posix.basename(file);

    if (applied.has(folder)) {
      // a hand-made kustomization folder below the applied one builds itself: the topmost one is listed as a folder
      const below = relative(folder, parent).split('/').filter(Boolean);
      const own = below
        .map((_, i) => (folder ? [folder, ...below.slice(0, i + 1)] : below.slice(0, i + 1)).join('/'))
        .find((d) => KUSTOMIZATION_FILES.some((k) => foreign.has(`${d}/${k}`)));
      if (own) {
        if (parent === own && KUSTOMIZATION_FILES.includes(name)) {
          list(folder, relative(folder, own));
          files.push({ file, status: 'listed', folder });
        }
        continue;
      }
      if (KUSTOMIZATION_FILES.includes(name)) {
        files.push({
          file,
          status: 'not-a-manifest',
          folder,
          detail: 'a second kustomization file beside the rendered kustomization.yaml, which kustomize refuses to build',
        });
        continue;
      }
      if (!YAML_FILE.test(name)) continue;
      const read = readManifest(join(dir, file));
      if (read.objects?.length) {
        list(folder, relative(folder, file));
        files.push({ file, status: 'listed', folder, objects: read.objects });
      } else if (read.problem) {
        files.push({ file, status: 'not-a-manifest', folder, detail: read.problem });
      }
      // a YAML file with no document (only comments) holds nothing to apply
    } else if (YAML_FILE.test(name) || KUSTOMIZATION_FILES.includes(name)) {
      const read = readManifest(join(dir, file));
      if (read.objects?.length) files.push({ file, status: 'unapplied', folder, suggest });
    }
  }
  return { entries, files };
}

interface ReadManifest {
  readonly objects?: NonNullable<HandWrittenFile['objects']>;
  readonly problem?: string;
}

/** The Kubernetes objects of a YAML file, or what keeps it from being a manifest. */
function readManifest(path: string): ReadManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { problem: `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  const docs = parseAllDocuments(text);
  const broken = docs.find((d) => d.errors.length);
  if (broken) return { problem: `it does not parse as YAML (${broken.errors[0]!.message.split('\n')[0]})` };
  const values = docs.map((d) => d.toJSON() as unknown).filter((v) => v !== null && v !== undefined);
  const objects: NonNullable<HandWrittenFile['objects']>[number][] = [];
  for (const [i, v] of values.entries()) {
    const o = v as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    if (typeof v !== 'object' || Array.isArray(v) || typeof o.apiVersion !== 'string' || !o.apiVersion || typeof o.kind !== 'string' || !o.kind) {
      return { problem: `document ${i + 1} is not a Kubernetes object (no apiVersion and kind)` };
    }
    // Kubernetes serves `v1` and `<group>/<version>`; a bare `v1alpha1` is another tool's document (a Talos patch)
    if (o.apiVersion !== 'v1' && !o.apiVersion.includes('/')) {
      return { problem: `document ${i + 1} is not a Kubernetes object (apiVersion ${JSON.stringify(o.apiVersion)} is neither v1 nor <group>/<version>)` };
    }
    const meta = typeof o.metadata === 'object' && o.metadata ? o.metadata : {};
    objects.push({
      apiVersion: o.apiVersion,
      kind: o.kind,
      ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
      ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
    });
  }
  return { objects };
}
