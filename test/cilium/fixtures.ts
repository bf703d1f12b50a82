/**
 * Cilium test fixtures: a cluster with one CiliumRelease, and readers for what it renders.
 */
import { parse } from 'yaml';
import type { ClusterProps, Finding } from '../../constructs/index.js';
import { CiliumRelease, type CiliumReleaseProps } from '../../constructs/cilium-release.js';
import { file, testCluster, type Outcome } from '../helpers.js';

export function ciliumCluster(props: Partial<CiliumReleaseProps> = {}, cluster: Partial<ClusterProps> = {}, name = 'test') {
  const t = testCluster(cluster, name);
  const cilium = new CiliumRelease(t.cluster, 'Cilium', { version: '1.20', ...props });
  return { ...t, cilium };
}

/** The rendered Cilium release object (HelmRelease or Application) of a successful outcome, parsed. */
export function releaseObject(outcome: Outcome, cluster = 'test'): Record<string, any> {
  if (!outcome.ok) throw new Error(`synth failed:\n${outcome.findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`).join('\n')}`);
  const c = outcome.result!.clusters.find((x) => x.name === cluster)!;
  const path = [...c.files.keys()].find((p) => /^cni\/cilium\/(helmrelease|application)-cilium\.yaml$/.test(p));
  if (!path) throw new Error(`no Cilium release file in ${cluster}: ${[...c.files.keys()].join(', ')}`);
  return parse(file(outcome, cluster, path));
}

/** The values of the rendered release. */
export function renderedValues(outcome: Outcome, cluster = 'test'): Record<string, any> {
  const o = releaseObject(outcome, cluster);
  return o.kind === 'HelmRelease' ? o.spec.values : o.spec.source.helm.valuesObject;
}

/** Findings of one rule. */
export function of(findings: readonly Finding[], id: string): Finding[] {
  return findings.filter((f) => f.ruleId === id);
}

/** Findings of the cilium area. */
export function cil(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.ruleId.startsWith('NET-CIL'));
}
