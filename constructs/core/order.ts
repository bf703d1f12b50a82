/**
 * Orders for everything the synthesizer lists: files in a kustomization, findings, DNS records, env entries.
 *
 * `String.prototype.localeCompare` orders by the machine's locale (Danish puts `aa` after `z`, Lithuanian `y`
 * between `i` and `j`), so a tree rendered on one machine would differ from the same tree rendered on another.
 * These compare UTF-16 code units, the same everywhere.
 */

/** Code-unit order of two strings: -1, 0 or 1. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const NUMBERED = /^(.*?)(\d+)$/;

/**
 * Rule ids in catalogue order: by their letters, then by their number as a number (`NET-CIL2` before `NET-CIL10`).
 */
export function compareRuleIds(a: string, b: string): number {
  const x = NUMBERED.exec(a);
  const y = NUMBERED.exec(b);
  if (!x || !y || x[1] !== y[1]) return compareText(x?.[1] ?? a, y?.[1] ?? b) || compareText(a, b);
  return Number(x[2]) - Number(y[2]) || compareText(a, b);
}
