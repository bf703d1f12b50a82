/** The input rules (props checked at the boundary), registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { PropsMatchTypes } from './PropsMatchTypes.js';
import { NamesValid } from './NamesValid.js';
import { PortsInRange } from './PortsInRange.js';
import { CidrsAreNetworks } from './CidrsAreNetworks.js';

export const INPUT_RULES: readonly Rule[] = [PropsMatchTypes, NamesValid, PortsInRange, CidrsAreNetworks];
