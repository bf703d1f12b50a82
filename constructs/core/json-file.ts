/**
 * Plain data written as a JSON file (a Helm values file): the same bytes for the same data on every machine.
 */

/**
 * `value` as JSON text: keys sorted at every level, `undefined` and `null` members left out (as in every rendered
 * object, whose `null` values cdk8s drops), two-space indent, one final newline.
 */
export function jsonFile(value: unknown): string {
  return `${JSON.stringify(canonical(value), null, 2)}\n`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    out[key] = canonical(v);
  }
  return out;
}
