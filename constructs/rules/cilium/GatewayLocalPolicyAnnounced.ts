import { l2Policies, loadBalancers, matches } from '../l2/model.js';
import { defineRule } from '../rule.js';
import { at, renderedCilium } from './model.js';

/** The first Cilium patch release whose L2 announcer skips Local services without a backend on the node. */
export const L2_LOCAL_BACKEND_GATE = '1.20.2';

/** True when chart version `a` (x.y.z) is at least `b`. */
function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return true;
}

/** NET-CIL16: gateway Services announced by L2 must not use externalTrafficPolicy Local. */
export const GatewayLocalPolicyAnnounced = defineRule({
  id: 'NET-CIL16',
  level: 'error',
  title: 'L2-announced gateways use externalTrafficPolicy Cluster',
  lesson:
    "Cilium's L2 announcer gained a gate (cilium#46399, in 1.20.2 through cilium#48550): a Service with " +
    'externalTrafficPolicy Local is announced only by a node holding one of its backends. The Service Cilium creates ' +
    'for a Gateway has a single synthetic backend (192.192.192.192:9999) on no node, so with ' +
    'gatewayAPI.externalTrafficPolicy Local no node answers ARP for any gateway address and every LAN host behind the ' +
    'gateways goes dark at once (seed 002 cluster, after a Renovate patch bump). Earlier patches still announce, so the ' +
    'setting works until the next bump.',
  source: 'cilium#46399 (backport cilium#48550, v1.20.2); mitchross/talos-argocd-proxmox#2441; cilium#27800',
  fix: "Use gatewayApi: { externalTrafficPolicy: 'Cluster' } on the CiliumRelease (client source addresses are then SNATed).",
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'gatewayAPI.enabled') !== true || at(r.values, 'l2announcements.enabled') !== true) return;
    if (at(r.values, 'gatewayAPI.externalTrafficPolicy') !== 'Local' || at(r.values, 'gatewayAPI.hostNetwork.enabled') === true) return;
    const policies = l2Policies(ctx.objects);
    const announced = loadBalancers(ctx.objects)
      .filter((lb) => lb.kind === 'Gateway')
      .map((lb) => ({ lb, by: policies.filter((p) => matches(p.json.spec?.serviceSelector, lb.labels)).map((p) => p.name) }))
      .filter((x) => x.by.length);
    if (!announced.length) return;
    const gated = versionAtLeast(r.chartVersion, L2_LOCAL_BACKEND_GATE);
    yield {
      at: r.release,
      level: gated ? 'error' : 'warning',
      message:
        `gatewayAPI.externalTrafficPolicy is Local and L2 policies announce ${announced.map((x) => `${x.lb.displayName} (${x.by.join(', ')})`).join(', ')}: ` +
        (gated
          ? `Cilium ${r.chartVersion} announces Local services only from nodes with a local backend, and a gateway Service has none, so no node answers ARP for the gateway addresses`
          : `from Cilium ${L2_LOCAL_BACKEND_GATE} (pinned ${r.chartVersion}) no node would answer ARP for the gateway addresses: a gateway Service's only backend is synthetic and on no node`),
      value: { 'gatewayAPI.externalTrafficPolicy': 'Local', chartVersion: r.chartVersion },
      expected: "gatewayAPI.externalTrafficPolicy: 'Cluster'",
    };
  },
});
