/**
 * Shared by the database rules: the reachability model of a cluster's rendered objects (built once per synth),
 * and label-selector matching over the workloads it derives.
 */
import { NetworkModel, type Workload } from '../../reachability/index.js';
import type { RenderedObject, RuleContext } from '../rule.js';
import type { IPeer } from '../../workload.js';

const cache = new WeakMap<readonly RenderedObject[], { model?: NetworkModel; error?: Error }>();

/** The model of the rendered objects, or the error the evaluator raised on them. */
export function modelOf(ctx: RuleContext): { model?: NetworkModel; error?: Error } {
  let entry = cache.get(ctx.objects);
  if (!entry) {
    try {
      entry = { model: new NetworkModel(ctx.objects.map((o) => o.json)) };
    } catch (e) {
      entry = { error: e as Error };
    }
    cache.set(ctx.objects, entry);
  }
  return entry;
}

/** A label selector (`matchLabels` + `matchExpressions`) as it appears in a rendered policy. */
export interface RawSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

/** Does `selector` select a pod with `labels`? Cilium's `k8s:`/`any:` key prefixes are ignored. */
export function selectorMatches(selector: RawSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  const strip = (k: string) => k.replace(/^(k8s|any):/, '');
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[strip(k)] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const value = labels[strip(e.key)];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Is `w` one of the pods `peer` names (same namespace, carrying every selector label)? */
export function peerSelects(peer: IPeer, w: Workload): boolean {
  return w.namespace === peer.namespace && Object.entries(peer.selector).every(([k, v]) => w.labels[k] === v);
}

/** `{a=b,c=d}`, keys sorted, for messages. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',')}}`;
}
