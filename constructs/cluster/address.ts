/**
 * Address math for cluster planning, on top of the `ipaddr.js` library (through ./ip.ts, which holds the rules of
 * what counts as an address).
 *
 * Everything that compares, contains or counts addresses goes through this module so that the
 * rest of the library never parses an IP by hand.
 */
import { formatIp, ipv4Netmask, ipv4Value, ipv6Value, prefixSpan } from './ip.js';
import { memoize } from '../core/memo.js';

export type IpFamily = 4 | 6;

/** True when `value` is an IPv4 or IPv6 address literal (no prefix, no brackets). */
export function isIpLiteral(value: string): boolean {
  return isIpv4(value) || isIpv6(value);
}

export function isIpv4(value: string): boolean {
  return ipFamily(value) === 4;
}

export function isIpv6(value: string): boolean {
  return ipFamily(value) === 6;
}

/** The family of an address literal, or undefined when it is not one. */
export function ipFamily(value: string): IpFamily | undefined {
  return parsedIp(value)?.family;
}

/** An address literal's family and value; one parse per text. */
const parsedIp = memoize((value: string): { family: IpFamily; value: bigint } | undefined => {
  const v4 = ipv4Value(value);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = ipv6Value(value);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
});

/** True when `value` is a CIDR such as 10.42.0.0/16 (host bits may be set; see {@link isCanonicalCidr}). */
export function isCidr(value: string): boolean {
  const [addr, prefix, ...rest] = value.split('/');
  if (rest.length || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = ipFamily(addr);
  if (!family) return false;
  const bits = Number(prefix);
  return family === 4 ? bits <= 32 : bits <= 128;
}

/**
 * An inclusive range of addresses of one family: a CIDR, a start–stop range or a single address.
 */
export class AddressRange {
  /** Parse `a.b.c.d/n`, `a-b` or a single address. Throws a plain Error on anything else. */
  public static parse(text: string): AddressRange {
    return AddressRange.parsed(text);
  }

  /** A CIDR block. The network address is used, host bits are ignored. */
  public static cidr(cidr: string): AddressRange {
    return AddressRange.cidrs(cidr);
  }

  // Ranges are immutable, so one parse of a text serves every caller.
  private static readonly cidrs = memoize((cidr: string): AddressRange => {
    if (!isCidr(cidr)) throw new Error(`"${cidr}" is not a CIDR (expected an address and a prefix length, such as 10.42.0.0/16)`);
    const [address, prefix] = cidr.split('/');
    const { family, value } = parsedIp(address!)!;
    const [first, last] = prefixSpan(value, Number(prefix), family);
    return new AddressRange(family, first, last, cidr);
  });

  private static readonly parsed = memoize((text: string): AddressRange => {
    if (text.includes('/')) return AddressRange.cidr(text);
    if (text.includes('-')) {
      const [start, stop] = text.split('-').map((s) => s.trim());
      return AddressRange.fromTo(start, stop);
    }
    return AddressRange.fromTo(text, text);
  });

  /** An inclusive start–stop range. */
  public static fromTo(start: string, stop: string): AddressRange {
    const f1 = ipFamily(start);
    const f2 = ipFamily(stop);
    if (!f1) throw new Error(`"${start}" is not an IP address`);
    if (!f2) throw new Error(`"${stop}" is not an IP address`);
    if (f1 !== f2) throw new Error(`"${start}" and "${stop}" are of different address families`);
    const a = toBig(start, f1);
    const b = toBig(stop, f2);
    if (a > b) throw new Error(`range start ${start} is after its stop ${stop}`);
    return new AddressRange(f1, a, b, start === stop ? start : `${start}-${stop}`);
  }

  private constructor(
    public readonly family: IpFamily,
    public readonly first: bigint,
    public readonly last: bigint,
    /** The text the range was written as. */
    public readonly text: string,
  ) {}

  /** Number of addresses in the range. */
  public get size(): bigint {
    return this.last - this.first + 1n;
  }

  public get start(): string {
    return fromBig(this.first, this.family);
  }

  public get stop(): string {
    return fromBig(this.last, this.family);
  }

  /** True when `other` (an address or a range) lies entirely inside this range. */
  public contains(other: AddressRange | string): boolean {
    const o = typeof other === 'string' ? AddressRange.parse(other) : other;
    return o.family === this.family && o.first >= this.first && o.last <= this.last;
  }

  /** True when the two ranges share at least one address. */
  public overlaps(other: AddressRange): boolean {
    return other.family === this.family && other.first <= this.last && this.first <= other.last;
  }

  /** The `index`-th address of the range (0-based). */
  public at(index: bigint | number): string {
    const i = BigInt(index);
    if (i < 0n || i >= this.size) throw new Error(`index ${i} is outside ${this.text}`);
    return fromBig(this.first + i, this.family);
  }

  /** Offset of `address` from the start of the range, or -1 when outside. */
  public indexOf(address: string): bigint {
    if (!this.contains(address)) return -1n;
    return toBig(address, this.family) - this.first;
  }

  /** The netmask of a CIDR range in dotted form (IPv4 only). */
  public get netmask(): string | undefined {
    if (this.family !== 4 || !this.text.includes('/')) return undefined;
    return ipv4Netmask(this.prefixLength!);
  }

  /** Prefix length of a CIDR range. */
  public get prefixLength(): number | undefined {
    return this.text.includes('/') ? Number(this.text.split('/')[1]) : undefined;
  }

  /** Canonical text: `a/n` for CIDRs (network address), `a-b` for ranges, `a` for single addresses. */
  public toString(): string {
    if (this.text.includes('/')) return `${this.start}/${this.prefixLength}`;
    return this.size === 1n ? this.start : `${this.start}-${this.stop}`;
  }
}

/** Compare two addresses of the same family numerically (for sorting). */
export function compareIps(a: string, b: string): number {
  const fa = ipFamily(a) ?? 4;
  const fb = ipFamily(b) ?? 4;
  if (fa !== fb) return fa - fb;
  const x = toBig(a, fa);
  const y = toBig(b, fb);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Normalise an address literal (IPv6 compressed form). */
/** True for `localhost` and for a loopback address literal: 127.0.0.0/8, or ::1 however it is written. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  if (isIpv4(host)) return canonicalIp(host).startsWith('127.');
  return isIpv6(host) && canonicalIp(host) === '::1';
}

export function canonicalIp(value: string): string {
  const f = ipFamily(value);
  if (!f) return value;
  return fromBig(toBig(value, f), f);
}

function toBig(addr: string, family: IpFamily): bigint {
  const parsed = parsedIp(addr);
  if (parsed?.family !== family) throw new Error(`"${addr}" is not an IPv${family} address`);
  return parsed.value;
}

/** The numeric value of an address literal, or undefined when it is not one. */
export function ipValue(addr: string): { family: IpFamily; value: bigint } | undefined {
  const parsed = parsedIp(addr);
  return parsed && { family: parsed.family, value: parsed.value };
}

function fromBig(value: bigint, family: IpFamily): string {
  return formatted(`${family}:${value}`);
}

const formatted = memoize((key: string) => formatIp(BigInt(key.slice(2)), key[0] === '4' ? 4 : 6));
