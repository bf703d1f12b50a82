/**
 * Kubernetes label selectors: parsing, matching and readable rendering.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import type { Labels } from './types.js';

/** A label selector requirement operator. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** One `matchExpressions` entry. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A parsed label selector. Both lists empty = matches everything. */
export interface Selector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly SelectorRequirement[];
}

/**
 * Parses a `LabelSelector` object, pushing any malformed part onto `problems`.
 *
 * @param where names the selector in messages, e.g. `NetworkPolicy clients/x spec.podSelector`.
 */
export function parseSelector(raw: unknown, where: string, problems: string[]): Selector {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${where} is ${JSON.stringify(raw)}; expected a label selector object ({} selects all). Write { matchLabels: {...} }.`);
    return { matchLabels: {}, matchExpressions: [] };
  }
  const r = raw as { matchLabels?: unknown; matchExpressions?: unknown };
  const matchLabels: Record<string, string> = {};
  if (r.matchLabels !== undefined && r.matchLabels !== null) {
    if (typeof r.matchLabels !== 'object' || Array.isArray(r.matchLabels)) {
      problems.push(`${where}.matchLabels is ${JSON.stringify(r.matchLabels)}; expected a map of label to value.`);
    } else {
      for (const [k, v] of Object.entries(r.matchLabels as Record<string, unknown>)) matchLabels[k] = String(v);
    }
  }
  const matchExpressions: SelectorRequirement[] = [];
  const exprs = r.matchExpressions ?? [];
  if (!Array.isArray(exprs)) {
    problems.push(`${where}.matchExpressions is ${JSON.stringify(exprs)}; expected a list of { key, operator, values }.`);
  } else {
    exprs.forEach((e: any, i: number) => {
      const at = `${where}.matchExpressions[${i}]`;
      if (!OPERATORS.includes(e?.operator)) {
        problems.push(`${at}.operator is ${JSON.stringify(e?.operator)}; expected one of ${OPERATORS.join(', ')}.`);
        return;
      }
      const values: string[] = Array.isArray(e.values) ? e.values.map(String) : [];
      if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
        problems.push(`${at} uses ${e.operator} with no values; Kubernetes rejects this. Give at least one value.`);
        return;
      }
      if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) {
        problems.push(`${at} uses ${e.operator} with values ${JSON.stringify(values)}; Kubernetes rejects this. Drop the values.`);
        return;
      }
      matchExpressions.push({ key: String(e.key), operator: e.operator, values });
    });
  }
  return { matchLabels, matchExpressions };
}

/** Does `selector` match a set of labels? An empty selector matches everything. */
export function selectorMatches(selector: Selector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Is this the empty selector (matches everything)? */
export function isEmptySelector(selector: Selector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** Renders a selector for messages: `{app=api, tier in (a,b), !legacy}`; `{} (all)` when empty. */
export function describeSelector(selector: Selector): string {
  if (isEmptySelector(selector)) return '{} (all)';
  const parts = Object.keys(selector.matchLabels)
    .sort()
    .map((k) => `${k}=${selector.matchLabels[k]}`);
  for (const e of selector.matchExpressions) {
    if (e.operator === 'In') parts.push(`${e.key} in (${e.values.join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${e.values.join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return `{${parts.join(', ')}}`;
}
