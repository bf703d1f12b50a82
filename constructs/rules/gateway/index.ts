/** The gateway rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';

export const GATEWAY_RULES: readonly Rule[] = [];
