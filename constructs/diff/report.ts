/**
 * A diff report: the semantic diff of every cluster that changes, the risk flags raised over it, and what could not
 * be checked. The renderers (terminal, Markdown) only lay it out.
 */
import { diffTrees, type ClusterDiff } from './model.js';
import { riskFlags, type RiskFlag } from './risks.js';
import type { Tree } from './tree.js';

export interface DiffReport {
  /** What the base is, e.g. `origin/main (1a2b3c4)`. */
  readonly base: string;
  /** What the head is, e.g. `the working tree`. */
  readonly head: string;
  /** The folder both trees are read from, relative to the repository (`clusters`): links to a cluster's reports use it. */
  readonly dir: string;
  readonly clusters: readonly ClusterDiff[];
  readonly flags: readonly RiskFlag[];
  /** What the reader must know that is no change: a base that failed to render, a check that could not run. */
  readonly notes: readonly string[];
  /** The base failed to render: its log (the diff then compares against what the base committed, if anything). */
  readonly baseError?: string;
}

export interface ReportOptions {
  readonly base: string;
  readonly head: string;
  readonly dir?: string;
  readonly baseError?: string;
}

/** Diff two trees and check every risk of the catalogue over the result. */
export function buildReport(before: Tree, after: Tree, options: ReportOptions): DiffReport {
  const clusters = diffTrees(before, after);
  const notes: string[] = [];
  const flags = clusters.flatMap((c) => riskFlags(c, notes));
  return { base: options.base, head: options.head, dir: options.dir ?? 'clusters', clusters, flags, notes, baseError: options.baseError };
}
