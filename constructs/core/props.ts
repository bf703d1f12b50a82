/**
 * Props checked at the boundary: a small typed description of what a construct accepts, checked against what it was
 * given at run time. TypeScript's types vanish for a consumer on plain JavaScript, a script run without
 * type-checking, or values read from a configuration file; this is where such input stops, with the value given
 * and what was expected, before it reaches code that trusts the types.
 *
 * ```ts
 * const SCHEMA = props.object({
 *   namespace: props.name('label'),
 *   replicas: props.optional(props.integer({ min: 0, max: 1000 })),
 * });
 * const { value, issues } = props.check(SCHEMA, given);
 * ```
 *
 * `check` never throws and returns a cleaned value that matches the description: an optional prop that is wrong is
 * left out (its default applies), a wrong item of a list is dropped, and a required prop that is wrong takes its
 * spec's `fallback`, so the construct goes on and every other check still runs. Each issue says which rule it belongs
 * to (`type`, `name`, `port`, `cidr`); constructs/findings.ts records them as findings of NET-IN1 to NET-IN4.
 */
import ipaddr from 'ipaddr.js';

/** Which lesson an issue belongs to. */
export type IssueKind = 'type' | 'name' | 'port' | 'cidr';

/** One thing wrong with a prop. */
export interface PropIssue {
  readonly kind: IssueKind;
  readonly level: 'error' | 'warning';
  /** Where in the props, e.g. `ports[0].port`; empty for the props themselves. */
  readonly path: string;
  /** The value given. */
  readonly value: unknown;
  /** What was expected instead. */
  readonly expected: string;
  /** What is wrong, when more than "not as expected". */
  readonly message?: string;
  /** The fix, when the value tells which. */
  readonly fix?: string;
}

/** Returned by a spec for a value it cannot use. */
export const INVALID: unique symbol = Symbol('invalid prop');

/** What one prop (or a part of it) accepts. */
export interface Spec {
  /** What is expected, e.g. `an integer from 1 to 65535`. */
  readonly expected: string;
  /** The value cleaned, or INVALID; issues are pushed into `issues`. */
  clean(value: unknown, path: string, issues: PropIssue[]): unknown;
  /** Leaving the value out is fine (its default applies). */
  readonly optional?: boolean;
  /** What a required prop goes on with when it is missing or wrong. */
  readonly fallback?: () => unknown;
}

const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function issue(issues: PropIssue[], path: string, value: unknown, expected: string, extra: Partial<PropIssue> = {}): typeof INVALID {
  issues.push({ kind: 'type', level: 'error', path, value, expected, ...extra });
  return INVALID;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A spec from a predicate. */
function simple(expected: string, ok: (v: unknown) => boolean, kind: IssueKind = 'type'): Spec {
  return { expected, clean: (v, path, issues) => (ok(v) ? v : issue(issues, path, v, expected, { kind })) };
}

/** Any string, with optional bounds and pattern. */
export function string(options: { minLength?: number; maxLength?: number; pattern?: RegExp; expected?: string } = {}): Spec {
  const min = options.minLength ?? 1;
  const max = options.maxLength ?? 4096;
  const expected = options.expected ?? (min > 0 ? `a non-empty string of at most ${max} characters` : `a string of at most ${max} characters`);
  return simple(expected, (v) => typeof v === 'string' && v.length >= min && v.length <= max && (!options.pattern || options.pattern.test(v)));
}

/** A whole number in a range. */
export function integer(options: { min?: number; max?: number } = {}): Spec {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const range = options.min !== undefined && options.max !== undefined ? ` from ${min} to ${max}` : options.min !== undefined ? ` of at least ${min}` : '';
  return simple(`an integer${range}`, (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max);
}

/** Any number (range checks left to a rule that explains the range, e.g. NET-CLU4 for the node MTU). */
export function number(): Spec {
  return simple('a number', (v) => typeof v === 'number');
}

/** A number above 0 and at most `max`, fractions allowed (a duration in seconds: `2.5`). */
export function positiveNumber(max: number): Spec {
  return simple(`a number above 0 and at most ${max}`, (v) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max);
}

/** A TCP/UDP port number (NET-IN3). */
export function port(): Spec {
  return {
    expected: 'a port number from 1 to 65535',
    clean: (v, path, issues) => {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535) return v;
      return issue(issues, path, v, 'a port number from 1 to 65535', { kind: typeof v === 'number' ? 'port' : 'type' });
    },
  };
}

export function boolean(): Spec {
  return simple('true or false', (v) => typeof v === 'boolean');
}

/** A function (a lazy value, a callback). */
export function func(): Spec {
  return simple('a function', (v) => typeof v === 'function');
}

/** Anything JSON can hold (Helm values and the like). */
export function json(): Spec {
  return {
    expected: 'JSON data (objects, lists, strings, finite numbers, booleans, null)',
    clean: (v, path, issues) => {
      const bad = firstNonJson(v, path, new Set());
      return bad ? issue(issues, bad.path, bad.value, 'JSON data (objects, lists, strings, finite numbers, booleans, null)') : v;
    },
  };
}

function firstNonJson(v: unknown, path: string, seen: Set<unknown>): { path: string; value: unknown } | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { path, value: v };
  if (Array.isArray(v) || isPlainObject(v)) {
    if (seen.has(v)) return { path, value: '(a cycle)' };
    seen.add(v);
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) {
      const bad = firstNonJson(x, at(path, k), seen);
      if (bad) return bad;
    }
    seen.delete(v);
    return undefined;
  }
  return { path, value: v };
}

/** One of a fixed set of values (an enum's values). */
export function oneOf(values: readonly (string | number | boolean)[]): Spec {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return simple(expected, (v) => values.includes(v as string));
}

/** An instance of a class, made by its factory (`Routing.tunnel()`, `AddressBlock.range()`). */
export function instance(type: { readonly prototype: object }, expected: string): Spec {
  return simple(expected, (v) => typeof v === 'object' && v !== null && Object.prototype.isPrototypeOf.call(type.prototype, v));
}

/**
 * An instance of a class whose factory took its arguments unchecked (`Backend.service(ns, name, port)`): the instance
 * check, then each listed field of it checked by its spec, reported at `path.field`. The instance is kept as it is.
 */
export function checkedInstance(type: { readonly prototype: object }, expected: string, fields: Readonly<Record<string, Spec>>): Spec {
  const base = instance(type, expected);
  return {
    expected,
    clean: (v, path, issues) => {
      if (base.clean(v, path, issues) === INVALID) return INVALID;
      let ok = true;
      for (const [k, spec] of Object.entries(fields)) {
        const field = (v as Record<string, unknown>)[k];
        if (field === undefined && spec.optional) continue;
        if (spec.clean(field, at(path, k), issues) === INVALID) ok = false;
      }
      return ok ? v : INVALID;
    },
  };
}

/** An object with the given methods or fields (an interface such as IPeer). */
export function shaped(expected: string, ok: (v: Record<string, unknown>) => boolean): Spec {
  return simple(expected, (v) => typeof v === 'object' && v !== null && ok(v as Record<string, unknown>));
}

/** The first of `specs` that accepts the value. */
export function anyOf(expected: string, ...specs: Spec[]): Spec {
  return {
    expected,
    clean: (v, path, issues) => {
      for (const s of specs) {
        const scratch: PropIssue[] = [];
        const out = s.clean(v, path, scratch);
        if (out !== INVALID && !scratch.some((i) => i.level === 'error')) {
          issues.push(...scratch);
          return out;
        }
      }
      return issue(issues, path, v, expected);
    },
  };
}

/** A list; a wrong item is reported and dropped. */
export function array(item: Spec, options: { minLength?: number; maxLength?: number } = {}): Spec {
  const { minLength = 0, maxLength = 10_000 } = options;
  const expected = `a list of ${item.expected}${minLength > 0 ? ` (at least ${minLength})` : ''}`;
  return {
    expected,
    clean: (v, path, issues) => {
      if (!Array.isArray(v)) return issue(issues, path, v, expected);
      if (v.length > maxLength) return issue(issues, path, `${v.length} items`, `at most ${maxLength} items`);
      const out: unknown[] = [];
      v.forEach((x, i) => {
        const c = item.clean(x, at(path, i), issues);
        if (c !== INVALID) out.push(c);
      });
      if (out.length < minLength) return issue(issues, path, v, expected);
      return out;
    },
  };
}

/** A map of string keys to values of one spec (labels, environment variables). */
export function record(value: Spec, key: Spec = string()): Spec {
  const expected = `an object of ${value.expected} values`;
  return {
    expected,
    clean: (v, path, issues) => {
      if (!isPlainObject(v)) return issue(issues, path, v, expected);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (key.clean(k, at(path, k), issues) === INVALID) continue;
        const c = value.clean(x, at(path, k), issues);
        if (c !== INVALID) out[k] = c;
      }
      return out;
    },
  };
}

/**
 * An object with named props. A key the shape does not name is kept as given and reported as a warning (a misspelt
 * optional prop would otherwise be ignored without a word).
 */
export function object(shape: Readonly<Record<string, Spec>>, options: { expected?: string; unknownKeys?: 'warn' | 'keep' } = {}): Spec {
  const expected = options.expected ?? `an object with ${Object.keys(shape).length ? Object.keys(shape).join(', ') : 'no props'}`;
  return {
    expected,
    clean: (v, path, issues) => {
      if (!isPlainObject(v)) {
        issue(issues, path, v, expected);
        // go on with the fallbacks of the required props (not reported again one by one), when each has one
        return cleanKeys(shape, {}, path, []);
      }
      if ((options.unknownKeys ?? 'warn') === 'warn') {
        for (const k of Object.keys(v)) {
          if (k in shape) continue;
          const near = Object.keys(shape).find((s) => s.toLowerCase() === k.toLowerCase() || editDistance(s, k) <= 2);
          issues.push({
            kind: 'type',
            level: 'warning',
            path: at(path, k),
            value: k,
            expected: `one of the props ${Object.keys(shape).join(', ')}`,
            message: `${at(path, k)} is not a prop: it is ignored`,
            ...(near ? { fix: `Did you mean ${near}?` } : {}),
          });
        }
      }
      return cleanKeys(shape, v, path, issues);
    },
  };
}

function cleanKeys(
  shape: Readonly<Record<string, Spec>>,
  v: Record<string, unknown>,
  path: string,
  issues: PropIssue[],
): Record<string, unknown> | typeof INVALID {
  const out: Record<string, unknown> = { ...v };
  for (const [k, s] of Object.entries(shape)) {
    const given = v[k];
    if (given === undefined) {
      if (s.optional) continue;
      issue(issues, at(path, k), undefined, s.expected, { message: `${at(path, k)} is required` });
    } else {
      const c = s.clean(given, at(path, k), issues);
      if (c !== INVALID) {
        out[k] = c;
        continue;
      }
      if (s.optional) {
        delete out[k];
        continue;
      }
    }
    if (!s.fallback) return INVALID;
    out[k] = s.fallback();
  }
  return out;
}

/** A prop that may be left out. */
export function optional(spec: Spec): Spec {
  return { ...spec, clean: spec.clean, optional: true };
}

/** A required prop that goes on with `fallback()` when missing or wrong (the finding fails the synth anyway). */
export function required_(spec: Spec, fallback: () => unknown): Spec {
  return { ...spec, clean: spec.clean, optional: false, fallback };
}
export { required_ as withFallback };

/** Where a name lands, and so its rules. */
export type NameKind = 'label' | 'subdomain' | 'file' | 'port';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const NAME_RULES: Record<NameKind, { max: number; ok: (s: string) => boolean; expected: string }> = {
  label: {
    max: 63,
    ok: (s) => LABEL.test(s),
    expected: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit',
  },
  subdomain: {
    max: 253,
    ok: (s) => SUBDOMAIN.test(s) && s.split('.').every((l) => l.length <= 63),
    expected: 'a DNS-1123 subdomain: at most 253 characters, lower-case labels of letters, digits and "-" joined by "."',
  },
  file: {
    max: 100,
    ok: (s) => FILE.test(s) && s !== '.' && s !== '..',
    expected: 'a file name: at most 100 characters, letters, digits, ".", "_" and "-", starting with a letter or digit',
  },
  // Kubernetes checks container and Service port names as an IANA service name (IsValidPortName)
  port: {
    max: 15,
    ok: (s) => PORT_NAME.test(s) && /[a-z]/.test(s) && !s.includes('--'),
    expected:
      'an IANA service name: at most 15 characters, lower-case letters, digits and "-", at least one letter, no "-" at either end or next to another "-"',
  },
};

/** Whether `value` is a valid name where it lands. */
export function isValidName(kind: NameKind, value: string): boolean {
  const r = NAME_RULES[kind];
  return value.length > 0 && value.length <= r.max && r.ok(value);
}

/** What a valid name of `kind` looks like. */
export function nameExpected(kind: NameKind): string {
  return NAME_RULES[kind].expected;
}

/**
 * A string that becomes a name (NET-IN2): a Kubernetes object or namespace name (`label`), a node or host name
 * (`subdomain`), a file name, or a container or Service port name (`port`). With `normalize`, a name that is valid once lower-cased is used lower-cased, with a
 * warning that says so; any other invalid name is an error.
 */
export function name(kind: NameKind, options: { normalize?: boolean; landsAs?: string } = {}): Spec {
  const r = NAME_RULES[kind];
  return {
    expected: r.expected,
    clean: (v, path, issues) => {
      if (typeof v !== 'string') return issue(issues, path, v, r.expected);
      if (isValidName(kind, v)) return v;
      const lower = v.toLowerCase();
      const where = options.landsAs ? ` (it becomes ${options.landsAs})` : '';
      if (options.normalize && isValidName(kind, lower)) {
        issues.push({
          kind: 'name',
          level: 'warning',
          path,
          value: v,
          expected: r.expected,
          message: `${path || 'the name'} ${JSON.stringify(v)} is used lower-cased, as ${JSON.stringify(lower)}${where}`,
          fix: `Write it as ${JSON.stringify(lower)}.`,
        });
        return lower;
      }
      const suggestion = suggestName(kind, v);
      return issue(issues, path, v, r.expected, {
        kind: 'name',
        message: `${path || 'the name'} cannot be used as a name${where}${v.length > r.max ? `: it has ${v.length} characters` : ''}`,
        ...(suggestion ? { fix: `Use a valid name, e.g. ${JSON.stringify(suggestion)}.` } : {}),
      });
    },
  };
}

/** A nearby valid name, for the fix. */
function suggestName(kind: NameKind, v: string): string | undefined {
  const r = NAME_RULES[kind];
  const s = (kind === 'file' ? v.replace(/[^A-Za-z0-9._-]+/g, '-') : v.toLowerCase().replace(kind === 'subdomain' ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-'))
    .replace(kind === 'port' ? /-+/g : /$^/, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, r.max)
    .replace(/[^A-Za-z0-9]+$/g, '');
  return s && isValidName(kind, s) ? s : undefined;
}

/** An IPv4 or IPv6 address. */
export function ip(): Spec {
  return simple('an IP address such as 192.168.1.10', (v) => typeof v === 'string' && ipaddr.isValid(v) && !v.includes('/'));
}

/**
 * A CIDR (`10.0.0.0/24`). One with host bits set (`10.0.0.5/24`) is used as given with a warning naming the network
 * it stands for (NET-IN4); whatever does not parse is an error.
 */
export function cidr(): Spec {
  const expected = 'a CIDR such as 192.168.1.0/24';
  return {
    expected,
    clean: (v, path, issues) => {
      if (typeof v !== 'string') return issue(issues, path, v, expected);
      let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
      try {
        parsed = ipaddr.parseCIDR(v);
      } catch {
        // a malformed CIDR is left to the construct's own checks (NET-CLU1, NET-L2P1, ...), which name what they use it for
        return v;
      }
      const network = networkOf(parsed);
      if (network !== v) {
        issues.push({
          kind: 'cidr',
          level: 'warning',
          path,
          value: v,
          expected: `the network address, ${network}`,
          message: `${path} ${JSON.stringify(v)} has host bits set: did you mean ${network}?`,
          fix: `Write ${network} (the network ${v} lies in), or a single address where one is meant.`,
        });
      }
      return v;
    },
  };
}

/** The network of a parsed CIDR, written the usual way (`10.0.0.0/24`). */
export function networkOf([addr, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]): string {
  const net =
    addr.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${bits}`);
  return `${net.toString()}/${bits}`;
}

/**
 * The fields of what a factory was given, or none when it was given no object: a factory keeps what it was given and
 * never throws; the construct that receives its product checks it (and reports it at its own path).
 */
export function fieldsOf(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

/** A field a factory was given, as text for a description (never throws on a symbol or an object). */
export function textOf(v: unknown): string {
  return typeof v === 'string' ? v : '(not given)';
}

/** Check `value` against `spec`: the value cleaned (INVALID when nothing usable is left) and every issue. */
export function check(spec: Spec, value: unknown): { value: unknown; issues: PropIssue[] } {
  const issues: PropIssue[] = [];
  let out: unknown;
  try {
    out = spec.clean(value, '', issues);
  } catch (e) {
    // a getter or proxy in the input that throws is itself bad input
    issues.push({ kind: 'type', level: 'error', path: '', value: String(e instanceof Error ? e.message : e), expected: 'plain data' });
    out = INVALID;
  }
  return { value: out, issues };
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}
