/**
 * What counts as an address or a CIDR, and how IPv6 is written out: the rules the library kept when its IP library
 * changed (ip-num → ipaddr.js). ipaddr.js alone is looser (octal, hex and short IPv4 forms, loose IPv4 inside IPv6,
 * `::a.b.c.d` read as `::ffff:a.b.c.d`); these pin the strict answers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMssClampInput, isIPv4, isIPv4Cidr, netmaskOf } from '../../constructs/edge/index.js';
import { AddressRange, canonicalIp, compareIps, ipFamily, ipValue, isCidr, isIpv6, isLoopbackHost } from '../../constructs/cluster/address.js';
import { parseCidr } from '../../constructs/reachability/ip.js';

describe('address literals', () => {
  it.each(['0.0.0.0', '10.0.0.1', '192.168.1.254', '255.255.255.255'])('%s is IPv4', (ip) => {
    expect(ipFamily(ip)).toBe(4);
    expect(isIPv4(ip)).toBe(true);
  });

  it.each([
    '010.0.0.1', // leading zero: octal to inet_aton
    '10.0.0.01',
    '00.0.0.0',
    '0x0a.0.0.1', // hex
    '10.1', // short forms
    '10.0.1',
    '167772161',
    '256.0.0.1',
    '1.2.3.4.5',
    '1..2.3',
    ' 10.0.0.1',
    '10.0.0.1 ',
    '+1.2.3.4',
    '',
  ])('%j is not an address', (ip) => {
    expect(ipFamily(ip)).toBeUndefined();
    expect(isIPv4(ip)).toBe(false);
    expect(ipValue(ip)).toBeUndefined();
    expect(() => AddressRange.parse(ip)).toThrow();
  });

  it.each([
    ['::', 0n],
    ['::1', 1n],
    ['FD00::ABCD', 0xfd00_0000_0000_0000_0000_0000_0000_abcdn],
    ['2001:0db8::0001', 0x2001_0db8_0000_0000_0000_0000_0000_0001n],
    ['1:2:3:4:5:6:7::', 0x0001_0002_0003_0004_0005_0006_0007_0000n],
    ['::2:3:4:5:6:7:8', 0x0000_0002_0003_0004_0005_0006_0007_0008n],
    ['::ffff:10.0.0.1', 0xffff_0a00_0001n],
    ['1:2:3:4:5:6:10.0.0.1', 0x0001_0002_0003_0004_0005_0006_0a00_0001n],
    ['::10.0.0.1', 0x0a00_0001n], // IPv4-compatible, not mapped to ::ffff:10.0.0.1
    ['fe80::1%eth0', 0xfe80_0000_0000_0000_0000_0000_0000_0001n], // the zone id is not part of the value
  ])('%s is IPv6 with value %s', (ip, value) => {
    expect(ipFamily(ip)).toBe(6);
    expect(ipValue(ip)).toEqual({ family: 6, value });
  });

  it.each([
    '1::2::3',
    '00001::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2:3:4:5:6:7:8',
    ':1::',
    '1::2:',
    'g::1',
    'fe80::1%',
    'fe80::1%eth-0',
    'fe80::1%a%b',
    '::ffff:010.0.0.1',
    '::ffff:0xa.0.0.1',
    '::ffff:10.1',
    '::ffff:256.0.0.1',
    '::010.0.0.1',
    '1:2:3:4:5:6:7:10.0.0.1',
    '[::1]',
  ])('%j is not an address', (ip) => {
    expect(ipFamily(ip)).toBeUndefined();
    expect(ipValue(ip)).toBeUndefined();
  });
});

describe('IPv6 text', () => {
  it.each([
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // the first of two equal runs
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'], // the longest run
    ['1:0:0:0:0:0:0:0', '1::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['1:2:3:4:5:6:7:0', '1:2:3:4:5:6:7:0'], // a single zero group is not shortened
    ['0:2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
    ['0:0:1:0:0:0:0:0', '0:0:1::'],
    ['0:0:0:1:0:0:0:0', '0:0:0:1::'], // the later run is longer,
    ['::ffff:0:0', '::ffff:0:0'],
    ['::ffff:10.0.0.1', '::ffff:a00:1'],
    ['FD00:0:0:0:0:0:0:ABCD', 'fd00::abcd'],
    ['fe80::1%eth0', 'fe80::1'],
  ])('%s is written %s', (ip, text) => {
    expect(canonicalIp(ip)).toBe(text);
  });

  it('writes ranges and CIDRs the same way', () => {
    const r = AddressRange.parse('fd00:10:42::1/56');
    expect([r.start, r.stop, r.toString()]).toEqual(['fd00:10:42::', 'fd00:10:42:ff:ffff:ffff:ffff:ffff', 'fd00:10:42::/56']);
    expect(AddressRange.parse('::/0').toString()).toBe('::/0');
    expect(AddressRange.parse('::1-::ff').toString()).toBe('::1-::ff');
  });

  /** RFC 5952 section 4, written out independently of the library. */
  const rfc5952 = (groups: readonly number[]): string => {
    let best = -1;
    let len = 1; // a run must be longer than one group
    for (let i = 0; i < 8; i++) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > len) [best, len] = [i, j - i];
    }
    const hex = groups.map((g) => g.toString(16));
    return best < 0 ? hex.join(':') : `${hex.slice(0, best).join(':')}::${hex.slice(best + len).join(':')}`;
  };

  it('is RFC 5952 text that reads back to the same value', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
        const text = canonicalIp(full);
        expect(text).toBe(rfc5952(groups));
        expect(ipValue(text)).toEqual(ipValue(full));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CIDRs', () => {
  it('isCidr: an address, one slash, a prefix of up to three digits within the family', () => {
    for (const c of ['10.0.0.0/8', '10.0.0.1/8', '10.0.0.0/08', '10.0.0.0/0', '1.2.3.4/32', 'fd00::/64', 'fd00::/064', '::/0', '::ffff:10.0.0.0/120']) {
      expect(isCidr(c), c).toBe(true);
    }
    expect(ipFamily('10.0.0.0/8')).toBeUndefined();
    for (const c of [
      '10.0.0.0',
      '10.0.0.0/',
      '/8',
      '10.0.0.0/0008',
      '10.0.0.0/33',
      '10.0.0.0/8/8',
      '10.0.0.0/+8',
      '10.0.0.0/ 8',
      '010.0.0.0/8',
      '10.1/8',
      'fd00::/129',
    ]) {
      expect(isCidr(c), c).toBe(false);
    }
  });

  it('a CIDR range is its network, whatever the host bits', () => {
    const r = AddressRange.cidr('10.0.0.1/08');
    expect([r.start, r.stop, r.size, r.netmask, r.prefixLength, r.toString()]).toEqual(['10.0.0.0', '10.255.255.255', 16777216n, '255.0.0.0', 8, '10.0.0.0/8']);
    expect(AddressRange.cidr('192.168.1.77/0').toString()).toBe('0.0.0.0/0');
    expect(AddressRange.cidr('192.168.1.77/0').netmask).toBe('0.0.0.0');
    expect(AddressRange.cidr('::ffff:10.0.0.1/120').toString()).toBe('::ffff:a00:0/120');
    expect(() => AddressRange.cidr('010.0.0.0/8')).toThrow(/is not a CIDR/);
  });

  it('parseCidr (ipBlock, toCIDR): IPv4 prefixes may have leading zeros, IPv6 prefixes and dotted IPv6 may not', () => {
    expect(parseCidr('10.0.0.0/08')?.contains('10.9.9.9')).toBe(true);
    // accepted as /8 (isCidr, which the constructs' own inputs go through, takes at most three digits)
    expect(parseCidr('10.0.0.0/0008')?.contains('10.1.1.1')).toBe(true);
    expect(parseCidr('10.0.0.0/0008')?.contains('11.0.0.0')).toBe(false);
    expect(parseCidr('10.0.0.1/8')?.contains('10.255.255.255')).toBe(true);
    expect(parseCidr('2001:db8::/32')?.contains('2001:db8:ffff::1')).toBe(true);
    expect(parseCidr('2001:db8::/32')?.contains('10.0.0.1')).toBe(false);
    expect(parseCidr('fe80::%eth0/64')?.contains('fe80::5')).toBe(true);
    for (const c of ['10.0.0.0/33', '010.0.0.0/8', '10.0.0.0', '10.0.0.0/+8', 'fd00::/064', 'fd00::/129', '::ffff:10.0.0.0/120', 'fe80::%eth-0/64']) {
      expect(parseCidr(c), c).toBeUndefined();
    }
  });

  it('edge inputs: a network CIDR has no host bits set', () => {
    expect(isIPv4Cidr('10.27.27.0/24')).toBe(true);
    expect(isIPv4Cidr('10.27.27.0/024')).toBe(true);
    expect(isIPv4Cidr('10.27.27.1/24')).toBe(false);
    expect(isIPv4Cidr('10.27.27.0/33')).toBe(false);
    expect(isIPv4Cidr('fd00::/64')).toBe(false);
    const mss = (subnet: string) => checkMssClampInput({ subnet, pathMtu: 1400 }).map((p) => p.id);
    expect(mss('10.27.27.0/24')).toEqual([]);
    expect(mss('fd00:27::/64')).toEqual([]);
    for (const s of ['10.27.27.1/24', 'fd00:27::1/64', 'fd00:27::/064', 'fe80::%eth0/64', '::ffff:10.0.0.0/120', '10.27.27.0']) {
      expect(mss(s), s).toEqual(['EDGE-MSS1']);
    }
  });

  it('netmaskOf', () => {
    expect([1, 8, 12, 23, 24, 31, 32].map(netmaskOf)).toEqual([
      '128.0.0.0',
      '255.0.0.0',
      '255.240.0.0',
      '255.255.254.0',
      '255.255.255.0',
      '255.255.255.254',
      '255.255.255.255',
    ]);
    for (const p of [0, 33, 1.5]) expect(() => netmaskOf(p)).toThrow(RangeError);
  });
});

/** The range and comparison helpers, edge by edge, every expected value written out. */
describe('address ranges', () => {
  it('parses a CIDR, a start-stop range (spaces around the dash allowed) and a single address', () => {
    const cidr = AddressRange.parse('192.168.1.0/30');
    expect([cidr.start, cidr.stop, cidr.size, cidr.prefixLength, cidr.netmask, cidr.toString()]).toEqual([
      '192.168.1.0',
      '192.168.1.3',
      4n,
      30,
      '255.255.255.252',
      '192.168.1.0/30',
    ]);
    const range = AddressRange.parse('192.168.1.10 - 192.168.1.12');
    expect([range.start, range.stop, range.size, range.prefixLength, range.netmask, range.text, range.toString()]).toEqual([
      '192.168.1.10',
      '192.168.1.12',
      3n,
      undefined,
      undefined,
      '192.168.1.10-192.168.1.12',
      '192.168.1.10-192.168.1.12',
    ]);
    const one = AddressRange.parse('192.168.1.7');
    expect([one.size, one.text, one.toString()]).toEqual([1n, '192.168.1.7', '192.168.1.7']);
    expect(AddressRange.fromTo('192.168.1.7', '192.168.1.7').text).toBe('192.168.1.7');
    // an IPv6 CIDR has a prefix length but no dotted netmask
    const v6 = AddressRange.cidr('fd00::/126');
    expect([v6.prefixLength, v6.netmask, v6.size]).toEqual([126, undefined, 4n]);
  });

  it('refuses a start or stop that is no address, mixed families and a backwards range, naming the value', () => {
    expect(() => AddressRange.fromTo('x', '192.168.1.1')).toThrow('"x" is not an IP address');
    expect(() => AddressRange.fromTo('192.168.1.1', 'y')).toThrow('"y" is not an IP address');
    expect(() => AddressRange.fromTo('192.168.1.1', 'fd00::1')).toThrow('"192.168.1.1" and "fd00::1" are of different address families');
    expect(() => AddressRange.fromTo('192.168.1.9', '192.168.1.1')).toThrow('range start 192.168.1.9 is after its stop 192.168.1.1');
  });

  it('answers at() inside the range only, and indexOf() with -1 outside it', () => {
    const r = AddressRange.parse('10.0.0.4-10.0.0.6');
    expect([r.at(0), r.at(2), r.at(2n)]).toEqual(['10.0.0.4', '10.0.0.6', '10.0.0.6']);
    expect(() => r.at(3)).toThrow('index 3 is outside 10.0.0.4-10.0.0.6');
    expect(() => r.at(-1)).toThrow('index -1 is outside 10.0.0.4-10.0.0.6');
    expect([r.indexOf('10.0.0.4'), r.indexOf('10.0.0.6'), r.indexOf('10.0.0.7'), r.indexOf('fd00::1')]).toEqual([0n, 2n, -1n, -1n]);
  });

  it('contains and overlaps within one family only, edges included', () => {
    const r = AddressRange.parse('10.0.0.4-10.0.0.6');
    expect([r.contains('10.0.0.4'), r.contains('10.0.0.6'), r.contains('10.0.0.3'), r.contains('10.0.0.7')]).toEqual([true, true, false, false]);
    expect(r.contains(AddressRange.parse('10.0.0.5-10.0.0.7'))).toBe(false);
    expect(r.contains(AddressRange.parse('::ffff:a00:5'))).toBe(false);
    expect([r.overlaps(AddressRange.parse('10.0.0.6-10.0.0.9')), r.overlaps(AddressRange.parse('10.0.0.7-10.0.0.9'))]).toEqual([true, false]);
    expect(AddressRange.cidr('::/96').overlaps(AddressRange.cidr('0.0.0.0/0'))).toBe(false);
  });

  it('orders addresses IPv4 first, then by value; and knows loopback hosts', () => {
    expect(['fd00::1', '10.0.0.10', '10.0.0.9', '::1'].sort(compareIps)).toEqual(['10.0.0.9', '10.0.0.10', '::1', 'fd00::1']);
    expect(compareIps('10.0.0.1', '10.0.0.1')).toBe(0);
    expect(['localhost', 'LocalHost', '127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1'].map(isLoopbackHost)).toEqual([true, true, true, true, true, true]);
    expect(['10.127.0.1', '128.0.0.1', '::2', 'fd00::1', 'example.lan'].map(isLoopbackHost)).toEqual([false, false, false, false, false]);
    expect([isIpv6('fd00::1'), isIpv6('10.0.0.1'), isIpv6('x')]).toEqual([true, false, false]);
  });

  it('takes prefix lengths up to 32 and 128 only', () => {
    expect([isCidr('10.0.0.0/32'), isCidr('10.0.0.0/33'), isCidr('fd00::/128'), isCidr('fd00::/129'), isCidr('10.0.0.0/8/8'), isCidr('10.0.0.0')]).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
    ]);
  });
});
