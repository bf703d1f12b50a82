/**
 * Schema `pattern`s on JavaScript's own RegExp, for the bundled synthesizer.
 *
 * The kubernetes-models validators compile the patterns that JavaScript cannot read as written (Go's RE2 syntax,
 * such as `^\PC*$` in Cilium's policy log config) with re2-wasm. Starting that WebAssembly engine costs a synth
 * about 70 ms, more than all the rules together, for patterns that only differ from JavaScript in spelling: RE2's
 * one-letter Unicode classes `\pL` are `\p{L}` with the `u` flag, and its `\pC` is JavaScript's `\p{C}` without
 * the unassigned code points (Cn), which RE2 and Go leave out of C. The bundle (bin/fast-path.mjs) swaps the
 * validators' RE2 class for this one. A pattern it cannot translate with certainty still goes to re2-wasm, loaded
 * only then. Categories come from the runtime's Unicode tables: for characters assigned by recent Unicode versions
 * they follow the Kubernetes API server's Go tables (Unicode 15 since Go 1.21) rather than re2-wasm's older ones.
 */
import { createRequire } from 'node:module';

interface Matcher {
  test(input: string): boolean;
}

/**
 * The JavaScript spelling of an RE2 pattern, or undefined unless every token of the pattern is one whose meaning is
 * known to be the same in both (read with the `u` flag): literals, `^ $ | ( ) (?:`, quantifiers up to RE2's limit of
 * 1000 repeats, `.` (spelled `[^\n]`: JavaScript's also stops at `\r`, U+2028, U+2029), `\s` (spelled out: JavaScript's
 * also holds the Unicode spaces), `\d \w \b`, escaped punctuation and control characters, Unicode general
 * categories (`C` without the unassigned Cn, which RE2 and Go leave out), and classes of those without nested `[`.
 * Anything else (inline flags, back-references, `\Q...\E`, POSIX classes, scripts) stays with RE2.
 */
export function translateRe2(pattern: string): string | undefined {
  let out = '';
  let i = 0;
  const at = (k: number) => pattern[k];
  while (i < pattern.length) {
    const c = at(i);
    if (c === '\\') {
      const t = escape(pattern, i, false);
      if (!t) return undefined;
      out += t.text;
      i = t.next;
    } else if (c === '[') {
      const t = charClass(pattern, i);
      if (!t) return undefined;
      out += t.text;
      i = t.next;
    } else if (c === '(') {
      if (at(i + 1) === '?') {
        if (at(i + 2) !== ':') return undefined;
        out += '(?:';
        i += 3;
      } else {
        out += c;
        i += 1;
      }
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m || Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && (Number(m[3]) > 1000 || Number(m[3]) < Number(m[1])))) return undefined;
      out += m[0];
      i += m[0].length;
    } else if (c === '.') {
      out += '[^\\n]';
      i += 1;
    } else if (c === ']' || c === '}') {
      return undefined;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** RE2's Unicode category C ("other") without the unassigned code points. */
const OTHER = '\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}';
/** RE2's `\s`: the ASCII white space of Perl, without the vertical tab. */
const SPACE = '\\t\\n\\f\\r ';
/** Unicode general categories, as both engines name them (RE2 has no Cn). */
const CATEGORY = /^(?:[LMNPSZC]|L[ultmo]|M[nce]|N[dlo]|P[cdseifo]|S[mcko]|Z[slp]|C[cfos])$/;

/** One escape at `i` (outside or inside a class), as JavaScript spells it. */
function escape(pattern: string, i: number, inClass: boolean): { text: string; next: number } | undefined {
  const next = pattern[i + 1];
  if (next === undefined) return undefined;
  if (next === 'p' || next === 'P') {
    let name: string;
    let end: number;
    if (pattern[i + 2] === '{') {
      const close = pattern.indexOf('}', i + 3);
      if (close < 0) return undefined;
      name = pattern.slice(i + 3, close);
      end = close + 1;
    } else {
      name = pattern[i + 2] ?? '';
      end = i + 3;
    }
    if (!CATEGORY.test(name)) return undefined;
    const negated = next === 'P';
    if (name === 'C') {
      if (inClass) return negated ? undefined : { text: OTHER, next: end };
      return { text: negated ? `[^${OTHER}]` : `[${OTHER}]`, next: end };
    }
    return { text: `\\${next}{${name}}`, next: end };
  }
  if (next === 's') return { text: inClass ? SPACE : `[${SPACE}]`, next: i + 2 };
  if (next === 'S') return inClass ? undefined : { text: `[^${SPACE}]`, next: i + 2 };
  if ('dDwW'.includes(next)) return { text: `\\${next}`, next: i + 2 };
  if (!inClass && 'bB'.includes(next)) return { text: `\\${next}`, next: i + 2 };
  if (!inClass && next === 'z') return { text: '$', next: i + 2 };
  if ('ntrfv'.includes(next)) return { text: `\\${next}`, next: i + 2 };
  if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(pattern.slice(i + 2, i + 4))) return { text: pattern.slice(i, i + 4), next: i + 4 };
  // escaped punctuation is the character itself in both
  if (/^[\\^$.|?*+()[\]{}/-]$/.test(next)) return { text: `\\${next}`, next: i + 2 };
  return undefined;
}

/** A character class at `i`: literals, ranges and escapes, no nested `[`, no `]` right after the opening. */
function charClass(pattern: string, i: number): { text: string; next: number } | undefined {
  let k = i + 1;
  let text = '[';
  if (pattern[k] === '^') {
    text += '^';
    k += 1;
  }
  if (pattern[k] === ']') return undefined;
  while (k < pattern.length && pattern[k] !== ']') {
    const c = pattern[k];
    if (c === '[') return undefined;
    if (c === '\\') {
      const t = escape(pattern, k, true);
      if (!t) return undefined;
      text += t.text;
      k = t.next;
    } else {
      text += c;
      k += 1;
    }
  }
  if (pattern[k] !== ']') return undefined;
  return { text: `${text}]`, next: k + 1 };
}

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
    return {
      test: (input) => {
        re.lastIndex = 0;
        return re.test(input);
      },
    };
  } catch {
    return undefined;
  }
}

function re2(pattern: string, flags: string): Matcher {
  const { RE2 } = createRequire(import.meta.url)('re2-wasm') as { RE2: new (p: string, f: string) => Matcher };
  return new RE2(pattern, flags);
}
