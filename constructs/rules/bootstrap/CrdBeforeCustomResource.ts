import { objectKind, providersOf, skipsDryRun, type ApplyStep } from '../../bootstrap/model.js';
import { kindKey } from '../../bootstrap/kinds.js';
import { GitOpsFlavour } from '../../gitops/gitops.js';
import { defineRule } from '../rule.js';
import { orderOf, stepName } from './model.js';

/** NET-BOOT1: every custom resource reaches the API server after a step that establishes its CRD. */
export const CrdBeforeCustomResource = defineRule({
  id: 'NET-BOOT1',
  level: 'error',
  title:
    'No custom resource is applied before its CRD is established (or in the same Argo CD sync that brings it, with SkipDryRunOnMissingResource); a warning when nothing in the tree installs the CRD',
  lesson:
    'The API server rejects an object whose kind it does not serve yet. Flux dry-runs a whole Kustomization first, so ' +
    'one such object fails its layer, and with it the HelmRelease in the same layer that would have installed the CRD; ' +
    'Argo CD fails the object unless SkipDryRunOnMissingResource lets it wait for a later retry. Charts install their CRDs ' +
    "(cert-manager with crds.enabled, CloudNativePG), Cilium's operator registers its own when it starts, and the Gateway " +
    'API bundle must be applied: each only in its own step.',
  source:
    'issue 14 (apply order proved offline); https://fluxcd.io/flux/components/kustomize/kustomizations/#dependencies; https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#skip-dry-run-for-new-custom-resources-types',
  fix: 'Put the object in a layer after the one that installs its CRD (or install the CRD before it), or install the CRD in the bootstrap; acknowledge only a CRD installed outside the tree.',
  *check(ctx) {
    const order = orderOf(ctx);
    const argo = order.engine === GitOpsFlavour.ARGOCD;
    for (const step of order.steps) {
      const seen = new Set<string>();
      for (const o of step.objects) {
        const { kind, builtIn } = objectKind(o);
        if (builtIn) continue;
        const key = `${kindKey(kind)}`;
        const providers = providersOf(order, kind);
        // established before the step starts: fine; applied but not awaited healthy: NET-BOOT4's
        if (providers.some((p) => step.healthyBefore.has(p.step.index) || step.appliedBefore.has(p.step.index))) continue;
        const same = providers.filter((p) => p.step.index === step.index);
        // the engine installs its own CRDs before it applies anything (flux bootstrap, the Argo CD install)
        if (same.some((p) => step.phase === 'bootstrap' || p.provision.manifest)) continue;
        if (argo && same.length && skipsDryRun(o)) continue;
        if (seen.has(key)) continue;
        seen.add(key);
        yield finding(step, o, kind.kind, key, providers, same.length > 0, argo);
      }
    }
  },
});

function finding(
  step: ApplyStep,
  o: { path: string; file: string; kind: string; name: string; namespace?: string },
  kind: string,
  key: string,
  providers: ReturnType<typeof providersOf>,
  sameStep: boolean,
  argo: boolean,
) {
  const what = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} (${o.file})`;
  if (!providers.length) {
    // Not provably wrong: the CRD may come from outside the tree (Cilium installed by the OS, an operator added by
    // hand). Said as a warning, so that the reviewer sees what the tree assumes.
    return {
      at: o.path,
      level: 'warning' as const,
      message: `${what} is applied in ${stepName(step)}, but nothing in the bootstrap or the tree installs the CRD of ${key}`,
      value: key,
      expected: `a step before ${stepName(step)} that establishes ${key}`,
      fix: `Install the ${kind} CRD before this layer (a chart release with its CRDs, a CRD bundle in an earlier layer or the bootstrap); if the CRD comes from outside the tree, acknowledge NET-BOOT1 on this object saying where.`,
    };
  }
  const p = providers[0]!;
  if (sameStep) {
    return {
      at: o.path,
      message: argo
        ? `${what} is applied in the same sync as ${p.provision.by}, which installs its CRD, without SkipDryRunOnMissingResource=true: Argo CD fails it on the missing kind`
        : `${what} is applied in the same Flux Kustomization as ${p.provision.by}, which installs its CRD only once reconciled: Flux's dry run of the layer fails on the missing kind ${key}, and the layer (with the release that would install the CRD) is never applied`,
      value: step.id,
      expected: argo
        ? `the annotation argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true, or a later layer`
        : `a layer after ${stepName(step)} (dependsOn it)`,
      fix: argo
        ? 'Keep the SkipDryRunOnMissingResource=true sync option on custom resources (the synthesizer adds it), or move the object to a later layer.'
        : 'Move the object to a layer that depends on this one, or its CRD to an earlier layer.',
    };
  }
  return {
    at: o.path,
    message: `${what} is applied in ${stepName(step)}, before its CRD: ${key} is installed by ${p.provision.by} in ${stepName(p.step)}`,
    value: { object: step.id, crd: p.step.id },
    expected: `${key} established before ${stepName(step)}`,
    fix: `Move the object to a layer after ${p.step.title}, or install the CRD earlier.`,
  };
}
