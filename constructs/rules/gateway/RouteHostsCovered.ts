import { defineRule } from '../rule.js';
import { attachedListeners, certificateMatches, findGateway, hostnamesOf, listenerMatches, parentsOf, routesOf } from './model.js';

/** NET-GW2: every route host is accepted by its listener and covered by that listener's certificate. */
export const RouteHostsCovered = defineRule({
  id: 'NET-GW2',
  level: 'error',
  title: "Route hosts are covered by their listeners' host names and certificates",
  lesson:
    'A route whose host its listener does not accept is never attached (the gateway answers 404), and a host the ' +
    'certificate does not name fails the TLS handshake. A wildcard listener `*.d` accepts `a.b.d`, but a wildcard ' +
    'certificate `*.d` covers one label only: such a host attaches and then fails in the browser.',
  source: 'Gateway API Listener.hostname; RFC 6125 wildcard certificates; seed 002 (wildcard-cert)',
  fix: 'Use a host directly under one of the gateway domains, or add the domain (its listeners and certificate) to the DualGateway.',
  *check({ objects }) {
    const certificates = objects.filter((o) => o.kind === 'Certificate' && o.apiVersion.startsWith('cert-manager.io/'));
    for (const route of routesOf(objects)) {
      const hosts = hostnamesOf(route);
      if (!hosts.length) continue;
      for (const parent of parentsOf(route)) {
        const gateway = findGateway(objects, parent);
        if (!gateway) continue;
        const listeners = attachedListeners(gateway, parent);
        for (const host of hosts) {
          const accepting = listeners.filter((l) => listenerMatches(l.hostname, host));
          if (!accepting.length) {
            yield {
              at: route.path,
              message: `${route.kind} ${route.namespace}/${route.name} host ${host} is not accepted by gateway ${parent.namespace}/${parent.name}${parent.sectionName ? ` listener ${parent.sectionName}` : ''}`,
              value: host,
              expected: `a host matching ${listeners.map((l) => l.hostname ?? '(any)').join(', ') || '(no listener)'}`,
            };
            continue;
          }
          for (const l of accepting.filter((x) => x.protocol === 'HTTPS')) {
            for (const secret of l.secretNames) {
              const cert = certificates.find((c) => c.namespace === gateway.namespace && c.json.spec?.secretName === secret);
              if (!cert) continue; // a Secret provided outside the tree: nothing to compare with
              const names: string[] = cert.json.spec?.dnsNames ?? [];
              if (!names.some((n) => certificateMatches(n, host))) {
                yield {
                  at: route.path,
                  message: `host ${host} of ${route.kind} ${route.namespace}/${route.name} is not named by certificate ${cert.namespace}/${cert.name} (secret ${secret}) of listener ${l.name}: TLS fails`,
                  value: host,
                  expected: `a host matching ${names.join(', ')}`,
                };
              }
            }
          }
        }
      }
    }
  },
});
