/** The l2 rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { AllocationsValid } from './AllocationsValid.js';
import { AnnouncedInterfacesAreDevices } from './AnnouncedInterfacesAreDevices.js';
import { Ipv6NotAnnounced } from './Ipv6NotAnnounced.js';
import { L2AnnouncementsEnabled } from './L2AnnouncementsEnabled.js';
import { L2PolicyAnnounces } from './L2PolicyAnnounces.js';
import { LeaseTimingsValid } from './LeaseTimingsValid.js';
import { LoadBalancersPinned } from './LoadBalancersPinned.js';
import { LocalPolicyNeedsBackendOnAnnouncers } from './LocalPolicyNeedsBackendOnAnnouncers.js';
import { OneL2PolicyPerService } from './OneL2PolicyPerService.js';
import { PoolAvoidsReservedAddresses } from './PoolAvoidsReservedAddresses.js';
import { PoolBlocksWellFormed } from './PoolBlocksWellFormed.js';
import { PoolInsideNodeSubnet } from './PoolInsideNodeSubnet.js';
import { PoolNotExhausted } from './PoolNotExhausted.js';
import { PoolsDisjoint } from './PoolsDisjoint.js';
import { SharedAddressesCompatible } from './SharedAddressesCompatible.js';

export const L2_RULES: readonly Rule[] = [
  PoolBlocksWellFormed,
  PoolInsideNodeSubnet,
  PoolsDisjoint,
  PoolAvoidsReservedAddresses,
  AllocationsValid,
  PoolNotExhausted,
  OneL2PolicyPerService,
  L2AnnouncementsEnabled,
  LeaseTimingsValid,
  LocalPolicyNeedsBackendOnAnnouncers,
  Ipv6NotAnnounced,
  LoadBalancersPinned,
  L2PolicyAnnounces,
  SharedAddressesCompatible,
  AnnouncedInterfacesAreDevices,
];
