/** The database rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';

export const DATABASE_RULES: readonly Rule[] = [];
