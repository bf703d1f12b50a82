/**
 * The bootstrap steps of a cluster: what has to run, in order, before its GitOps engine can — the Gateway API CRDs
 * (when Cilium's Gateway API is on: its operator looks for them once, at start), Cilium from the same values file the
 * engine reads (no pod runs before the CNI, and the engine's controllers are pods), then the engine, which adopts the
 * Cilium release. Each step says what it makes available; the script (script.ts), the apply-order model (model.ts)
 * and reports/bootstrap.md are all made from these.
 */
import type { IConstruct } from 'constructs';
import { CiliumRelease } from '../cilium-release.js';
import type { Cluster } from '../cluster.js';
import { GatewayApiCrds } from '../gateway-api-crds.js';
import { GitOpsFlavour } from '../gitops/gitops.js';
import { GATEWAY_API_REPOSITORY } from '../core/versions.js';
import { ARGOCD_KINDS, CILIUM_OPERATOR_KINDS, FLUX_KINDS, crdName, gatewayApiKinds, kindKey, type ApiKind } from './kinds.js';

/** Where the synthesizer writes an Argo CD cluster's root Application (output/render.ts). */
export const ROOT_APPLICATION_FILE = 'bootstrap/root-application.yaml';
/** The folder of an Argo CD install and its configuration, when the tree renders one (kustomization inside). */
export const ARGOCD_INSTALL_DIR = 'bootstrap/argocd';
/** The bootstrap script, under `clusters/<cluster>/`. */
export const BOOTSTRAP_SCRIPT = 'bootstrap/bootstrap.sh';
/** How long the script waits for each step, unless BOOTSTRAP_TIMEOUT says otherwise. */
export const DEFAULT_TIMEOUT = '10m';

/** One step of the bootstrap. */
export interface BootstrapStep {
  /** Stable id: `gateway-api-crds`, `cilium`, `flux`, `argocd`, `root-application`. */
  readonly id: string;
  /** A short name: `Cilium 1.20.0`. */
  readonly label: string;
  /** What the step installs, for people. */
  readonly title: string;
  /** The commands that do it, as the script runs them. */
  readonly commands: readonly string[];
  /** The API kinds that exist (CRDs established) once the step is done. */
  readonly provides: readonly ApiKind[];
  /** Whether pods can run once the step is done (it installs the CNI). */
  readonly startsCni: boolean;
  /** Whether the step needs running pods (a controller it installs, or that applies it). */
  readonly needsPods: boolean;
  /** What the script waits for before the next step. */
  readonly waitsFor: string;
  /** The construct the step comes from (findings point at it). */
  readonly source: IConstruct;
  /** Lines of the script (bash) that run the step and wait for it. */
  readonly script: readonly string[];
}

/** The engine's field manager: server-side applies by the bootstrap leave the fields to the engine that adopts them. */
function fieldManager(cluster: Cluster): string {
  return cluster.gitops.flavour === GitOpsFlavour.FLUX ? 'kustomize-controller' : 'argocd-controller';
}

/** Single-quoted for bash (the values here never hold a quote; one would be escaped). */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Whether the Cilium release renders its Gateway API controller on. */
export function ciliumGatewayApiOn(release: CiliumRelease): boolean {
  const g = release.values().gatewayAPI as { enabled?: unknown } | undefined;
  return g?.enabled === true || g?.enabled === 'true';
}

/** The CRD names the script waits for after Cilium: those of the operator's kinds the tree renders, and CiliumNetworkPolicy. */
function ciliumCrdsToWait(cluster: Cluster): string[] {
  const used = new Set(cluster.apiObjects.map((o) => `${o.kind}.${o.apiVersion.split('/')[0]}`));
  const wanted = CILIUM_OPERATOR_KINDS.filter((k) => k.kind === 'CiliumNetworkPolicy' || used.has(kindKey(k)));
  return wanted.map(crdName);
}

/**
 * The bootstrap steps of `cluster`, in order. The cluster folder's path in the Git repository (`clusters/<name>`) is
 * what `flux bootstrap --path` and the root Application name; `bundle` is the construct the engine steps point at.
 */
export function bootstrapSteps(cluster: Cluster, bundle: IConstruct): BootstrapStep[] {
  const steps: BootstrapStep[] = [];
  const root = `clusters/${cluster.clusterName}`;
  const cilium = CiliumRelease.of(cluster);
  const crds = GatewayApiCrds.of(cluster);
  const manager = fieldManager(cluster);

  if (cilium && crds && ciliumGatewayApiOn(cilium)) {
    const channel = crds.channel;
    const kinds = gatewayApiKinds(crds.version, channel);
    // The release's install manifest: the files of config/crd/<channel> at the tag, the folder the crds layer applies.
    const url = `${GATEWAY_API_REPOSITORY}/releases/download/${crds.version}/${channel}-install.yaml`;
    const apply = `kubectl apply --server-side --force-conflicts --field-manager=${manager} -f ${q(url)}`;
    steps.push({
      id: 'gateway-api-crds',
      label: `Gateway API ${crds.version} CRDs`,
      title: `Gateway API ${crds.version} CRDs (${channel} channel), the bundle the crds layer keeps afterwards`,
      commands: [apply],
      provides: kinds,
      startsCni: false,
      needsPods: false,
      waitsFor: 'every CRD of the bundle Established',
      source: crds,
      script: [
        `step ${q(`Gateway API ${crds.version} CRDs (${channel}): before Cilium, whose operator looks for them once, when it starts`)}`,
        apply,
        `wait_crds ${kinds.map((k) => crdName(k)).join(' ')}`,
      ],
    });
  }

  if (cilium) {
    const chart = cilium.chart;
    const ref = chart.repository.type === 'oci' ? chart.repository.url : chart.chart;
    const repo = chart.repository.type === 'oci' ? '' : ` --repo ${q(chart.repository.url)}`;
    const install = (dir: string, timeout: string) =>
      `helm upgrade --install ${chart.releaseName} ${q(ref)}${repo} --version ${q(chart.version)} ` +
      `--namespace ${chart.namespace} -f ${dir}/${chart.valuesFilePath} --wait --timeout ${timeout}`;
    const wait = ciliumCrdsToWait(cluster);
    steps.push({
      id: 'cilium',
      label: `Cilium ${chart.version}`,
      title: `Cilium ${chart.version} (Helm release ${chart.releaseName} in ${chart.namespace}) from ${chart.valuesFilePath}, the file the engine reads`,
      commands: [install(root, DEFAULT_TIMEOUT)],
      provides: CILIUM_OPERATOR_KINDS,
      startsCni: true,
      // the agent and the operator run on the host network: they need no CNI
      needsPods: false,
      waitsFor: `the agents and the operator ready (helm --wait), then the operator's CRDs Established (${wait.join(', ')})`,
      source: cilium,
      script: [
        `step ${q(`Cilium ${chart.version} from ${chart.valuesFilePath}: the CNI, before any pod can run`)}`,
        install('"$cluster_dir"', '"$timeout"'),
        `wait_crds ${wait.join(' ')}`,
      ],
    });
  }

  const g = cluster.gitops;
  if (g.flavour === GitOpsFlavour.FLUX) {
    const bootstrap = `flux bootstrap "$@" --path=${root}`;
    steps.push({
      id: 'flux',
      label: 'Flux',
      title: `Flux, reconciling ${root}/ (it adopts the Cilium release: HelmRelease ${cilium ? `${cilium.chart.namespace}/${cilium.chart.releaseName}` : '-'} of the same name and namespace)`,
      commands: [`flux bootstrap <provider> <flags> --path=${root}`],
      provides: FLUX_KINDS,
      startsCni: false,
      needsPods: true,
      waitsFor: 'the adopted Cilium HelmRelease Ready, then every layer Kustomization Ready, in order',
      source: bundle,
      script: [
        `step ${q(`Flux from ${root}/: its controllers are pods, so it comes after the CNI`)}`,
        bootstrap,
        ...(cilium ? [`wait_for ${cilium.chart.namespace} helmrelease/${cilium.chart.releaseName} --for=condition=Ready`] : []),
        'wait_layers',
      ],
    });
  } else {
    steps.push({
      id: 'argocd',
      label: 'Argo CD',
      title: `Argo CD in ${g.namespace} (${ARGOCD_INSTALL_DIR}/ when the tree renders it; otherwise the Argo CD already installed)`,
      commands: [`kubectl apply --server-side --force-conflicts -k ${root}/${ARGOCD_INSTALL_DIR}`],
      provides: ARGOCD_KINDS,
      startsCni: false,
      needsPods: true,
      waitsFor: 'the Argo CD CRDs Established and its controllers ready',
      source: bundle,
      script: [
        `step ${q(`Argo CD in ${g.namespace}: its controllers are pods, so it comes after the CNI`)}`,
        `if [ -f "$cluster_dir/${ARGOCD_INSTALL_DIR}/kustomization.yaml" ]; then`,
        `  kubectl apply --server-side --force-conflicts -k "$cluster_dir/${ARGOCD_INSTALL_DIR}"`,
        `elif kubectl get crd applications.argoproj.io >/dev/null 2>&1; then`,
        `  echo "bootstrap: ${ARGOCD_INSTALL_DIR}/ is not rendered; using the Argo CD installed already"`,
        'else',
        `  echo "bootstrap: ${ARGOCD_INSTALL_DIR}/ is not rendered and Argo CD is not installed: install Argo CD in ${g.namespace}, then run this again" >&2`,
        '  exit 1',
        'fi',
        `wait_crds ${ARGOCD_KINDS.map(crdName).join(' ')}`,
        `kubectl -n ${g.namespace} rollout status statefulset/argocd-application-controller --timeout="$timeout"`,
        `kubectl -n ${g.namespace} rollout status deployment/argocd-repo-server --timeout="$timeout"`,
      ],
    });
    steps.push({
      id: 'root-application',
      label: 'the root Application',
      title: `The root Application ${cluster.clusterName}-root: Argo CD syncs ${root}/ layer by layer (sync waves) and adopts Cilium`,
      commands: [`kubectl apply --server-side -f ${root}/${ROOT_APPLICATION_FILE}`],
      provides: [],
      startsCni: false,
      needsPods: true,
      waitsFor: 'the Cilium Application Healthy (adopted), then every layer Application Healthy, in order',
      source: bundle,
      script: [
        `step ${q(`The root Application: Argo CD syncs ${root}/ wave by wave`)}`,
        `kubectl apply --server-side -f "$cluster_dir/${ROOT_APPLICATION_FILE}"`,
        ...(cilium ? [`wait_for ${g.namespace} application/${cilium.chart.releaseName} --for=jsonpath='{.status.health.status}'=Healthy`] : []),
        'wait_layers',
      ],
    });
  }
  return steps;
}
