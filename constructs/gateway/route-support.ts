/**
 * Which layer-4 route kinds a Cilium minor serves, with the Gateway API release and CRD channel each needs.
 *
 * Facts (checked upstream):
 * - Cilium 1.18 (Gateway API v1.3.0) and 1.19 (v1.4.x) implement TLSRoute through `v1alpha2`, which only the
 *   experimental CRD channel serves; they have no TCPRoute or UDPRoute support at all (cilium#21929, closed in 1.20).
 * - Cilium 1.20 (Gateway API v1.6.1) requires TLSRoute `v1` and adds TCPRoute/UDPRoute (cilium#46184), watched as
 *   `v1` since cilium#46970 ("update TCPRoute and UDPRoute to v1", merged before 1.20.0). Both are in the v1.6.1
 *   standard channel; `v1alpha2` is deprecated there and served by the experimental channel only.
 */
import { GatewayApiChannel } from '../gateway-api-crds.js';
import type { CiliumMinor } from '../core/versions.js';

/** Protocol of a layer-4 listener. */
export type L4Protocol = 'TCP' | 'TLS' | 'UDP';

/** How a Cilium minor serves one layer-4 route kind. */
export interface RouteSupport {
  /** Route kind (`TCPRoute`, `TLSRoute` or `UDPRoute`). */
  readonly kind: 'TCPRoute' | 'TLSRoute' | 'UDPRoute';
  /** The apiVersion the Cilium operator watches; undefined when the minor does not support the kind. */
  readonly apiVersion?: string;
  /** The CRD channel that serves that apiVersion. */
  readonly channel?: GatewayApiChannel;
}

const SUPPORT: Record<CiliumMinor, Record<L4Protocol, RouteSupport>> = {
  '1.18': {
    TCP: { kind: 'TCPRoute' },
    TLS: { kind: 'TLSRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2', channel: GatewayApiChannel.EXPERIMENTAL },
    UDP: { kind: 'UDPRoute' },
  },
  '1.19': {
    TCP: { kind: 'TCPRoute' },
    TLS: { kind: 'TLSRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2', channel: GatewayApiChannel.EXPERIMENTAL },
    UDP: { kind: 'UDPRoute' },
  },
  '1.20': {
    TCP: { kind: 'TCPRoute', apiVersion: 'gateway.networking.k8s.io/v1', channel: GatewayApiChannel.STANDARD },
    TLS: { kind: 'TLSRoute', apiVersion: 'gateway.networking.k8s.io/v1', channel: GatewayApiChannel.STANDARD },
    UDP: { kind: 'UDPRoute', apiVersion: 'gateway.networking.k8s.io/v1', channel: GatewayApiChannel.STANDARD },
  },
};

/** The Cilium minor assumed when the cluster has no CiliumRelease (rule NET-GW8 reports the missing release). */
export const DEFAULT_MINOR: CiliumMinor = '1.20';

/** How `minor` serves routes for listeners of `protocol`. */
export function routeSupport(minor: CiliumMinor, protocol: L4Protocol): RouteSupport {
  return SUPPORT[minor][protocol];
}

/** The route kind a listener protocol takes. */
export function routeKindOf(protocol: L4Protocol): 'TCPRoute' | 'TLSRoute' | 'UDPRoute' {
  return protocol === 'TCP' ? 'TCPRoute' : protocol === 'UDP' ? 'UDPRoute' : 'TLSRoute';
}

/** The apiVersion the library renders for a route kind on `minor` (v1alpha2 where the kind is unsupported). */
export function renderedRouteApiVersion(minor: CiliumMinor, protocol: L4Protocol): string {
  return routeSupport(minor, protocol).apiVersion ?? 'gateway.networking.k8s.io/v1alpha2';
}
