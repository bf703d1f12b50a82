/**
 * The rule catalogue: every rule the synthesizer runs, in id order. Each area's pack is its rules/<area>/index.ts;
 * RULES.md is generated from this list (`npm run rules:doc`).
 */
import type { Rule } from './rule.js';
import { BOOTSTRAP_RULES } from './bootstrap/index.js';
import { CILIUM_RULES } from './cilium/index.js';
import { CLUSTER_RULES } from './cluster/index.js';
import { DATABASE_RULES } from './database/index.js';
import { EDGE_RULES } from './edge/index.js';
import { GATEWAY_RULES } from './gateway/index.js';
import { HYGIENE_RULES } from './hygiene/index.js';
import { INPUT_RULES } from './input/index.js';
import { L2_RULES } from './l2/index.js';
import { META_RULES } from './meta/index.js';
import { NODE_RULES } from './node/index.js';
import { OUTPUT_RULES } from './output/index.js';
import { SCHEMA_RULES } from './schema/index.js';
import { compareRuleIds } from '../core/order.js';
import { RULE_FORWARDS } from '../acknowledgements.js';

const PACKS: readonly (readonly Rule[])[] = [
  CLUSTER_RULES,
  INPUT_RULES,
  OUTPUT_RULES,
  SCHEMA_RULES,
  META_RULES,
  CILIUM_RULES,
  L2_RULES,
  GATEWAY_RULES,
  DATABASE_RULES,
  EDGE_RULES,
  NODE_RULES,
  HYGIENE_RULES,
  BOOTSTRAP_RULES,
];

/** Every rule, sorted by id. */
export const RULES: readonly Rule[] = PACKS.flat().sort((a, b) => compareRuleIds(a.id, b.id));

/** Look a rule up by id; an id merged into another rule (RULE_FORWARDS) finds that rule. */
export function ruleById(id: string): Rule | undefined {
  const target = RULE_FORWARDS.get(id) ?? id;
  return RULES.find((r) => r.id === target);
}
