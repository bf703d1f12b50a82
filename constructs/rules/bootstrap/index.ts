/** The bootstrap rules (the apply order, proved offline), registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { CiliumGatewayApiAtStart } from './CiliumGatewayApiAtStart.js';
import { CniBeforePods } from './CniBeforePods.js';
import { CrdBeforeCustomResource } from './CrdBeforeCustomResource.js';
import { EngineAdoptsCilium } from './EngineAdoptsCilium.js';
import { HealthGatesReported } from './HealthGatesReported.js';

export const BOOTSTRAP_RULES: readonly Rule[] = [CrdBeforeCustomResource, CniBeforePods, CiliumGatewayApiAtStart, HealthGatesReported, EngineAdoptsCilium];
