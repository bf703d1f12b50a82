/** The node configuration rules (Talos machine config, the API VIP's holder), registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { ApiVipHeld } from './ApiVipHeld.js';
import { TalosDeclaresMachineConfig } from './TalosDeclaresMachineConfig.js';
import { TalosMachineConfigForTalos } from './TalosMachineConfigForTalos.js';
import { TalosVersionNamed } from './TalosVersionNamed.js';

export const NODE_RULES: readonly Rule[] = [ApiVipHeld, TalosVersionNamed, TalosDeclaresMachineConfig, TalosMachineConfigForTalos];
