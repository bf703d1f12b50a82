/**
 * An ApiObject's JSON, as `ApiObject.toJson()` makes it, in one walk.
 *
 * cdk8s resolves every value of an object (looking up the App and asking each resolver at every value), then walks the
 * result again to sort its keys and drop empty values. With only cdk8s' own resolvers, resolving does no more than
 * this: a `Lazy` becomes what it produces, a value with a `resolve()` method becomes what that returns, a class
 * instance holding a number or string `value` (IntOrString) becomes `{ value }`. {@link objectJson} does those steps,
 * the sorting and the dropping in a single walk. Anything it is not sure to do exactly as cdk8s does (custom resolvers,
 * JSON patches, a class overriding toJson, values that are neither JSON nor one of those, unsorted output asked for with
 * CDK8S_DISABLE_SORT, an error) goes to cdk8s' own `toJson()`, which then gives the result or the error.
 */
import { ApiObject, ApiObjectMetadataDefinition, type App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

const MetadataPrototype = ApiObjectMetadataDefinition.prototype;

/** Thrown inside the walk when a value needs cdk8s' own path. */
const SLOW = Symbol('slow');

/**
 * Whether the object's App resolves with cdk8s' built-in resolvers only (it always has them; custom ones come first).
 * Asked for every object: the list can change between two objects. An object outside an App goes to cdk8s, which
 * reports it.
 */
function resolvesBuiltInOnly(obj: ApiObject): boolean {
  const resolvers = (obj.node.root as Partial<App>).resolvers;
  return (
    Array.isArray(resolvers) &&
    resolvers.every((r) => r instanceof LazyResolver || r instanceof ImplicitTokenResolver || r instanceof NumberStringUnionResolver)
  );
}

/**
 * What cdk8s' built-in resolvers and `sanitizeValue()` make of one value, with keys sorted; `dropEmpty` drops empty
 * arrays and objects too, as cdk8s does for metadata.
 */
function walk(value: unknown, dropEmpty: boolean): unknown {
  let v = value as any;
  const type = typeof v;
  // a string, number or boolean has no resolve() (objectJson made sure) and holds no `value`: no resolver replaces it
  if (type === 'string' || type === 'number' || type === 'boolean') return v;
  // the resolvers, in cdk8s' order, until none replaces the value
  for (;;) {
    if (v === null || v === undefined) return undefined;
    if (v instanceof Lazy) v = v.produce();
    else if (typeof v.resolve === 'function') v = v.resolve();
    else if (typeof v === 'object' && v.constructor !== Object && (typeof v.value === 'number' || typeof v.value === 'string')) v = { value: v.value };
    else break;
  }
  const resolvedType = typeof v;
  if (resolvedType === 'string' || resolvedType === 'number' || resolvedType === 'boolean') return v;
  if (resolvedType !== 'object') throw SLOW;
  if (Array.isArray(v)) {
    if (dropEmpty && v.length === 0) return undefined;
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) if (i in v) out[i] = walk(v[i], dropEmpty);
    return out;
  }
  if (v.constructor !== Object) throw SLOW;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v).sort()) {
    const r = walk(v[key], dropEmpty);
    if (r !== undefined && r !== null) out[key] = r;
  }
  return dropEmpty && Object.keys(out).length === 0 ? undefined : out;
}

/** The fields of cdk8s' ApiObjectMetadataDefinition that its toJson() reads (all private there). */
interface MetadataInternals {
  readonly toJson?: unknown;
  readonly _additionalAttributes?: Record<string, unknown>;
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly annotations?: unknown;
  readonly finalizers?: unknown;
  readonly ownerReferences?: unknown;
  readonly labels?: unknown;
}

/** `obj.metadata.toJson()`, or SLOW when the metadata is not laid out as this cdk8s version lays it out. */
function metadataJson(obj: ApiObject): unknown {
  const md = obj.metadata as unknown as MetadataInternals;
  if (md.toJson !== MetadataPrototype.toJson || md._additionalAttributes === null || typeof md._additionalAttributes !== 'object') throw SLOW;
  return walk(
    {
      ...md._additionalAttributes,
      name: md.name,
      namespace: md.namespace,
      annotations: md.annotations,
      finalizers: md.finalizers,
      ownerReferences: md.ownerReferences,
      labels: md.labels,
    },
    true,
  );
}

/** True when a primitive would answer `resolve` (someone gave String, Number or Boolean a resolve method). */
function primitivesResolve(): boolean {
  return typeof ('' as any).resolve === 'function' || typeof (0 as any).resolve === 'function' || typeof (false as any).resolve === 'function';
}

/** The JSON of `obj`, equal to `obj.toJson()`. */
export function objectJson(obj: ApiObject): any {
  const internals = obj as unknown as { props?: unknown; patches?: unknown };
  if (
    obj.toJson !== ApiObject.prototype.toJson ||
    process.env.CDK8S_DISABLE_SORT ||
    !Array.isArray(internals.patches) ||
    internals.patches.length > 0 ||
    internals.props === null ||
    typeof internals.props !== 'object' ||
    primitivesResolve() ||
    !resolvesBuiltInOnly(obj)
  ) {
    return obj.toJson();
  }
  try {
    const json = walk({ ...internals.props, metadata: metadataJson(obj) }, false) as Record<string, unknown>;
    // apiVersion, kind and metadata first, as cdk8s orders them
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) if (key in json) result[key] = json[key];
    return result;
  } catch {
    // SLOW, or an error cdk8s reports in its own words
    return obj.toJson();
  }
}
