import { DualGateway } from '../../dual-gateway.js';
import { ciliumView } from '../../gateway/cilium-view.js';
import { defineRule } from '../rule.js';

/** NET-GW8: a DualGateway needs Cilium's Gateway API controller with ALPN on. */
export const GatewayAlpnEnabled = defineRule({
  id: 'NET-GW8',
  level: 'error',
  title: "Gateways run on Cilium's Gateway API with ALPN (h2, http/1.1)",
  lesson:
    'Gateway listeners have no ALPN field (seed 002 set one and it did nothing): Cilium offers h2 and http/1.1 only with ' +
    "`gatewayAPI.enableAlpn`. Without it browsers fall back to HTTP/1.1, and without Cilium's Gateway API no gateway is " +
    'programmed at all.',
  source: 'seed 002 (gw-internal ALPN, ERR_QUIC_PROTOCOL_ERROR), Cilium gatewayAPI.enableAlpn',
  fix: 'Enable the Gateway API on the CiliumRelease with ALPN: `cilium.enableGatewayApi({ enableAlpn: true })` (or props gatewayApi: { enableAlpn: true }).',
  *check({ cluster }) {
    for (const gw of DualGateway.ofCluster(cluster)) {
      const cilium = ciliumView(cluster);
      if (!cilium) {
        yield {
          at: gw,
          message: `DualGateway ${gw.node.path} needs a CiliumRelease with the Gateway API enabled; the cluster has none`,
          value: 'no CiliumRelease',
          expected: 'a CiliumRelease with gatewayApi enabled',
        };
      } else if (!cilium.gatewayApiEnabled) {
        yield {
          at: cilium.release,
          message: `Cilium's Gateway API controller is off, so the gateways of ${gw.node.path} are never programmed`,
          value: 'gatewayAPI.enabled: false',
          expected: 'gatewayAPI.enabled: true',
        };
      } else if (!cilium.enableAlpn) {
        yield {
          at: cilium.release,
          message: `Cilium's gateways do not offer ALPN while ${gw.node.path} serves HTTPS; clients fall back to HTTP/1.1`,
          value: 'gatewayAPI.enableAlpn: false',
          expected: 'gatewayAPI.enableAlpn: true (h2, http/1.1)',
        };
      }
    }
  },
});
