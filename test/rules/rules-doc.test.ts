import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_FORWARDS, RULES, type Rule } from '../../constructs/index.js';
import { AREAS, areaOf, DEFAULT_RULES_DOC, main, renderRulesDoc } from '../../scripts/rules-doc.js';
import { cleanup, tempDir } from '../helpers.js';

describe('RULES.md', () => {
  it('lists every rule with its level, title, lesson, source and fix, grouped by area', () => {
    const doc = renderRulesDoc(RULES);
    for (const r of RULES) {
      const section = doc.slice(doc.indexOf(`### ${r.id}\n`));
      expect(section, r.id).toContain(`(${r.level})`);
      for (const field of [r.title, r.lesson, r.source, r.fix]) expect(section, r.id).toContain(field.replace(/\s+/g, ' ').trim());
    }
    expect(doc).toContain("Acknowledgements.of(scope).add('NET-");
    expect(doc).toMatch(/at least 10 characters/);
  });

  it('lists every merged id where it was, pointing to the rule it forwards to', () => {
    const doc = renderRulesDoc(RULES);
    for (const [id, to] of RULE_FORWARDS) {
      expect(doc).toContain(`| [${id}](#${id.toLowerCase()}) | → ${to} | merged into [${to}](#${to.toLowerCase()}):`);
      const section = doc.slice(doc.indexOf(`### ${id}\n`), doc.indexOf('\n### ', doc.indexOf(`### ${id}\n`) + 1));
      expect(section).toContain(`**Merged into [${to}](#${to.toLowerCase()})**`);
      expect(section).toContain(`an acknowledgement of ${id} acknowledges ${to}`);
    }
    expect(() => renderRulesDoc(RULES, new Map([['NET-CIL99', 'NET-NOPE1']]))).toThrow('NET-CIL99 forwards to NET-NOPE1, which is not a rule of the catalogue');
    expect(() => renderRulesDoc(RULES, new Map([['NET-CIL1', 'NET-L2P9']]))).toThrow('NET-CIL1 forwards to NET-L2P9 but is still a rule of its own');
  });

  it('names every area the catalogue uses, and lists areas in their fixed order', () => {
    for (const r of RULES)
      expect(
        AREAS.map((a) => a.prefix),
        r.id,
      ).toContain(areaOf(r.id));
    const doc = renderRulesDoc(RULES);
    const used = AREAS.filter((a) => RULES.some((r) => areaOf(r.id) === a.prefix));
    const positions = used.map((a) => doc.indexOf(`\n## ${a.title}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('is deterministic: independent of the order rules are given in', () => {
    const shuffled: Rule[] = [...RULES].reverse();
    expect(renderRulesDoc(shuffled)).toBe(renderRulesDoc(RULES));
    expect(renderRulesDoc(RULES)).not.toMatch(/\d{4}-\d{2}-\d{2}/); // no dates
  });

  it('--check exits 1 when the file is stale or missing, 0 after writing it', () => {
    const dir = tempDir('netkit-rules-doc-');
    try {
      const out = join(dir, 'RULES.md');
      const log: string[] = [];
      expect(main(['--check', '--out', out], (l) => log.push(l))).toBe(1);
      expect(log.pop()).toMatch(/missing.*npm run rules:doc/);
      expect(existsSync(out)).toBe(false);
      expect(main(['--out', out], () => {})).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(renderRulesDoc(RULES));
      expect(main(['--check', '--out', out], () => {})).toBe(0);
      writeFileSync(out, readFileSync(out, 'utf8').replace('NET-SEC1', 'NET-SEC9'));
      expect(main(['--check', '--out', out], (l) => log.push(l))).toBe(1);
      expect(log.pop()).toMatch(/stale/);
    } finally {
      cleanup(dir);
    }
  });

  it('committed RULES.md matches the catalogue (run `npm run rules:doc` when this fails)', () => {
    expect(existsSync(DEFAULT_RULES_DOC), 'RULES.md is missing: run `npm run rules:doc`').toBe(true);
    expect(readFileSync(DEFAULT_RULES_DOC, 'utf8'), 'RULES.md is stale: run `npm run rules:doc`').toBe(renderRulesDoc(RULES));
  });
});
