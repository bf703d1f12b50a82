/**
 * Shared reading of rendered Gateway API objects for the gateway rules: gateways, their listeners, routes and
 * backend references, and host-name matching as Gateway API and TLS define it.
 */
import { isGatewayApiVersion } from '../../gateway/api-group.js';
import type { RenderedObject } from '../rule.js';

export const ROUTE_KINDS = new Set(['HTTPRoute', 'TCPRoute', 'TLSRoute', 'GRPCRoute', 'UDPRoute']);

export interface ListenerView {
  readonly name: string;
  readonly hostname?: string;
  readonly port: number;
  readonly protocol: string;
  readonly secretNames: readonly string[];
}

export interface ParentView {
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

export interface BackendRefView {
  readonly namespace: string;
  readonly name: string;
  readonly port?: number;
}

export function isGatewayApi(o: RenderedObject): boolean {
  return isGatewayApiVersion(o.apiVersion);
}

export function gatewaysOf(objects: readonly RenderedObject[]): RenderedObject[] {
  return objects.filter((o) => isGatewayApi(o) && o.kind === 'Gateway');
}

export function routesOf(objects: readonly RenderedObject[]): RenderedObject[] {
  return objects.filter((o) => isGatewayApi(o) && ROUTE_KINDS.has(o.kind));
}

export function listenersOf(gateway: RenderedObject): ListenerView[] {
  return ((gateway.json.spec?.listeners ?? []) as any[]).map((l) => ({
    name: l.name,
    ...(l.hostname ? { hostname: l.hostname } : {}),
    port: l.port,
    protocol: l.protocol,
    secretNames: ((l.tls?.certificateRefs ?? []) as any[]).filter((r) => (r.kind ?? 'Secret') === 'Secret').map((r) => r.name),
  }));
}

/**
 * The listeners of `gateway` a route attaches to through a parentRef: the one named by its sectionName and/or those on
 * its port, or every listener when it names neither (Gateway API ParentReference); and of those, the ones whose
 * hostname intersects one of the route's `hostnames` (a route without hostnames takes every listener).
 */
export function attachedListeners(gateway: RenderedObject, parent: ParentView, hostnames: readonly string[] = []): ListenerView[] {
  return listenersOf(gateway).filter(
    (l) =>
      (parent.sectionName === undefined || l.name === parent.sectionName) &&
      (parent.port === undefined || l.port === parent.port) &&
      (hostnames.length === 0 || hostnames.some((h) => hostnamesIntersect(l.hostname, h))),
  );
}

/**
 * Gateway API hostname intersection of a listener and a route: equal names, a wildcard on either side covering the
 * other's name, or two wildcards one of which covers the other's domain. A listener without hostname takes any route.
 */
export function hostnamesIntersect(listenerHostname: string | undefined, routeHostname: string): boolean {
  if (!listenerHostname) return true;
  const lw = listenerHostname.startsWith('*.');
  const rw = routeHostname.startsWith('*.');
  if (lw && rw) return listenerHostname.slice(1).endsWith(routeHostname.slice(1)) || routeHostname.slice(1).endsWith(listenerHostname.slice(1));
  if (lw) return listenerMatches(listenerHostname, routeHostname);
  if (rw) return listenerMatches(routeHostname, listenerHostname);
  return listenerHostname === routeHostname;
}

export function parentsOf(route: RenderedObject): ParentView[] {
  return ((route.json.spec?.parentRefs ?? []) as any[])
    .filter((p) => (p.kind ?? 'Gateway') === 'Gateway')
    .map((p) => ({
      namespace: p.namespace ?? route.namespace ?? 'default',
      name: p.name,
      ...(p.sectionName ? { sectionName: p.sectionName } : {}),
      ...(p.port !== undefined ? { port: Number(p.port) } : {}),
    }));
}

export function hostnamesOf(route: RenderedObject): string[] {
  return [...((route.json.spec?.hostnames ?? []) as string[])];
}

export function backendRefsOf(route: RenderedObject): BackendRefView[] {
  const out: BackendRefView[] = [];
  for (const rule of (route.json.spec?.rules ?? []) as any[]) {
    for (const ref of (rule.backendRefs ?? []) as any[]) {
      if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') continue;
      out.push({ namespace: ref.namespace ?? route.namespace ?? 'default', name: ref.name, ...(ref.port !== undefined ? { port: ref.port } : {}) });
    }
  }
  return out;
}

export function findGateway(objects: readonly RenderedObject[], parent: ParentView): RenderedObject | undefined {
  return gatewaysOf(objects).find((g) => g.name === parent.name && (g.namespace ?? 'default') === parent.namespace);
}

/** Gateway API listener matching: `*.d` matches any name ending in `.d` (one or more labels), never `d` itself. */
export function listenerMatches(listenerHostname: string | undefined, host: string): boolean {
  if (!listenerHostname) return true;
  if (listenerHostname.startsWith('*.')) return host.endsWith(listenerHostname.slice(1)) && host.length > listenerHostname.length - 1;
  return listenerHostname === host;
}

/** TLS certificate matching: `*.d` matches exactly one label in front of `d` (RFC 6125). */
export function certificateMatches(dnsName: string, host: string): boolean {
  if (dnsName.startsWith('*.')) {
    const suffix = dnsName.slice(1);
    if (!host.endsWith(suffix)) return false;
    const label = host.slice(0, host.length - suffix.length);
    return label.length > 0 && !label.includes('.');
  }
  return dnsName === host;
}
