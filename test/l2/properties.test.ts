/**
 * Property tests of the address math the L2 rules rely on, against brute-force enumeration of small ranges: overlap,
 * containment, pool allocation (never outside, never twice, lowest free first).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressBlock, AddressRange, ApiEndpoint, Findings, L2Pool, NodeSelection } from '../../constructs/index.js';
import { testCluster } from '../helpers.js';

/** A small IPv4 range inside 10.0.0.0/24, given by two octets. */
const octetPair = fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 63 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
const ip = (n: number) => `10.0.0.${n}`;
const enumerate = ([a, b]: readonly [number, number]) => new Set(Array.from({ length: b - a + 1 }, (_, i) => a + i));
/** CIDRs with prefix /26../32 inside 10.0.0.0/24, with their member octets. */
const cidr = fc.tuple(fc.integer({ min: 26, max: 32 }), fc.integer({ min: 0, max: 255 })).map(([prefix, n]) => {
  const size = 2 ** (32 - prefix);
  const base = Math.floor(n / size) * size;
  return { text: `10.0.0.${base}/${prefix}`, members: enumerate([base, base + size - 1]) };
});

describe('AddressRange against enumeration', () => {
  it('overlaps exactly when the enumerated sets intersect', () => {
    fc.assert(
      fc.property(octetPair, octetPair, (x, y) => {
        const a = AddressRange.fromTo(ip(x[0]), ip(x[1]));
        const b = AddressRange.fromTo(ip(y[0]), ip(y[1]));
        const sa = enumerate(x);
        const brute = [...enumerate(y)].some((n) => sa.has(n));
        expect(a.overlaps(b)).toBe(brute);
        expect(b.overlaps(a)).toBe(brute);
      }),
    );
  });

  it('contains exactly when every enumerated address is inside', () => {
    fc.assert(
      fc.property(octetPair, octetPair, (x, y) => {
        const a = AddressRange.fromTo(ip(x[0]), ip(x[1]));
        const b = AddressRange.fromTo(ip(y[0]), ip(y[1]));
        const sa = enumerate(x);
        expect(a.contains(b)).toBe([...enumerate(y)].every((n) => sa.has(n)));
      }),
    );
  });

  it('parses CIDRs to exactly their member addresses', () => {
    fc.assert(
      fc.property(cidr, fc.integer({ min: 0, max: 255 }), (c, n) => {
        const r = AddressBlock.cidr(c.text).range!;
        expect(r.size).toBe(BigInt(c.members.size));
        expect(r.contains(ip(n))).toBe(c.members.has(n));
      }),
    );
  });

  it('mixed CIDR/range overlap agrees with enumeration', () => {
    fc.assert(
      fc.property(cidr, octetPair, (c, y) => {
        const r = AddressBlock.cidr(c.text).range!;
        const b = AddressBlock.range(ip(y[0]), ip(y[1])).range!;
        expect(r.overlaps(b)).toBe([...enumerate(y)].some((n) => c.members.has(n)));
      }),
    );
  });

  it('rejects a range whose start is after its stop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 254 }), fc.integer({ min: 1, max: 255 }), (a, d) => {
        fc.pre(a + d <= 255);
        expect(AddressBlock.range(ip(a + d), ip(a)).parse().error).toMatch(/after its stop/);
      }),
    );
  });
});

describe('pool allocation against enumeration', () => {
  const request = fc.record({ fixed: fc.option(fc.integer({ min: 0, max: 63 }), { nil: undefined }) });

  it('never hands out an address outside the pool or twice, and takes the lowest free one', () => {
    fc.assert(
      fc.property(fc.array(octetPair, { minLength: 1, maxLength: 3 }), fc.array(request, { maxLength: 12 }), (blocks, requests) => {
        const { cluster } = testCluster({
          nodeSubnet: '10.0.0.0/24',
          nodes: [{ name: 'n', address: '10.0.0.200' }],
          apiEndpoint: ApiEndpoint.vip('10.0.0.201'),
        });
        // Disjoint blocks only: overlapping ones are a finding (NET-L2P3), not an allocation input.
        const used = new Set<number>();
        const disjoint = blocks.filter((b) => {
          const s = [...enumerate(b)];
          if (s.some((n) => used.has(n))) return false;
          s.forEach((n) => used.add(n));
          return true;
        });
        const pool = new L2Pool(cluster, 'P', { blocks: disjoint.map((b) => AddressBlock.range(ip(b[0]), ip(b[1]))), nodeSelection: NodeSelection.all() });
        const members = disjoint.flatMap((b) => [...enumerate(b)]); // in block order
        const held = new Set<string>();
        requests.forEach((r, i) => {
          const owner = `o${i}`;
          if (r.fixed !== undefined) {
            const got = pool.allocate(owner, { address: ip(r.fixed) });
            expect(got).toBe(ip(r.fixed));
            held.add(got!);
            return;
          }
          const expected = members.map(ip).find((a) => !held.has(a));
          const got = pool.allocate(owner);
          if (expected === undefined) {
            // exhausted: no address, no allocation, and the pool says so (NET-L2P6)
            expect(got).toBeUndefined();
            expect(pool.allocations().find((a) => a.owner === owner)).toBeUndefined();
            expect(Findings.of(pool).recorded.map((f) => f.message)).toContain(`pool p has no free address left for ${owner}`);
          } else {
            expect(got).toBe(expected);
            held.add(got!);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
