/** The l2 rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';

export const L2_RULES: readonly Rule[] = [];
