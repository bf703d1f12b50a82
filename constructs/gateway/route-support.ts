/**
 * Which layer-4 route kinds a Cilium minor serves, with the Gateway API release and CRD channel each needs: read
 * from the minor's entry in cilium/minors.ts.
 */
import { GatewayApiChannel, channelServes } from '../gateway-api-crds.js';
import { CILIUM_MINORS, NEWEST_CILIUM_MINOR, type CiliumMinor, type CiliumMinorFacts, type L4RouteKind } from '../cilium/minors.js';
import { GATEWAY_API_GROUP } from './api-group.js';

/** Protocol of a layer-4 listener. */
export type L4Protocol = 'TCP' | 'TLS' | 'UDP';

/** How a Cilium minor serves one layer-4 route kind. */
export interface RouteSupport {
  /** Route kind (`TCPRoute`, `TLSRoute` or `UDPRoute`). */
  readonly kind: L4RouteKind;
  /** The apiVersion the Cilium operator watches; undefined when the minor does not support the kind. */
  readonly apiVersion?: string;
  /** The CRD channel that serves that apiVersion. */
  readonly channel?: GatewayApiChannel;
}

/** The Cilium minor assumed when the cluster has no CiliumRelease (rule NET-GW8 reports the missing release): the newest. */
export const DEFAULT_MINOR: CiliumMinor = NEWEST_CILIUM_MINOR;

/** How `minor` serves routes for listeners of `protocol`. */
export function routeSupport(minor: CiliumMinor, protocol: L4Protocol): RouteSupport {
  const kind = routeKindOf(protocol);
  const facts: CiliumMinorFacts = CILIUM_MINORS[minor];
  const version = facts.l4Routes[kind];
  if (version === undefined) return { kind };
  const apiVersion = `${GATEWAY_API_GROUP}/${version}`;
  const standard = channelServes(facts.gatewayApi.version, GatewayApiChannel.STANDARD, apiVersion, kind);
  return { kind, apiVersion, channel: standard ? GatewayApiChannel.STANDARD : GatewayApiChannel.EXPERIMENTAL };
}

/** The route kind a listener protocol takes. */
export function routeKindOf(protocol: L4Protocol): L4RouteKind {
  return protocol === 'TCP' ? 'TCPRoute' : protocol === 'UDP' ? 'UDPRoute' : 'TLSRoute';
}

/** The apiVersion the library renders for a route kind on `minor` (v1alpha2 where the kind is unsupported). */
export function renderedRouteApiVersion(minor: CiliumMinor, protocol: L4Protocol): string {
  return routeSupport(minor, protocol).apiVersion ?? `${GATEWAY_API_GROUP}/v1alpha2`;
}
