import { cniStep, objectKind, providersOf, type ApplyOrder, type ApplyStep } from '../../bootstrap/model.js';
import { kindKey } from '../../bootstrap/kinds.js';
import { GitOpsFlavour } from '../../gitops/gitops.js';
import { defineRule } from '../rule.js';
import { orderOf, stepName } from './model.js';

/** Why `step` does not wait for the health of the earlier `provider` step. */
function why(order: ApplyOrder, provider: ApplyStep): string {
  if (order.engine === GitOpsFlavour.ARGOCD) return order.applicationHealth?.why ?? 'Argo CD does not report the health of Applications';
  const entry = provider.objects.length ? provider.by : provider.title;
  return `${entry} has neither wait: true nor healthChecks, so it is Ready once applied, not once healthy`;
}

/** NET-BOOT4: a layer that needs an earlier layer's CRDs or CNI waits for that layer's health, and the engine can report it. */
export const HealthGatesReported = defineRule({
  id: 'NET-BOOT4',
  level: 'error',
  title: "A layer that needs an earlier layer's CRDs or CNI waits for that layer's health, where the engine can report it",
  lesson:
    'Layers are ordered so that what a layer needs (CRDs a chart installs, running controllers) is there when it is ' +
    "applied. Flux waits for a dependency's health only when that Kustomization has wait: true (or healthChecks); " +
    "Argo CD waits for a sync wave's Applications only when argocd-cm defines the Application health check, removed in " +
    'Argo CD 1.8: without it every wave starts as soon as the one before is applied, and the order gates nothing.',
  source:
    'issue 14; https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app; https://fluxcd.io/flux/components/kustomize/kustomizations/#wait',
  fix:
    'Argo CD: apply bootstrap/argocd/argocd-cm.yaml (resource.customizations.health.argoproj.io_Application) to the Argo CD that syncs the tree, ' +
    'then drop applicationHealthCheck: false from GitOps.argocd(...). Flux: give the Kustomization the dependent layer waits on wait: true.',
  *check(ctx) {
    const order = orderOf(ctx);
    const cni = cniStep(order);
    for (const step of order.steps) {
      const needs = new Map<string, { what: string; provider: ApplyStep; by: string }>();
      if (step.needsPods && cni && step.appliedBefore.has(cni.index) && !step.healthyBefore.has(cni.index)) {
        needs.set('cni', { what: 'running pods (the CNI)', provider: cni, by: cni.title });
      }
      for (const o of step.objects) {
        const { kind, builtIn } = objectKind(o);
        if (builtIn || needs.has(kindKey(kind))) continue;
        const providers = providersOf(order, kind);
        if (providers.some((p) => step.healthyBefore.has(p.step.index))) continue;
        const applied = providers.find((p) => step.appliedBefore.has(p.step.index));
        if (applied)
          needs.set(kindKey(kind), {
            what: `${kindKey(kind)} (for ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name})`,
            provider: applied.step,
            by: applied.provision.by,
          });
      }
      const byProvider = new Map<ApplyStep, string[]>();
      for (const n of needs.values()) byProvider.set(n.provider, [...(byProvider.get(n.provider) ?? []), `${n.what} from ${n.by}`]);
      for (const [provider, what] of byProvider) {
        yield {
          at: step.path,
          message: `${stepName(step)} needs ${what.join('; ')} in ${stepName(provider)}, but does not wait for its health: ${why(order, provider)}`,
          value: { step: step.id, waitsFor: provider.id },
          expected: `${stepName(step)} starts once ${stepName(provider)} is healthy`,
        };
      }
    }
  },
});
