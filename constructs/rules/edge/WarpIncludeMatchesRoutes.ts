import { Cloudflared, type PrivateNetwork } from '../../cloudflared.js';
import { cidrNotation, type CidrNotation } from '../../cluster/ip.js';
import { defineRule } from '../rule.js';

const covers = (outer: CidrNotation, inner: CidrNotation) => outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
const overlaps = (a: CidrNotation, b: CidrNotation) => a.family === b.family && a.first <= b.last && b.first <= a.last;

/**
 * NET-EDGE14: WARP's split-tunnel include list and the private routes of the tunnel agree: every route is in the list,
 * and every entry of the list is routed, by this tunnel or (declared) by another.
 */
export const WarpIncludeMatchesRoutes = defineRule({
  id: 'NET-EDGE14',
  level: 'error',
  title: "WARP's split-tunnel include list and the tunnel's private routes cover the same networks",
  lesson:
    'With an include-only split tunnel, WARP sends into Cloudflare only the networks on its list, and Cloudflare delivers ' +
    'only what a tunnel routes. Seed 003 kept the list by hand (10.42.0.0/16, 10.43.0.0/16, 192.168.2.0/24): a route missing ' +
    'from the list is unreachable from every laptop, and a listed network no tunnel routes is a black hole; both turn up ' +
    'the day a CIDR changes.',
  source: 'seed 003 (Cloudflare WARP split tunnel, PUT /accounts/{id}/devices/policy/include)',
  fix:
    'Let the include list be derived (leave includeList unset), or add the missing network to it; declare networks other ' +
    'tunnels route with privateAccess.routedElsewhere, and add a network this tunnel should carry with privateAccess.extraRoutes.',
  *check({ cluster }) {
    for (const c of cluster.constructsOf(Cloudflared)) {
      const access = c.tunnel.privateAccess;
      if (!access) continue;
      const parse = (list: readonly PrivateNetwork[], what: string): { n: PrivateNetwork; cidr?: CidrNotation; bad?: string }[] =>
        list.map((n) => {
          const cidr = cidrNotation(String(n.cidr));
          return cidr ? { n, cidr } : { n, bad: `${what} ${JSON.stringify(n.cidr)} (${n.description}) is not a CIDR` };
        });
      const routes = parse(c.privateRoutes(), 'route');
      const include = parse(c.warpInclude(), 'include entry');
      const elsewhere = parse(access.routedElsewhere ?? [], 'network routed elsewhere');
      for (const x of [...routes, ...include, ...elsewhere]) {
        if (x.bad) yield { at: c, message: x.bad, value: x.n.cidr, expected: 'a CIDR such as 10.43.0.0/16' };
      }
      for (const r of routes) {
        if (!r.cidr || include.some((i) => i.cidr && covers(i.cidr, r.cidr!))) continue;
        yield {
          at: c,
          message: `the tunnel routes ${r.n.cidr} (${r.n.description}), which WARP's include list does not cover: WARP clients never send it to Cloudflare`,
          value: r.n.cidr,
          expected: `an include entry covering ${r.n.cidr}`,
        };
      }
      for (const i of include) {
        if (!i.cidr) continue;
        const routed = routes.some((r) => r.cidr && covers(r.cidr, i.cidr!));
        const other = elsewhere.some((e) => e.cidr && covers(e.cidr, i.cidr!));
        if (routed || other) continue;
        const partly = routes.filter((r) => r.cidr && overlaps(r.cidr, i.cidr!)).map((r) => r.n.cidr);
        yield {
          at: c,
          message: partly.length
            ? `WARP's include list has ${i.n.cidr} (${i.n.description}), of which the tunnel routes only ${partly.join(', ')}: the rest is a black hole`
            : `WARP's include list has ${i.n.cidr} (${i.n.description}), which no route of this tunnel carries and which is not declared as routed elsewhere`,
          value: i.n.cidr,
          expected: 'every include entry routed by this tunnel or declared in privateAccess.routedElsewhere',
        };
      }
    }
  },
});
