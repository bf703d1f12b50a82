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

function recordedOn(c: IConstruct): RecordedFinding[] {
  return c.node.metadata.filter((m) => m.type === FINDING_METADATA).map((m) => m.data as RecordedFinding);
}
