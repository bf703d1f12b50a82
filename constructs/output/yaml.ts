/**
 * YAML as the GitOps tools read it: stable, no line folding, multi-line strings as literal blocks, and strings
 * that YAML 1.1 would read as booleans or numbers (`on`, `no`, `0644`) quoted — kubectl and Flux parse YAML 1.1 — and
 * never an anchor or alias, even where two values are the same object.
 *
 * `yaml.stringify` with the options below is the definition of the output. It builds a document tree first, which
 * made it a fifth of synth time, so plain JSON data (what `ApiObject.toJson()` gives) is written here directly: this
 * module lays out maps and sequences exactly as `yaml` does, and asks `yaml` how to write each distinct string and
 * number (quoting, block literals, their indentation), remembering the answer. Anything else — a top-level scalar,
 * `undefined` in an array, a function, a Date, a key `yaml` would write as an explicit `? key` — goes to
 * `yaml.stringify` whole. test/output/yaml.test.ts holds the two to the same bytes.
 */
import { stringify, type CreateNodeOptions, type DocumentOptions, type SchemaOptions, type ToStringOptions } from 'yaml';

const OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  lineWidth: 0,
  blockQuote: 'literal',
  version: '1.1',
  aliasDuplicateObjects: false,
};

export function toYaml(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    try {
      return `${collection(value, 0)}\n`;
    } catch (e) {
      if (e !== UNSUPPORTED) throw e;
    }
  }
  return stringify(value, OPTIONS);
}

/** One object as a file: a header naming its source, then the document. */
export function objectFile(source: string, value: unknown, yaml?: string): string {
  return `# Rendered by cdk8s-netkit from ${source}. Edit the construct, not this file.\n${yaml ?? toYaml(value)}`;
}

/** Thrown inside the walk when a value is outside plain JSON data; `toYaml` then hands the whole value to `yaml`. */
const UNSUPPORTED = new Error('not plain JSON data');

/** Deeper than this is taken for a cycle; `yaml` reports it. */
const MAX_DEPTH = 100;

/** Remembered answers of `yaml` stay bounded in a long-running process. */
const MAX_MEMO = 50_000;

const INDENT: string[] = [];
const indent = (depth: number) => (INDENT[depth] ??= '  '.repeat(depth));

/**
 * A map or sequence whose items sit at `depth` (its lines after the first start with that many two-space steps),
 * as `yaml` writes it in block style: `{}` / `[]` when empty.
 */
function collection(value: object, depth: number): string {
  if (depth > MAX_DEPTH) throw UNSUPPORTED;
  const proto = Object.getPrototypeOf(value);
  const sep = `\n${indent(depth)}`;
  let out = '';
  if (proto === Array.prototype) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      out += `${i === 0 ? '' : sep}- ${item !== null && typeof item === 'object' ? collection(item, depth + 1) : scalar(item, depth + 1)}`;
    }
    return out || '[]';
  }
  if (proto !== Object.prototype && proto !== null) throw UNSUPPORTED;
  if (Symbol.iterator in value) throw UNSUPPORTED;
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    const v = record[k];
    if (v === undefined) continue;
    out += `${out ? sep : ''}${key(k, depth === 0)}:`;
    if (v !== null && typeof v === 'object') {
      const inner = collection(v, depth + 1);
      // A non-empty collection starts on the next line, indented like the key's value; an empty one stays inline.
      out += inner === '{}' || inner === '[]' ? ` ${inner}` : `\n${indent(depth + 1)}${inner}`;
    } else {
      const s = scalar(v, depth + 1);
      out += s === '' || s[0] === '\n' ? s : ` ${s}`;
    }
  }
  return out || '{}';
}

/** A scalar value (not a key) whose continuation lines, if any, are indented by `depth` steps. */
function scalar(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return text(value, depth);
    case 'number':
      return number(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
  }
  throw UNSUPPORTED;
}

/** Strings without a line break are written the same at every depth; the others are remembered per depth. */
const singleLine = new Map<string, string>();
const multiLine: Map<string, string>[] = [];
const MULTI_LINE = '\n';

/**
 * Strings that YAML 1.1 reads as plain strings: a letter, then letters, digits, `.`, `_`, `/`, `-`. Of those, only
 * the words of the boolean and null types and an exponent without mantissa (`e12`, which `yaml` reads as a float)
 * could read otherwise — other numbers, timestamps and `.inf` start with a digit, a sign or a dot — so those go to
 * `yaml` like every other string, as do long ones (a key over 1024 characters is written as `? key`). Most names
 * and labels are such strings; they are written as they are (the property tests hold both to the same bytes).
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9._/-]{0,127}$/;
const RESERVED_WORD = /^(?:y|n|yes|no|on|off|true|false|null|e-?[0-9]+)$/i;
const plain = (s: string) => PLAIN.test(s) && !RESERVED_WORD.test(s);

/**
 * More values that are plain in YAML 1.1, none of them a key of a map (keys keep to {@link PLAIN}): no `: ` or
 * ` #`, no indicator first, and no number, timestamp or sexagesimal they could be read as —
 * - a name with one `:tag` and `@` `=` inside: images (`ghcr.io/org/app:v1.2.3`), `Prune=false`, mail addresses;
 * - absolute and `./` paths;
 * - quantities and durations (`16Mi`, `30s`): digits then letters, never a leading 0 (`0x1f` is hex);
 * - versions and IPv4 addresses with two or more dots, and CIDRs (a float has one dot);
 * - URLs of characters that are never special inside a plain scalar.
 */
const PLAIN_VALUE =
  /^(?:[A-Za-z][\w./@=-]{0,127}(?::[\w./@=-]{1,127})?|\.?\/[\w./-]{0,127}|[1-9][0-9]{0,9}[A-Za-z]{1,3}|[0-9]{1,5}(?:\.[0-9]{1,5}){2,7}(?:\/[0-9]{1,3})?|[a-z][a-z0-9+.-]{0,15}:\/\/[\w.~/?&=%+@-]{0,200})$/;
/** A decimal integer string, which YAML 1.1 would read as a number: `yaml` writes it double-quoted. */
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

function text(value: string, depth: number): string {
  if (PLAIN_VALUE.test(value) && !RESERVED_WORD.test(value)) return value;
  if (DECIMAL.test(value)) return `"${value}"`;
  const known = singleLine.get(value);
  if (known !== undefined && known !== MULTI_LINE) return known;
  if (known === MULTI_LINE || value.includes('\n')) {
    if (known === undefined) remember(singleLine, value, MULTI_LINE);
    const perDepth = (multiLine[depth] ??= new Map());
    let found = perDepth.get(value);
    if (found === undefined) remember(perDepth, value, (found = askValue(value, depth)));
    return found;
  }
  const found = askValue(value, depth);
  remember(singleLine, value, found);
  return found;
}

/** `yaml`'s own rendering of a string nested `depth` sequences deep: `- - <scalar>\n`. */
function askValue(value: string, depth: number): string {
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  return stringify(wrapped, OPTIONS).slice(2 * depth, -1);
}

/** Keys of the top-level map and of deeper maps differ (a key starting with `---` is quoted only at the top). */
const topKeys = new Map<string, string>();
const innerKeys = new Map<string, string>();

function key(k: string, top: boolean): string {
  if (plain(k)) return k;
  const memo = top ? topKeys : innerKeys;
  let found = memo.get(k);
  if (found === undefined) {
    // `yaml`'s rendering of `k: 0` in a top-level map, or in a map inside a sequence.
    const out = stringify(top ? { [k]: 0 } : [{ [k]: 0 }], OPTIONS);
    const body = top ? out : out.slice(2);
    // Over 1024 characters `yaml` writes an explicit `? key` entry: not laid out here.
    if (body.startsWith('? ') || !body.endsWith(': 0\n')) throw UNSUPPORTED;
    remember(memo, k, (found = body.slice(0, -4)));
  }
  return found;
}

const numbers = new Map<number, string>();

function number(n: number): string {
  // integers below 1e21 are written as JavaScript writes them (above, in exponent form)
  if (Number.isInteger(n) && n > -1e21 && n < 1e21 && !Object.is(n, -0)) return String(n);
  if (Object.is(n, -0)) return stringify(n, OPTIONS).slice(0, -1);
  let found = numbers.get(n);
  if (found === undefined) remember(numbers, n, (found = stringify(n, OPTIONS).slice(0, -1)));
  return found;
}

function remember<K>(memo: Map<K, string>, k: K, v: string): void {
  if (memo.size >= MAX_MEMO) memo.clear();
  memo.set(k, v);
}
