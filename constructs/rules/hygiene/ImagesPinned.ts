import type { RenderedObject } from '../rule.js';
import { currentFiles, valueSources, type TreeFiles } from '../values.js';
import { defineRule } from '../rule.js';
import { pointerToken } from './credentials.js';
import { POD_SPEC_PATH } from '../../core/pod-spec.js';

/** Tags that move: a pull tomorrow may bring another image than the one tested today. */
export const FLOATING_TAGS: ReadonlySet<string> = new Set([
  'latest',
  'main',
  'master',
  'stable',
  'edge',
  'dev',
  'develop',
  'development',
  'nightly',
  'canary',
  'head',
  'trunk',
  'rolling',
  'release',
  'current',
  'lts',
  'beta',
  'alpha',
  'next',
  'testing',
  'unstable',
  'preview',
  'snapshot',
]);

/** An image reference split into name, tag and digest. */
export interface ImageRef {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Split `registry:port/repo/name:tag@sha256:...`; the tag is after the last ':' that follows the last '/'. */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const name = tag !== undefined ? rest.slice(0, colon) : rest;
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** Every container of a rendered object's pod template, with its JSON pointer. */
export function containersOf(o: Pick<RenderedObject, 'kind' | 'json'>): { pointer: string; name: string; image: unknown }[] {
  const path = POD_SPEC_PATH[o.kind];
  if (!path) return [];
  let spec: any = o.json;
  for (const p of path) spec = spec?.[p];
  if (!spec || typeof spec !== 'object') return [];
  const out: { pointer: string; name: string; image: unknown }[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: any, i: number) => out.push({ pointer: `/${path.join('/')}/${list}/${i}`, name: String(c?.name ?? i), image: c?.image }));
  }
  return out;
}

/**
 * The Helm values an object carries, with where they are written: inline (Flux HelmRelease `spec.values`, Argo CD
 * `helm.valuesObject`/`helm.values`, as JSON pointers) or in a values file of the cluster folder it reads (`files`:
 * the file's path, then `#` and a pointer into it).
 */
export function helmValuesOf(o: Pick<RenderedObject, 'kind' | 'json' | 'file'>, files?: TreeFiles): { pointer: string; values: unknown }[] {
  return valueSources(o, files).map((s) => ({ pointer: s.file ? `${s.file}#` : s.where, values: s.values }));
}

/**
 * Floating image tags written in Helm values: `tag: latest` under a key naming an image (`image.tag`,
 * `images.agent.tag`), or `image: name:latest`. A value without a tag is not reported: charts fill it from their
 * appVersion, which the pinned chart version fixes.
 */
export function floatingTagsInValues(values: unknown, pointer: string, inImage = false): { pointer: string; value: string; tag: string }[] {
  if (Array.isArray(values)) return values.flatMap((v, i) => floatingTagsInValues(v, `${pointer}/${i}`, inImage));
  if (!values || typeof values !== 'object') return [];
  const out: { pointer: string; value: string; tag: string }[] = [];
  for (const [key, v] of Object.entries(values)) {
    const at = `${pointer}/${pointerToken(key)}`;
    const imageKey = /image/i.test(key);
    if (typeof v === 'string') {
      if (inImage && key === 'tag' && FLOATING_TAGS.has(v.toLowerCase())) out.push({ pointer: at, value: v, tag: v });
      else if (imageKey && /[/:]/.test(v)) {
        const ref = parseImage(v);
        if (!ref.digest && ref.tag && FLOATING_TAGS.has(ref.tag.toLowerCase())) out.push({ pointer: at, value: v, tag: ref.tag });
      }
    } else out.push(...floatingTagsInValues(v, at, inImage || imageKey));
  }
  return out;
}

/** NET-IMG1: every container image carries a fixed tag or a digest. */
export const ImagesPinned = defineRule({
  id: 'NET-IMG1',
  level: 'warning',
  title: 'Container images carry a fixed tag or a digest, never none or a floating one (latest, main, stable, ...)',
  lesson:
    'An image without a tag is `latest`, and `latest`, `main` or `stable` move: two nodes pulling on different days run ' +
    'different code, a rebuild brings an untested version, and a registry mirror or pre-pull list (seed 004 pre-pulls ' +
    'pinned bootstrap images such as helm-controller:v1.5.1) cannot cache what it cannot name. Seed 003 upgraded Label ' +
    'Studio by pinning an exact tag. Helm values that set `image.tag: latest` float the same way, whatever the chart version.',
  source: 'seed 004 (pinned bootstrap images, registry mirror), seed 003 (Label Studio 1.21.0 tag)',
  fix: 'Pin the image to a release tag (e.g. postgres:16.4-alpine) or a digest (name@sha256:...); let Renovate bump it. In Helm values, drop a floating tag (the chart then uses its appVersion, fixed by the pinned chart version) or pin it.',
  *check(ctx) {
    const files = currentFiles(ctx);
    for (const o of ctx.objects) {
      for (const { pointer, values } of helmValuesOf(o, files)) {
        for (const f of floatingTagsInValues(values, pointer)) {
          yield {
            at: o.path,
            message: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} sets the floating image tag :${f.tag} in its Helm values at ${f.pointer}`,
            value: f.value,
            expected: "a fixed release tag or a digest, or no tag (the chart's appVersion)",
          };
        }
      }
      for (const c of containersOf(o)) {
        const where = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} container ${c.name}`;
        if (typeof c.image !== 'string' || !c.image.trim()) {
          yield { at: o.path, message: `${where} has no image`, value: `${o.file}#${c.pointer}/image`, expected: 'an image with a fixed tag or digest' };
          continue;
        }
        const ref = parseImage(c.image);
        if (ref.digest) continue;
        if (!ref.tag) {
          yield {
            at: o.path,
            message: `${where} uses an image without tag or digest, which means :latest`,
            value: c.image,
            expected: 'name:<fixed tag> or name@sha256:<digest>',
          };
        } else if (FLOATING_TAGS.has(ref.tag.toLowerCase())) {
          yield { at: o.path, message: `${where} uses the floating tag :${ref.tag}`, value: c.image, expected: 'a fixed release tag or a digest' };
        }
      }
    }
  },
});
