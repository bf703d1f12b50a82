/**
 * Helpers for rule tests: build the small objects rules look at, and pick findings by id.
 */
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import { ChartRepository, Component, formatFindings, HelmChart, Layer, type Finding, type OwnedObject } from '../../constructs/index.js';
import type { Outcome } from '../helpers.js';

/** The findings of one rule. */
export function byId(outcome: Outcome, id: string): Finding[] {
  return outcome.findings.filter((f) => f.ruleId === id);
}

/** Everything a user or reviewer would read about the findings: the CLI text, review.md, the error message. */
export function everythingPrinted(outcome: Outcome): string {
  const review = outcome.result?.clusters.map((c) => c.files.get('reports/review.md') ?? '').join('\n') ?? '';
  return `${formatFindings(outcome.findings)}\n${review}\n${JSON.stringify(outcome.findings)}`;
}

/** A ConfigMap in namespace `apps` with the given data. */
export function configMap(scope: Construct, name: string, data: Record<string, string>): k8s.KubeConfigMap {
  return new k8s.KubeConfigMap(scope, name, { metadata: { name, namespace: 'apps' }, data });
}

/** A Deployment whose one container has the given env. */
export function deploymentWithEnv(scope: Construct, name: string, env: k8s.EnvVar[], image = 'ghcr.io/example/app:1.2.3'): k8s.KubeDeployment {
  return new k8s.KubeDeployment(scope, name, {
    metadata: { name, namespace: 'apps' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image, env }] } },
    },
  });
}

/** A Helm chart in its own Component of the services layer. */
export function helmChart(
  scope: Construct,
  id: string,
  props: { chart?: string; namespace: string; releaseName?: string; owns?: OwnedObject[]; values?: Record<string, unknown> },
): HelmChart {
  const component = new Component(scope, id, { layer: Layer.SERVICES, folder: id.toLowerCase() });
  return new HelmChart(component, 'Chart', {
    chart: props.chart ?? 'example',
    version: '1.2.3',
    repository: ChartRepository.helm(`${id.toLowerCase()}-charts`, 'https://charts.example.org'),
    namespace: props.namespace,
    ...(props.releaseName ? { releaseName: props.releaseName } : {}),
    ...(props.owns ? { owns: props.owns } : {}),
    values: () => props.values ?? {},
  });
}
