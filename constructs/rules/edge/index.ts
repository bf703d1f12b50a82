/** The edge rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { HaproxyApiCheckAuthorized } from './HaproxyApiCheckAuthorized.js';
import { HaproxyBackendsPopulated } from './HaproxyBackendsPopulated.js';
import { HaproxyChecksSpeakTls } from './HaproxyChecksSpeakTls.js';
import { HaproxyIngressCheckExpectsRealStatus } from './HaproxyIngressCheckExpectsRealStatus.js';
import { HaproxyInputWellFormed } from './HaproxyInputWellFormed.js';
import { HaproxyVipSeparateFromHost } from './HaproxyVipSeparateFromHost.js';
import { CiliumK3sDeclaresServerConfig } from './CiliumK3sDeclaresServerConfig.js';
import { K3sConfigForCiliumCluster } from './K3sConfigForCiliumCluster.js';
import { MssClampFitsPath } from './MssClampFitsPath.js';
import { NodeFirewallCoversDatapath } from './NodeFirewallCoversDatapath.js';
import { ReducedMtuHasMssClamp } from './ReducedMtuHasMssClamp.js';
import { RegistryCacheOnPrivateNetwork } from './RegistryCacheOnPrivateNetwork.js';
import { RegistryMirrorPointsAtCache } from './RegistryMirrorPointsAtCache.js';
import { WarpIncludeMatchesRoutes } from './WarpIncludeMatchesRoutes.js';

export const EDGE_RULES: readonly Rule[] = [
  HaproxyChecksSpeakTls,
  HaproxyIngressCheckExpectsRealStatus,
  HaproxyApiCheckAuthorized,
  HaproxyVipSeparateFromHost,
  HaproxyBackendsPopulated,
  HaproxyInputWellFormed,
  NodeFirewallCoversDatapath,
  RegistryMirrorPointsAtCache,
  RegistryCacheOnPrivateNetwork,
  MssClampFitsPath,
  ReducedMtuHasMssClamp,
  K3sConfigForCiliumCluster,
  CiliumK3sDeclaresServerConfig,
  WarpIncludeMatchesRoutes,
];
