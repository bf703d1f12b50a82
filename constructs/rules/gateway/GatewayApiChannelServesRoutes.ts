import { Cluster } from '../../cluster.js';
import { channelServes, GatewayApiCrds } from '../../gateway-api-crds.js';
import { defineRule } from '../rule.js';
import { isGatewayApi } from './model.js';

/** NET-GW7: the installed Gateway API CRD channel serves every Gateway API version the tree renders. */
export const GatewayApiChannelServesRoutes = defineRule({
  id: 'NET-GW7',
  level: 'error',
  title: 'The Gateway API CRD channel serves every route version rendered',
  lesson:
    'Before Gateway API v1.5 the standard channel has no TLSRoute or TCPRoute at all, and v1.6 serves them as v1 only; ' +
    'v1alpha2 (what Cilium 1.18/1.19 watch for TLSRoute) is served by the experimental channel alone. With the standard ' +
    'bundle, a v1alpha2 route is rejected at apply time ("no matches for kind") and the whole layer stops.',
  source: 'Gateway API v1.6.1 CRDs (standard/experimental), gateway-api#4842, cilium#44920',
  fix: 'Install the experimental channel: CiliumRelease gatewayApi `crdChannel: GatewayApiChannel.EXPERIMENTAL`, or leave crdChannel unset so it is chosen from the routes.',
  *check({ cluster, objects }) {
    const crds = GatewayApiCrds.of(cluster as Cluster);
    if (!crds) return;
    const channel = crds.channel;
    for (const o of objects.filter(isGatewayApi)) {
      if (channelServes(crds.version, channel, o.apiVersion, o.kind) === false) {
        yield {
          at: o.path,
          message: `${o.kind} ${o.namespace}/${o.name} is ${o.apiVersion}, which the ${channel} channel of Gateway API ${crds.version} does not serve`,
          value: `${o.apiVersion} ${o.kind} with the ${channel} channel`,
          expected: `an apiVersion the ${channel} channel serves, or the experimental channel`,
        };
      }
    }
  },
});
