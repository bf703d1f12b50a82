import { defineRule } from '../rule.js';

/**
 * The API versions the controllers the tree is checked against serve, per group and kind: each of these CRDs serves
 * exactly one version (Flux helm-controller 1.6, source-controller 1.9, kustomize-controller 1.9; Argo CD 3.5;
 * cert-manager 1.21; CloudNativePG 1.30). Earlier Flux controllers still served the beta versions, deprecated; the
 * model packages still describe them (v2beta1/v2beta2, v1beta2), so an object at one of those passes the schema check
 * and then, on current Flux, fails to apply: "no matches for kind".
 */
export const SERVED_VERSIONS: Readonly<Record<string, { readonly version: string; readonly by: string; readonly kinds?: readonly string[] }>> = {
  'helm.toolkit.fluxcd.io': { version: 'v2', by: 'current Flux (helm-controller 1.6)' },
  'source.toolkit.fluxcd.io': { version: 'v1', by: 'current Flux (source-controller 1.9)' },
  'kustomize.toolkit.fluxcd.io': { version: 'v1', by: 'current Flux (kustomize-controller 1.9)' },
  'argoproj.io': { version: 'v1alpha1', by: 'Argo CD 3', kinds: ['Application', 'ApplicationSet', 'AppProject'] },
  'cert-manager.io': { version: 'v1', by: 'cert-manager 1.21' },
  'postgresql.cnpg.io': { version: 'v1', by: 'CloudNativePG 1.30' },
};

/** NET-SCH5: GitOps and add-on objects use the one API version their controllers serve. */
export const ServedApiVersions = defineRule({
  id: 'NET-SCH5',
  level: 'error',
  title: 'Flux, Argo CD, cert-manager and CloudNativePG objects use the API version their controllers serve',
  lesson:
    'Current Flux controllers serve HelmRelease only as helm.toolkit.fluxcd.io/v2 and the sources and Kustomizations only as v1: ' +
    'the beta versions, long deprecated, are gone. Argo CD serves argoproj.io/v1alpha1, cert-manager and CloudNativePG v1. The model ' +
    'packages still describe the old versions, so an escape-hatch object at v2beta1 passes the schema check, then the apply ' +
    'stops at "no matches for kind" and the whole layer with it.',
  source: 'Flux, Argo CD, cert-manager and CloudNativePG CRDs (served versions); the field reports use v2 HelmReleases throughout',
  fix:
    "Write the object at the served apiVersion (expected in the finding); fields moved between versions, so follow the kind's " +
    'current API reference. For a Flux manifest copied from elsewhere, `flux migrate -f <file>` rewrites it to the current versions.',
  *check({ objects }) {
    for (const o of objects) {
      const slash = o.apiVersion.indexOf('/');
      if (slash < 0) continue;
      const group = o.apiVersion.slice(0, slash);
      const served = SERVED_VERSIONS[group];
      if (!served || (served.kinds && !served.kinds.includes(o.kind))) continue;
      const version = o.apiVersion.slice(slash + 1);
      if (version === served.version) continue;
      yield {
        at: o.path,
        message: `${o.kind} ${o.name} is written as ${o.apiVersion}, which ${served.by} does not serve: applying it fails with "no matches for kind"`,
        value: o.apiVersion,
        expected: `${group}/${served.version}`,
      };
    }
  },
});
