/**
 * Generates the Cilium chart key index: one JSON file per chart version pinned in `constructs/cilium/minors.ts`,
 * under `constructs/cilium/chart-keys/`, listing every value path the chart knows, the JSON types its schema allows,
 * and which paths are free-form maps (any child key is fine); and `files.ts` there, which loads them. Index files of
 * versions no longer pinned are removed.
 *
 * Usage: `npx tsx scripts/gen-cilium-keys.ts [upstreamDir] [outDir]`
 *   upstreamDir  folder with one sub-folder per chart version holding values.yaml, values.schema.json and
 *                template-keys.txt (default: ../shared/upstream/cilium relative to the project root)
 *   outDir       where to write `<version>.json` and `files.ts` (default: constructs/cilium/chart-keys)
 *
 * Only key paths, types and the free-form list are written: no defaults, no comments from values.yaml.
 * Output is deterministic (code-unit sorted keys, fixed formatting) so a re-run diffs cleanly.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { CILIUM_CHART_VERSIONS } from '../constructs/cilium/minors.js';

/** The script's path relative to the project root, recorded in each generated file. */
export const GENERATOR = 'scripts/gen-cilium-keys.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_UPSTREAM_DIR = resolve(PROJECT_ROOT, '../shared/upstream/cilium');
export const DEFAULT_OUT_DIR = resolve(PROJECT_ROOT, 'constructs/cilium/chart-keys');

/**
 * Kubernetes API fields the chart hands to `toYaml` as a whole. When a chart template references one of these
 * paths but none of its children, the chart's example children (e.g. `nodeSelector."kubernetes.io/os"`) are
 * only a default: any Kubernetes-valid child is accepted, so the path is free-form.
 */
const KUBERNETES_PASSTHROUGH_FIELDS = new Set([
  'affinity',
  'annotations',
  'labels',
  'nodeSelector',
  'podAnnotations',
  'podLabels',
  'podSecurityContext',
  'resources',
  'securityContext',
  'seLinuxOptions',
  'updateStrategy',
]);

/** Methods of Helm's `.Values` object that a template-key scan picks up as if they were keys. */
const HELM_VALUES_METHODS = new Set(['AsMap', 'Encode', 'PathValue', 'Table', 'YAML']);

/** JSON Schema types, in the order the generated files list them. */
const JSON_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'] as const;

/** The shape of one generated `<version>.json` file. */
export interface ChartKeyIndexFile {
  readonly $comment: string;
  readonly generatedBy: string;
  readonly chart: 'cilium';
  readonly chartVersion: string;
  /** Dotted path → allowed JSON types joined by `|` (`any` when the chart's schema does not say). */
  readonly keys: Record<string, string>;
  /** Paths whose children are arbitrary (maps handed to Kubernetes or to the agent as they are). */
  readonly freeForm: string[];
}

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  enum?: unknown[];
}

interface PathInfo {
  types: Set<string>;
  /** Has `properties` in the schema, or a child in values.yaml or the template keys. */
  hasKnownChildren: boolean;
  /** Declared as an object in the schema without `properties`. */
  schemaOpenObject: boolean;
  /** Default in values.yaml is an empty map. */
  defaultEmptyMap: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function schemaTypes(node: SchemaNode): Set<string> {
  const types = new Set<string>();
  for (const t of [node.type ?? []].flat()) types.add(t);
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    for (const t of schemaTypes(branch)) types.add(t);
  }
  for (const v of node.enum ?? []) types.add(jsonTypeOf(v));
  if (types.has('object') === false && node.properties) types.add('object');
  return types;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Builds the key index of one chart version from its upstream files.
 *
 * @param chartDir folder holding values.yaml, values.schema.json and template-keys.txt
 * @param version the chart version the folder holds
 */
export function buildKeyIndex(chartDir: string, version: string): ChartKeyIndexFile {
  const read = (name: string): string => {
    const file = join(chartDir, name);
    if (!existsSync(file)) throw new Error(`gen-cilium-keys: missing ${file}; expected the cilium ${version} chart files there`);
    return readFileSync(file, 'utf8');
  };
  const schema = JSON.parse(read('values.schema.json')) as SchemaNode;
  const values: unknown = parseYaml(read('values.yaml'));
  const templateKeys = read('template-keys.txt')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  const info = new Map<string, PathInfo>();
  const touch = (path: string): PathInfo => {
    let entry = info.get(path);
    if (!entry) {
      entry = { types: new Set(), hasKnownChildren: false, schemaOpenObject: false, defaultEmptyMap: false };
      info.set(path, entry);
    }
    return entry;
  };
  // Keys holding a dot (e.g. nodeSelector."kubernetes.io/os") cannot be written as dotted paths; they are
  // skipped and their parent must turn out free-form (checked at the end).
  const dottedKeyParents = new Map<string, string>();
  const join2 = (parent: string, key: string): string | undefined => {
    if (key.includes('.')) {
      dottedKeyParents.set(parent, key);
      return undefined;
    }
    return parent === '' ? key : `${parent}.${key}`;
  };

  // 1. The schema: paths and types. Array items are not walked: list entries are checked by Helm, not here.
  const walkSchema = (node: SchemaNode, path: string): void => {
    if (path !== '') {
      const entry = touch(path);
      for (const t of schemaTypes(node)) entry.types.add(t);
      const props = node.properties ?? {};
      if (Object.keys(props).length > 0) entry.hasKnownChildren = true;
      else if (entry.types.has('object')) entry.schemaOpenObject = true;
    }
    // Free-form maps that hold example children (nodeSelector, affinity, ...) are pruned later.
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const childPath = join2(path, key);
      if (childPath !== undefined) walkSchema(child, childPath);
    }
  };
  walkSchema(schema, '');

  // 2. values.yaml: structure only (defaults are not kept). Fills paths the schema may lack.
  const walkValues = (value: unknown, path: string): void => {
    if (path !== '') {
      const entry = touch(path);
      if (isPlainObject(value) && Object.keys(value).length === 0) entry.defaultEmptyMap = true;
      if (isPlainObject(value) && Object.keys(value).length > 0) entry.hasKnownChildren = true;
    }
    if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = join2(path, key);
        if (childPath !== undefined) walkValues(child, childPath);
      }
    }
  };
  walkValues(values, '');

  // 3. Template keys: everything the templates read, including keys values.yaml only mentions in comments.
  const templateReferenced = new Set<string>();
  const templateHasChild = new Set<string>();
  for (const key of templateKeys) {
    if (HELM_VALUES_METHODS.has(key) && !info.has(key)) continue;
    const segments = key.split('.');
    let path = '';
    for (const [i, segment] of segments.entries()) {
      const parent = path;
      path = parent === '' ? segment : `${parent}.${segment}`;
      const isNew = !info.has(path);
      const entry = touch(path);
      if (i < segments.length - 1) {
        entry.hasKnownChildren = true;
        templateHasChild.add(path);
        if (isNew) entry.types.add('object');
      }
    }
    templateReferenced.add(key);
  }

  // 4. Free-form paths: open maps with no known children, and Kubernetes fields the templates take whole.
  const leafName = (path: string): string => path.slice(path.lastIndexOf('.') + 1);
  const freeForm = new Set<string>();
  for (const [path, entry] of info) {
    const openMap = (entry.schemaOpenObject || entry.defaultEmptyMap) && !templateHasChild.has(path);
    const takenWhole =
      KUBERNETES_PASSTHROUGH_FIELDS.has(leafName(path)) && templateReferenced.has(path) && !templateHasChild.has(path) && entry.types.has('object');
    if (openMap || takenWhole) freeForm.add(path);
  }
  // Paths below a free-form map are examples, not keys: drop them (and nested free-form marks).
  const underFreeForm = (path: string): boolean => {
    for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) {
      if (freeForm.has(path.slice(0, i))) return true;
    }
    return false;
  };

  for (const [parent, key] of dottedKeyParents) {
    if (!freeForm.has(parent) && !underFreeForm(parent)) {
      throw new Error(`gen-cilium-keys: key "${key}" under "${parent}" contains a dot, but "${parent}" is not a free-form map`);
    }
  }

  const keys: Record<string, string> = {};
  for (const path of [...info.keys()].sort(byCodeUnit)) {
    if (underFreeForm(path)) continue;
    const types = info.get(path)!.types;
    const listed = JSON_TYPES.filter((t) => types.has(t));
    keys[path] = listed.length === 0 ? 'any' : listed.join('|');
  }

  return {
    $comment: `Generated by ${GENERATOR} from the cilium ${version} Helm chart (values.yaml structure, values.schema.json types, template keys). Do not edit: re-run the script.`,
    generatedBy: GENERATOR,
    chart: 'cilium',
    chartVersion: version,
    keys,
    freeForm: [...freeForm].filter((p) => !underFreeForm(p)).sort(byCodeUnit),
  };
}

/** Serialises an index file exactly as it is committed. */
export function renderKeyIndex(index: ChartKeyIndexFile): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

/** The module that loads the index files: one static import per version, so bundlers and `tsc` see them. */
export const LOADER_FILE = 'files.ts';

/** The content of {@link LOADER_FILE} for `versions`. */
export function renderLoader(versions: readonly string[]): string {
  const binding = (v: string) => `index_${v.replace(/[^0-9A-Za-z]/g, '_')}`;
  return [
    `// Generated by ${GENERATOR} from the chart pins of constructs/cilium/minors.ts. Do not edit: re-run the script.`,
    ...versions.map((v) => `import ${binding(v)} from './${v}.json' with { type: 'json' };`),
    '',
    '/** The generated key index of each pinned chart version. */',
    'export const KEY_INDEX_FILES = {',
    ...versions.map((v) => `  '${v}': ${binding(v)},`),
    '};',
    '',
  ].join('\n');
}

/**
 * Generates `<version>.json` for every pinned chart version and the loader {@link LOADER_FILE}; removes the index
 * files this script wrote for versions no longer pinned.
 *
 * @returns the files written
 */
export function generateAll(upstreamDir: string = DEFAULT_UPSTREAM_DIR, outDir: string = DEFAULT_OUT_DIR): string[] {
  if (!existsSync(upstreamDir)) {
    throw new Error(`gen-cilium-keys: upstream folder ${upstreamDir} does not exist; pass the folder holding one sub-folder per chart version`);
  }
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const version of CILIUM_CHART_VERSIONS) {
    const file = join(outDir, `${version}.json`);
    writeFileSync(file, renderKeyIndex(buildKeyIndex(join(upstreamDir, version), version)));
    written.push(file);
  }
  for (const name of readdirSync(outDir)) {
    if (!name.endsWith('.json') || (CILIUM_CHART_VERSIONS as readonly string[]).includes(name.slice(0, -'.json'.length))) continue;
    const file = join(outDir, name);
    if ((JSON.parse(readFileSync(file, 'utf8')) as { generatedBy?: unknown }).generatedBy === GENERATOR) rmSync(file);
  }
  const loader = join(outDir, LOADER_FILE);
  writeFileSync(loader, renderLoader(CILIUM_CHART_VERSIONS));
  written.push(loader);
  return written;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const [upstreamArg, outArg] = process.argv.slice(2);
  const files = generateAll(upstreamArg ? resolve(upstreamArg) : DEFAULT_UPSTREAM_DIR, outArg ? resolve(outArg) : DEFAULT_OUT_DIR);
  for (const file of files) console.log(`wrote ${file}`);
}
