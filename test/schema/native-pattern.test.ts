import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import NativePattern, { translateRe2 } from '../../constructs/schema/native-pattern.js';

const { RE2 } = createRequire(import.meta.url)('re2-wasm') as { RE2: new (p: string, f: string) => { test(s: string): boolean } };

/** Every pattern the installed kubernetes-models validators hand to RE2 (those JavaScript cannot read as written). */
function re2Patterns(): string[] {
  const found = new Set<string>();
  const roots = [
    'node_modules/kubernetes-models/_schemas',
    ...readdirSync('node_modules/@kubernetes-models').map((p) => `node_modules/@kubernetes-models/${p}/_schemas`),
  ];
  for (const root of roots) {
    let files: string[];
    try {
      files = readdirSync(root).filter((f) => f.endsWith('.js'));
    } catch {
      continue;
    }
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      const m = /import (func\d+) from\s*"@kubernetes-models\/validate\/runtime\/re2"/.exec(text);
      if (!m) continue;
      for (const p of text.matchAll(new RegExp(`new ${m[1]}\\(("(?:[^"\\\\]|\\\\.)*"),"u"\\)`, 'g'))) found.add(JSON.parse(p[1]));
    }
  }
  return [...found].sort();
}

/**
 * Characters whose Unicode category is the same in every Unicode version since 6: ASCII, Latin-1, controls (Cc),
 * format characters (Cf), a private-use one (Co), surrogate pairs, and code points that are still unassigned (Cn).
 * Characters assigned by recent Unicode versions are left out on purpose: re2-wasm's tables predate them (it reads
 * them as unassigned, so `\PC` refuses them), while JavaScript's and the Kubernetes API server's (Go 1.21+,
 * Unicode 15) know them; on those the native engine agrees with the API server, not with re2-wasm.
 */
const stable = fc.constantFrom(
  'a',
  'b',
  'Z',
  '0',
  '5',
  ' ',
  '-',
  '.',
  '[',
  ']',
  '_',
  '\\',
  'p',
  'L',
  '\r',
  '\f',
  '\v',
  '\u000b',
  '\n',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u00ad',
  'é',
  'ß',
  '\u0378',
  '\u200b',
  '\u200e',
  '\u2028',
  '\u2029',
  '日',
  '\ue000',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud83d\ude00',
  '\u{10ffff}',
  '\u{e0001}',
);
const text = fc.string({ unit: stable, maxLength: 12 });

describe('schema patterns on native RegExp (the bundle drops re2-wasm)', () => {
  const patterns = re2Patterns();

  it('finds the patterns the validators give to RE2', () => {
    expect(patterns).toContain('^\\PC*$');
  });

  it.each(patterns)('matches exactly what RE2 matches for %s', (pattern) => {
    expect(translateRe2(pattern), 'every pattern the installed models use translates').toBeDefined();
    const native = new NativePattern(pattern, 'u');
    const re2 = new RE2(pattern, 'u');
    fc.assert(
      fc.property(text, (s) => native.test(s) === re2.test(s)),
      { numRuns: 3000 },
    );
  });

  /** A pattern's answer, or the fact that the engine refuses the pattern. */
  const answer = (make: () => { test(s: string): boolean }) => {
    let matcher: { test(s: string): boolean };
    try {
      matcher = make();
    } catch {
      return () => 'refused';
    }
    return (s: string) => String(matcher.test(s));
  };

  it.each([
    '^\\pL+$',
    '^[\\pN\\pL-]*$',
    '^\\PL\\pZ?$',
    '^a\\z',
    '^\\\\pL$',
    '^\\pC$',
    '^[\\pCa]+$',
    '^[^\\pC]$',
    '^[^\\PC]$',
    '^[]a]$',
    // where JavaScript reads the same spelling differently: . \s \S, braced categories, nested [, RE2's limits
    '^.$',
    '^a.b$',
    '^\\s$',
    '^\\S$',
    '^[\\s]$',
    '^[^\\s]$',
    '^\\P{C}*$',
    '^\\p{C}$',
    '^\\p{Lu}\\p{Nd}$',
    '^\\p{Cn}$',
    '^\\p{Greek}$',
    '^[a[]\\pC$',
    '(a)\\1',
    'a{1001}',
    '^a{2,3}$',
    '^a{2,}$',
    '^a{,2}$',
    '^\\d\\w\\b',
    '^[\\d_-]+$',
    '^\\x41\\t$',
    '^a*+$',
    '^\\-$',
    '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  ])('agrees with RE2 on %s (or both refuse it)', (pattern) => {
    const native = answer(() => new NativePattern(pattern, 'u'));
    const re2 = answer(() => new RE2(pattern, 'u'));
    fc.assert(
      fc.property(
        fc.oneof(text, fc.constantFrom('abc', 'a', 'A5', 'aa', 'aaa', 'a\rb', 'a\u2028b', '\\pL', '12', ' ', 'x y', 'a\u0000')),
        (s) => native(s) === re2(s),
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves RE2-only syntax to RE2', () => {
    for (const pattern of ['(?i)abc', '\\Qa.b\\E', '[[:alpha:]]', '\\C', '(?P<name>a)', '(?=a)', '[^\\PC]']) expect(translateRe2(pattern)).toBeUndefined();
    // and still answers through re2-wasm
    expect(new NativePattern('(?i)abc', 'u').test('ABC')).toBe(true);
    expect(new NativePattern('\\Qa.b\\E', 'u').test('axb')).toBe(false);
  });
});
