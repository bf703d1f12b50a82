import { ciliumView } from '../../gateway/cilium-view.js';
import { ciliumMinor, oldestMinorServing, type L4RouteKind } from '../../cilium/minors.js';
import { routeSupport, type L4Protocol } from '../../gateway/route-support.js';
import { defineRule } from '../rule.js';
import { gatewaysOf, listenersOf, routesOf } from './model.js';

/** NET-GW6: TCP, TLS and UDP listeners and routes use the route kind and version the cluster's Cilium serves. */
export const L4RouteSupported = defineRule({
  id: 'NET-GW6',
  level: 'error',
  title: "TCP/TLS/UDP listeners use a route kind and version the cluster's Cilium supports",
  lesson:
    'Cilium watches one version of each route kind: TLSRoute v1alpha2 up to 1.19, TLSRoute v1 from 1.20; TCPRoute and UDPRoute ' +
    'only from 1.20 (as v1). A route of another kind or version is applied, never reconciled, and the port stays closed — ' +
    "seed 002's PostgreSQL listener on 5432 needs Cilium 1.20.",
  source: 'cilium#21929, cilium#46184 and cilium#46970 (TCPRoute and UDPRoute v1 in 1.20), cilium#44920 (TLSRoute versions), FACTS "Gateway API on Cilium"',
  fix: 'Upgrade the CiliumRelease to 1.20 for TCPRoute or UDPRoute (both as v1), or drop the listener; let DualGateway.addTcpListener pick the route version (create the CiliumRelease first).',
  *check({ cluster, objects }) {
    const cilium = ciliumView(cluster);
    if (!cilium) return; // NET-GW8 reports the missing release
    const gwApi = cilium.gatewayApiVersion;
    /** Where a kind the cluster's minor lacks arrives, for the message and the expectation. */
    const arrival = (kind: L4RouteKind) => {
      const first = oldestMinorServing(kind);
      return first === undefined
        ? { says: `no supported Cilium minor serves ${kind}`, expected: `a Cilium minor that serves ${kind}` }
        : { says: `Cilium adds ${kind} in ${first} (Gateway API ${ciliumMinor(first)!.gatewayApi.version})`, expected: `Cilium ${first} or later` };
    };
    for (const route of routesOf(objects).filter((r) => r.kind === 'TCPRoute' || r.kind === 'TLSRoute' || r.kind === 'UDPRoute')) {
      const protocol: L4Protocol = route.kind === 'TCPRoute' ? 'TCP' : route.kind === 'UDPRoute' ? 'UDP' : 'TLS';
      const support = routeSupport(cilium.minor, protocol);
      if (!support.apiVersion) {
        const { says, expected } = arrival(support.kind);
        yield {
          at: route.path,
          message: `${route.kind} ${route.namespace}/${route.name} is not supported by Cilium ${cilium.minor} (Gateway API ${gwApi}): ${says}`,
          value: `${route.apiVersion} ${route.kind} on Cilium ${cilium.minor}`,
          expected,
        };
      } else if (support.apiVersion !== route.apiVersion) {
        yield {
          at: route.path,
          message: `${route.kind} ${route.namespace}/${route.name} is ${route.apiVersion}, but Cilium ${cilium.minor} (Gateway API ${gwApi}) watches ${support.apiVersion}: the route is never reconciled`,
          value: route.apiVersion,
          expected: support.apiVersion,
        };
      }
    }
    for (const gateway of gatewaysOf(objects)) {
      for (const l of listenersOf(gateway).filter((x) => x.protocol === 'TCP' || x.protocol === 'UDP')) {
        const support = routeSupport(cilium.minor, l.protocol === 'UDP' ? 'UDP' : 'TCP');
        if (support.apiVersion) continue;
        yield {
          at: gateway.path,
          message: `listener ${l.name} (${l.protocol} ${l.port}) of gateway ${gateway.namespace}/${gateway.name} needs ${support.kind} support, which Cilium ${cilium.minor} (Gateway API ${gwApi}) does not have`,
          value: `${l.protocol} ${l.port}`,
          expected: arrival(support.kind).expected,
        };
      }
    }
  },
});
