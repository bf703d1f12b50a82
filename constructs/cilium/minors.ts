/**
 * Everything that differs between the Cilium minors the library supports: one entry per minor.
 *
 * A new Cilium minor is one entry here, then `npx tsx scripts/gen-cilium-keys.ts` (the key index of its chart,
 * and `chart-keys/files.ts` that loads it) and `npm run synth`. The rest reads this table: the `version` a
 * CiliumRelease accepts, its chart pin, the Gateway API CRDs the tree installs and the channel they need, the layer-4
 * route kinds DualGateway renders and NET-GW6 accepts, the Talos capability lists, and the exported
 * `CILIUM_VERSIONS`, `GATEWAY_API_VERSIONS` and `CILIUM_CHART_VERSIONS`. Facts every pinned chart shares stay in
 * `defaults.ts`; when a new chart differs there, the fact moves into the entries.
 *
 * Renovate bumps the annotated pins (renovate.json, tested by test/core/renovate.test.ts): a patch bump is one line
 * here, then the key index and `npm run synth`.
 *
 * @see https://helm.cilium.io/
 */
import type { GatewayApiChannel } from '../gateway-api-crds.js';

/** A layer-4 route kind: its availability depends on the Cilium minor and on the Gateway API channel. */
export type L4RouteKind = 'TCPRoute' | 'TLSRoute' | 'UDPRoute';

/** What one Cilium minor is: its pins and what it serves. */
export interface CiliumMinorFacts {
  /** The Cilium chart version pinned for this minor (an exact patch release). */
  readonly chart: string;
  /** The Gateway API release this minor implements; the tree installs exactly this bundle. */
  readonly gatewayApi: {
    /** The release tag. */
    readonly version: string;
    /**
     * The versions of each layer-4 route kind the bundle's CRDs serve, per channel (read from the upstream CRDs of
     * the tag). HTTPRoute and GRPCRoute are in every channel and not listed.
     */
    readonly routes: { readonly [C in `${GatewayApiChannel}`]: { readonly [K in L4RouteKind]?: readonly string[] } };
    /**
     * The kinds whose CRDs the bundle installs, per channel (`config/crd/<channel>` at the tag). Kinds named `X...`
     * are of the experimental group gateway.networking.x-k8s.io, the others of gateway.networking.k8s.io.
     */
    readonly kinds: { readonly [C in `${GatewayApiChannel}`]: readonly string[] };
  };
  /**
   * The version (of the Gateway API group) Cilium's operator watches for each layer-4 route kind; a kind it
   * does not serve is absent. Cilium watches one version per kind: a route of another version is never reconciled.
   */
  readonly l4Routes: { readonly [K in L4RouteKind]?: string };
  /**
   * The `cilium-agent` capabilities of the pinned chart's values.yaml, minus SYS_MODULE (Talos does not let
   * workloads load kernel modules; Sidero's Cilium guide drops it from the chart default).
   *
   * @see https://docs.siderolabs.com/kubernetes-guides/cni/deploying-cilium
   */
  readonly talosAgentCapabilities: readonly string[];
}

/**
 * The supported Cilium minors, oldest first.
 *
 * - 1.18 implements Gateway API v1.3.0 and TLSRoute through `v1alpha2`, which only the experimental channel serves;
 *   no TCPRoute or UDPRoute (cilium#21929, closed in 1.20).
 * - 1.19 stays on Gateway API v1.4.x: Cilium 1.19.1's operator crashed with the v1.5 CRDs (cilium#44920). Its chart
 *   added SYSLOG to the agent's default capabilities.
 * - 1.20 implements Gateway API v1.6.1 and watches TLSRoute `v1` and the TCPRoute/UDPRoute it adds (cilium#46184) as
 *   `v1` (cilium#46970), all in the v1.6.1 standard channel.
 */
export const CILIUM_MINORS = {
  '1.18': {
    // renovate: datasource=helm depName=cilium registryUrl=https://helm.cilium.io versioning=regex:^1\.18\.(?<patch>\d+)$
    chart: '1.18.12',
    gatewayApi: {
      // renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api versioning=regex:^v1\.3\.(?<patch>\d+)$
      version: 'v1.3.0',
      routes: {
        standard: {},
        experimental: { TLSRoute: ['v1alpha2'], TCPRoute: ['v1alpha2'], UDPRoute: ['v1alpha2'] },
      },
      kinds: {
        standard: ['GatewayClass', 'Gateway', 'GRPCRoute', 'HTTPRoute', 'ReferenceGrant'],
        experimental: [
          'GatewayClass',
          'Gateway',
          'GRPCRoute',
          'HTTPRoute',
          'ReferenceGrant',
          'BackendTLSPolicy',
          'TCPRoute',
          'TLSRoute',
          'UDPRoute',
          'XBackendTrafficPolicy',
          'XListenerSet',
        ],
      },
    },
    l4Routes: { TLSRoute: 'v1alpha2' },
    talosAgentCapabilities: ['CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'],
  },
  '1.19': {
    // renovate: datasource=helm depName=cilium registryUrl=https://helm.cilium.io versioning=regex:^1\.19\.(?<patch>\d+)$
    chart: '1.19.6',
    gatewayApi: {
      // renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api versioning=regex:^v1\.4\.(?<patch>\d+)$
      version: 'v1.4.1',
      routes: {
        standard: {},
        experimental: { TLSRoute: ['v1alpha2', 'v1alpha3'], TCPRoute: ['v1alpha2'], UDPRoute: ['v1alpha2'] },
      },
      kinds: {
        standard: ['GatewayClass', 'Gateway', 'GRPCRoute', 'HTTPRoute', 'ReferenceGrant', 'BackendTLSPolicy'],
        experimental: [
          'GatewayClass',
          'Gateway',
          'GRPCRoute',
          'HTTPRoute',
          'ReferenceGrant',
          'BackendTLSPolicy',
          'TCPRoute',
          'TLSRoute',
          'UDPRoute',
          'XBackendTrafficPolicy',
          'XListenerSet',
          'XMesh',
        ],
      },
    },
    l4Routes: { TLSRoute: 'v1alpha2' },
    talosAgentCapabilities: [
      'CHOWN',
      'KILL',
      'NET_ADMIN',
      'NET_RAW',
      'IPC_LOCK',
      'SYS_ADMIN',
      'SYS_RESOURCE',
      'DAC_OVERRIDE',
      'FOWNER',
      'SETGID',
      'SETUID',
      'SYSLOG',
    ],
  },
  '1.20': {
    // renovate: datasource=helm depName=cilium registryUrl=https://helm.cilium.io versioning=regex:^1\.20\.(?<patch>\d+)$
    chart: '1.20.0',
    gatewayApi: {
      // renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api versioning=regex:^v1\.6\.(?<patch>\d+)$
      version: 'v1.6.1',
      routes: {
        standard: { TLSRoute: ['v1'], TCPRoute: ['v1'], UDPRoute: ['v1'] },
        experimental: { TLSRoute: ['v1', 'v1alpha2', 'v1alpha3'], TCPRoute: ['v1', 'v1alpha2'], UDPRoute: ['v1', 'v1alpha2'] },
      },
      kinds: {
        standard: [
          'GatewayClass',
          'Gateway',
          'GRPCRoute',
          'HTTPRoute',
          'ReferenceGrant',
          'BackendTLSPolicy',
          'ListenerSet',
          'TCPRoute',
          'TLSRoute',
          'UDPRoute',
        ],
        experimental: [
          'GatewayClass',
          'Gateway',
          'GRPCRoute',
          'HTTPRoute',
          'ReferenceGrant',
          'BackendTLSPolicy',
          'ListenerSet',
          'TCPRoute',
          'TLSRoute',
          'UDPRoute',
          'XBackend',
          'XBackendTrafficPolicy',
          'XMesh',
        ],
      },
    },
    l4Routes: { TCPRoute: 'v1', TLSRoute: 'v1', UDPRoute: 'v1' },
    talosAgentCapabilities: [
      'CHOWN',
      'KILL',
      'NET_ADMIN',
      'NET_RAW',
      'IPC_LOCK',
      'SYS_ADMIN',
      'SYS_RESOURCE',
      'DAC_OVERRIDE',
      'FOWNER',
      'SETGID',
      'SETUID',
      'SYSLOG',
    ],
  },
} as const satisfies Record<string, CiliumMinorFacts>;

/** A supported Cilium minor, e.g. `'1.20'`. */
export type CiliumMinor = keyof typeof CILIUM_MINORS;

/** One of the pinned Cilium chart versions, e.g. `'1.20.0'`. */
export type CiliumChartVersion = (typeof CILIUM_MINORS)[CiliumMinor]['chart'];

/** The supported minors, oldest first. */
export const CILIUM_MINOR_LIST: readonly CiliumMinor[] = Object.keys(CILIUM_MINORS) as CiliumMinor[];

/** The newest supported minor. */
export const NEWEST_CILIUM_MINOR: CiliumMinor = CILIUM_MINOR_LIST[CILIUM_MINOR_LIST.length - 1]!;

/** The pinned chart versions, one per minor, oldest first. */
export const CILIUM_CHART_VERSIONS: readonly CiliumChartVersion[] = CILIUM_MINOR_LIST.map((m) => CILIUM_MINORS[m].chart);

/**
 * The facts of a minor, or undefined when `minor` is not one (input that bypassed the types).
 *
 * @param minor a Cilium minor such as `'1.20'`
 */
export function ciliumMinor(minor: string): CiliumMinorFacts | undefined {
  return Object.hasOwn(CILIUM_MINORS, minor) ? CILIUM_MINORS[minor as CiliumMinor] : undefined;
}

/** The oldest supported minor whose operator serves the route kind `kind`, if any does. */
export function oldestMinorServing(kind: L4RouteKind): CiliumMinor | undefined {
  return CILIUM_MINOR_LIST.find((m) => ciliumMinor(m)!.l4Routes[kind] !== undefined);
}
