/**
 * Findings: what a rule or a construct found wrong, as data, and the one place that turns them into text.
 */
import { compareText } from './core/order.js';

export type Level = 'error' | 'warning';

/** One problem found in a cluster, reported with all the others of the same synth. */
export interface Finding {
  /** Stable rule id, e.g. `NET-CIL1`. */
  readonly ruleId: string;
  readonly level: Level;
  /** Construct path the finding is about, e.g. `homelab/cilium/Resource`. */
  readonly path: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** The value received, when there is one. */
  readonly value?: unknown;
  /** What was expected instead. */
  readonly expected?: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A finding that was silenced on purpose, kept so reviewers can see it. */
export interface AcknowledgedFinding extends Finding {
  readonly reason: string;
  /** Path of the scope that acknowledged the rule. */
  readonly acknowledgedAt: string;
}

const MARK: Record<Level, string> = { error: '✖', warning: '⚠' };

/** Short, stable rendering of a value inside a message: strings quoted, objects as compact JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return value.toString();
  const json = JSON.stringify(value);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

/**
 * What a finding says was expected, as a reader should see it: a number that binary floating point wrote with a
 * trailing artefact (`0.30000000000000004`) is rounded back, and a list that came out empty (`one of ` followed by
 * nothing) says that there is none.
 */
export function tidyExpected(expected: string): string {
  const rounded = expected.replace(/\d+\.\d{12,}/g, (n) => String(Number(Number(n).toPrecision(12))));
  return rounded.replace(/\b(one of|any of|among)(:?)\s*(?=$|[;,)])/g, '$1$2 (none: the list is empty)').replace(/\[\s*\]/g, '(none)');
}

/** Render one finding: `✖ ID message (value: …); expected …` / `  → at path` / `  fix: …`. */
export function formatFinding(f: Finding): string {
  const parts = [f.message];
  if (f.value !== undefined) parts[0] += ` (value: ${show(f.value)})`;
  if (f.expected) parts[0] += `; expected ${tidyExpected(f.expected)}`;
  return `${MARK[f.level]} ${f.ruleId} ${parts[0]}\n  → at ${f.path}\n  fix: ${f.fix}`;
}

/** Render every finding, errors first, then warnings, each group sorted by path then id. */
export function formatFindings(findings: readonly Finding[]): string {
  return sortFindings(findings).map(formatFinding).join('\n');
}

export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  const rank = (l: Level) => (l === 'error' ? 0 : 1);
  return [...findings].sort(
    (a, b) => rank(a.level) - rank(b.level) || compareText(a.path, b.path) || compareText(a.ruleId, b.ruleId) || compareText(a.message, b.message),
  );
}

/** Thrown by a synth that found errors. Carries every finding of that synth. */
export class SynthError extends Error {
  constructor(public readonly findings: readonly Finding[]) {
    const errors = findings.filter((f) => f.level === 'error').length;
    const warnings = findings.length - errors;
    super(`synth failed: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n${formatFindings(findings)}`);
    this.name = 'SynthError';
  }
}
