import { CILIUM_NAMESPACE_LABEL } from '../../reachability/index.js';
import { defineRule } from '../rule.js';
import { formatLabels, modelOf, selectorMatches, type RawSelector } from './model.js';

const NS_KEYS = new Set([CILIUM_NAMESPACE_LABEL, `k8s:${CILIUM_NAMESPACE_LABEL}`, `any:${CILIUM_NAMESPACE_LABEL}`]);

function describe(sel: RawSelector | undefined): string {
  const labels = formatLabels(sel?.matchLabels ?? {});
  const exprs = (sel?.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} [${(e.values ?? []).join(',')}]`);
  return exprs.length ? `${labels} + ${exprs.join(', ')}` : labels;
}

/** NET-DB1: every rendered NetworkPolicy / CiliumNetworkPolicy selects at least one rendered pod. */
export const PolicySelectsPods = defineRule({
  id: 'NET-DB1',
  level: 'error',
  title: 'Every network policy selects at least one pod',
  lesson:
    'A policy whose selector matches no pod protects nothing, and nothing says so: seed 001 checked its isolation by hand with a ' +
    'kubectl-run pod. A typo in a label (app: client-api) leaves the database open while the policy looks right in review.',
  source: 'seed 001 (NetworkPolicy isolating clients-db); Kubernetes NetworkPolicy podSelector semantics',
  fix: "Make the selector match the labels of the pods it is meant for (the workload's selector, cnpg.io/cluster: <name>), or remove the policy. For pods a Helm chart creates (not visible offline), acknowledge NET-DB1 with the reason.",
  *check(ctx) {
    const { model } = modelOf(ctx);
    if (!model) return; // NET-DB4 reports why the objects cannot be evaluated
    const workloads = model.workloads();
    for (const o of ctx.objects) {
      const isNp = o.kind === 'NetworkPolicy' && o.apiVersion.startsWith('networking.k8s.io/');
      const isCnp = o.kind === 'CiliumNetworkPolicy' && o.apiVersion.startsWith('cilium.io/');
      if (!isNp && !isCnp) continue;
      const ns = o.namespace ?? 'default';
      const spec = o.json as { spec?: Record<string, any>; specs?: Record<string, any>[] };
      const selectors: (RawSelector | undefined)[] = isNp
        ? [spec.spec?.podSelector ?? {}]
        : [...(spec.spec ? [spec.spec] : []), ...(spec.specs ?? [])].map((s) => s.endpointSelector ?? {});
      const inNs = workloads.filter((w) => w.namespace === ns);
      const selectsOne = selectors.some((sel) => {
        const own = Object.entries(sel?.matchLabels ?? {}).filter(([k]) => NS_KEYS.has(k));
        if (own.some(([, v]) => v !== ns)) return false;
        const rest: RawSelector = {
          matchLabels: Object.fromEntries(Object.entries(sel?.matchLabels ?? {}).filter(([k]) => !NS_KEYS.has(k))),
          matchExpressions: sel?.matchExpressions ?? [],
        };
        return inNs.some((w) => selectorMatches(rest, w.labels));
      });
      if (selectsOne) continue;
      const available = inNs.map((w) => `${w.name} ${formatLabels(w.labels)}`).join('; ') || 'none';
      yield {
        at: o.path,
        message: `${o.kind} ${ns}/${o.name} selects no pod: no workload in namespace ${ns} matches its selector`,
        value: selectors.map(describe).join(' | '),
        expected: `a selector matching a workload of namespace ${ns} (workloads there: ${available})`,
      };
    }
  },
});
