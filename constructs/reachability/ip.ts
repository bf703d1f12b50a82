/**
 * CIDR containment on top of ipaddr.js (through ../cluster/ip.ts), for `ipBlock` and Cilium `toCIDR` peers.
 */
import { ipFamily, ipValue } from '../cluster/address.js';
import { cidrNotation } from '../cluster/ip.js';
import { memoize } from '../core/memo.js';

/** A parsed CIDR that answers whether it contains an address. */
export interface Cidr {
  /** The CIDR as written. */
  readonly text: string;
  /** Does this CIDR contain `ip`? An address of the other family is never contained. */
  contains(ip: string): boolean;
}

/** Is `ip` a valid IPv4 or IPv6 address? */
export function isIp(ip: string): boolean {
  return ipFamily(ip) !== undefined;
}

/**
 * Parses a CIDR (IPv4 or IPv6). Host bits may be set (`10.0.0.1/8` means `10.0.0.0/8`), as Kubernetes
 * tolerates them in `ipBlock.cidr`.
 *
 * @returns undefined when `text` is not a CIDR.
 */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  return parsed(text);
}

/** A parsed CIDR is immutable: one parse per text. */
const parsed = memoize((text: string): Cidr | undefined => {
  const cidr = cidrNotation(text);
  if (!cidr) return undefined;
  const { family, first, last } = cidr;
  return {
    text,
    contains: (ip) => within(ipValue(ip), family, first, last),
  };
});

/** An address of the other family, or not an address, is never within. */
function within(ip: { family: 4 | 6; value: bigint } | undefined, family: 4 | 6, first: bigint, last: bigint): boolean {
  return ip !== undefined && ip.family === family && ip.value >= first && ip.value <= last;
}
