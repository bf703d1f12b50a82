/**
 * CIDR containment on top of ip-num, for `ipBlock` and Cilium `toCIDR` peers.
 */
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange, Validator } from 'ip-num';

/** A parsed CIDR that answers whether it contains an address. */
export interface Cidr {
  /** The CIDR as written. */
  readonly text: string;
  /** Does this CIDR contain `ip`? An address of the other family is never contained. */
  contains(ip: string): boolean;
}

/** Is `ip` a valid IPv4 or IPv6 address? */
export function isIp(ip: string): boolean {
  return Validator.isValidIPv4String(ip)[0] || Validator.isValidIPv6String(ip)[0];
}

/**
 * Parses a CIDR (IPv4 or IPv6). Host bits may be set (`10.0.0.1/8` means `10.0.0.0/8`), as Kubernetes
 * tolerates them in `ipBlock.cidr`.
 *
 * @returns undefined when `text` is not a CIDR.
 */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  if (Validator.isValidIPv4CidrNotation(text)[0]) {
    const range = IPv4CidrRange.fromCidr(text);
    return {
      text,
      contains: (ip) => Validator.isValidIPv4String(ip)[0] && range.contains(IPv4.fromString(ip)),
    };
  }
  if (Validator.isValidIPv6CidrNotation(text)[0]) {
    const range = IPv6CidrRange.fromCidr(text);
    return {
      text,
      contains: (ip) => Validator.isValidIPv6String(ip)[0] && range.contains(IPv6.fromString(ip)),
    };
  }
  return undefined;
}
