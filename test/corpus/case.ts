/**
 * The corpus of bad inputs: each case is data — a name, the field-report failure mode it models, a function
 * that builds the app, and the finding the synth must report: its rule id, a fragment of its message and its value,
 * written out. corpus.test.ts runs them all.
 */
import type { App } from 'cdk8s';

export interface CorpusCase {
  /** What is wrong, as a reviewer would say it. */
  readonly name: string;
  /** Where the failure mode comes from: a seed, an upstream fact, or the foundation's contracts. */
  readonly from: string;
  /** The rule id the synth must report. */
  readonly expect: string;
  /** A fragment of the message of that finding: the case fails when the rule reports something else. */
  readonly says: string;
  /** The value that finding names (what the user gave), written out; `undefined` where the finding names none. */
  readonly value: unknown;
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
