import { DualGateway } from '../../dual-gateway.js';
import { defineRule } from '../rule.js';
import { backendRefsOf, hostnamesOf, parentsOf, routesOf } from './model.js';

/** NET-GW9: every route on a DualGateway's external gateway was declared with `expose()`. */
export const ExternalRoutesDeclared = defineRule({
  id: 'NET-GW9',
  level: 'error',
  title: 'Routes on the external gateway are declared with DualGateway.expose()',
  lesson:
    'Hosts are internal unless said otherwise: the external gateway is the one the internet reaches (through the tunnel or a ' +
    'port forward), and reports/exposure.md is how a reviewer sees what is public. A route added beside the DualGateway ' +
    '(an escape-hatch HTTPRoute whose parentRefs name the external gateway) is public all the same, yet appears in no ' +
    'exposure list, so nobody decided to publish it.',
  source: 'seed 002 (internal and external gateways, "only argocd is public"); Gateway API parentRefs',
  fix: 'Expose the host with gateways.expose({ host, backend, exposure: Exposure.EXTERNAL }) (or Exposure.BOTH), or attach the route to the internal gateway.',
  *check({ cluster, objects }) {
    for (const gw of DualGateway.ofCluster(cluster)) {
      const own = `${gw.node.path}/`;
      const exposed = new Set(
        gw
          .exposures()
          .filter((e) => e.sides.includes('external'))
          .map((e) => e.host),
      );
      for (const route of routesOf(objects)) {
        if (!parentsOf(route).some((p) => p.namespace === gw.namespace && p.name === gw.externalName)) continue;
        const hosts = hostnamesOf(route);
        // The DualGateway's own routes: one per externally exposed host, and the HTTPS redirect (no host, no backend).
        // A route added under the DualGateway's scope by hand is judged by what it serves, not where it sits.
        const declared = hosts.length ? hosts.every((h) => exposed.has(h.toLowerCase())) : backendRefsOf(route).length === 0;
        if (route.path.startsWith(own) && declared) continue;
        yield {
          at: route.path,
          message:
            `${route.kind} ${route.namespace ?? 'default'}/${route.name} attaches to the external gateway ${gw.namespace}/${gw.externalName} ` +
            `outside ${gw.node.path}.expose(): ${hosts.length ? hosts.join(', ') : 'every host name'} would be public without appearing in reports/exposure.md`,
          value: { route: `${route.namespace ?? 'default'}/${route.name}`, hostnames: hosts },
          expected: `routes on ${gw.namespace}/${gw.externalName} rendered by ${gw.node.path} only`,
        };
      }
    }
  },
});
