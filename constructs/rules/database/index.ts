/** The database rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { ApiServerMatchableOnCilium } from './ApiServerMatchableOnCilium.js';
import { ClientSelectorMatches } from './ClientSelectorMatches.js';
import { DatabaseHasClients } from './DatabaseHasClients.js';
import { DatabaseReachableOnlyFromClients } from './DatabaseReachableOnlyFromClients.js';
import { ExternalDatabaseByName } from './ExternalDatabaseByName.js';
import { PolicySelectsPods } from './PolicySelectsPods.js';

export const DATABASE_RULES: readonly Rule[] = [
  PolicySelectsPods,
  ClientSelectorMatches,
  DatabaseHasClients,
  DatabaseReachableOnlyFromClients,
  ApiServerMatchableOnCilium,
  ExternalDatabaseByName,
];
