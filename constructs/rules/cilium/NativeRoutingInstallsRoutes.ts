import { CHART_AUTO_DIRECT_NODE_ROUTES } from '../../cilium/defaults.js';
import { show } from '../../errors.js';
import { defineRule } from '../rule.js';
import { at, renderedCilium } from './model.js';

/** A boolean setting as the agent parses it from cilium-config (Go strconv.ParseBool of the quoted value). */
function agentBool(value: unknown): boolean {
  return value === true || (typeof value === 'string' && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value));
}

/** NET-CIL21: native routing has something that routes pod CIDRs between nodes. */
export const NativeRoutingInstallsRoutes = defineRule({
  id: 'NET-CIL21',
  level: 'error',
  title: "Native routing installs routes to the other nodes' pod CIDRs",
  lesson:
    "Under native routing a node hands traffic for another node's pods to the kernel routing table: without a route to " +
    "that node's pod CIDR it goes to the default gateway, which knows nothing of pods and drops it. Pods on one node " +
    'still talk, so the cluster looks healthy until traffic crosses nodes. autoDirectNodeRoutes installs those routes ' +
    "when the nodes share an L2 segment (the Cluster's node subnet); the chart's default is false. The BGP control " +
    'plane, or static routes on the router, are the other ways.',
  source:
    'https://docs.cilium.io/en/stable/network/concepts/routing/#native-routing; Cilium chart values.yaml 1.18.12/1.19.6/1.20.0 ' +
    '(autoDirectNodeRoutes: false)',
  fix:
    'Set autoDirectNodeRoutes: Routing.native() does (drop autoDirectNodeRoutes: false, and any autoDirectNodeRoutes in ' +
    'extraValues), or acknowledge NET-CIL21 on the CiliumRelease saying how pod CIDRs are routed between nodes (e.g. ' +
    'static routes on the router).',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || r.values.routingMode !== 'native') return;
    // One node: no pod traffic crosses nodes.
    if (ctx.cluster.nodes.length < 2) return;
    // The BGP control plane announces the pod CIDRs to the router.
    if (at(r.values, 'bgpControlPlane.enabled') === true) return;
    // Cloud IPAM: pods take addresses of the cloud network, which routes them itself.
    if (at(r.values, 'eni.enabled') === true || at(r.values, 'gke.enabled') === true) return;
    if (['eni', 'azure', 'alibabacloud'].includes(String(at(r.values, 'ipam.mode') ?? ''))) return;
    // Absent or null (Helm drops a null value): the chart default.
    const value: unknown = r.values.autoDirectNodeRoutes ?? undefined;
    if (agentBool(value ?? CHART_AUTO_DIRECT_NODE_ROUTES)) return;

    const rendered = value === undefined ? `not set (the chart default is ${CHART_AUTO_DIRECT_NODE_ROUTES})` : show(value);
    const gateway = ctx.cluster.router ? `the default gateway ${ctx.cluster.router}` : 'the default gateway';
    yield {
      at: r.release,
      message:
        `routingMode is native but autoDirectNodeRoutes is ${rendered} and the BGP control plane is off: no node has a route to ` +
        `the other nodes' pod CIDRs, so pod traffic between nodes goes to ${gateway} and is lost`,
      value: { autoDirectNodeRoutes: value ?? null, 'bgpControlPlane.enabled': at(r.values, 'bgpControlPlane.enabled') ?? null },
      expected: `autoDirectNodeRoutes: true (the nodes share ${ctx.cluster.nodeSubnet}), or the pod CIDRs routed by BGP or the router`,
    };
  },
});
