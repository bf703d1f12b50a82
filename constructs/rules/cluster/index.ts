/** The cluster rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { ClusterCidrsDisjoint } from './ClusterCidrsDisjoint.js';
import { NodesInsideSubnet } from './NodesInsideSubnet.js';
import { NodesUnique } from './NodesUnique.js';
import { NodeMtuInRange } from './NodeMtuInRange.js';
import { ApiEndpointReachable } from './ApiEndpointReachable.js';
import { CiliumMtuFitsNode } from './CiliumMtuFitsNode.js';

export const CLUSTER_RULES: readonly Rule[] = [ClusterCidrsDisjoint, NodesInsideSubnet, NodesUnique, NodeMtuInRange, ApiEndpointReachable, CiliumMtuFitsNode];
