/**
 * Values files are read with JSON.parse when they are JSON as the synthesizer writes it (constructs/rules/values.ts):
 * the result must be what the YAML parser gives, for any values, and anything else must still go to the YAML parser.
 */
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonFile } from '../../constructs/core/json-file.js';
import { parseValuesText } from '../../constructs/rules/values.js';

const viaYaml = (text: string) => {
  try {
    const v = parseYaml(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return undefined;
  }
};

describe('parseValuesText', () => {
  it('reads a written values file as the YAML parser does, for arbitrary values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' })), (values) => {
        const text = jsonFile(values);
        expect(parseValuesText(text)).toEqual(viaYaml(text));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves text that is not JSON as written to the YAML parser', () => {
    // duplicate keys: the YAML parser rejects them (JSON.parse would keep the last)
    expect(parseValuesText('{\n  "a": 1,\n  "a": 2\n}\n')).toBeUndefined();
    // YAML, and JSON in another layout
    expect(parseValuesText('a: 1\nb: [x, y]\n')).toEqual({ a: 1, b: ['x', 'y'] });
    expect(parseValuesText('{"a": {"b": true}}')).toEqual({ a: { b: true } });
    expect(parseValuesText('{\n  "__proto__": {\n    "x": 1\n  }\n}\n')).toEqual(viaYaml('{\n  "__proto__": {\n    "x": 1\n  }\n}\n'));
    expect(parseValuesText('[1, 2]\n')).toEqual({});
    expect(parseValuesText('{ "a": ')).toBeUndefined();
    expect(parseValuesText(undefined)).toBeUndefined();
  });
});
