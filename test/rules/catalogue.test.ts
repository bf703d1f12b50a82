import { describe, expect, it } from 'vitest';
import { phaseOf, RULE_FORWARDS, RULE_PHASES, RULES, ruleById } from '../../constructs/index.js';
import { HYGIENE_RULES } from '../../constructs/rules/hygiene/index.js';

describe('rule catalogue', () => {
  it('has unique, well-formed ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id, id).toMatch(/^NET-[A-Z][A-Z0-9]*[A-Z][1-9][0-9]*$/);
  });

  it('gives every rule a level, a one-line title, a lesson, a source and a fix', () => {
    for (const r of RULES) {
      expect(['error', 'warning'], r.id).toContain(r.level);
      for (const field of ['title', 'lesson', 'source', 'fix'] as const) {
        expect(typeof r[field], `${r.id}.${field}`).toBe('string');
        expect(r[field].trim().length, `${r.id}.${field}`).toBeGreaterThanOrEqual(field === 'source' ? 4 : 15);
      }
      expect(r.title, `${r.id}.title`).not.toContain('\n');
      // a model rule's findings come from the constructs (Findings.of); every other rule checks something
      if (phaseOf(r) === 'model') expect(r.check, r.id).toBeUndefined();
      else expect(typeof r.check, r.id).toBe('function');
      expect(RULE_PHASES, r.id).toContain(phaseOf(r));
    }
  });

  it('is sorted by id (numerically) and finds rules by id', () => {
    const sorted = [...RULES].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    expect(RULES.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
    for (const r of RULES) expect(ruleById(r.id)).toBe(r);
    expect(ruleById('NET-NOPE1')).toBeUndefined();
  });

  it('keeps every merged id working: it is no rule of its own and finds the rule it forwards to', () => {
    expect(RULE_FORWARDS.get('NET-CIL8')).toBe('NET-L2P9');
    const ids = RULES.map((r) => r.id);
    for (const [id, to] of RULE_FORWARDS) {
      expect(id, id).toMatch(/^NET-[A-Z][A-Z0-9]*[A-Z][1-9][0-9]*$/);
      expect(ids, id).not.toContain(id);
      expect(ids, to).toContain(to);
      expect(ruleById(id), id).toBe(ruleById(to));
    }
  });

  it('registers every hygiene rule, with ids of the SEC, OWN and IMG areas', () => {
    for (const r of HYGIENE_RULES) {
      expect(RULES).toContain(r);
      expect(r.id).toMatch(/^NET-(SEC|OWN|IMG)\d+$/);
    }
    expect(HYGIENE_RULES.map((r) => r.id).sort()).toEqual([
      'NET-IMG1',
      'NET-OWN1',
      'NET-OWN2',
      'NET-SEC1',
      'NET-SEC2',
      'NET-SEC3',
      'NET-SEC4',
      'NET-SEC5',
      'NET-SEC6',
    ]);
  });

  it('runs the acknowledgement, output-folder and failure rules at their points of the synth', () => {
    const phases = Object.fromEntries(RULES.filter((r) => phaseOf(r) !== 'rules').map((r) => [r.id, phaseOf(r)]));
    expect(phases).toMatchObject({
      'NET-ACK1': 'app',
      'NET-ACK2': 'review',
      'NET-OUT3': 'app',
      'NET-RUN1': 'failures',
      'NET-L2P6': 'model',
      'NET-GW10': 'model',
    });
    // every failure of a synth is reported by exactly one rule
    expect(RULES.filter((r) => phaseOf(r) === 'failures').map((r) => r.id)).toEqual(['NET-RUN1']);
  });

  it("has the foundation's meta rules the synthesizer raises itself", () => {
    for (const id of ['NET-ACK1', 'NET-ACK2', 'NET-RUN1', 'NET-OUT1', 'NET-OUT2', 'NET-SCH1', 'NET-SCH2', 'NET-SCH3', 'NET-SCH4'])
      expect(ruleById(id), id).toBeDefined();
  });
});
