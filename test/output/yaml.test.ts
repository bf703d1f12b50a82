/**
 * toYaml writes plain JSON data without building a `yaml` document; its output must be the bytes `yaml.stringify`
 * gives with the project's options, for every value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { toYaml } from '../../constructs/output/yaml.js';

const reference = (value: unknown) => stringify(value, { lineWidth: 0, blockQuote: 'literal', version: '1.1', aliasDuplicateObjects: false });

/** Pieces that change how YAML must quote or lay out a string. */
const PIECES = [
  ' ',
  '  ',
  ':',
  ': ',
  '#',
  ' #',
  '-',
  '- ',
  '?',
  ',',
  "'",
  '"',
  '\n',
  '\n\n',
  '\r',
  '\t',
  '{',
  '}',
  '[',
  ']',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '<<',
  '=',
  '0',
  '1',
  '7',
  '0644',
  '0x1F',
  '1e3',
  '.5',
  '+',
  '.inf',
  '.nan',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'true',
  'False',
  'null',
  'NULL',
  '~',
  '---',
  '...',
  'a',
  'key',
  'é',
  '→',
  '😀',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ud800',
  '\u0000',
  '\u001b',
  '2024-01-02',
  '12:30:00',
];
const nastyString = fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((parts) => parts.join(''));
/** Names and words: what toYaml writes without asking `yaml` when they cannot read as a boolean or null. */
const WORD_PIECES = [
  'a',
  'Z',
  'e',
  'E',
  'x',
  'Y',
  'N',
  'y',
  'n',
  'yes',
  'Yes',
  'NO',
  'on',
  'On',
  'OFF',
  'true',
  'TRUE',
  'False',
  'null',
  'Null',
  'nan',
  'inf',
  '0',
  '1',
  '5',
  '0x',
  '.',
  '_',
  '/',
  '-',
  'v1',
  '1e3',
  '12',
  '2024-01-02',
];
const wordString = fc.array(fc.constantFrom(...WORD_PIECES), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
/**
 * Images, paths, quantities, versions, addresses and URLs, and near misses of each (hex, octal and sexagesimal
 * numbers, floats, leading zeros, indicators): what toYaml writes plain or double-quoted without asking `yaml`.
 */
const VALUE_PIECES = [
  'a',
  'Z',
  'e',
  'E',
  'x',
  'b',
  'o',
  'y',
  'n',
  'on',
  'yes',
  'null',
  's',
  'm',
  'Mi',
  'Gi',
  '0',
  '1',
  '9',
  '08',
  '0x',
  '12',
  '.',
  '..',
  '/',
  './',
  '-',
  '_',
  ':',
  '::',
  ': ',
  '@',
  '=',
  '+',
  '~',
  '?',
  '&',
  '%',
  '#',
  ' #',
  ',',
  '*',
  '!',
  'https://',
  'oci://',
  'v1',
  'e3',
  '1e3',
  '2001-12-14',
  '1:30',
  '.inf',
  'sha256',
  ' ',
];
const valueString = fc.oneof(
  fc.array(fc.constantFrom(...VALUE_PIECES), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')),
  fc
    .tuple(fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 5 }), fc.option(fc.nat({ max: 200 }), { nil: undefined }))
    .map(([parts, prefix]) => `${parts.join('.')}${prefix === undefined ? '' : `/${prefix}`}`),
  fc
    .tuple(fc.nat({ max: 100000 }), fc.constantFrom('', 's', 'm', 'h', 'ms', 'Mi', 'Gi', 'x', 'b', 'o', 'e', 'E', 'e3', 'x1f', 'y', 'n', '_0', ':30', '.5'))
    .map(([n, unit]) => `${n}${unit}`),
  fc.tuple(fc.constantFrom('0', '00', '-', '+', ''), fc.nat({ max: 100000 })).map(([head, n]) => `${head}${n}`),
);
const anyString = fc.oneof(nastyString, wordString, valueString, fc.string({ unit: 'binary', maxLength: 12 }));
const numberValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, -1e21, 1e-7, 0.1, 5e-324, Number.MAX_SAFE_INTEGER, 2 ** 64, 644),
);

const { json } = fc.letrec<{ json: unknown; scalar: unknown; list: unknown[]; record: Record<string, unknown> }>((tie) => ({
  json: fc.oneof({ depthSize: 'small', maxDepth: 6 }, tie('scalar'), tie('list'), tie('record')),
  scalar: fc.oneof(anyString, anyString, numberValue, fc.boolean(), fc.constant(null)),
  list: fc.array(tie('json'), { maxLength: 4 }),
  record: fc.dictionary(anyString, fc.option(tie('json'), { nil: undefined, freq: 8 }), { maxKeys: 5 }),
}));

describe('toYaml', () => {
  it('writes the same bytes as yaml.stringify for any JSON value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(toYaml(value)).toBe(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes the same bytes for maps and lists of nasty strings (keys and values)', () => {
    const flat = fc.oneof(
      fc.dictionary(nastyString, nastyString, { maxKeys: 6 }),
      fc.array(nastyString, { maxLength: 6 }),
      fc.dictionary(nastyString, fc.dictionary(nastyString, fc.array(nastyString, { maxLength: 3 }), { maxKeys: 3 }), { maxKeys: 3 }),
    );
    fc.assert(
      fc.property(flat, (value) => {
        expect(toYaml(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the same bytes for images, paths, quantities, versions, addresses and URLs, and their near misses', () => {
    const values = fc.oneof(
      fc.dictionary(wordString, valueString, { maxKeys: 6 }),
      fc.array(fc.oneof(valueString, fc.array(valueString, { maxLength: 3 })), { maxLength: 6 }),
      fc.dictionary(valueString, valueString, { maxKeys: 4 }),
    );
    fc.assert(
      fc.property(values, (value) => {
        expect(toYaml(value)).toBe(reference(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes the same bytes for names and words, as keys and values at any depth (the unquoted fast path)', () => {
    const words = fc.oneof(
      fc.dictionary(wordString, wordString, { maxKeys: 6 }),
      fc.array(fc.dictionary(wordString, fc.array(wordString, { maxLength: 3 }), { maxKeys: 3 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(words, (value) => {
        expect(toYaml(value)).toBe(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  const deep = (depth: number, leaf: unknown, shape: 'map' | 'list'): unknown => {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = shape === 'map' ? { [`k${i}`]: value, after: i } : [value, i];
    return value;
  };

  const cases: [string, unknown][] = [
    ['an empty map', {}],
    ['an empty list', []],
    ['empty collections as values and items', { a: {}, b: [], c: [[], {}], d: [[[]]], e: { f: {} } }],
    ['a map whose values are all undefined', { a: undefined, b: undefined }],
    ['undefined values, which are skipped', { a: 1, b: undefined, c: { d: undefined, e: 'x' } }],
    ['keys in insertion order, integer-like keys first', { b: 1, a: 2, 10: 3, 2: 4, '-1': 5 }],
    ['keys that need quoting', { '': 1, ' ': 2, 'a: b': 3, '#c': 4, '- x': 5, '? y': 6, on: 7, '0644': 8, '~': 9, 'a\nb': 10, '"q\'': 11, '<<': 12 }],
    ['a key starting with a document marker, top level and nested', { '---x': { '---x': 1, '...': 2 }, '...y': [{ '---': 3 }] }],
    ['a key over 1024 characters (explicit key)', { ['k'.repeat(1030)]: 1, short: 2 }],
    ['a quoted key just under the explicit limit', { [`"${'k'.repeat(1020)}`]: 1 }],
    [
      'strings YAML 1.1 reads as other types',
      [
        'on',
        'off',
        'yes',
        'no',
        'y',
        'N',
        'true',
        'Null',
        '~',
        '',
        '0644',
        '0o17',
        '0x1f',
        '0b101',
        '1e3',
        '1_000',
        '1:30',
        '.5',
        '-.inf',
        '.NaN',
        '2001-12-14',
        '<<',
        '=',
      ],
    ],
    [
      'strings with indicators',
      ['a: b', 'a #b', 'a#b', ':a', 'a:', '- a', '-', '?', '? a', '&a', '*a', '!a', '|', '>', '%a', '@a', '`a', '{a}', '[a]', ',a', "'a", '"a', 'it\'s "x"'],
    ],
    ['leading and trailing spaces and tabs', [' a', 'a ', '\ta', 'a\t', '  ', '\t']],
    ['control and special characters', ['\u0000', 'a\rb', '\u001b[0m', '\u0085', '\u00a0', '\u2028', '\ud800', 'é→😀']],
    ['multi-line strings: clip, strip, keep', { clip: 'a\nb\n', strip: 'a\nb', keep: 'a\nb\n\n', only: '\n', many: '\n\n\n', blank: 'a\n\nb' }],
    ['multi-line strings with leading spaces or trailing whitespace', [' a\nb', '  a\n b\n', 'a\n  ', 'a \nb', 'a\n b', '\n a', 'a\t\nb']],
    ['multi-line strings that look like document markers', { a: '---\nx', b: ['...\n', 'x\n---\n'], c: { d: '%x\ny' } }],
    ['a long multi-line string that YAML quotes', { a: `${'word '.repeat(20)}\n  trailing  ` }],
    ['block literals at every depth in maps', deep(6, 'line one\nline two\n\n  indented\n', 'map')],
    ['block literals at every depth in lists', deep(6, 'line one\nline two\n', 'list')],
    ['a block literal as a list item of a map value', { script: ['set -e\necho hi\n', { run: 'a\nb' }] }],
    [
      'numbers',
      [
        0,
        -0,
        1,
        -1,
        0.1,
        -2.5,
        1e21,
        -1e21,
        999999999999999900000,
        -999999999999999900000,
        1e-7,
        123456789012345680000,
        5e-324,
        Number.MAX_SAFE_INTEGER,
        2 ** 53 + 2,
        1e300,
      ],
    ],
    [
      'the values of a Deployment and a HelmRelease',
      [
        'ghcr.io/open-webui/open-webui:v0.6.5',
        'docker.io/library/nginx@sha256:abc',
        'registry.lan:5000/app:1.0',
        '/probe/probe.sh',
        './clusters/homelab/apps',
        '16Mi',
        '21600s',
        '0s',
        '0x1f',
        '1.20.0',
        '10.42.0.0/16',
        '192.168.55.10',
        '1.2',
        '1.2.3.4.5.6.7.8.9',
        'https://helm.cilium.io/',
        'oci://quay.io/cilium/charts/cilium',
        'https://a.b/c?x=1&y=2#frag',
        'Prune=false',
        'admin@example.org',
        '5432',
        '0',
        '08',
        '1_000',
        '12:30',
        'a:',
        'a: b',
        'a:b:c',
        'e12',
        'on',
        'y',
      ],
    ],
    ['booleans and null', { t: true, f: false, n: null, l: [true, false, null] }],
    ['a very long string (no folding)', { a: 'word '.repeat(500).trim(), b: `${'x'.repeat(5000)}: y` }],
    [
      'one object in two places, never an alias',
      (() => {
        const shared = { a: [1, 'x'] };
        return { one: shared, two: shared, list: [shared, shared] };
      })(),
    ],
    ['a top-level list of maps and lists', [{ a: 1, b: [2, { c: 3 }] }, [4, [5]], 'six']],
    ['top-level scalars', 'top'],
    ['a top-level multi-line string', 'a\nb\n'],
    ['a top-level document marker', '---'],
    ['a top-level number', -0],
    ['a top-level null', null],
    ['undefined inside a list', [1, undefined, 'x']],
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case
    ['a sparse list', [1, , 3]],
    ['a Date', { when: new Date(0) }],
    ['a Map', { m: new Map([['a', 1]]) }],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1, b: { c: 'on' } })],
  ];
  it.each(cases)('writes the same bytes for %s', (_name, value) => {
    expect(toYaml(value)).toBe(reference(value));
  });

  it('writes the same bytes twice in a row (remembered answers)', () => {
    const value = { a: 'x\ny', b: ['x\ny', { c: 'x\ny' }], on: 'on' };
    expect(toYaml(value)).toBe(reference(value));
    expect(toYaml(value)).toBe(reference(value));
  });

  it('fails like yaml.stringify on a value that is not data', () => {
    expect(() => toYaml({ f: () => 1 })).toThrow();
    expect(() => reference({ f: () => 1 })).toThrow();
    expect(() => toYaml({ s: Symbol('x') })).toThrow();
  });

  it('returns what yaml.stringify returns for no document at all', () => {
    expect(toYaml(undefined)).toBe(reference(undefined));
  });
});
