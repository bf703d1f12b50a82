import { DualGateway } from '../../dual-gateway.js';
import { defineRule } from '../rule.js';
import { attachedListeners, findGateway, hostnamesOf, parentsOf, routesOf } from './model.js';

/**
 * The filter expose() gives internal routes: `ResponseHeaderModifier` setting `Alt-Svc: clear`. Adding it is not enough:
 * when the backend sends its own Alt-Svc, `add` makes it `clear, h3=...`, which is no longer the `clear` a browser obeys.
 */
function clearsAltSvc(filter: any): boolean {
  if (filter?.type !== 'ResponseHeaderModifier') return false;
  const modifier = filter.responseHeaderModifier ?? {};
  const headers: any[] = Array.isArray(modifier.set) ? modifier.set : [];
  // Header names compare case-insensitively (RFC 9110); the `clear` token is case-sensitive (RFC 7838).
  return headers.some((h) => String(h?.name).toLowerCase() === 'alt-svc' && String(h?.value).trim() === 'clear');
}

/** Whether every response of an HTTPRoute rule carries the header: set on the rule, or on each of its backends. */
function ruleClearsAltSvc(rule: any): boolean {
  if ((Array.isArray(rule?.filters) ? rule.filters : []).some(clearsAltSvc)) return true;
  const backends: any[] = Array.isArray(rule?.backendRefs) ? rule.backendRefs : [];
  return backends.length > 0 && backends.every((b) => (Array.isArray(b?.filters) ? b.filters : []).some(clearsAltSvc));
}

/** NET-GW13: every HTTPRoute on the HTTPS listeners of a DualGateway's internal gateway answers `Alt-Svc: clear`. */
export const InternalRoutesClearAltSvc = defineRule({
  id: 'NET-GW13',
  level: 'error',
  title: 'HTTPS routes on the internal gateway answer `Alt-Svc: clear`',
  lesson:
    'Browsers that reached a host through Cloudflare learned from its Alt-Svc header that it speaks HTTP/3, and keep trying QUIC when ' +
    "split DNS sends them to the internal gateway, which does not (seed 002's ERR_QUIC_PROTOCOL_ERROR). A response header " +
    '`Alt-Svc: clear` from the internal gateway makes them forget it; expose() adds it to every internal route, a route added ' +
    'through the escape hatch has to carry it too.',
  source:
    'seed 002 (ERR_QUIC_PROTOCOL_ERROR on the LAN); RFC 7838 (Alt-Svc: clear); Gateway API HTTPRoute ResponseHeaderModifier; FACTS "Gateway API on Cilium"',
  fix:
    'Expose the host with gateways.expose(), which adds the header, or give every rule of the route the filter ' +
    "{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'Alt-Svc', value: 'clear' }] } }.",
  *check({ cluster, objects }) {
    const routes = routesOf(objects).filter((r) => r.kind === 'HTTPRoute');
    for (const gw of DualGateway.ofCluster(cluster)) {
      const gateway = findGateway(objects, { namespace: gw.namespace, name: gw.internalName });
      if (!gateway) continue;
      for (const route of routes) {
        // The HTTPS listeners the route attaches to; the https-redirect route sits on the HTTP ones (port 80) only.
        const https = parentsOf(route)
          .filter((p) => p.namespace === gw.namespace && p.name === gw.internalName)
          .flatMap((p) => attachedListeners(gateway, p, hostnamesOf(route)))
          .filter((l) => l.protocol === 'HTTPS');
        if (!https.length) continue;
        // No rules: Gateway API defaults to one rule matching every path.
        const rules: any[] = Array.isArray(route.json.spec?.rules) && route.json.spec.rules.length ? route.json.spec.rules : [{}];
        const missing = rules.flatMap((rule, i) => (ruleClearsAltSvc(rule) ? [] : [`spec.rules[${i}]`]));
        if (!missing.length) continue;
        const listeners = [...new Set(https.map((l) => l.name))];
        yield {
          at: route.path,
          message:
            `HTTPRoute ${route.namespace ?? 'default'}/${route.name} serves the internal gateway ${gw.namespace}/${gw.internalName} ` +
            `(${listeners.join(', ')}) without the response header Alt-Svc: clear` +
            `${missing.length < rules.length ? ` in ${missing.join(', ')}` : ''}: browsers that learned HTTP/3 from Cloudflare keep trying QUIC on the LAN`,
          value: { route: `${route.namespace ?? 'default'}/${route.name}`, listeners, rules: missing },
          expected: 'a ResponseHeaderModifier filter that sets Alt-Svc: clear on every rule, as expose() renders it',
        };
      }
    }
  },
});
