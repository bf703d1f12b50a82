/**
 * Findings a construct records on itself when it meets input it cannot use (in the manner of aws-cdk's
 * `Annotations.of(scope)`): the construct says what is wrong, goes on without the value it could not make, and the
 * synth reports the finding with every other one — never a throw, never a magic value ('0.0.0.0', port 0, '') that
 * a rule must later recognise.
 *
 * ```ts
 * Findings.of(this).addError('NET-L2P6', {
 *   message: `pool ${this.poolName} has no free address left for ${owner}`,
 *   value: `${this._allocations.length} allocations, ${size} addresses`,
 *   expected: 'a free address for every owner',
 * });
 * return undefined;
 * ```
 *
 * Every finding belongs to a rule of the catalogue (RULES.md): its id is the rule whose lesson it is. The synth
 * collects the recorded findings once the cluster is rendered and reports each as a finding of that rule (see
 * `Rule` in rules/rule.ts), so it can be acknowledged like any other. A rule whose every finding comes from
 * constructs declares `phase: 'model'`.
 */
import type { IConstruct } from 'constructs';
import { descendants } from './core/tree.js';
import { check, INVALID, isValidName, nameExpected, type IssueKind, type NameKind, type PropIssue, type Spec } from './core/props.js';
import type { Level } from './errors.js';

/** What a construct says about bad input: the value it was given, what it expected, and how to fix it. */
export interface FindingDetails {
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** The value received, when there is one. */
  readonly value?: unknown;
  /** What was expected instead. */
  readonly expected?: string;
  /**
   * How to fix it, when this case needs more than the rule's general fix.
   *
   * @default - the rule's fix
   */
  readonly fix?: string;
}

/** A finding as recorded on a construct, with the rule it belongs to and the construct's path. */
export interface RecordedFinding extends FindingDetails {
  /** Id of the rule the finding belongs to, e.g. `NET-L2P6`. */
  readonly ruleId: string;
  readonly level: Level;
  /** Path of the construct that recorded it. */
  readonly path: string;
}

/** Metadata type of a recorded finding on a construct's node. */
export const FINDING_METADATA = 'netkit:finding';

/** The findings recorded on one construct. */
export class Findings {
  /** The findings of `scope`. */
  public static of(scope: IConstruct): Findings {
    return new Findings(scope);
  }

  /** Every finding recorded on `root` or below it, in tree order, then in the order recorded. */
  public static within(root: IConstruct): RecordedFinding[] {
    return descendants(root).flatMap((c) => recordedOn(c));
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Record an error: the synth fails (unless the rule is acknowledged here) and writes nothing. */
  public addError(ruleId: string, details: FindingDetails): this {
    return this.add(ruleId, 'error', details);
  }

  /** Record a warning: the synth reports it and still writes. */
  public addWarning(ruleId: string, details: FindingDetails): this {
    return this.add(ruleId, 'warning', details);
  }

  /** The findings recorded on this construct (not below it). */
  public get recorded(): RecordedFinding[] {
    return recordedOn(this.scope);
  }

  private add(ruleId: string, level: Level, details: FindingDetails): this {
    const finding: RecordedFinding = {
      ruleId,
      level,
      path: this.scope.node.path,
      message: details.message,
      ...(details.value !== undefined ? { value: details.value } : {}),
      ...(details.expected !== undefined ? { expected: details.expected } : {}),
      ...(details.fix !== undefined ? { fix: details.fix } : {}),
    };
    this.scope.node.addMetadata(FINDING_METADATA, finding);
    return this;
  }
}

/** Metadata type that marks a construct whose props were checked at the boundary (see {@link checkProps}). */
export const PROPS_CHECKED_METADATA = 'netkit:props-checked';

/** The rule of each kind of prop issue (constructs/rules/input/). */
export const PROP_RULES: Readonly<Record<IssueKind, string>> = { type: 'NET-IN1', name: 'NET-IN2', port: 'NET-IN3', cidr: 'NET-IN4' };

/**
 * Check the props `given` to `scope` against `spec` (constructs/core/props.ts) and record each issue as a finding of
 * its rule (NET-IN1 to NET-IN4) on `scope`, with the prop's path, the value given and what was expected. Returns the
 * props cleaned (what is wrong left out, or replaced by the spec's fallback), or `fallback` when nothing usable is
 * left: the construct goes on with them, and the findings fail the synth. Never throws.
 *
 * The synth reports the findings a construct's other checks make after such a finding as its follow-ons (output/synth.ts).
 */
export function checkProps<T>(scope: IConstruct, spec: Spec, given: unknown, fallback: T): T {
  const { value, issues } = check(spec, given);
  const subject = scope.constructor.name;
  recordIssues(scope, subject, issues, (path) => (path ? `${subject} prop ${path}` : `${subject} props`));
  scope.node.addMetadata(PROPS_CHECKED_METADATA, true);
  return value === INVALID ? fallback : (value as T);
}

/**
 * The arguments of a method checked like props ({@link checkProps}): each issue is a finding at the construct, named
 * after the method. Returns the cleaned arguments, or undefined when one is unusable (the method then renders nothing).
 */
export function checkArgs<T>(scope: IConstruct, method: string, spec: Spec, given: unknown): T | undefined {
  const { value, issues } = check(spec, given);
  const subject = `${scope.constructor.name}.${method}()`;
  recordIssues(scope, subject, issues, (path) => `${subject}: ${path ? `argument ${path}` : 'its argument'}`);
  return value === INVALID || issues.some((i) => i.level === 'error') ? undefined : (value as T);
}

/** Each issue of a props or arguments check as a finding of its rule on `scope`; `where` names the place checked. */
function recordIssues(scope: IConstruct, subject: string, issues: readonly PropIssue[], where: (path: string) => string): void {
  for (const i of issues) {
    Findings.of(scope)[i.level === 'error' ? 'addError' : 'addWarning'](PROP_RULES[i.kind], {
      message: i.message ? `${subject}: ${i.message}` : `${where(i.path)} ${i.value === undefined ? 'is missing' : 'is not valid'}`,
      value: displayValue(i.value),
      expected: i.expected,
      ...(i.fix ? { fix: i.fix } : {}),
    });
  }
}

/**
 * A construct id used as a name, lower-cased as the props documentation says (`@default - the id, lower-cased`); a
 * result that is still no valid name is reported (NET-IN2) with the id given.
 */
export function idAsName(scope: IConstruct, id: string, kind: NameKind, landsAs: string): string {
  const name = id.toLowerCase();
  if (!isValidName(kind, name))
    Findings.of(scope).addError('NET-IN2', {
      message: `${scope.constructor.name}: the construct id ${JSON.stringify(id)} cannot be used as ${landsAs}, which it names when no name is given`,
      value: displayValue(id),
      expected: nameExpected(kind),
      fix: 'Give the name prop, or an id that is a valid name once lower-cased.',
    });
  return name;
}

/** A value as a finding can show it: long strings cut, functions and symbols named, cycles broken. */
export function displayValue(v: unknown): unknown {
  if (typeof v === 'string') return v.length > 120 ? `${v.slice(0, 100)}… (${v.length} characters)` : v;
  if (typeof v === 'function') return '(a function)';
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v !== 'object' || v === null) return v;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return `(a ${proto?.constructor?.name ?? 'class'} object)`;
  try {
    const text = JSON.stringify(v, (_k, x) => (typeof x === 'function' ? '(a function)' : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
    return text === undefined ? String(v) : text.length > 120 ? `${text.slice(0, 100)}… (${text.length} characters)` : JSON.parse(text);
  } catch {
    return '(an object that is not plain data)';
  }
}

function recordedOn(c: IConstruct): RecordedFinding[] {
  return c.node.metadata.filter((m) => m.type === FINDING_METADATA).map((m) => m.data as RecordedFinding);
}
