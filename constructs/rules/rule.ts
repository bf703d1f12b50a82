/**
 * A rule: one lesson from the field reports (or from upstream, where the reports were wrong), as a pure check
 * over a cluster's constructs and rendered objects — or, for input a construct cannot use, the findings the
 * construct records under the rule's id (phase `model`). Every finding of a synth belongs to a rule.
 */
import type { IConstruct } from 'constructs';
import type { Cluster } from '../cluster.js';
import type { Acknowledgement } from '../acknowledgements.js';
import { tidyExpected, type Finding, type Level } from '../errors.js';
import type { RecordedFinding } from '../findings.js';

export type { RenderedObject } from '../core/rendered.js';
import type { RenderedObject } from '../core/rendered.js';

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
  /**
   * What became of each hand-written manifest among the foreign files (output/foreign.ts): listed in a
   * kustomization.yaml, or applied by nothing. Foreign files that are no manifest (a README) are not among them.
   */
  readonly handWritten?: readonly HandWrittenFile[];
  /**
   * Files the synthesizer wrote and no longer renders that were edited by hand since: kept, as hand-written files,
   * instead of removed (output/writer.ts `releasedFiles`).
   */
  readonly released?: readonly string[];
}

/** A hand-written YAML file in the cluster's folder, and whether the GitOps engine applies it. */
export interface HandWrittenFile {
  /** Path relative to `clusters/<cluster>/`. */
  readonly file: string;
  /**
   * - `listed`: the kustomization.yaml of `folder` lists it (or the hand-made kustomization folder it is in), so the
   *   engine applies it;
   * - `unapplied`: a manifest in a folder no engine applies (reports/, edge/, bootstrap/);
   * - `not-a-manifest`: YAML in a folder the engine applies that is not a list of Kubernetes objects, so no
   *   kustomization.yaml can list it.
   */
  readonly status: 'listed' | 'unapplied' | 'not-a-manifest';
  /** The folder whose kustomization.yaml lists it, or the nearest folder the synthesizer writes (`''`: the cluster's). */
  readonly folder: string;
  /** Why it is not listed. */
  readonly detail?: string;
  /** A folder the engine applies, where it would be listed (for `unapplied`). */
  readonly suggest?: string;
  /** The objects a listed manifest defines (none for a hand-made kustomization folder: its build decides). */
  readonly objects?: readonly { readonly apiVersion: string; readonly kind: string; readonly namespace?: string; readonly name?: string }[];
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

/**
 * When the synthesizer runs a rule, and so what its check sees. The phases run in this order:
 *
 * - `model`: the rule's findings come from the constructs themselves. A construct that meets input it cannot use
 *   records a finding under the rule's id (`Findings.of(this).addError('NET-L2P6', {...})`, constructs/findings.ts)
 *   and goes on without the value it could not make. The rule has no check: its findings are collected once the
 *   cluster is rendered (constructs may record while rendering too).
 * - `rules` (the default): once per cluster, over its constructs and everything rendered from them
 *   ({@link RuleContext}).
 * - `review`: once per cluster, after the `model` and `rules` phases, over the cluster's findings before any is
 *   acknowledged ({@link ReviewContext}): the checks of the acknowledgements themselves.
 * - `app`: once per synth, after every cluster, over the whole app and the output folder ({@link AppContext}).
 * - `failures`: last, over whatever failed in the phases before — a construct that could not be rendered, a rule
 *   that threw ({@link FailuresContext}) — so that a failure is a finding, never a crash.
 *
 * Findings recorded with `Findings.of(scope)` are reported under the rule with their id whatever its phase (a
 * `rules` rule may receive some besides what its check finds); a recorded id that no rule has is a failure.
 */
export type RulePhase = 'model' | 'rules' | 'review' | 'app' | 'failures';

/** The phases in the order the synthesizer runs them. */
export const RULE_PHASES: readonly RulePhase[] = ['model', 'rules', 'review', 'app', 'failures'];

/** What the `review` phase sees: the cluster, and every finding of it so far. */
export interface ReviewContext extends RuleContext {
  /** The cluster's findings of the `model` and `rules` phases, before acknowledgements are applied. */
  readonly findings: readonly Finding[];
}

/** What the `app` phase sees: every cluster at once, and the output folder. */
export interface AppContext {
  /** The construct the synth was called on (the App). */
  readonly root: IConstruct;
  readonly clusters: readonly Cluster[];
  /** The folder that holds one sub-folder per cluster (`clusters`). */
  readonly outdir: string;
  /** The sub-folders of `outdir` the synthesizer wrote (they hold its ownership record), sorted by name. */
  readonly writtenFolders: readonly string[];
  /** Every acknowledgement made in the app, inside a cluster or not. */
  readonly acknowledgements: readonly Acknowledgement[];
  /** Ids of every rule in the catalogue. */
  readonly ruleIds: ReadonlySet<string>;
}

/** Something the synth could not do: render an object or a file, run a rule, report a recorded finding. */
export interface SynthFailure {
  /** Path of the construct it failed at. */
  readonly at: string;
  /** What was being done, e.g. `rendering ConfigMap broken` or `rule NET-CIL2`. */
  readonly during: string;
  /** Why it failed: the error's message. */
  readonly error: string;
  /**
   * A fix for this case, when the failure is input the synth knows how to correct.
   *
   * @default - the rule's fix
   */
  readonly fix?: string;
}

/** What the `failures` phase sees. */
export interface FailuresContext {
  /** Every failure of the synth, in the order met. */
  readonly failures: readonly SynthFailure[];
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

/** What every rule says about itself (RULES.md is generated from it). */
export interface RuleInfo {
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
}

/** One lesson as a check; its `phase` says when it runs and what its check sees (see {@link RulePhase}). */
export type Rule =
  | (RuleInfo & { readonly phase: 'model'; readonly check?: undefined })
  | (RuleInfo & { readonly phase?: 'rules'; check(ctx: RuleContext): Iterable<RuleResult> })
  | (RuleInfo & { readonly phase: 'review'; check(ctx: ReviewContext): Iterable<RuleResult> })
  | (RuleInfo & { readonly phase: 'app'; check(ctx: AppContext): Iterable<RuleResult> })
  | (RuleInfo & { readonly phase: 'failures'; check(ctx: FailuresContext): Iterable<RuleResult> });

/** Define a rule (identity function that fixes the type). */
export function defineRule<R extends Rule>(rule: R): R {
  return rule;
}

/** The phase a rule runs in. */
export function phaseOf(rule: Rule): RulePhase {
  return rule.phase ?? 'rules';
}

/** Turn a rule's result into a finding. */
export function toFinding(rule: RuleInfo, r: RuleResult): Finding {
  return {
    ruleId: rule.id,
    level: r.level ?? rule.level,
    path: typeof r.at === 'string' ? r.at : r.at.node.path,
    message: r.message,
    ...(r.value !== undefined ? { value: r.value } : {}),
    ...(r.expected !== undefined ? { expected: tidyExpected(r.expected) } : {}),
    fix: r.fix ?? rule.fix,
  };
}

/** A finding a construct recorded, as a result of the rule it belongs to. */
export function recordedResult(f: RecordedFinding): RuleResult {
  return {
    at: f.path,
    message: f.message,
    level: f.level,
    ...(f.value !== undefined ? { value: f.value } : {}),
    ...(f.expected !== undefined ? { expected: f.expected } : {}),
    ...(f.fix !== undefined ? { fix: f.fix } : {}),
  };
}
