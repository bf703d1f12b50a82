/** The cilium rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { ApiServerHostServesApi } from './ApiServerHostServesApi.js';
import { ApiServerHostSetOnce } from './ApiServerHostSetOnce.js';
import { ApiServerWithoutDns } from './ApiServerWithoutDns.js';
import { BbrNeedsBpfHostRouting } from './BbrNeedsBpfHostRouting.js';
import { BpfMasqueradeNeedsKpr } from './BpfMasqueradeNeedsKpr.js';
import { ClientRateLimitCoversLeases } from './ClientRateLimitCoversLeases.js';
import { DatapathChangeOnLiveCluster } from './DatapathChangeOnLiveCluster.js';
import { GatewayApiCrdsMatch } from './GatewayApiCrdsMatch.js';
import { GatewayApiCrdsUpgradeSafe } from './GatewayApiCrdsUpgradeSafe.js';
import { GatewayApiNeedsKpr } from './GatewayApiNeedsKpr.js';
import { GatewayLocalPolicyAnnounced } from './GatewayLocalPolicyAnnounced.js';
import { GatewayTrafficPolicy } from './GatewayTrafficPolicy.js';
import { HubbleUiNeedsRelay } from './HubbleUiNeedsRelay.js';
import { L2AnnouncementsNeedKpr } from './L2AnnouncementsNeedKpr.js';
import { NativeRoutingCidr } from './NativeRoutingCidr.js';
import { NativeRoutingInstallsRoutes } from './NativeRoutingInstallsRoutes.js';
import { OperatorReplicas } from './OperatorReplicas.js';
import { PodCidrMatchesCluster } from './PodCidrMatchesCluster.js';
import { TalosSettings } from './TalosSettings.js';
import { ValuesExistInChart } from './ValuesExistInChart.js';

export const CILIUM_RULES: readonly Rule[] = [
  ApiServerWithoutDns,
  ValuesExistInChart,
  NativeRoutingCidr,
  L2AnnouncementsNeedKpr,
  GatewayApiNeedsKpr,
  HubbleUiNeedsRelay,
  GatewayTrafficPolicy,
  OperatorReplicas,
  GatewayApiCrdsMatch,
  DatapathChangeOnLiveCluster,
  ClientRateLimitCoversLeases,
  TalosSettings,
  BpfMasqueradeNeedsKpr,
  BbrNeedsBpfHostRouting,
  GatewayLocalPolicyAnnounced,
  GatewayApiCrdsUpgradeSafe,
  ApiServerHostSetOnce,
  ApiServerHostServesApi,
  PodCidrMatchesCluster,
  NativeRoutingInstallsRoutes,
];
