/**
 * The Gateway API CRDs, installed from the upstream repository at the tag the cluster's Cilium implements, in the
 * CRDS layer so they exist before Cilium (CNI layer) starts its Gateway API controller.
 */
import type { Construct } from 'constructs';
import { ArgoApplication } from '../imports/argocd.js';
import { FluxGitRepository, FluxKustomization } from '../imports/flux.js';
import { Cluster } from './cluster.js';
import { GitOpsFlavour, ARGO_RETRY } from './gitops/gitops.js';
import { Component, Layer } from './component.js';
import { GATEWAY_API_REPOSITORY } from './core/versions.js';
import { CILIUM_MINOR_LIST, CILIUM_MINORS } from './cilium/minors.js';
import { isGatewayApiVersion } from './gateway/api-group.js';
import { lazy } from './core/lazy.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** A Gateway API release channel: which CRDs the bundle holds. */
export enum GatewayApiChannel {
  /** GA and beta kinds (Gateway, HTTPRoute, GRPCRoute, ReferenceGrant; from v1.5 also TLSRoute, TCPRoute, UDPRoute). */
  STANDARD = 'standard',
  /** Standard plus the experimental kinds (TLSRoute v1alpha2, TCPRoute and UDPRoute before v1.5, ListenerSets...). */
  EXPERIMENTAL = 'experimental',
}

/**
 * Which versions of the route kinds outside HTTPRoute/GRPCRoute each pinned bundle serves, per channel, by tag (from
 * the entries of cilium/minors.ts). Before v1.5 TLSRoute, TCPRoute and UDPRoute are experimental only; v1.6 serves
 * them as v1 in the standard channel, and keeps v1alpha2 (v1alpha3 for TLSRoute) in the experimental one.
 */
export const GATEWAY_API_ROUTE_VERSIONS: Record<string, Record<GatewayApiChannel, Record<string, readonly string[]>>> = Object.fromEntries(
  CILIUM_MINOR_LIST.map((m) => [CILIUM_MINORS[m].gatewayApi.version, CILIUM_MINORS[m].gatewayApi.routes]),
);

/** Route kinds whose availability depends on the channel. */
export const CHANNEL_DEPENDENT_ROUTES: readonly string[] = ['TLSRoute', 'TCPRoute', 'UDPRoute'];

/**
 * Whether a bundle tag's channel serves `apiVersion`/`kind`. Kinds outside {@link CHANNEL_DEPENDENT_ROUTES} are in
 * every channel; an unknown tag answers undefined.
 */
export function channelServes(tag: string, channel: GatewayApiChannel, apiVersion: string, kind: string): boolean | undefined {
  if (!CHANNEL_DEPENDENT_ROUTES.includes(kind)) return true;
  const table = GATEWAY_API_ROUTE_VERSIONS[tag];
  if (!table) return undefined;
  const version = apiVersion.split('/')[1] ?? '';
  return (table[channel][kind] ?? []).includes(version);
}

/**
 * The channel a tree needs: standard unless one of its route objects is served only by the experimental channel.
 *
 * @param tag Gateway API release tag
 * @param objects the Gateway API objects the tree renders (apiVersion and kind)
 */
export function channelFor(tag: string, objects: readonly { apiVersion: string; kind: string }[]): GatewayApiChannel {
  const needsExperimental = objects.some(
    (o) => isGatewayApiVersion(o.apiVersion) && channelServes(tag, GatewayApiChannel.STANDARD, o.apiVersion, o.kind) === false,
  );
  return needsExperimental ? GatewayApiChannel.EXPERIMENTAL : GatewayApiChannel.STANDARD;
}

export interface GatewayApiCrdsProps {
  /** The Gateway API release tag, e.g. `v1.4.1` (the one each Cilium minor implements is in CILIUM_MINORS). */
  readonly version: string;
  /**
   * The release channel, or a function deciding it at synth time (CiliumRelease picks experimental only when the
   * tree renders a route kind the standard channel of that version lacks).
   *
   * @default GatewayApiChannel.STANDARD
   * @see https://gateway-api.sigs.k8s.io/concepts/versioning/#release-channels
   */
  readonly channel?: GatewayApiChannel | (() => GatewayApiChannel);
}

/**
 * The Gateway API CRD bundle at one tag.
 *
 * Flux: a GitRepository on the upstream repository at the tag and a Kustomization of `./config/crd/<channel>` with
 * `prune: false` (removing the bundle from Git must never delete CRDs, and every Gateway and route with them) and
 * `wait: true` (the CRDS layer is healthy only once the CRDs are established). Argo CD: an Application on the same
 * path, applied server-side (the CRDs exceed the client-side annotation limit), never pruned, without the
 * resources finalizer for the same reason.
 *
 * When Cilium's Gateway API is on, the bootstrap (bootstrap/bootstrap.sh) applies the same release first — its
 * `<channel>-install.yaml`, server-side, under the engine's field manager — because Cilium's operator looks for the
 * CRDs once, when it starts. This layer then adopts CRDs that already exist and keeps them up to date; it never
 * prunes them.
 *
 * @see https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api
 */
/** What GatewayApiCrds accept (NET-IN1). */
const GATEWAY_API_CRDS_SPEC = p.object({
  version: p.withFallback(p.string({ maxLength: 64, pattern: /^v[0-9]+\.[0-9]+\.[0-9]+$/, expected: 'a Gateway API release such as v1.3.0' }), () => ''),
  channel: p.optional(p.anyOf('a GatewayApiChannel or a function returning one', p.oneOf(Object.values(GatewayApiChannel)), p.func())),
});

export class GatewayApiCrds extends Component {
  /** Name of the Flux GitRepository / Kustomization and of the Argo CD Application. */
  public static readonly NAME = 'gateway-api-crds';

  /** The GatewayApiCrds of a cluster, if any. */
  public static of(cluster: Cluster): GatewayApiCrds | undefined {
    return cluster.constructsOf(GatewayApiCrds)[0];
  }

  public readonly version: string;
  private readonly channelOf: () => GatewayApiChannel;

  public constructor(scope: Construct, id: string, given: GatewayApiCrdsProps) {
    super(scope, id, { layer: Layer.CRDS, folder: 'gateway-api' });
    const props = checkProps<GatewayApiCrdsProps>(this, GATEWAY_API_CRDS_SPEC, given, { version: '' });
    this.version = props.version;
    const channel = props.channel ?? GatewayApiChannel.STANDARD;
    this.channelOf = typeof channel === 'function' ? channel : () => channel;

    const cluster = Cluster.of(this);
    const path = lazy(() => `config/crd/${this.channel}`);
    if (cluster.gitops.flavour === GitOpsFlavour.FLUX) {
      const ns = cluster.gitops.namespace;
      new FluxGitRepository(this, 'Source', {
        metadata: { name: GatewayApiCrds.NAME, namespace: ns },
        spec: { interval: '12h', url: GATEWAY_API_REPOSITORY, ref: { tag: this.version } },
      });
      new FluxKustomization(this, 'Resource', {
        // The layer Kustomization prunes what leaves Git; this one must survive that too.
        metadata: { name: GatewayApiCrds.NAME, namespace: ns, annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
        spec: {
          interval: '1h',
          path: lazy(() => `./config/crd/${this.channel}`),
          prune: false,
          wait: true,
          timeout: '5m',
          sourceRef: { kind: 'GitRepository', name: GatewayApiCrds.NAME },
        },
      });
    } else {
      new ArgoApplication(this, 'Resource', {
        metadata: {
          name: GatewayApiCrds.NAME,
          namespace: cluster.gitops.namespace,
          annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' },
        },
        spec: {
          project: cluster.gitops.project,
          source: { repoURL: `${GATEWAY_API_REPOSITORY}.git`, targetRevision: this.version, path },
          destination: { server: 'https://kubernetes.default.svc' },
          syncPolicy: {
            automated: { prune: false, selfHeal: true },
            syncOptions: ['ServerSideApply=true'],
            retry: structuredClone(ARGO_RETRY),
          },
        },
      });
    }
  }

  /** The channel rendered (decided at synth time when a function was given). */
  public get channel(): GatewayApiChannel {
    return this.channelOf();
  }
}
