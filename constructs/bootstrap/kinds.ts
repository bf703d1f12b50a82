/**
 * Which API kinds exist on a cluster, and which step of its bring-up makes each available: the kinds Kubernetes
 * serves itself, the Gateway API bundle per release and channel, the charts that install their CRDs, the CRDs that
 * Cilium's operator registers when it starts, and the GitOps engines' own CRDs. test/bootstrap/kinds.test.ts holds
 * these tables to the upstream CRD files in ../shared/upstream/crds.
 */
import { Distribution } from '../cluster.js';
import { GatewayApiChannel } from '../gateway-api-crds.js';
import { CILIUM_MINORS } from '../cilium/minors.js';
import { GATEWAY_API_GROUP } from '../gateway/api-group.js';

/** An API kind, by group and kind (versions are the schema rules' concern). */
export interface ApiKind {
  readonly group: string;
  readonly kind: string;
}

/** `group/Kind` of an apiVersion and kind (`v1` → core group ''). */
export function kindOf(apiVersion: string, kind: string): ApiKind {
  return { group: apiVersion.includes('/') ? apiVersion.split('/')[0]! : '', kind };
}

/** A stable text key of a kind: `Kind.group` (`Gateway.gateway.networking.k8s.io`, `Service` for the core group). */
export function kindKey(k: ApiKind): string {
  return k.group ? `${k.kind}.${k.group}` : k.kind;
}

/** Groups the API server serves itself (no CRD): every object of these is available from the start. */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'scheduling.k8s.io',
  'admissionregistration.k8s.io',
  'certificates.k8s.io',
  'node.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
]);

/** Whether the API server serves a kind without any CRD. */
export function isBuiltIn(k: ApiKind): boolean {
  return BUILT_IN_GROUPS.has(k.group);
}

const GWX = 'gateway.networking.x-k8s.io';
const gw = (...kinds: string[]) => kinds.map((kind) => ({ group: GATEWAY_API_GROUP, kind }));
/** A kind of a Gateway API bundle: `X...` kinds are of the experimental group. */
const bundleKind = (kind: string): ApiKind => ({ group: /^X[A-Z]/.test(kind) ? GWX : GATEWAY_API_GROUP, kind });

/** The CRDs of each pinned Gateway API bundle, per channel, by tag: read from the Cilium minors table. */
export const GATEWAY_API_BUNDLE_KINDS: Readonly<Record<string, Record<GatewayApiChannel, readonly ApiKind[]>>> = Object.fromEntries(
  Object.values(CILIUM_MINORS).map((m) => [
    m.gatewayApi.version,
    {
      [GatewayApiChannel.STANDARD]: m.gatewayApi.kinds.standard.map(bundleKind),
      [GatewayApiChannel.EXPERIMENTAL]: m.gatewayApi.kinds.experimental.map(bundleKind),
    },
  ]),
);

/** The kinds of a Gateway API bundle; an unknown tag gives the kinds every release has. */
export function gatewayApiKinds(tag: string, channel: GatewayApiChannel): readonly ApiKind[] {
  return GATEWAY_API_BUNDLE_KINDS[tag]?.[channel] ?? CILIUM_REQUIRED_GATEWAY_KINDS;
}

/**
 * The Gateway API kinds Cilium's operator checks for once, when it starts: if one is missing it logs "Required
 * GatewayAPI resources are not found" and leaves its Gateway API controller off until it restarts (operator
 * pkg/gateway-api/cell.go, requiredGVKs). TLSRoute and ServiceImport are optional there.
 */
export const CILIUM_REQUIRED_GATEWAY_KINDS: readonly ApiKind[] = gw('GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant');

/**
 * CRDs Cilium's operator registers itself when it starts (the chart ships none; pkg/k8s/apis/cilium.io/client/crds):
 * they exist only once the operator runs, i.e. after the CNI is installed.
 */
export const CILIUM_OPERATOR_KINDS: readonly ApiKind[] = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'CiliumEndpoint',
  'CiliumNode',
  'CiliumIdentity',
  'CiliumLocalRedirectPolicy',
  'CiliumEgressGatewayPolicy',
  'CiliumEnvoyConfig',
  'CiliumClusterwideEnvoyConfig',
  'CiliumLoadBalancerIPPool',
  'CiliumL2AnnouncementPolicy',
  'CiliumPodIPPool',
  'CiliumCIDRGroup',
  'CiliumNodeConfig',
  'CiliumBGPClusterConfig',
  'CiliumBGPPeerConfig',
  'CiliumBGPAdvertisement',
  'CiliumBGPNodeConfig',
  'CiliumBGPNodeConfigOverride',
  'CiliumGatewayClassConfig',
].map((kind) => ({ group: 'cilium.io', kind }));

/** A chart that installs CRDs, and when (from its values). */
export interface ChartCrds {
  readonly kinds: readonly ApiKind[];
  /** Whether the chart installs its CRDs with these values. */
  installs(values: Record<string, any>): boolean;
  /** The values that make it install them, for messages. */
  readonly switch: string;
}

/** Charts of the tree that install CRDs, by chart name. */
export const CHART_CRDS: Readonly<Record<string, ChartCrds>> = {
  'cert-manager': {
    kinds: [
      ...['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer'].map((kind) => ({ group: 'cert-manager.io', kind })),
      ...['Order', 'Challenge'].map((kind) => ({ group: 'acme.cert-manager.io', kind })),
    ],
    // crds.enabled (from v1.15), or the older installCRDs
    installs: (v) => v?.crds?.enabled === true || v?.installCRDs === true,
    switch: 'crds.enabled: true (or installCRDs: true)',
  },
  'cloudnative-pg': {
    kinds: [
      'Cluster',
      'Backup',
      'ScheduledBackup',
      'Pooler',
      'Database',
      'ImageCatalog',
      'ClusterImageCatalog',
      'Publication',
      'Subscription',
      'FailoverQuorum',
    ].map((kind) => ({
      group: 'postgresql.cnpg.io',
      kind,
    })),
    // crds.create defaults to true in the chart
    installs: (v) => v?.crds?.create !== false,
    switch: 'crds.create: true (the default)',
  },
  'external-secrets': {
    kinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret', 'PushSecret', 'ClusterPushSecret'].map((kind) => ({
      group: 'external-secrets.io',
      kind,
    })),
    // installCRDs defaults to true in the chart
    installs: (v) => v?.installCRDs !== false,
    switch: 'installCRDs: true (the default)',
  },
};

/** The CRDs `flux bootstrap` installs (its default components: source, kustomize, helm and notification controllers). */
export const FLUX_KINDS: readonly ApiKind[] = [
  ...['GitRepository', 'HelmRepository', 'HelmChart', 'OCIRepository', 'Bucket', 'ExternalArtifact'].map((kind) => ({
    group: 'source.toolkit.fluxcd.io',
    kind,
  })),
  { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization' },
  { group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease' },
  ...['Alert', 'Provider', 'Receiver'].map((kind) => ({ group: 'notification.toolkit.fluxcd.io', kind })),
];

/** The CRDs of an Argo CD install. */
export const ARGOCD_KINDS: readonly ApiKind[] = ['Application', 'ApplicationSet', 'AppProject'].map((kind) => ({ group: 'argoproj.io', kind }));

/** CRDs a distribution installs itself, before any step of the tree (k3s' Helm controller and AddOns). */
export function distributionKinds(distribution: Distribution): readonly ApiKind[] {
  if (distribution === Distribution.K3S) {
    return [
      { group: 'helm.cattle.io', kind: 'HelmChart' },
      { group: 'helm.cattle.io', kind: 'HelmChartConfig' },
      { group: 'k3s.cattle.io', kind: 'Addon' },
      { group: 'k3s.cattle.io', kind: 'ETCDSnapshotFile' },
    ];
  }
  return [];
}

/** The plural resource name of a CRD-backed kind, as in its CRD's name (`<plural>.<group>`): lower-cased, `y` → `ies`, else `s`. */
export function crdName(k: ApiKind): string {
  const lower = k.kind.toLowerCase();
  const plural = /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(lower) ? `${lower}es` : `${lower}s`;
  return `${plural}.${k.group}`;
}
