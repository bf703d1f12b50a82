/**
 * The committed fixture pairs under test/fixtures/diff/<case>/: a base and a head excerpt of a rendered tree (files
 * as the synth renders them, one cluster each, cut down to the files the change and its flags need) and
 * expected.json with the risk ids the change raises. One pair per risk of the catalogue, and one that raises none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RISKS } from '../../constructs/diff/catalogue.js';
import { diffCommand } from '../../constructs/diff/cli.js';
import { buildReport } from '../../constructs/diff/report.js';
import { readDirTree } from '../../constructs/diff/tree.js';

const ROOT = resolve(import.meta.dirname, '../fixtures/diff');

interface Expected {
  readonly change: string;
  readonly flags: readonly string[];
}

const PAIRS = readdirSync(ROOT).sort();
const expected = (name: string): Expected => JSON.parse(readFileSync(join(ROOT, name, 'expected.json'), 'utf8'));

describe('committed fixture pairs', () => {
  it.each(PAIRS)('%s raises exactly the flags of its expected.json', (name) => {
    const want = expected(name);
    const base = readDirTree(join(ROOT, name, 'base'));
    const head = readDirTree(join(ROOT, name, 'head'));
    expect(base.size, 'a base with files').toBeGreaterThan(0);
    const report = buildReport(base, head, { base: 'base', head: 'head' });
    // a pair is a change: something differs between its sides
    expect(report.clusters.length, want.change).toBe(1);
    expect(report.flags.map((f) => f.id)).toEqual(want.flags);
    expect(report.notes).toEqual([]);
  });

  it('covers every risk of the catalogue, and a change that raises none', () => {
    const raised = new Set(PAIRS.flatMap((name) => expected(name).flags));
    expect([...raised].sort()).toEqual(RISKS.map((r) => r.id).sort());
    expect(PAIRS.filter((name) => expected(name).flags.length === 0).length).toBeGreaterThan(0);
  });

  it('the command reads a pair as two folders and names each expected flag', async () => {
    for (const name of PAIRS) {
      let out = '';
      const code = await diffCommand(['--base-dir', 'base', '--head-dir', 'head', '--format', 'markdown'], {
        cwd: join(ROOT, name),
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: () => undefined },
        env: {},
      });
      expect(code).toBe(0);
      const named = [...out.matchAll(/\[(RISK-\d+)\]\(RISKS\.md#risk-\d+\)/g)].map((m) => m[1]);
      expect([...new Set(named)].sort(), name).toEqual([...expected(name).flags].sort());
    }
  });
});
