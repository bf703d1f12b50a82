/**
 * Validates Talos machine-config patches against Talos' own JSON schema (JSON Schema 2020-12, read from
 * ../shared/upstream/talos/v1.1x/config.schema.json, never copied into the project).
 *
 * Patches are partial: the schema's `required` lists are dropped, everything else is kept, so an unknown field is still
 * an error (every object there sets additionalProperties: false). A multi-document patch is validated document by
 * document, each against the definition of its kind (`v1alpha1.Config` for the document without a kind).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { SHARED_DIR, UPSTREAM_REQUIRED } from '../helpers.js';

export const TALOS_SCHEMA_DIR = join(SHARED_DIR, 'upstream', 'talos');
export const talosSchemasAvailable = ['1.11', '1.12'].every((v) => existsSync(join(TALOS_SCHEMA_DIR, `v${v}`, 'config.schema.json')));

if (!talosSchemasAvailable) {
  // .ci/run runs beside ../shared and sets NETKIT_UPSTREAM_REQUIRED=1: there a missing schema is an error, not a skip
  if (UPSTREAM_REQUIRED) throw new Error(`[talos-schema] ${TALOS_SCHEMA_DIR} not found, and the upstream data is required`);
  console.warn(`SKIPPED: [talos-schema] ${TALOS_SCHEMA_DIR} not found: skipping the checks of Talos patches against Talos' JSON schemas.`);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A copy of the schema without `required` lists (only where `required` is a keyword: an array beside a schema). */
function withoutRequired(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutRequired);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'required' && Array.isArray(v)) continue;
    // property names are data, not keywords: a property called "required" is kept
    out[k] =
      k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, withoutRequired(s)]))
        : withoutRequired(v);
  }
  return out;
}

export interface TalosPatchValidator {
  /** Every problem of one document, as `<pointer> <message>`; empty when valid. */
  validateDocument(doc: unknown): string[];
  /** The definition a document is checked against. */
  definitionOf(doc: unknown): string | undefined;
}

const cache = new Map<string, TalosPatchValidator>();

/** The validator for a Talos minor ('1.11' or '1.12'). */
export function talosPatchValidator(version: string): TalosPatchValidator {
  const cached = cache.get(version);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(join(TALOS_SCHEMA_DIR, `v${version}`, 'config.schema.json'), 'utf8')) as { $id: string; $defs: Record<string, Json> };
  const partial = withoutRequired(schema as unknown as Json) as typeof schema;
  // strict: false: the schema carries editor keywords (markdownDescription, x-intellij-html-description)
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(partial);
  const compiled = new Map<string, ValidateFunction>();
  const byKind = new Map<string, string>();
  for (const [name, def] of Object.entries(schema.$defs)) {
    const kinds = (def as { properties?: { kind?: { enum?: string[] } } }).properties?.kind?.enum;
    for (const k of kinds ?? []) byKind.set(k, name);
  }
  const definitionOf = (doc: unknown): string | undefined => {
    const kind = doc && typeof doc === 'object' ? (doc as { kind?: unknown }).kind : undefined;
    return kind === undefined ? 'v1alpha1.Config' : typeof kind === 'string' ? byKind.get(kind) : undefined;
  };
  const validator: TalosPatchValidator = {
    definitionOf,
    validateDocument(doc) {
      const def = definitionOf(doc);
      if (!def) return [`/kind unknown document kind ${JSON.stringify((doc as { kind?: unknown }).kind)} in Talos ${version}`];
      let validate = compiled.get(def);
      if (!validate) {
        validate = ajv.getSchema(`${schema.$id}#/$defs/${def}`)!;
        compiled.set(def, validate);
      }
      if (validate(doc)) return [];
      return (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      );
    },
  };
  cache.set(version, validator);
  return validator;
}
