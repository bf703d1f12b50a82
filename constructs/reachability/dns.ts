/**
 * DNS names as Cilium's DNS-based policy matches them (`toFQDNs` `matchName` / `matchPattern`, and the `rules.dns`
 * L7 rules of its DNS proxy).
 *
 * Names compare case-insensitively, without a trailing dot. In a pattern, `*` alone (or any run of `*`) matches every
 * name; elsewhere `*` matches any run of the characters a DNS label holds (letters, digits, `-`, `_`) inside one
 * label, and a leading `**.` (two or more `*`) matches one or more whole labels.
 *
 * @see https://docs.cilium.io/en/stable/security/policy/language/#dns-based
 */

/** A valid DNS name the way Cilium's `matchName` accepts it (labels of letters, digits, `-`, `_`, dot-separated). */
const NAME = /^([-a-zA-Z0-9_]+\.?)+$/;

/** Is `name` a DNS name (and not an IP literal)? */
export function isDnsName(name: string): boolean {
  return typeof name === 'string' && NAME.test(name) && !/^[0-9.]+$/.test(name);
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** One `matchName` / `matchPattern` selector. */
export interface FqdnSelector {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

/** Does the selector match `name`? */
export function fqdnMatches(selector: FqdnSelector, name: string): boolean {
  const n = normalize(name);
  if (selector.matchName !== undefined) return normalize(selector.matchName) === n;
  if (selector.matchPattern === undefined) return false;
  const pattern = normalize(selector.matchPattern);
  if (/^\*+$/.test(pattern)) return true;
  const prefix = /^\*{2,}\./.exec(pattern);
  const rest = (prefix ? pattern.slice(prefix[0].length) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[-a-z0-9_]*');
  return new RegExp(`^${prefix ? '(?:[-a-z0-9_]+\\.)+' : ''}${rest}$`).test(n);
}

/** `matchName x` / `matchPattern y`, for messages. */
export function describeFqdn(selector: FqdnSelector): string {
  return selector.matchName !== undefined ? `matchName ${selector.matchName}` : `matchPattern ${selector.matchPattern}`;
}
