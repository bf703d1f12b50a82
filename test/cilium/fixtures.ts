/**
 * Cilium test fixtures: a cluster with one CiliumRelease, and readers for what it renders.
 */
import { expect } from 'vitest';
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

/**
 * The path (under the cluster folder) of the values file the rendered release reads, followed the way the engine
 * follows it: Flux from `valuesFrom` to the ConfigMap generator of the folder's kustomization to its file; Argo CD from
 * the chart source's `$values/` value file through the Git source with that ref.
 */
export function valuesFilePath(outcome: Outcome, cluster = 'test'): string {
  const o = releaseObject(outcome, cluster);
  if (o.kind === 'HelmRelease') {
    const [ref] = o.spec.valuesFrom;
    expect(ref).toMatchObject({ kind: 'ConfigMap', valuesKey: 'values.yaml' });
    expect(o.spec.values).toBeUndefined();
    const kustomization = parse(file(outcome, cluster, 'cni/cilium/kustomization.yaml'));
    const generator = kustomization.configMapGenerator.find((g: any) => g.name === ref.name);
    expect(generator).toMatchObject({ namespace: o.metadata.namespace, options: { disableNameSuffixHash: true } });
    const entry = generator.files.find((f: string) => f.startsWith(`${ref.valuesKey}=`));
    return `cni/cilium/${entry.slice(ref.valuesKey.length + 1)}`;
  }
  const [chart, git] = o.spec.sources;
  expect(o.spec.source).toBeUndefined();
  expect(chart.helm.valuesObject).toBeUndefined();
  const [valueFile] = chart.helm.valueFiles;
  const prefix = `$${git.ref}/clusters/${cluster}/`;
  expect(valueFile.startsWith(prefix), valueFile).toBe(true);
  return valueFile.slice(prefix.length);
}

/** The values of the rendered release: the values file it reads. */
export function renderedValues(outcome: Outcome, cluster = 'test'): Record<string, any> {
  return JSON.parse(file(outcome, cluster, valuesFilePath(outcome, cluster)));
}

/** Findings of one rule. */
export function of(findings: readonly Finding[], id: string): Finding[] {
  return findings.filter((f) => f.ruleId === id);
}

/** Findings of the cilium area. */
export function cil(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.ruleId.startsWith('NET-CIL'));
}
