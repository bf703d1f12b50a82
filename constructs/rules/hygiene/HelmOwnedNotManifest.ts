import { isUnder } from '../../acknowledgements.js';
import { HelmChart } from '../../helm-chart.js';
import { defineRule } from '../rule.js';

/** Kinds without a namespace, for resolving what a chart's `owns` entry refers to. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'GatewayClass',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'CiliumLoadBalancerIPPool',
  'CiliumL2AnnouncementPolicy',
  'CiliumClusterwideNetworkPolicy',
  'CiliumNode',
  'ClusterIssuer',
  'ClusterSecretStore',
  'ClusterExternalSecret',
  'RuntimeClass',
  'CSIDriver',
  'VolumeSnapshotClass',
]);

/** The (kind, namespace, name) key an object is known by. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${CLUSTER_SCOPED.has(kind) ? '' : (namespace ?? '')}/${name}`;
}

function show(kind: string, namespace: string | undefined, name: string): string {
  return `${kind} ${!CLUSTER_SCOPED.has(kind) && namespace ? `${namespace}/` : ''}${name}`;
}

/**
 * NET-OWN1: an object a Helm release creates is not also rendered as a plain manifest (nor created by a second
 * release).
 */
export const HelmOwnedNotManifest = defineRule({
  id: 'NET-OWN1',
  level: 'error',
  title: 'An object created by a Helm release is not also a plain manifest or part of another release',
  lesson:
    'Helm refuses to adopt an object that already exists without its release annotations, and a plain manifest applied next to ' +
    'a release makes Flux and Helm overwrite each other on every reconcile. Seed 003 lost most deployments to such Helm ' +
    'ownership conflicts and had to write a pre-flight ownership check. HelmChart.owns declares what a chart creates; this rule ' +
    'is that pre-flight check, before anything is committed. The namespace a release installs into counts when the chart ' +
    'itself creates it.',
  source: 'seed 003 (Flux Helm ownership conflicts, pre-flight validation)',
  fix:
    "Let one mechanism own the object: drop the plain manifest and configure the object through the chart's values, or " +
    "turn the chart's copy off in its values and remove it from HelmChart.owns. For a namespace the chart creates, disable " +
    "the chart's namespace creation: the synthesizer already renders every namespace a release installs into.",
  *check({ cluster, objects }) {
    const charts = cluster.constructsOf(HelmChart);
    const owners = new Map<string, { chart: HelmChart; label: string }>();
    for (const chart of charts) {
      for (const o of chart.owns) {
        const namespace = o.namespace ?? chart.namespace;
        const key = objectKey(o.kind, namespace, o.name);
        const label = show(o.kind, namespace, o.name);
        const first = owners.get(key);
        if (first && first.chart !== chart) {
          yield {
            at: chart,
            message:
              `${label} is created by Helm release ${chart.namespace}/${chart.releaseName} (${chart.node.path}) and by release ` +
              `${first.chart.namespace}/${first.chart.releaseName} (${first.chart.node.path})`,
            value: label,
            expected: 'one owner per object',
          };
        } else if (!first) {
          owners.set(key, { chart, label });
        }
      }
    }
    if (!owners.size) return;
    for (const o of objects) {
      if (charts.some((c) => isUnder(o.path, c.node.path))) continue;
      const owner = owners.get(objectKey(o.kind, o.namespace, o.name));
      if (!owner) continue;
      yield {
        at: o.path,
        message:
          `${owner.label} is rendered as a manifest (${o.path}, ${o.file}) and also created by Helm release ` +
          `${owner.chart.namespace}/${owner.chart.releaseName} (${owner.chart.node.path})`,
        value: owner.label,
        expected: 'one owner per object: the release or the manifest',
      };
    }
  },
});
