/**
 * CIDR containment on top of ip-num, for `ipBlock` and Cilium `toCIDR` peers.
 */
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange, Validator } from 'ip-num';
import { memoize } from '../net/memo.js';

/** A parsed CIDR that answers whether it contains an address. */
export interface Cidr {
  /** The CIDR as written. */
  readonly text: string;
  /** Does this CIDR contain `ip`? An address of the other family is never contained. */
  contains(ip: string): boolean;
}

/** Is `ip` a valid IPv4 or IPv6 address? */
export function isIp(ip: string): boolean {
  return familyOf(ip) !== undefined;
}

const familyOf = memoize((ip: string): 4 | 6 | undefined => (Validator.isValidIPv4String(ip)[0] ? 4 : Validator.isValidIPv6String(ip)[0] ? 6 : undefined));
const v4Value = memoize((ip: string) => IPv4.fromString(ip).getValue());
const v6Value = memoize((ip: string) => IPv6.fromString(ip).getValue());

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
  if (Validator.isValidIPv4CidrNotation(text)[0]) {
    const range = IPv4CidrRange.fromCidr(text);
    const first = range.getFirst().getValue();
    const last = range.getLast().getValue();
    return {
      text,
      contains: (ip) => familyOf(ip) === 4 && within(v4Value(ip), first, last),
    };
  }
  if (Validator.isValidIPv6CidrNotation(text)[0]) {
    const range = IPv6CidrRange.fromCidr(text);
    const first = range.getFirst().getValue();
    const last = range.getLast().getValue();
    return {
      text,
      contains: (ip) => familyOf(ip) === 6 && within(v6Value(ip), first, last),
    };
  }
  return undefined;
});

function within(value: bigint, first: bigint, last: bigint): boolean {
  return value >= first && value <= last;
}
