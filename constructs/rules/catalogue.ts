/**
 * The rule catalogue: every rule the synthesizer runs, in id order. RULES.md is generated from it
 * (`npm run rules:doc`).
 */
import { ApiEndpointReachable } from './cluster/ApiEndpointReachable.js';
import { ClusterCidrsDisjoint } from './cluster/ClusterCidrsDisjoint.js';
import { NodeMtuInRange } from './cluster/NodeMtuInRange.js';
import { NodesInsideSubnet } from './cluster/NodesInsideSubnet.js';
import { NodesUnique } from './cluster/NodesUnique.js';
import { AcknowledgementsUsed } from './meta/AcknowledgementsUsed.js';
import { AcknowledgementsValid } from './meta/AcknowledgementsValid.js';
import { RulesDoNotCrash } from './meta/RulesDoNotCrash.js';
import { ForeignFilesKept } from './output/ForeignFilesKept.js';
import { ObjectRenderedOnce } from './output/ObjectRenderedOnce.js';
import { RemovedClusterFolders } from './output/RemovedClusterFolders.js';
import type { Rule } from './rule.js';
import { CILIUM_RULES } from './cilium/index.js';
import { DATABASE_RULES } from './database/index.js';
import { EDGE_RULES } from './edge/index.js';
import { GATEWAY_RULES } from './gateway/index.js';
import { HYGIENE_RULES } from './hygiene/index.js';
import { L2_RULES } from './l2/index.js';
import { KnownKinds } from './schema/KnownKinds.js';
import { NoUnknownFields } from './schema/NoUnknownFields.js';
import { ObjectNamesValid } from './schema/ObjectNamesValid.js';
import { ObjectsMatchSchema } from './schema/ObjectsMatchSchema.js';
import { ServedApiVersions } from './schema/ServedApiVersions.js';
import { compareRuleIds } from '../order.js';

const ALL: Rule[] = [
  // cluster
  ClusterCidrsDisjoint,
  NodesInsideSubnet,
  NodesUnique,
  NodeMtuInRange,
  ApiEndpointReachable,
  // output
  ObjectRenderedOnce,
  ForeignFilesKept,
  RemovedClusterFolders,
  // schema
  ObjectsMatchSchema,
  NoUnknownFields,
  KnownKinds,
  ObjectNamesValid,
  ServedApiVersions,
  // meta
  AcknowledgementsValid,
  AcknowledgementsUsed,
  RulesDoNotCrash,
  ...CILIUM_RULES,
  ...L2_RULES,
  ...GATEWAY_RULES,
  ...DATABASE_RULES,
  ...EDGE_RULES,
  ...HYGIENE_RULES,
];

/** Every rule, sorted by id. */
export const RULES: readonly Rule[] = [...ALL].sort((a, b) => compareRuleIds(a.id, b.id));

/** Look a rule up by id. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
