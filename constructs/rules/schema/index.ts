/** The schema rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { ObjectsMatchSchema } from './ObjectsMatchSchema.js';
import { NoUnknownFields } from './NoUnknownFields.js';
import { KnownKinds } from './KnownKinds.js';
import { ObjectNamesValid } from './ObjectNamesValid.js';
import { ServedApiVersions } from './ServedApiVersions.js';

export const SCHEMA_RULES: readonly Rule[] = [ObjectsMatchSchema, NoUnknownFields, KnownKinds, ObjectNamesValid, ServedApiVersions];
