import { defineRule } from '../rule.js';
import { hostnamesOf, parentsOf, routesOf } from './model.js';

/** NET-GW1: a host name is routed by one route per gateway. */
export const HostServedOncePerGateway = defineRule({
  id: 'NET-GW1',
  level: 'error',
  title: 'A host is served by one route per gateway',
  lesson:
    'Two routes claiming the same host on one gateway are merged by precedence rules nobody reads: one of them silently ' +
    'loses (the older route wins), and which service answers depends on creation timestamps. One host, one route, per gateway.',
  source: 'Gateway API route precedence (HTTPRoute hostnames, conflict resolution); seed 002 (one host per gateway)',
  fix: 'Expose the host once per gateway; use Exposure.BOTH to serve it on both gateways, or a different host name.',
  *check({ objects }) {
    const claims = new Map<string, string[]>();
    for (const route of routesOf(objects)) {
      for (const parent of parentsOf(route)) {
        for (const host of hostnamesOf(route)) {
          const key = `${parent.namespace}/${parent.name}\u0000${host}`;
          claims.set(key, [...(claims.get(key) ?? []), `${route.kind} ${route.namespace}/${route.name}`]);
        }
      }
    }
    for (const [key, routes] of claims) {
      const unique = [...new Set(routes)];
      if (unique.length < 2) continue;
      const [gateway, host] = key.split('\u0000');
      yield {
        at: routesOf(objects).find((r) => `${r.kind} ${r.namespace}/${r.name}` === unique[1])!.path,
        message: `host ${host} is routed ${unique.length} times on gateway ${gateway}; only one route can win`,
        value: unique,
        expected: 'one route per host and gateway',
      };
    }
  },
});
