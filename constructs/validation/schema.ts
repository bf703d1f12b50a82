/**
 * Schema validation of rendered objects with the validators of the `kubernetes-models` and
 * `@kubernetes-models/*` packages — and a check for fields the kind does not have.
 *
 * The packages' validators accept unknown fields. To find them anyway, the object is handed to the
 * validator behind recording proxies: a validator reads every property its schema declares, and walks
 * the keys of map-typed objects (labels, annotations, matchLabels, ...). A field it never looked at is a
 * field the kind does not have. Free-form fields (Helm values) are listed in {@link OPEN_FIELDS}.
 */

import { BUILTIN_MODELS } from './models.js';

/** A problem with one rendered object. */
export interface SchemaProblem {
  readonly kind: 'invalid' | 'unknown-field' | 'unknown-kind';
  /** JSON pointer into the object, e.g. `/spec/listeners/0/alpn`. */
  readonly pointer: string;
  readonly message: string;
}

type ValidatingModel = { prototype: { validate(this: unknown): void } };

const CRD_PACKAGES: Record<string, string> = {
  'cilium.io': '@kubernetes-models/cilium',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'helm.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'source.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'notification.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'external-secrets.io': '@kubernetes-models/external-secrets',
};

/**
 * Fields whose content is free-form by design (`x-kubernetes-preserve-unknown-fields` upstream), per kind.
 * Patterns match JSON pointers; `*` stands for one array index or key.
 */
export const OPEN_FIELDS: Record<string, readonly string[]> = {
  'helm.toolkit.fluxcd.io/HelmRelease': ['/spec/values'],
  'argoproj.io/Application': ['/spec/source/helm/valuesObject', '/spec/sources/*/helm/valuesObject'],
  'kustomize.toolkit.fluxcd.io/Kustomization': ['/spec/patches/*/target'],
};

const modelCache = new Map<string, Promise<ValidatingModel | undefined>>();

/** Load the model class of an apiVersion/kind, or undefined when no package models it. */
export function loadModel(apiVersion: string, kind: string): Promise<ValidatingModel | undefined> {
  const key = `${apiVersion}/${kind}`;
  const builtin = BUILTIN_MODELS.get(key);
  if (builtin) return Promise.resolve(builtin);
  let p = modelCache.get(key);
  if (!p) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const spec = group === '' || !group.includes('.') || group.endsWith('.k8s.io') && !CRD_PACKAGES[group]
      ? group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`
      : CRD_PACKAGES[group] ? `${CRD_PACKAGES[group]}/${group}/${version}/${kind}` : undefined;
    p = spec
      ? import(spec).then((m: Record<string, ValidatingModel>) => m[kind]).catch(() => undefined)
      : Promise.resolve(undefined);
    modelCache.set(key, p);
  }
  return p;
}

const loaded = new Map<string, ValidatingModel | undefined>();

/** Load the models of every kind in `objects`, so that {@link validateLoaded} can run synchronously. */
export async function preloadModels(objects: readonly { apiVersion: string; kind: string }[]): Promise<void> {
  const keys = [...new Set(objects.map((o) => `${o.apiVersion}\u0000${o.kind}`))];
  await Promise.all(
    keys.map(async (k) => {
      const [apiVersion, kind] = k.split('\u0000');
      loaded.set(`${apiVersion}/${kind}`, await loadModel(apiVersion, kind));
    }),
  );
}

const resultCache = new WeakMap<object, SchemaProblem[]>();

/** Validate one object whose model was preloaded; results are cached per object. */
export function validateLoaded(obj: { apiVersion: string; kind: string }): SchemaProblem[] {
  const cached = resultCache.get(obj);
  if (cached) return cached;
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (!loaded.has(key)) throw new Error(`the model of ${key} was not preloaded`);
  const result = validateWith(loaded.get(key), obj);
  resultCache.set(obj, result);
  return result;
}

/** Validate one object; returns every problem found (empty when valid). */
export async function validateObject(obj: { apiVersion: string; kind: string }): Promise<SchemaProblem[]> {
  return validateWith(await loadModel(obj.apiVersion, obj.kind), obj);
}

function validateWith(Model: ValidatingModel | undefined, obj: { apiVersion: string; kind: string }): SchemaProblem[] {
  if (!Model) {
    return [{ kind: 'unknown-kind', pointer: '', message: `no schema is known for ${obj.apiVersion} ${obj.kind}` }];
  }
  const seen = new Set<string>();
  const open = new Set<string>();
  const problems: SchemaProblem[] = [];
  try {
    Model.prototype.validate.call(record(obj, '', seen, open));
  } catch (e) {
    for (const line of String((e as Error).message ?? e).split('\n').filter(Boolean)) {
      const m = /^data(\/\S*)?\s+(.*)$/.exec(line.trim());
      problems.push({ kind: 'invalid', pointer: m?.[1] ?? '', message: m ? `${m[1] ?? '/'} ${m[2]}` : line.trim() });
    }
  }
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  const openPatterns = (OPEN_FIELDS[`${group}/${obj.kind}`] ?? []).map(toRegExp);
  for (const pointer of unknownFields(obj, '', seen, open, openPatterns)) {
    problems.push({ kind: 'unknown-field', pointer, message: `${obj.kind} has no field ${pointer}` });
  }
  return problems;
}

function toRegExp(pattern: string): RegExp {
  const body = pattern.split('/').map((seg) => (seg === '*' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^${body}(/|$)`);
}

function record(value: unknown, path: string, seen: Set<string>, open: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      const p = `${path}/${key}`;
      seen.add(p);
      return v !== null && typeof v === 'object' ? record(v, p, seen, open) : v;
    },
    has(target, key) {
      if (typeof key === 'string') seen.add(`${path}/${key}`);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') seen.add(`${path}/${key}`);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      if (!Array.isArray(target)) open.add(path);
      return Reflect.ownKeys(target);
    },
  });
}

function unknownFields(value: unknown, path: string, seen: Set<string>, open: Set<string>, openPatterns: RegExp[]): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (openPatterns.some((re) => re.test(path))) return [];
  const out: string[] = [];
  const isArray = Array.isArray(value);
  for (const [key, child] of Object.entries(value)) {
    const p = `${path}/${key}`;
    if (openPatterns.some((re) => re.test(p))) continue;
    if (!isArray && !open.has(path) && !seen.has(p)) {
      out.push(p);
      continue; // report the top-most unknown field only
    }
    out.push(...unknownFields(child, p, seen, open, openPatterns));
  }
  return out;
}
