import { DualGateway } from '../../dual-gateway.js';
import { SplitDnsMode } from '../../gateway/split-dns.js';
import { defineRule } from '../rule.js';
import { backendRefsOf, hostnamesOf, parentsOf, routesOf } from './model.js';

/** NET-GW5: split DNS never sends LAN users somewhere other than where the internet goes for the same host. */
export const LanReachesExternalHosts = defineRule({
  id: 'NET-GW5',
  level: 'error',
  title: 'Split DNS never shadows an external host on the LAN',
  lesson:
    'Split DNS answers LAN queries with the internal gateway. A host routed to one service externally and to another ' +
    'internally is two different sites under one name: LAN users get the internal one, and bookmarks, cookies and OAuth ' +
    "redirects break when they move. With a wildcard LAN record (seed 002's `*.vanillax.me -> .50`), an external-only host " +
    'resolves to the internal gateway, which has no route for it: it answers 404 on the LAN while working from the internet.',
  source: 'seed 002 (Firewalla wildcard override, internal and external gateways)',
  fix: 'Route the host to the same backend on both gateways (Exposure.BOTH), or use per-host split DNS (SplitDnsMode.PER_HOST) so external-only hosts resolve publicly on the LAN too.',
  *check({ cluster, objects }) {
    for (const gw of DualGateway.ofCluster(cluster)) {
      const routesOn = (gatewayName: string) =>
        routesOf(objects).filter((r) => parentsOf(r).some((p) => p.name === gatewayName && p.namespace === gw.namespace));
      const backendsByHost = (gatewayName: string) => {
        const map = new Map<string, { route: (typeof objects)[number]; backends: string[] }>();
        for (const r of routesOn(gatewayName)) {
          for (const h of hostnamesOf(r))
            map.set(h, {
              route: r,
              backends: backendRefsOf(r)
                .map((b) => `${b.namespace}/${b.name}:${b.port ?? ''}`)
                .sort(),
            });
        }
        return map;
      };
      const external = backendsByHost(gw.externalName);
      const internal = backendsByHost(gw.internalName);
      for (const [host, ext] of external) {
        const int = internal.get(host);
        if (int && int.backends.join(',') !== ext.backends.join(',')) {
          yield {
            at: int.route.path,
            message: `host ${host} goes to ${ext.backends.join(', ')} from the internet but to ${int.backends.join(', ')} on the LAN: split DNS shadows the external site with a different one`,
            value: host,
            expected: 'the same backend on both gateways',
          };
        }
        if (!int && gw.splitDnsMode === SplitDnsMode.WILDCARD && gw.internalAddress !== undefined && gw.domains.some((d) => host.endsWith(`.${d}`))) {
          yield {
            at: ext.route.path,
            message: `host ${host} is external-only, but the wildcard split-DNS record sends LAN users to the internal gateway ${gw.internalAddress}, which has no route for it: 404 on the LAN`,
            value: host,
            expected: 'Exposure.BOTH for hosts under a wildcard split-DNS domain, or SplitDnsMode.PER_HOST',
          };
        }
      }
    }
  },
});
