/**
 * A Helm chart release, rendered for the cluster's GitOps engine: a Flux HelmRelease with its source, or an
 * Argo CD Application with a Helm source. Constructs that install charts (CiliumRelease, cert-manager,
 * CloudNativePG) use it so both engines get the same release.
 */
import { Construct } from 'constructs';
import { ArgoApplication } from '../imports/argocd.js';
import { FluxHelmRelease, FluxHelmRepository, FluxOciRepository } from '../imports/flux.js';
import { Cluster } from './cluster.js';
import { Component } from './component.js';
import { ARGO_KEEP, ARGO_RETRY, ARGO_SYNC_OPTIONS, FLUX_PRUNE, GitOpsFlavour } from './gitops/gitops.js';
import { lazy } from './core/lazy.js';
import { jsonFile } from './core/json-file.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** Where a chart comes from. */
export class ChartRepository {
  /** A classic Helm repository (index.yaml over HTTPS). */
  public static helm(name: string, url: string): ChartRepository {
    return new ChartRepository('helm', name, url);
  }

  /** An OCI registry, e.g. `oci://quay.io/cilium/charts/cilium` (the chart's full reference). */
  public static oci(name: string, url: string): ChartRepository {
    if (!url.startsWith('oci://')) throw new Error(`OCI chart URL must start with oci:// (value: "${url}")`);
    return new ChartRepository('oci', name, url);
  }

  private constructor(
    public readonly type: 'helm' | 'oci',
    public readonly name: string,
    public readonly url: string,
  ) {}
}

/** An object a chart creates, declared so that a plain manifest of the same identity is caught (seed 003). */
export interface OwnedObject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface HelmChartProps {
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version (pinned; see versions.ts). */
  readonly version: string;
  readonly repository: ChartRepository;
  /** Namespace the release installs into. */
  readonly namespace: string;
  /**
   * Helm release name.
   *
   * @default - the chart name
   */
  readonly releaseName?: string;
  /**
   * Produces the release's values at synth time (so values added after construction count).
   *
   * @default - no values
   */
  readonly values?: () => Record<string, unknown>;
  /**
   * Objects the chart is known to create, for the ownership check.
   *
   * @default []
   */
  readonly owns?: readonly OwnedObject[];
  /**
   * Keep the release out of every cascade: the GitOps engine never removes it when it leaves the tree or when what
   * applied it is deleted. For releases whose removal breaks the cluster itself (the CNI).
   *
   * Flux: the HelmRelease carries `kustomize.toolkit.fluxcd.io/prune: disabled` (deleting a HelmRelease uninstalls
   * its release; to drop one without uninstalling, suspend it first). Argo CD: the Application carries no resources
   * finalizer (deleting it leaves the chart's objects running) and the sync options `Prune=false,Delete=false`.
   *
   * @default false
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#garbage-collection
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
   */
  readonly keep?: boolean;
  /**
   * Write the values to `values.json` in the component's folder instead of inline in the release object: one file
   * that the GitOps engine and the bootstrap (`helm upgrade --install -f`) both read, so the two can never drift.
   * Flux reads it through a ConfigMap `<releaseName>-values` that the folder's kustomization generates from the file
   * (labelled `reconcile.fluxcd.io/watch: Enabled`, so helm-controller upgrades as soon as it changes); Argo CD through
   * a second source, the Git repository, referenced as `$values`.
   *
   * @default false
   * @see https://fluxcd.io/flux/components/helm/helmreleases/#values-references
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/multiple_sources/#helm-value-files-from-external-git-repository
   */
  readonly valuesFile?: boolean;
}

/** Name of the values file a {@link HelmChart} with `valuesFile` writes into its component's folder. */
export const VALUES_FILE = 'values.json';

/** The data key of the generated values ConfigMap (helm-controller's default `valuesKey`). */
export const VALUES_KEY = 'values.yaml';

/** The `ref` of the Git source an Argo CD Application reads value files from (`$values/<path>`). */
export const VALUES_REF = 'values';

/** One chart release. Must be created inside a {@link Component}. */
/** What a HelmChart accepts (NET-IN1, NET-IN2). */
const HELM_CHART_SPEC = p.object({
  chart: p.withFallback(p.name('label', { landsAs: 'a chart name' }), () => 'invalid'),
  version: p.withFallback(p.string({ maxLength: 128, pattern: /^[A-Za-z0-9.+_-]+$/, expected: 'a chart version such as 1.2.3' }), () => '0.0.0'),
  repository: p.withFallback(
    p.checkedInstance(ChartRepository, 'a ChartRepository from ChartRepository.helm() or ChartRepository.oci()', {
      name: p.name('subdomain', { landsAs: 'the HelmRepository name' }),
      url: p.string({ maxLength: 2048, pattern: /^(https?|oci):\/\/\S+$/, expected: 'a repository URL (https://… or oci://…)' }),
    }),
    () => ChartRepository.helm('invalid', 'https://invalid.invalid'),
  ),
  namespace: p.withFallback(p.name('label', { landsAs: 'a namespace' }), () => 'default'),
  releaseName: p.optional(p.name('label', { landsAs: 'a Helm release name' })),
  values: p.optional(p.func()),
  owns: p.optional(p.array(p.object({ kind: p.string({ maxLength: 63 }), name: p.name('subdomain'), namespace: p.optional(p.name('label')) }))),
  keep: p.optional(p.boolean()),
  valuesFile: p.optional(p.boolean()),
});

export class HelmChart extends Construct {
  public readonly chart: string;
  public readonly version: string;
  public readonly repository: ChartRepository;
  public readonly namespace: string;
  public readonly releaseName: string;
  public readonly owns: readonly OwnedObject[];
  /** Kept out of every cascade (see {@link HelmChartProps.keep}). */
  public readonly keep: boolean;
  /** Path of the values file under `clusters/<cluster>/`, when the values are written to one. */
  public readonly valuesFilePath?: string;
  private readonly produceValues: () => Record<string, unknown>;

  public constructor(scope: Construct, id: string, given: HelmChartProps) {
    super(scope, id);
    const props = checkProps<HelmChartProps>(this, HELM_CHART_SPEC, given, {} as HelmChartProps);
    this.chart = props.chart;
    this.version = props.version;
    this.repository = props.repository;
    this.namespace = props.namespace;
    this.releaseName = props.releaseName ?? props.chart;
    this.owns = props.owns ?? [];
    this.keep = props.keep ?? false;
    this.produceValues = props.values ?? (() => ({}));

    const cluster = Cluster.of(this);
    const component = Component.enclosing(this);
    const layer = component?.layer;
    if (layer) cluster.useLayer(this.namespace, layer);
    const values = lazy(() => this.values());
    const flux = cluster.gitops.flavour === GitOpsFlavour.FLUX;
    if (props.valuesFile) {
      if (!component) throw new Error(`${this.node.path}: a HelmChart with valuesFile must be inside a Component (its folder holds the file)`);
      this.valuesFilePath = component.filePath(VALUES_FILE);
      component.addFile(
        VALUES_FILE,
        () => jsonFile(this.values()),
        flux
          ? {
              configMap: {
                name: HelmChart.valuesConfigMapName(this.releaseName),
                namespace: this.namespace,
                key: VALUES_KEY,
                labels: { 'reconcile.fluxcd.io/watch': 'Enabled' },
              },
            }
          : {},
      );
    }

    if (flux) {
      const sourceNs = cluster.gitops.namespace;
      const chartSource =
        this.repository.type === 'helm'
          ? {
              chart: {
                spec: {
                  chart: this.chart,
                  version: this.version,
                  sourceRef: { kind: 'HelmRepository' as const, name: this.repository.name, namespace: sourceNs },
                  interval: '12h',
                },
              },
            }
          : { chartRef: { kind: 'OCIRepository' as const, name: this.repository.name, namespace: sourceNs } };
      if (this.repository.type === 'helm') {
        new FluxHelmRepository(this, 'Repository', {
          metadata: { name: this.repository.name, namespace: sourceNs },
          spec: { interval: '12h', url: this.repository.url },
        });
      } else {
        new FluxOciRepository(this, 'Repository', {
          metadata: { name: this.repository.name, namespace: sourceNs },
          spec: {
            interval: '12h',
            url: this.repository.url,
            ref: { tag: this.version },
            layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
          },
        });
      }
      new FluxHelmRelease(this, 'Resource', {
        metadata: {
          name: this.releaseName,
          namespace: this.namespace,
          ...(this.keep ? { annotations: { [FLUX_PRUNE]: 'disabled' } } : {}),
        },
        spec: {
          interval: '30m',
          releaseName: this.releaseName,
          ...chartSource,
          install: { crds: 'CreateReplace', remediation: { retries: 3 } },
          upgrade: { crds: 'CreateReplace', cleanupOnFail: true, remediation: { retries: 3, remediateLastFailure: true } },
          ...(this.valuesFilePath
            ? { valuesFrom: [{ kind: 'ConfigMap' as const, name: HelmChart.valuesConfigMapName(this.releaseName), valuesKey: VALUES_KEY }] }
            : { values }),
        },
      });
    } else {
      const oci = this.repository.type === 'oci';
      const ociRepo = this.repository.url.replace(/^oci:\/\//, '').replace(new RegExp(`/${this.chart}$`), '');
      new ArgoApplication(this, 'Resource', {
        metadata: {
          name: this.releaseName,
          namespace: cluster.gitops.namespace,
          ...(this.keep ? { annotations: { [ARGO_SYNC_OPTIONS]: ARGO_KEEP } } : { finalizers: ['resources-finalizer.argocd.argoproj.io'] }),
        },
        spec: {
          project: cluster.gitops.project,
          ...(this.valuesFilePath
            ? {
                sources: [
                  {
                    repoURL: oci ? ociRepo : this.repository.url,
                    chart: this.chart,
                    targetRevision: this.version,
                    helm: { releaseName: this.releaseName, valueFiles: [`$${VALUES_REF}/clusters/${cluster.clusterName}/${this.valuesFilePath}`] },
                  },
                  { repoURL: cluster.gitops.repoUrl!, targetRevision: cluster.gitops.revision, ref: VALUES_REF },
                ],
              }
            : {
                source: {
                  repoURL: oci ? ociRepo : this.repository.url,
                  chart: this.chart,
                  targetRevision: this.version,
                  helm: { releaseName: this.releaseName, valuesObject: values },
                },
              }),
          destination: { server: 'https://kubernetes.default.svc', namespace: this.namespace },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['ServerSideApply=true'],
            retry: structuredClone(ARGO_RETRY),
          },
        },
      });
    }
  }

  /** Name of the ConfigMap Flux reads a release's values file through. */
  public static valuesConfigMapName(releaseName: string): string {
    return `${releaseName}-values`;
  }

  /** The release's values as rendered. */
  public values(): Record<string, unknown> {
    return this.produceValues();
  }
}
