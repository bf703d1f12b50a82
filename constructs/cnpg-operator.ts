/**
 * The CloudNativePG operator, installed once per cluster in `cnpg-system` by Helm, in the services layer (before
 * any database of the apps layer needs its CRDs).
 */
import { Construct } from 'constructs';
import { Cluster } from './cluster.js';
import { ChartRepository, HelmChart } from './helm-chart.js';
import { Component, Layer } from './component.js';
import { CHART_SOURCES, CLOUDNATIVE_PG_CHART_VERSION } from './core/versions.js';

/** Namespace the operator runs in (the upstream default). */
export const CNPG_NAMESPACE = 'cnpg-system';

/** Labels of the operator's pods (the chart's `app.kubernetes.io/name`). */
export const CNPG_OPERATOR_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'cloudnative-pg' };

/**
 * The CloudNativePG operator release. Use {@link CnpgOperator.ensure}: one per cluster.
 *
 * @see https://cloudnative-pg.io/documentation/current/installation_upgrade/
 */
export class CnpgOperator extends Component {
  /** The cluster's operator, if one was added. */
  public static of(cluster: Cluster): CnpgOperator | undefined {
    return cluster.node.tryFindChild(CnpgOperator.ID) as CnpgOperator | undefined;
  }

  /** The cluster's operator, created on first use. */
  public static ensure(scope: Construct): CnpgOperator {
    const cluster = Cluster.of(scope);
    return CnpgOperator.of(cluster) ?? new CnpgOperator(cluster);
  }

  private static readonly ID = 'CloudNativePG';

  /** The namespace the operator runs in. */
  public readonly namespace = CNPG_NAMESPACE;
  /** Labels of the operator's pods, for policies that admit it. */
  public readonly podLabels = CNPG_OPERATOR_LABELS;
  /** The Helm release. */
  public readonly release: HelmChart;

  private constructor(cluster: Cluster) {
    super(cluster, CnpgOperator.ID, { layer: Layer.SERVICES, folder: 'cloudnative-pg' });
    this.release = new HelmChart(this, 'Chart', {
      chart: 'cloudnative-pg',
      version: CLOUDNATIVE_PG_CHART_VERSION,
      repository: ChartRepository.helm('cloudnative-pg', CHART_SOURCES.cloudnativePg.helm),
      namespace: CNPG_NAMESPACE,
      releaseName: 'cnpg',
      values: () => ({ crds: { create: true } }),
      owns: [{ kind: 'Deployment', name: 'cnpg-cloudnative-pg', namespace: CNPG_NAMESPACE }],
    });
  }
}
