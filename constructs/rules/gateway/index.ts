/** The gateway rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { BackendsExist } from './BackendsExist.js';
import { ExternalRoutesDeclared } from './ExternalRoutesDeclared.js';
import { GatewayAddressesDistinct } from './GatewayAddressesDistinct.js';
import { GatewayAlpnEnabled } from './GatewayAlpnEnabled.js';
import { GatewayApiChannelServesRoutes } from './GatewayApiChannelServesRoutes.js';
import { HostServedOncePerGateway } from './HostServedOncePerGateway.js';
import { InternalRoutesClearAltSvc } from './InternalRoutesClearAltSvc.js';
import { L4RouteSupported } from './L4RouteSupported.js';
import { LanReachesExternalHosts } from './LanReachesExternalHosts.js';
import { RouteHostsCovered } from './RouteHostsCovered.js';
import { ExposeCallsWellFormed } from './ExposeCallsWellFormed.js';
import { OneDualGatewayPerCluster } from './OneDualGatewayPerCluster.js';
import { CoreDnsCustomImported } from './CoreDnsCustomImported.js';

export const GATEWAY_RULES: readonly Rule[] = [
  HostServedOncePerGateway,
  RouteHostsCovered,
  BackendsExist,
  GatewayAddressesDistinct,
  LanReachesExternalHosts,
  L4RouteSupported,
  GatewayApiChannelServesRoutes,
  GatewayAlpnEnabled,
  ExternalRoutesDeclared,
  ExposeCallsWellFormed,
  OneDualGatewayPerCluster,
  CoreDnsCustomImported,
  InternalRoutesClearAltSvc,
];
