import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkMssClampInput, mssForPathMtu, renderMssClamp } from '../../constructs/edge/index.js';
import { HAVE_NFT, nftCheck } from './tools.js';

describe('mssForPathMtu', () => {
  it('subtracts the IP and TCP headers (20+20 for IPv4, 40+20 for IPv6)', () => {
    expect(mssForPathMtu(1500, 4)).toBe(1460);
    expect(mssForPathMtu(1400, 4)).toBe(1360);
    expect(mssForPathMtu(1500, 6)).toBe(1440);
    expect(mssForPathMtu(1400, 6)).toBe(1340);
    fc.assert(fc.property(fc.integer({ min: 1280, max: 65535 }), (mtu) => mssForPathMtu(mtu, 4) - mssForPathMtu(mtu, 6) === 20));
  });

  it('fails outside the family range', () => {
    expect(() => mssForPathMtu(67, 4)).toThrow(/path MTU 67 is out of range for IPv4; expected an integer from 68 to 65535/);
    expect(() => mssForPathMtu(1279, 6)).toThrow(/from 1280/);
    expect(() => mssForPathMtu(70000, 4)).toThrow(RangeError);
    expect(() => mssForPathMtu(1400.5, 4)).toThrow(RangeError);
  });
});

describe('renderMssClamp', () => {
  const oceanid = { clusterName: 'oceanid', subnet: '10.27.27.0/24', pathMtu: 1400 };

  it('clamps forwarded SYNs both ways for the subnet to the MSS of the path MTU', () => {
    const text = renderMssClamp(oceanid);
    const mss = mssForPathMtu(oceanid.pathMtu, 4);
    expect(text).toMatch(/hook forward/);
    for (const dir of ['saddr', 'daddr']) {
      expect(text).toContain(`ip ${dir} ${oceanid.subnet} tcp flags syn tcp option maxseg size > ${mss} tcp option maxseg size set ${mss}`);
    }
    expect(text).toMatch(/rt mtu/);
  });

  it('uses ip6 and the IPv6 MSS for an IPv6 subnet', () => {
    const text = renderMssClamp({ subnet: 'fd00:27::/64', pathMtu: 1400 });
    expect(text).toContain(`ip6 saddr fd00:27::/64`);
    expect(text).toContain(`maxseg size set ${mssForPathMtu(1400, 6)}`);
  });

  it('fails on a malformed subnet or MTU, listing both', () => {
    expect(checkMssClampInput({ subnet: '10.27.27.1/24', pathMtu: 1400 }).map((p) => p.id)).toEqual(['EDGE-MSS1']);
    expect(checkMssClampInput({ subnet: '10.27.27.0/24', pathMtu: 20 }).map((p) => p.id)).toEqual(['EDGE-MSS2']);
    expect(() => renderMssClamp({ subnet: 'x', pathMtu: 1400, tableName: 'bad name' })).toThrow(/EDGE-MSS1[\s\S]*EDGE-MSS3/);
  });

  it.skipIf(!HAVE_NFT).each([
    ['oceanid', oceanid],
    ['IPv6', { subnet: 'fd00:27::/64', pathMtu: 1400 }],
    ['jumbo', { subnet: '10.0.0.0/8', pathMtu: 9000, tableName: 'mss_jumbo' }],
  ])('nft -c accepts %s', (_n, input) => {
    const r = nftCheck(renderMssClamp(input));
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });
});
