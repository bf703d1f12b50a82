/**
 * Acknowledgements: a scope says "I know rule X fires here, and this is why it is fine". The finding is then not
 * an error, and is listed in `clusters/<cluster>/reports/review.md` for reviewers.
 */
import type { IConstruct } from 'constructs';
import { descendants } from './core/tree.js';

export interface Acknowledgement {
  /** The rule acknowledged: the id given, or the rule it forwards to ({@link RULE_FORWARDS}). */
  readonly ruleId: string;
  readonly reason: string;
  /** The acknowledging scope's path. */
  readonly scopePath: string;
  /** Path (absolute, or relative to the scope) the acknowledgement is limited to. */
  readonly path?: string;
}

const registry = new WeakMap<IConstruct, Acknowledgement[]>();

/** Acknowledgements made on one scope; they cover the scope and everything below it. */
export class Acknowledgements {
  public static of(scope: IConstruct): Acknowledgements {
    return new Acknowledgements(scope);
  }

  /** Every acknowledgement made on `root` or below it. */
  public static within(root: IConstruct): Acknowledgement[] {
    return descendants(root).flatMap((c) => registry.get(c) ?? []);
  }

  private constructor(private readonly scope: IConstruct) {}

  /**
   * Acknowledge rule `ruleId` for this scope and its children. An id merged into another rule ({@link RULE_FORWARDS})
   * acknowledges that rule.
   *
   * @param reason why the finding is acceptable here; at least 10 characters
   * @param options.path limit the acknowledgement to one construct path below the scope (relative or absolute);
   *   a path that matches no construct is an error
   */
  public add(ruleId: string, reason: string, options: { path?: string } = {}): this {
    const list = registry.get(this.scope) ?? [];
    list.push({ ruleId: RULE_FORWARDS.get(ruleId) ?? ruleId, reason, scopePath: this.scope.node.path, ...(options.path ? { path: options.path } : {}) });
    registry.set(this.scope, list);
    return this;
  }
}

/**
 * Rule ids whose lesson was merged into another rule, with the id of that rule. The id stays valid (ids are never
 * reused): an acknowledgement of it acknowledges the rule it forwards to, and RULES.md lists it with the forward.
 */
export const RULE_FORWARDS: ReadonlyMap<string, string> = new Map([
  // lease timings, seen from the pools (NET-L2P9) and from Cilium's values (NET-CIL8): one lesson
  ['NET-CIL8', 'NET-L2P9'],
]);

/**
 * Rules no acknowledgement silences, with the reason: their finding is all that stands between the synth and damage
 * no reason makes acceptable.
 */
export const NOT_ACKNOWLEDGEABLE: ReadonlyMap<string, string> = new Map([
  ['NET-OUT2', 'the synthesizer never writes over a file it did not write'],
  ['NET-OUT1', 'one object has one definition, and the synthesizer will not pick which to keep'],
  ['NET-RUN1', 'whatever failed could not be checked, so there is nothing the acknowledgement could vouch for'],
]);

/**
 * The acknowledgement that silences `finding`: the first one of its rule, with a real reason, whose path covers the
 * finding's. The acknowledgement rules' own findings (NET-ACK*) and those of rules that cannot be acknowledged are
 * never silenced.
 */
export function acknowledgementOf(finding: { readonly ruleId: string; readonly path: string }, acks: readonly Acknowledgement[]): Acknowledgement | undefined {
  if (finding.ruleId.startsWith('NET-ACK') || NOT_ACKNOWLEDGEABLE.has(finding.ruleId)) return undefined;
  return acks.find((a) => a.ruleId === finding.ruleId && a.reason.trim().length >= 10 && isUnder(finding.path, coveredPath(a)));
}

/**
 * The acknowledgements that silence none of `findings`. One of a rule that cannot be acknowledged is not among them:
 * NET-ACK1 reports it.
 */
export function unusedAcknowledgements(
  findings: readonly { readonly ruleId: string; readonly path: string }[],
  acks: readonly Acknowledgement[],
): Acknowledgement[] {
  const used = new Set(findings.map((f) => acknowledgementOf(f, acks)));
  return acks.filter((a) => !used.has(a) && !NOT_ACKNOWLEDGEABLE.has(a.ruleId));
}

/** The absolute path an acknowledgement covers. */
export function coveredPath(ack: Acknowledgement): string {
  if (!ack.path) return ack.scopePath;
  const root = ack.scopePath.split('/')[0];
  return ack.path.startsWith(`${root}/`) || ack.path === root ? ack.path : `${ack.scopePath}/${ack.path}`;
}

/** True when `path` equals `covered` or lies below it. */
export function isUnder(path: string, covered: string): boolean {
  return path === covered || path.startsWith(`${covered}/`);
}
