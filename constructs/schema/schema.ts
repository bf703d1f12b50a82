/**
 * Schema validation of rendered objects with the validators of the `kubernetes-models` and
 * `@kubernetes-models/*` packages — and a check for fields the kind does not have.
 *
 * The packages' validators accept unknown fields. To find them anyway, the object is handed to the
 * validator behind recording proxies: a validator reads every property its schema declares, and walks
 * the keys of map-typed objects (labels, annotations, matchLabels, ...). A field it never looked at is a
 * field the kind does not have. Free-form fields (Helm values) are listed in {@link OPEN_FIELDS}.
 *
 * What the proxies record is knowledge of the schema, not of the object: the fields the validator read at a place of
 * a kind are the fields the kind declares there. It is kept per kind ({@link Fields}), and an object whose every field
 * is already known there, and that the plain validator accepts, needs no proxies: the common case, since a fleet
 * renders the same kinds with the same fields over and over. Any field not known yet, and any object the validator
 * rejects, goes through the proxies, which report exactly as before; what they saw on an accepted object teaches the
 * kind's knowledge.
 *
 * This rests on the validator reading the same keys at a place whatever the values: true of the packages' validators,
 * which are compiled from structural schemas (Kubernetes requires them of every CRD: `anyOf`, `oneOf` and the like may
 * only restrict the properties declared outside them), and read every declared property of an object. A place where
 * two accepted objects were read differently is not trusted again: objects with fields there always go through the
 * proxies.
 */

import { BUILTIN_MODELS, UNMODELED_KINDS } from './models.js';

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

/**
 * Load a module: `import()`, or the loader `netkit synth` lends (bin/fast-path.mjs): the bundled
 * synthesizer runs through vm.Script, where `import()` is not available.
 */
function importModule(spec: string): Promise<unknown> {
  const lent = (globalThis as Record<symbol, unknown>)[Symbol.for('cdk8s-netkit.import')];
  return typeof lent === 'function' ? (lent as (s: string) => Promise<unknown>)(spec) : import(spec);
}

/** The module that would hold the model of an apiVersion/kind, or undefined when no package models its group. */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '' || !group.includes('.') || (group.endsWith('.k8s.io') && !CRD_PACKAGES[group])) {
    return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  }
  return CRD_PACKAGES[group] ? `${CRD_PACKAGES[group]}/${group}/${version}/${kind}` : undefined;
}

/** Load the model class of an apiVersion/kind, or undefined when no package models it. */
export function loadModel(apiVersion: string, kind: string): Promise<ValidatingModel | undefined> {
  const key = `${apiVersion}/${kind}`;
  const builtin = BUILTIN_MODELS.get(key);
  if (builtin) return Promise.resolve(builtin);
  if (UNMODELED_KINDS.has(key)) return Promise.resolve(undefined);
  let p = modelCache.get(key);
  if (!p) {
    const spec = modelModule(apiVersion, kind);
    p = spec
      ? importModule(spec)
          .then((m) => (m as Record<string, ValidatingModel>)[kind])
          .catch(() => undefined)
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

/** What the proxies taught about each kind, by its model (the validator the knowledge is of). */
const knowledge = new WeakMap<ValidatingModel, Fields>();

function validateWith(Model: ValidatingModel | undefined, obj: { apiVersion: string; kind: string }): SchemaProblem[] {
  if (!Model) {
    return [{ kind: 'unknown-kind', pointer: '', message: `no schema is known for ${obj.apiVersion} ${obj.kind}` }];
  }
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  const patterns = openPatterns(`${group}/${obj.kind}`);
  let fields = knowledge.get(Model);
  if (fields && fields.covers(obj, [], false, patterns)) {
    try {
      Model.prototype.validate.call(obj);
      return [];
    } catch {
      // rejected: the proxied run below reports it, with the reads that tell which fields are unknown
    }
  }
  const root = new Reads();
  const problems: SchemaProblem[] = [];
  try {
    Model.prototype.validate.call(root.wrap(obj));
  } catch (e) {
    for (const line of String((e as Error).message ?? e)
      .split('\n')
      .filter(Boolean)) {
      const m = /^data(\/\S*)?\s+(.*)$/.exec(line.trim());
      problems.push({ kind: 'invalid', pointer: m?.[1] ?? '', message: m ? `${m[1] ?? '/'} ${m[2]}` : line.trim() });
    }
  }
  // a rejected object may have stopped the validator early: only accepted ones teach
  if (!problems.length) {
    if (!fields) knowledge.set(Model, (fields = new Fields()));
    fields.learn(obj, root);
  }
  const unknown: string[] = [];
  unknownFields(obj, [], false, root, patterns, new Known(root), unknown);
  for (const pointer of unknown) {
    problems.push({ kind: 'unknown-field', pointer, message: `${obj.kind} has no field ${pointer}` });
  }
  return problems;
}

/** An {@link OPEN_FIELDS} pattern, compiled. */
interface OpenPattern {
  readonly re: RegExp;
  /** The keys a pointer pattern stands for, `*` for any non-empty one. */
  readonly segments?: readonly string[];
}

const openPatternCache = new Map<string, OpenPattern[]>();

/** The {@link OPEN_FIELDS} patterns of a `group/kind`, compiled once. */
function openPatterns(groupKind: string): OpenPattern[] {
  let res = openPatternCache.get(groupKind);
  if (!res) {
    res = (OPEN_FIELDS[groupKind] ?? []).map((pattern) => ({
      re: toRegExp(pattern),
      segments: pattern.startsWith('/') ? pattern.split('/').slice(1) : undefined,
    }));
    openPatternCache.set(groupKind, res);
  }
  return res;
}

/**
 * True when a pattern matches the pointer of `keys`. While no key holds `/` (`slashed` false), the pointer's parts are
 * the keys, and the keys are compared with the pattern's segments without making the pointer.
 */
function isOpen(keys: readonly string[], slashed: boolean, patterns: readonly OpenPattern[]): boolean {
  for (const { re, segments } of patterns) {
    if (slashed || !segments) {
      if (re.test(pointer(keys))) return true;
      continue;
    }
    if (keys.length < segments.length) continue;
    let i = 0;
    while (i < segments.length && (segments[i] === '*' ? keys[i] !== '' : keys[i] === segments[i])) i++;
    if (i === segments.length) return true;
  }
  return false;
}

function toRegExp(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((seg) => (seg === '*' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}(/|$)`);
}

/**
 * What the validator did at one path of the object, recorded by the proxy handler of that path: the keys it read or
 * tested there, whether it listed the keys (a map), and the same for each object it read below. The proxy of a path
 * is made once and handed out again while the value there stays the same object.
 */
class Reads implements ProxyHandler<object> {
  readonly keys = new Set<string>();
  listed = false;
  children?: Map<string, Reads>;
  private target?: object;
  private proxy?: object;

  /** The recording proxy of `value`, the value at this path. */
  wrap(value: object): object {
    if (this.target !== value) {
      this.target = value;
      this.proxy = new Proxy(value, this);
    }
    return this.proxy!;
  }

  get(target: object, key: string | symbol, receiver: unknown): unknown {
    const v = Reflect.get(target, key, receiver);
    if (typeof key !== 'string') return v;
    this.keys.add(key);
    if (v === null || typeof v !== 'object') return v;
    const children = (this.children ??= new Map());
    let child = children.get(key);
    if (!child) {
      child = new Reads();
      children.set(key, child);
    }
    return child.wrap(v);
  }

  has(target: object, key: string | symbol): boolean {
    if (typeof key === 'string') this.keys.add(key);
    return Reflect.has(target, key);
  }

  getOwnPropertyDescriptor(target: object, key: string | symbol): PropertyDescriptor | undefined {
    if (typeof key === 'string') this.keys.add(key);
    return Reflect.getOwnPropertyDescriptor(target, key);
  }

  ownKeys(target: object): (string | symbol)[] {
    if (!Array.isArray(target)) this.listed = true;
    return Reflect.ownKeys(target);
  }
}

/**
 * The fields a kind is known to have, as a tree of places: at each place, the keys the validator read there (or that
 * it listed the keys: a map), and the same for each object below; the items of an array share one place. Learnt from
 * the proxies' {@link Reads} only, so a field counts as known here only after the validator read it at the same place
 * of an object of the same kind.
 */
class Fields {
  readonly keys = new Set<string>();
  listed = false;
  /** An object was learnt at this place. */
  private learnt = false;
  /** Two objects were read differently here: the place is not trusted (see the module's comment). */
  private unstable = false;
  children?: Map<string, Fields>;
  items?: Fields;

  /** Add what the proxies recorded while the validator walked `value`. */
  learn(value: object, reads: Reads): void {
    if (Array.isArray(value)) {
      for (const [index, childReads] of reads.children ?? []) {
        const item: unknown = value[Number(index)];
        if (item !== null && typeof item === 'object') (this.items ??= new Fields()).learn(item, childReads);
      }
      return;
    }
    if (reads.listed) this.listed = true;
    if (this.learnt && (reads.keys.size !== this.keys.size || [...reads.keys].some((k) => !this.keys.has(k)))) this.unstable = true;
    for (const key of reads.keys) this.keys.add(key);
    this.learnt = true;
    for (const [key, childReads] of reads.children ?? []) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (child === null || typeof child !== 'object') continue;
      const children = (this.children ??= new Map());
      let fields = children.get(key);
      if (!fields) children.set(key, (fields = new Fields()));
      fields.learn(child, childReads);
    }
  }

  /**
   * True when every field of `value` (outside open fields) is known at its place. False as soon as one is not, or an
   * object below has no knowledge of its own yet: the object then goes through the proxies. `keys` and `slashed`
   * are as for {@link unknownFields}.
   */
  covers(value: object, keys: string[], slashed: boolean, patterns: readonly OpenPattern[]): boolean {
    if (patterns.length > 0 && isOpen(keys, slashed, patterns)) return true;
    const isArray = Array.isArray(value);
    // a map's keys are all known, however the validator read them; elsewhere a place read two ways is not trusted
    if (!isArray && this.unstable && !this.listed && Object.keys(value).length > 0) return false;
    for (const key of Object.keys(value)) {
      const child: unknown = (value as Record<string, unknown>)[key];
      keys.push(key);
      const keySlashed = slashed || key.includes('/');
      let ok = true;
      if (patterns.length > 0 && isOpen(keys, keySlashed, patterns)) {
        // free-form: nothing to know
      } else if (!isArray && !this.listed && !this.keys.has(key)) {
        ok = false;
      } else if (child !== null && typeof child === 'object') {
        const below = isArray ? this.items : this.children?.get(key);
        ok = below ? below.covers(child, keys, keySlashed, patterns) : Object.keys(child).length === 0;
      }
      keys.pop();
      if (!ok) return false;
    }
    return true;
  }
}

/**
 * Every read as a pointer string (`/spec/ports/0/name`) and every listed path, made the first time a field looks
 * unknown by its own path. A key may hold `/`, so another path can spell the same pointer (the key `a/b` and the
 * field `b` of `a`): a field is known when any read spells its pointer, or any listed path spells its parent's.
 */
class Known {
  private read?: Set<string>;
  private listed?: Set<string>;
  constructor(private readonly root: Reads) {}

  has(parent: string, field: string): boolean {
    if (!this.read || !this.listed) {
      const read = new Set<string>();
      const listed = new Set<string>();
      const visit = (r: Reads, at: string) => {
        if (r.listed) listed.add(at);
        for (const key of r.keys) read.add(`${at}/${key}`);
        for (const [key, child] of r.children ?? []) visit(child, `${at}/${key}`);
      };
      visit(this.root, '');
      this.read = read;
      this.listed = listed;
    }
    return this.listed.has(parent) || this.read.has(field);
  }
}

/**
 * Append to `out` the top-most fields below `value` the validator never read, in document order. `keys` is the path
 * of `value`; `slashed` tells whether one of them holds `/`. Pointers are made only for what is reported.
 */
function unknownFields(
  value: unknown,
  keys: string[],
  slashed: boolean,
  reads: Reads | undefined,
  patterns: readonly OpenPattern[],
  known: Known,
  out: string[],
): void {
  if (value === null || typeof value !== 'object') return;
  if (patterns.length > 0 && isOpen(keys, slashed, patterns)) return;
  const isArray = Array.isArray(value);
  for (const key of Object.keys(value)) {
    keys.push(key);
    const keySlashed = slashed || key.includes('/');
    if (patterns.length > 0 && isOpen(keys, keySlashed, patterns)) {
      keys.pop();
      continue;
    }
    if (!isArray && !reads?.listed && !reads?.keys.has(key) && !known.has(pointer(keys, 1), pointer(keys))) {
      out.push(pointer(keys)); // report the top-most unknown field only
    } else {
      unknownFields((value as Record<string, unknown>)[key], keys, keySlashed, reads?.children?.get(key), patterns, known, out);
    }
    keys.pop();
  }
}

/** The pointer of `keys` without the last `drop`, spelt as the reads were recorded: `/` before each key, no escaping. */
function pointer(keys: readonly string[], drop = 0): string {
  let p = '';
  for (let i = 0; i < keys.length - drop; i++) p += `/${keys[i]}`;
  return p;
}
