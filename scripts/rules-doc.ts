/**
 * Generates RULES.md from the rule catalogue: every rule's id, level, title, lesson, source and fix, grouped by
 * area, and how to acknowledge a finding.
 *
 * Usage: `npm run rules:doc` writes RULES.md at the project root; `npm run rules:doc -- --check` writes nothing
 * and exits 1 when RULES.md differs from what the catalogue says. `--out FILE` writes (or checks) another file.
 *
 * The output depends only on the catalogue (no dates, no environment): a re-run diffs cleanly.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compareRuleIds } from '../constructs/core/order.js';
import { RULES } from '../constructs/rules/catalogue.js';
import type { Rule } from '../constructs/rules/rule.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where RULES.md lives. */
export const DEFAULT_RULES_DOC = resolve(PROJECT_ROOT, 'RULES.md');

/** Areas in the order the document lists them, by id prefix (`NET-<AREA><n>`). */
export const AREAS: readonly { readonly prefix: string; readonly title: string }[] = [
  { prefix: 'CLU', title: 'Cluster input' },
  { prefix: 'CIL', title: 'Cilium' },
  { prefix: 'L2P', title: 'LB-IPAM pools and L2 announcements' },
  { prefix: 'GW', title: 'Gateways' },
  { prefix: 'DB', title: 'Databases' },
  { prefix: 'EDGE', title: 'Edge hosts' },
  { prefix: 'BOOT', title: 'Bootstrap and apply order' },
  { prefix: 'SEC', title: 'Secrets' },
  { prefix: 'OWN', title: 'Ownership' },
  { prefix: 'IMG', title: 'Images' },
  { prefix: 'SCH', title: 'Schema' },
  { prefix: 'OUT', title: 'Output' },
  { prefix: 'ACK', title: 'Acknowledgements' },
  { prefix: 'RUN', title: 'Robustness' },
];

/** The area prefix of a rule id: `NET-L2P3` → `L2P`. */
export function areaOf(id: string): string {
  const m = /^NET-([A-Z][A-Z0-9]*?)(\d+)$/.exec(id);
  return m ? m[1] : id;
}

function byId(a: Rule, b: Rule): number {
  return compareRuleIds(a.id, b.id);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function anchor(rule: Rule): string {
  return rule.id.toLowerCase();
}

/** The content of RULES.md for `rules`. */
export function renderRulesDoc(rules: readonly Rule[]): string {
  const groups = new Map<string, Rule[]>();
  for (const r of [...rules].sort(byId)) {
    const area = areaOf(r.id);
    groups.set(area, [...(groups.get(area) ?? []), r]);
  }
  const known = AREAS.filter((a) => groups.has(a.prefix));
  const unknown = [...groups.keys()].filter((p) => !AREAS.some((a) => a.prefix === p)).sort().map((prefix) => ({ prefix, title: prefix }));
  const areas = [...known, ...unknown];
  const errors = rules.filter((r) => r.level === 'error').length;

  const lines: string[] = [
    '# Rules',
    '',
    '<!-- Generated from constructs/rules/ by `npm run rules:doc` (scripts/rules-doc.ts). Do not edit by hand. -->',
    '',
    'Every lesson the field reports (and upstream, where the reports were wrong) taught, as a rule the synthesizer runs ' +
      'before it writes anything. A synth with an error writes nothing and prints every finding at once; warnings are ' +
      'printed and listed in `clusters/<cluster>/reports/review.md`.',
    '',
    `${rules.length} rules: ${errors} errors, ${rules.length - errors} warnings.`,
    '',
    '## Acknowledging a finding',
    '',
    'When a finding is acceptable in one place, say so on the construct (or a scope above it), with the reason:',
    '',
    '```ts',
    "Acknowledgements.of(scope).add('NET-IMG1', 'preview app that tracks main on purpose');",
    "Acknowledgements.of(cluster).add('NET-SEC2', 'published test fixture key', { path: 'fixtures/Resource' });",
    '```',
    '',
    'The reason needs at least 10 characters. An unknown rule id, a short reason, or a path that matches no construct is ' +
      'itself an error (NET-ACK1); an acknowledgement that silences nothing is a warning (NET-ACK2). Acknowledged findings ' +
      'are listed with their reasons in `clusters/<cluster>/reports/review.md` for reviewers.',
    '',
    '## Contents',
    '',
  ];
  for (const area of areas) {
    lines.push(`### ${area.title}`, '', '| id | level | rule |', '| --- | --- | --- |');
    for (const r of groups.get(area.prefix)!) lines.push(`| [${r.id}](#${anchor(r)}) | ${r.level} | ${cell(r.title)} |`);
    lines.push('');
  }
  for (const area of areas) {
    lines.push(`## ${area.title}`, '');
    for (const r of groups.get(area.prefix)!) {
      lines.push(
        `### ${r.id}`,
        '',
        `**${oneLine(r.title)}** (${r.level})`,
        '',
        `- Lesson: ${oneLine(r.lesson)}`,
        `- Source: ${oneLine(r.source)}`,
        `- Fix: ${oneLine(r.fix)}`,
        '',
      );
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Run as a command: returns the exit code. */
export function main(argv: readonly string[], log: (line: string) => void = (l) => console.log(l)): number {
  const check = argv.includes('--check');
  const outIdx = argv.indexOf('--out');
  const out = outIdx >= 0 && argv[outIdx + 1] ? resolve(argv[outIdx + 1]) : DEFAULT_RULES_DOC;
  const content = renderRulesDoc(RULES);
  const current = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  if (check) {
    if (current === content) {
      log(`${out} is up to date (${RULES.length} rules)`);
      return 0;
    }
    log(`${out} is ${current === undefined ? 'missing' : 'stale'}: it does not match the rule catalogue. Run \`npm run rules:doc\` and commit the result.`);
    return 1;
  }
  if (current !== content) writeFileSync(out, content);
  log(`${out}: ${current === content ? 'unchanged' : 'written'} (${RULES.length} rules)`);
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
