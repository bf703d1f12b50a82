/**
 * Address literals and CIDR notation on top of `ipaddr.js`: the parsing, validation and formatting under
 * ./address.ts and the edge and reachability checks. Internal: not exported from the package.
 *
 * What counts as an address is what the library accepted when it ran on ip-num (compared on ~100,000 generated
 * inputs), stricter than `ipaddr.js` on its own. Where ip-num threw (IPv6 CIDRs with a dotted tail or a `/064`
 * prefix in AddressRange.cidr), accepted odd zone-id CIDRs (`fe80::%eth0/+8`) or wrote invalid IPv6 text (two `::`
 * for some values), this module does what the rules below say instead:
 *
 * - IPv4 is a dotted quad of decimal octets without leading zeros (`10.0.0.1`, not `010.0.0.1`, `0xa.0.0.1`, `10.1`
 *   or `167772161`): `inet_aton` would read such forms differently from a plain reading.
 * - IPv6 is hexadecimal groups of one to four digits with at most one `::`, optionally ending in a dotted-quad IPv4
 *   address held to the same rule (`::ffff:10.0.0.1`), optionally followed by an alphanumeric zone id (`%eth0`),
 *   which is dropped from the value. `::a.b.c.d` is the IPv4-compatible address `::a.b.c.d`, not `::ffff:a.b.c.d`.
 * - IPv6 is written out compressed as RFC 5952 asks (lower case, longest run of zero groups as `::`).
 */
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

/** The numeric value of a strict dotted-quad IPv4 literal, or undefined when it is not one. */
export function ipv4Value(text: string): bigint | undefined {
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? fromBytes(ipaddr.IPv4.parse(text).toByteArray()) : undefined;
}

/** The numeric value of an IPv6 literal (see the module comment for the rules), or undefined when it is not one. */
export function ipv6Value(text: string): bigint | undefined {
  if (!text.includes(':') || !ipaddr.IPv6.isValid(text)) return undefined;
  if (text.includes('.')) {
    // ipaddr.js reads the embedded IPv4 address loosely (octal, hex); hold it to the dotted-quad rule
    const bare = text.split('%')[0]!;
    const colon = bare.lastIndexOf(':');
    const v4 = ipv4Value(bare.slice(colon + 1));
    if (v4 === undefined) return undefined;
    // `::a.b.c.d` alone: ipaddr.js maps it to ::ffff:a.b.c.d, its value is a.b.c.d's
    if (colon === 1) return v4;
  }
  return fromBytes(ipaddr.IPv6.parse(text).toByteArray());
}

/** The text of an address value: dotted quad, or RFC 5952 for IPv6. */
export function formatIp(value: bigint, family: Family): string {
  return ipaddr.fromByteArray(toBytes(value, family === 4 ? 4 : 16)).toString();
}

/** The first and last address of the `prefix`-long network around `value`. */
export function prefixSpan(value: bigint, prefix: number, family: Family): [first: bigint, last: bigint] {
  const host = (1n << BigInt((family === 4 ? 32 : 128) - prefix)) - 1n;
  const first = value & ~host;
  return [first, first | host];
}

/** Dotted netmask of an IPv4 prefix length: 24 → 255.255.255.0. */
export function ipv4Netmask(prefix: number): string {
  return ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString();
}

/** A CIDR read by {@link cidrNotation}. */
export interface CidrNotation {
  readonly family: Family;
  /** The address as written (host bits may be set). */
  readonly value: bigint;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * A CIDR in strict notation, the form `ipBlock`, `toCIDR` and the edge inputs take: an address as above and a prefix
 * length of at most 32 or 128. An IPv4 prefix may have leading zeros (`/08`), an IPv6 prefix may not, and the IPv6
 * address may not end in a dotted quad. Host bits may be set.
 */
export function cidrNotation(text: string): CidrNotation | undefined {
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
    return notation(4, fromBytes(address.toByteArray()), prefix);
  }
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length || prefix === undefined || !/^(0|[1-9]\d*)$/.test(prefix) || Number(prefix) > 128) return undefined;
  if (address!.includes('.')) return undefined;
  const value = ipv6Value(address!);
  return value === undefined ? undefined : notation(6, value, Number(prefix));
}

/** True when `text` is a CIDR of `family` in {@link cidrNotation} whose address is its network's first, with no zone id. */
export function isNetworkCidr(text: string, family: Family): boolean {
  const c = cidrNotation(text);
  return c !== undefined && c.family === family && c.value === c.first && !text.includes('%');
}

function notation(family: Family, value: bigint, prefix: number): CidrNotation {
  const [first, last] = prefixSpan(value, prefix, family);
  return { family, value, prefix, first, last };
}

function fromBytes(bytes: readonly number[]): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function toBytes(value: bigint, length: number): number[] {
  const bytes = new Array<number>(length);
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}
