/** The meta rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { AcknowledgementsValid } from './AcknowledgementsValid.js';
import { AcknowledgementsUsed } from './AcknowledgementsUsed.js';
import { RulesDoNotCrash } from './RulesDoNotCrash.js';

export const META_RULES: readonly Rule[] = [AcknowledgementsValid, AcknowledgementsUsed, RulesDoNotCrash];
