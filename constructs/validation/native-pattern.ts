/**
 * Schema `pattern`s on JavaScript's own RegExp, for the bundled synthesizer.
 *
 * The kubernetes-models validators compile the patterns that JavaScript cannot read as written (Go's RE2 syntax,
 * such as `^\PC*$` in Cilium's policy log config) with re2-wasm. Starting that WebAssembly engine costs a synth
 * about 70 ms, more than all the rules together, for patterns that only differ from JavaScript in spelling: RE2's
 * one-letter Unicode classes `\pL` are `\p{L}` with the `u` flag, and its `\pC` is JavaScript's `\p{C}` without
 * the unassigned code points (Cn), which RE2 and Go leave out of C. The bundle (scripts/bundle.mjs) swaps the
 * validators' RE2 class for this one. A pattern it cannot translate with certainty still goes to re2-wasm, loaded
 * only then. Categories come from the runtime's Unicode tables: for characters assigned by recent Unicode versions
 * they follow the Kubernetes API server's Go tables (Unicode 15 since Go 1.21) rather than re2-wasm's older ones.
 */
import { createRequire } from 'node:module';

interface Matcher {
  test(input: string): boolean;
}

/**
 * The JavaScript spelling of an RE2 pattern, or undefined when the pattern uses RE2 syntax that has no exact
 * JavaScript equivalent here (inline flags, `\C`, `\Q...\E`, POSIX classes).
 */
export function translateRe2(pattern: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    // groups other than `(?:` (inline flags, look-arounds JavaScript has and RE2 refuses) stay with RE2
    if (!inClass && c === '(' && pattern[i + 1] === '?' && pattern[i + 2] !== ':') return undefined;
    if (c === '[' && pattern[i + 1] === '[' && pattern[i + 2] === ':') return undefined;
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass && out.at(-1) !== '[' && !(out.at(-1) === '^' && out.at(-2) === '[')) inClass = false;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = pattern[i + 1];
    if (next === undefined || next === 'C' || next === 'Q' || next === 'E') return undefined;
    if ((next === 'p' || next === 'P') && pattern[i + 2] !== '{') {
      const name = pattern[i + 2];
      if (name === undefined || !/^[A-Za-z]$/.test(name)) return undefined;
      if (name === 'C') {
        // RE2's (and Go's) C is Cc, Cf, Co and Cs; JavaScript's also holds the unassigned code points (Cn)
        if (!inClass) out += next === 'p' ? `[${OTHER}]` : `[^${OTHER}]`;
        else if (next === 'p') out += OTHER;
        else return undefined;
      } else {
        out += `\\${next}{${name}}`;
      }
      i += 2;
      continue;
    }
    if (next === 'z' && !inClass) {
      // RE2's end of text; without the m flag JavaScript's `$` is the same
      out += '$';
      i += 1;
      continue;
    }
    out += c + next;
    i += 1;
  }
  return out;
}

/** RE2's Unicode category C ("other") without the unassigned code points. */
const OTHER = '\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}';

/** Drop-in for re2-wasm's RE2 as the compiled validators use it: `new RE2(pattern, flags).test(input)`. */
export default class NativePattern implements Matcher {
  readonly #matcher: Matcher;

  constructor(pattern: string, flags = '') {
    this.#matcher = native(pattern, flags) ?? re2(pattern, flags);
  }

  test(input: string): boolean {
    return this.#matcher.test(input);
  }
}

function native(pattern: string, flags: string): Matcher | undefined {
  const translated = translateRe2(pattern);
  if (translated === undefined) return undefined;
  try {
    const re = new RegExp(translated, flags.includes('u') ? flags : `${flags}u`);
    return { test: (input) => { re.lastIndex = 0; return re.test(input); } };
  } catch {
    return undefined;
  }
}

function re2(pattern: string, flags: string): Matcher {
  const { RE2 } = createRequire(import.meta.url)('re2-wasm') as { RE2: new (p: string, f: string) => Matcher };
  return new RE2(pattern, flags);
}
