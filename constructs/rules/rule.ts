/**
 * A rule: one lesson from the field reports (or from upstream, where the reports were wrong), as a pure check
 * over a cluster's constructs and rendered objects.
 */
import type { IConstruct } from 'constructs';
import type { Cluster } from '../cluster.js';
import type { Acknowledgement } from '../acknowledgements.js';
import type { Finding, Level } from '../errors.js';

/** One object as it will be written, with where it came from. */
export interface RenderedObject {
  /** Construct path of the ApiObject, or of the construct that generated it. */
  readonly path: string;
  /** Path of the file under `clusters/<cluster>/`. */
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The object as JSON. */
  readonly json: { apiVersion: string; kind: string; [key: string]: any };
}

/** The state the cluster's committed tree was in before this synth (for checks that compare). */
export interface PreviousTree {
  /** Every object parsed from the files the synthesizer wrote last time (parsed on first access). */
  readonly objects: readonly { file: string; json: Record<string, any> }[];
  /** The previous objects of one kind; only files that mention the kind are parsed. */
  ofKind(kind: string): readonly { file: string; json: Record<string, any> }[];
  /** The text of a file the synthesizer wrote last time (any file it owns, YAML or not), if it is still there. */
  file?(path: string): string | undefined;
}

/** What is on disk where the cluster renders, and what this synth is about to write there. */
export interface ExistingFiles {
  /** Every file path (relative to `clusters/<cluster>/`) this synth renders. */
  readonly rendered: readonly string[];
  /** Files present on disk that the synthesizer did not write. */
  readonly foreign: ReadonlySet<string>;
}

export interface RuleContext {
  readonly cluster: Cluster;
  readonly objects: readonly RenderedObject[];
  /** The committed tree, when one exists. */
  readonly previous?: PreviousTree;
  /** The output folder's state, when the synth writes to one. */
  readonly existing?: ExistingFiles;
  /**
   * The non-Kubernetes files this synth renders (reports/, edge/), by path under `clusters/<cluster>/`.
   * `reports/review.md` is not among them: it is written after the rules ran.
   */
  readonly extraFiles?: ReadonlyMap<string, string>;
  /** Every acknowledgement made in the cluster. */
  readonly acknowledgements: readonly Acknowledgement[];
  /** Ids of every rule in the catalogue. */
  readonly ruleIds: ReadonlySet<string>;
}

/** What a rule's check returns for each problem; the rule adds its id and level. */
export interface RuleResult {
  /** The construct the problem is about (its path is reported), or a path string. */
  readonly at: IConstruct | string;
  readonly message: string;
  readonly value?: unknown;
  readonly expected?: string;
  /** Overrides the rule's general fix with one for this case. */
  readonly fix?: string;
  /** Overrides the rule's level for this case (e.g. a warning variant). */
  readonly level?: Level;
}

export interface Rule {
  /** Stable id, never renumbered or reused: `NET-<AREA><n>`. */
  readonly id: string;
  readonly level: Level;
  /** One line: what the rule requires. */
  readonly title: string;
  /** Why: the lesson, in two or three sentences. */
  readonly lesson: string;
  /** Where the lesson comes from: a seed, an upstream issue or document. */
  readonly source: string;
  /** How to fix a violation, in general. */
  readonly fix: string;
  check(ctx: RuleContext): Iterable<RuleResult>;
}

/** Define a rule (identity function that fixes the type). */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Turn a rule's result into a finding. */
export function toFinding(rule: Rule, r: RuleResult): Finding {
  return {
    ruleId: rule.id,
    level: r.level ?? rule.level,
    path: typeof r.at === 'string' ? r.at : r.at.node.path,
    message: r.message,
    ...(r.value !== undefined ? { value: r.value } : {}),
    ...(r.expected !== undefined ? { expected: r.expected } : {}),
    fix: r.fix ?? rule.fix,
  };
}
