/**
 * The corpus of bad inputs: each case is data — a name, the field-report failure mode it models, a function
 * that builds the app, and the rule id the synth must report. corpus.test.ts runs them all.
 */
import type { App } from 'cdk8s';

export interface CorpusCase {
  /** What is wrong, as a reviewer would say it. */
  readonly name: string;
  /** Where the failure mode comes from: a seed, an upstream fact, or the foundation's contracts. */
  readonly from: string;
  /** The rule id the synth must report. */
  readonly expect: string;
  /** The value the finding must report, when the case names one. */
  readonly value?: unknown;
  /** A fragment the finding's message must contain, when the case names one. */
  readonly message?: string;
  /** Builds the bad app; its cluster must be named `test` (test/helpers.ts `testCluster`). */
  readonly build: () => App;
  /**
   * Prepares the output folder of cluster `test` (already holding a good rendered tree) before the synth,
   * e.g. a hand-written file in the way.
   */
  readonly prepare?: (clusterDir: string) => void;
}

/** A named group of cases (one per construct area). */
export interface CorpusArea {
  readonly area: string;
  readonly cases: readonly CorpusCase[];
}
