/**
 * Which Helm values each pinned Cilium chart version really has.
 *
 * Helm ignores value keys a chart does not know, and Cilium's values.schema.json checks types only, so a
 * misspelled or invented key (seed 002's `gatewayAPI.sessionAffinity`, `bpf.ctTcpTimeout`) is dropped without a
 * word. {@link checkCiliumValues} finds such keys before anything is rendered, using the key index generated per
 * chart version by `scripts/gen-cilium-keys.ts` (the JSON files next to this module, loaded by `files.ts`).
 *
 * @see https://github.com/cilium/cilium/tree/main/install/kubernetes/cilium
 */
import { CILIUM_CHART_VERSIONS, type CiliumChartVersion } from '../minors.js';
import { KEY_INDEX_FILES } from './files.js';

export { CILIUM_CHART_VERSIONS, type CiliumChartVersion };

/** One problem found in a Cilium values tree. */
export interface ValueProblem {
  /** Dotted path of the offending key, e.g. `gatewayAPI.sessionAffinity`. */
  readonly path: string;
  /**
   * `unknown-key`: the chart version has no such key (Helm would ignore it);
   * `wrong-type`: the chart's schema does not allow the value's JSON type (Helm would refuse to install).
   */
  readonly kind: 'unknown-key' | 'wrong-type';
  /** The value given at that path. */
  readonly value: unknown;
  /** What the chart expects there, in words: the allowed JSON types, or where valid keys live. */
  readonly expected: string;
  /** The nearest real key path, when one is close enough to be a likely typo or a known replacement. */
  readonly suggestion?: string;
  /** How to get the intended effect when it is not a chart value at all (e.g. an agent flag via `extraConfig`). */
  readonly hint?: string;
}

/** The shape of a generated `<version>.json` key index file. */
interface KeyIndexFile {
  readonly chartVersion: string;
  readonly keys: Record<string, string>;
  readonly freeForm: string[];
}

interface KeyIndex {
  readonly version: CiliumChartVersion;
  /** Dotted path → allowed JSON types (`any` when the chart does not say). */
  types(path: string): readonly string[] | undefined;
  /** Whether a path has child keys. */
  hasChildren(path: string): boolean;
  readonly freeForm: ReadonlySet<string>;
  /** Parent path (`''` for the top level) → its child key names; built when a suggestion is wanted. */
  children(): ReadonlyMap<string, readonly string[]>;
  /** Every indexed path, with its last segment, for suggestions across the whole index. */
  all(): readonly { readonly path: string; readonly leaf: string }[];
}

/** Every pinned chart's index: a pin without one fails to compile (run scripts/gen-cilium-keys.ts). */
const FILES: Record<CiliumChartVersion, KeyIndexFile> = KEY_INDEX_FILES;

const cache = new Map<CiliumChartVersion, KeyIndex>();

function parentOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? '' : path.slice(0, dot);
}

function leafOf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/**
 * The index of a chart version. A synth checks a few dozen paths against it, so only the set of parent paths is
 * built up front; the lookups go to the generated file's own map, and the lists that suggestions search are built
 * the first time a key is unknown.
 */
function loadIndex(version: CiliumChartVersion): KeyIndex {
  const cached = cache.get(version);
  if (cached) return cached;
  const file = Object.hasOwn(FILES, version) ? FILES[version] : undefined;
  if (!file) {
    throw new Error(`Unsupported Cilium chart version "${String(version)}"; expected one of ${CILIUM_CHART_VERSIONS.join(', ')}.`);
  }
  if (file.chartVersion !== version) {
    throw new Error(`Cilium key index for ${version} holds chart ${file.chartVersion}; re-run scripts/gen-cilium-keys.ts.`);
  }
  const parents = new Set<string>();
  for (const path in file.keys) parents.add(parentOf(path));
  const types = new Map<string, readonly string[]>();
  let children: Map<string, string[]> | undefined;
  let all: { path: string; leaf: string }[] | undefined;
  const built: KeyIndex = {
    version,
    types(path) {
      let found = types.get(path);
      if (found === undefined && Object.hasOwn(file.keys, path)) types.set(path, (found = file.keys[path]!.split('|')));
      return found;
    },
    hasChildren: (path) => parents.has(path),
    freeForm: new Set(file.freeForm),
    children() {
      if (!children) {
        children = new Map();
        for (const path in file.keys) {
          const siblings = children.get(parentOf(path)) ?? [];
          siblings.push(leafOf(path));
          children.set(parentOf(path), siblings);
        }
      }
      return children;
    },
    all: () => (all ??= Object.keys(file.keys).map((path) => ({ path, leaf: leafOf(path) }))),
  };
  cache.set(version, built);
  return built;
}

/** The free-form map `path` is or lies in, if any. */
function freeFormAncestor(index: KeyIndex, path: string): string | undefined {
  if (index.freeForm.has(path)) return path;
  for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) {
    const prefix = path.slice(0, i);
    if (index.freeForm.has(prefix)) return prefix;
  }
  return undefined;
}

/**
 * Whether a chart version has a value at `path`.
 *
 * True for every key the chart's values.yaml, schema or templates know, and for any path inside a free-form map
 * (`extraConfig.bpf-ct-timeout-regular-tcp`, `nodeSelector.kubernetes.io/os`).
 *
 * @param version pinned chart version
 * @param path dotted key path, e.g. `gatewayAPI.enableAlpn`
 */
export function hasKey(version: CiliumChartVersion, path: string): boolean {
  const index = loadIndex(version);
  return index.types(path) !== undefined || freeFormAncestor(index, path) !== undefined;
}

/**
 * Whether `path` is a free-form map, or lies inside one, in a chart version.
 *
 * Free-form maps take arbitrary child keys: `extraConfig` (agent flags), `annotations`, `podLabels`,
 * `nodeSelector`, `resources`, `affinity`, `operator.securityContext`, ... Their content is not checked.
 *
 * @param version pinned chart version
 * @param path dotted key path
 */
export function isFreeForm(version: CiliumChartVersion, path: string): boolean {
  return freeFormAncestor(loadIndex(version), path) !== undefined;
}

/**
 * The JSON types a chart version's schema allows at `path`.
 *
 * @returns the types (`any` when the chart's schema does not type the key), or undefined when the path is not a key
 *   of the index (also for paths inside free-form maps)
 */
export function chartKeyTypes(version: CiliumChartVersion, path: string): readonly string[] | undefined {
  return loadIndex(version).types(path);
}

function jsonTypeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many edits still count as the same key: 1 for short names, up to 3 for long ones. */
function maxEdits(name: string): number {
  return name.length <= 4 ? 1 : name.length <= 10 ? 2 : 3;
}

interface Candidate {
  readonly path: string;
  readonly score: readonly number[];
}

function better(a: Candidate, b: Candidate | undefined): boolean {
  if (!b) return true;
  for (let i = 0; i < a.score.length; i++) {
    if (a.score[i]! !== b.score[i]!) return a.score[i]! < b.score[i]!;
  }
  return a.path < b.path;
}

/**
 * The nearest real key to an unknown one: a sibling within a few edits first (case-insensitive, so `mtu` finds
 * `MTU`), else the key anywhere in the index whose own name is closest (`bpf.enableAlpn` finds
 * `gatewayAPI.enableAlpn`), ties broken by the distance between the whole paths.
 */
function nearestKey(index: KeyIndex, path: string): string | undefined {
  const parent = parentOf(path);
  const leaf = leafOf(path);
  const limit = maxEdits(leaf);
  const lower = leaf.toLowerCase();

  let best: Candidate | undefined;
  for (const sibling of index.children().get(parent) ?? []) {
    const d = editDistance(lower, sibling.toLowerCase());
    if (d > limit) continue;
    const candidate = { path: parent === '' ? sibling : `${parent}.${sibling}`, score: [d, editDistance(leaf, sibling)] };
    if (better(candidate, best)) best = candidate;
  }
  if (best) return best.path;

  for (const entry of index.all()) {
    if (Math.abs(entry.leaf.length - leaf.length) > limit) continue;
    const d = editDistance(lower, entry.leaf.toLowerCase());
    if (d > limit) continue;
    const candidate = { path: entry.path, score: [d, editDistance(path.toLowerCase(), entry.path.toLowerCase())] };
    if (better(candidate, best)) best = candidate;
  }
  return best?.path;
}

/** Conntrack timeouts people write as chart values; they are agent flags (`cilium-agent --bpf-ct-timeout-*`). */
const CONNTRACK_TIMEOUT_FLAGS: Record<string, string> = {
  cttcptimeout: 'bpf-ct-timeout-regular-tcp',
  cttcptimeoutestablished: 'bpf-ct-timeout-regular-tcp',
  ctanytimeout: 'bpf-ct-timeout-regular-any',
  ctudptimeout: 'bpf-ct-timeout-regular-any',
  cttcpsyntimeout: 'bpf-ct-timeout-regular-tcp-syn',
  cttcptimeoutsyn: 'bpf-ct-timeout-regular-tcp-syn',
  cttcpfintimeout: 'bpf-ct-timeout-regular-tcp-fin',
  cttcptimeoutfin: 'bpf-ct-timeout-regular-tcp-fin',
  cttcptimeoutclose: 'bpf-ct-timeout-regular-tcp-fin',
  ctservicetcptimeout: 'bpf-ct-timeout-service-tcp',
  ctserviceanytimeout: 'bpf-ct-timeout-service-any',
};

/** A Go duration for an agent flag, from what was given (a number is read as seconds, as the seeds meant it). */
function asDuration(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return `${value}s`;
  if (typeof value === 'string' && /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) return value;
  return '6h';
}

/** Replacements for dead keys the field reports carry, where the intent is reachable some other way. */
function knownReplacement(path: string, value: unknown): { suggestion?: string; hint: string } | undefined {
  const parent = parentOf(path);
  const leaf = leafOf(path).toLowerCase();
  const flag = parent === 'bpf' ? CONNTRACK_TIMEOUT_FLAGS[leaf] : undefined;
  if (flag) {
    return {
      suggestion: `extraConfig.${flag}`,
      hint: `Conntrack timeouts are cilium-agent flags, not chart values: set extraConfig: {"${flag}": "${asDuration(value)}"} (a Go duration).`,
    };
  }
  if (parent === 'gatewayAPI' && (leaf === 'sessionaffinity' || leaf === 'sessionaffinitytimeoutseconds')) {
    return {
      hint:
        'The chart has no Gateway API session-affinity value; Helm drops it. Remove it. Client stickiness is a ' +
        'property of a Kubernetes Service (spec.sessionAffinity: ClientIP, ' +
        'spec.sessionAffinityConfig.clientIP.timeoutSeconds), not of the Cilium chart.',
    };
  }
  return undefined;
}

/** `a: {b: 1}` for the dotted key `a.b` and value 1, to show how to nest it. */
function nestedExample(dottedKey: string, value: unknown): string {
  const segments = dottedKey.split('.');
  const inner = JSON.stringify(value) ?? String(value);
  return segments.reduceRight((acc, segment, i) => (i === segments.length - 1 ? `${segment}: ${acc}` : `${segment}: {${acc}}`), inner);
}

function describeTypes(types: readonly string[]): string {
  if (types.length === 1) return types[0]!;
  return `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
}

/**
 * Checks a Cilium Helm values tree against what a pinned chart version really has.
 *
 * Reports every key the chart does not know (Helm would silently ignore it) with the nearest real key, and
 * every value whose JSON type the chart's schema does not allow. Children of free-form maps (`extraConfig`,
 * `annotations`, `nodeSelector`, `resources`, ...) and list entries are not checked. `null` is accepted for any
 * known key (Helm reads it as "remove the default"); `undefined` counts as absent.
 *
 * @param version pinned chart version
 * @param values the values tree as it will be handed to Helm
 * @returns the problems found, in document order; empty when the tree is clean
 * @see https://docs.cilium.io/en/stable/helm-reference/
 */
export function checkCiliumValues(version: CiliumChartVersion, values: unknown): ValueProblem[] {
  const index = loadIndex(version);
  const problems: ValueProblem[] = [];
  if (!isMap(values)) {
    problems.push({ path: '', kind: 'wrong-type', value: values, expected: 'an object (map of chart values)' });
    return problems;
  }

  const visit = (map: Record<string, unknown>, parent: string): void => {
    for (const [key, value] of Object.entries(map)) {
      if (value === undefined) continue;
      const path = parent === '' ? key : `${parent}.${key}`;
      if (key.includes('.')) {
        // Outside free-form maps no chart key holds a dot: this is a dotted path written as one key.
        problems.push({
          path,
          kind: 'unknown-key',
          value,
          expected: `a key the cilium ${version} chart defines ${parent === '' ? 'at the top level' : `under "${parent}"`}`,
          ...(index.types(path) !== undefined ? { suggestion: path } : {}),
          hint: `"${key}" is one key holding a dot; Helm does not split it. Nest it instead: ${nestedExample(key, value)}.`,
        });
        continue;
      }
      const types = index.types(path);
      if (!types) {
        const replacement = knownReplacement(path, value);
        const suggestion = replacement ? replacement.suggestion : nearestKey(index, path);
        problems.push({
          path,
          kind: 'unknown-key',
          value,
          expected: `a key the cilium ${version} chart defines ${parent === '' ? 'at the top level' : `under "${parent}"`}`,
          ...(suggestion !== undefined ? { suggestion } : {}),
          ...(replacement ? { hint: replacement.hint } : {}),
        });
        continue;
      }
      if (value !== null && !types.some((t) => jsonTypeMatches(t, value))) {
        problems.push({ path, kind: 'wrong-type', value, expected: describeTypes(types) });
        continue;
      }
      if (isMap(value) && !index.freeForm.has(path) && index.hasChildren(path)) visit(value, path);
    }
  };
  visit(values, '');
  return problems;
}

/**
 * What is wrong with a value, in one clause and without the value, the expectation or the fix (a finding carries
 * those in fields of their own; {@link describeValueProblem} spells them all out).
 */
export function summarizeValueProblem(version: CiliumChartVersion, problem: ValueProblem): string {
  return problem.kind === 'unknown-key'
    ? `${problem.path} is not a cilium ${version} chart value; Helm would ignore it`
    : `${problem.path} has the wrong type for the cilium ${version} chart`;
}

/**
 * One line describing a problem: what is wrong, the value given, what is expected, and the fix.
 *
 * @example `gatewayAPI.enableAlpm is not a cilium 1.20.0 chart value (value: true); expected a key the cilium
 *   1.20.0 chart defines under "gatewayAPI". Did you mean gatewayAPI.enableAlpn?`
 */
export function describeValueProblem(version: CiliumChartVersion, problem: ValueProblem): string {
  const given = JSON.stringify(problem.value) ?? String(problem.value);
  const what = summarizeValueProblem(version, problem);
  const fix = [problem.suggestion !== undefined ? `Did you mean ${problem.suggestion}?` : undefined, problem.hint].filter((s) => s !== undefined);
  return `${what} (value: ${given}); expected ${problem.expected}.${fix.length > 0 ? ` ${fix.join(' ')}` : ''}`;
}
