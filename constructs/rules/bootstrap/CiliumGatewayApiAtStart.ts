import { CILIUM_REQUIRED_GATEWAY_KINDS, kindKey } from '../../bootstrap/kinds.js';
import { providersOf } from '../../bootstrap/model.js';
import { defineRule } from '../rule.js';
import { orderOf, stepName } from './model.js';

/** NET-BOOT3: when Cilium's Gateway API is on, its CRDs are established before the step that installs Cilium. */
export const CiliumGatewayApiAtStart = defineRule({
  id: 'NET-BOOT3',
  level: 'error',
  title: "Cilium's Gateway API finds its CRDs when Cilium starts: the Gateway API bundle comes before Cilium",
  lesson:
    "Cilium's operator checks once, when it starts, that GatewayClass, Gateway, HTTPRoute, GRPCRoute and ReferenceGrant " +
    'are served; if one is missing it logs "Required GatewayAPI resources are not found" and leaves its Gateway API ' +
    'controller off until it restarts, while the chart still creates the cilium GatewayClass (and a helm install fails ' +
    'outright when the GatewayClass kind is unknown). Installing the CRDs in a GitOps layer after the bootstrap has ' +
    'started Cilium leaves every Gateway without a controller.',
  source: 'cilium operator pkg/gateway-api/cell.go (requiredGVKs); https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/#prerequisites',
  fix: 'Enable the Gateway API through the CiliumRelease (gatewayApi: {...} or enableGatewayApi()): its CRDs then come first in the bootstrap, before Cilium, and the crds layer keeps them.',
  *check(ctx) {
    const order = orderOf(ctx);
    const start = order.steps.find((s) => s.installsCilium);
    if (!start) return;
    const g = start.ciliumValues?.gatewayAPI;
    if (!(g?.enabled === true || g?.enabled === 'true')) return;
    const missing = CILIUM_REQUIRED_GATEWAY_KINDS.filter((k) => !providersOf(order, k).some((p) => start.healthyBefore.has(p.step.index)));
    if (!missing.length) return;
    const later = missing.flatMap((k) => providersOf(order, k)).find((p) => p.step.index >= start.index);
    yield {
      at: start.path,
      message:
        `Cilium's Gateway API is on, but ${stepName(start)} starts Cilium before ${missing.map(kindKey).join(', ')} ${missing.length > 1 ? 'are' : 'is'} established` +
        (later ? ` (they come with ${later.provision.by} in ${stepName(later.step)}, too late)` : ' (nothing installs them)') +
        ': its operator leaves the Gateway API controller off until restarted',
      value: missing.map(kindKey),
      expected: `the Gateway API CRDs established before ${stepName(start)}`,
    };
  },
});
