/**
 * What the bootstrap rules read: the cluster's apply order (constructs/bootstrap/model.ts), built once per synth from
 * the rendered objects, with release values read where the objects say they are (inline or the values file).
 */
import { applyOrder, type ApplyOrder } from '../../bootstrap/model.js';
import type { RuleContext } from '../rule.js';
import { currentFiles, releaseValuesOf } from '../values.js';

const orders = new WeakMap<RuleContext, ApplyOrder>();

/** The apply order of the context's cluster (computed once per rule run). */
export function orderOf(ctx: RuleContext): ApplyOrder {
  let order = orders.get(ctx);
  if (!order) {
    const files = currentFiles(ctx);
    order = applyOrder({ cluster: ctx.cluster, objects: ctx.objects, valuesOf: (o) => releaseValuesOf(o, files), readFile: (path) => files.read(path) });
    orders.set(ctx, order);
  }
  return order;
}

/** `step <index> (<label>)`, as the findings and reports/bootstrap.md name a step. */
export function stepName(step: { index: number; label: string }): string {
  return `step ${step.index} (${step.label})`;
}
