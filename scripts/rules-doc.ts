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
import { RULE_FORWARDS } from '../constructs/acknowledgements.js';
import { RULES } from '../constructs/rules/catalogue.js';
import { phaseOf, type Rule, type RulePhase } from '../constructs/rules/rule.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where RULES.md lives. */
export const DEFAULT_RULES_DOC = resolve(PROJECT_ROOT, 'RULES.md');

/** Areas in the order the document lists them, by id prefix (`NET-<AREA><n>`). */
export const AREAS: readonly { readonly prefix: string; readonly title: string }[] = [
  { prefix: 'CLU', title: 'Cluster input' },
  { prefix: 'IN', title: 'Props at the boundary' },
  { prefix: 'CIL', title: 'Cilium' },
  { prefix: 'L2P', title: 'LB-IPAM pools and L2 announcements' },
  { prefix: 'GW', title: 'Gateways' },
  { prefix: 'DB', title: 'Databases' },
  { prefix: 'EDGE', title: 'Edge hosts' },
  { prefix: 'NODE', title: 'Node configuration' },
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

/** A section of the document: a rule, or an id merged into one (it forwards there). */
type Entry = { readonly id: string; readonly rule: Rule; readonly forwardsTo?: undefined } | { readonly id: string; readonly forwardsTo: Rule };

function byId(a: { id: string }, b: { id: string }): number {
  return compareRuleIds(a.id, b.id);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

/** When a rule runs, for the rules that do not run with the others over the rendered cluster. */
const PHASES: Record<Exclude<RulePhase, 'rules'>, string> = {
  model: 'reported by the construct that meets the input, through `Findings.of(scope)`',
  review: "after every other rule of the cluster, over the cluster's findings",
  app: 'once for the app, after every cluster',
  failures: 'last, over whatever could not be rendered or checked',
};

function anchor(id: string): string {
  return id.toLowerCase();
}

/**
 * The content of RULES.md for `rules`, with the ids of `forwards` (merged id → id of the rule it was merged into)
 * listed where they were, pointing to their rule.
 */
export function renderRulesDoc(rules: readonly Rule[], forwards: ReadonlyMap<string, string> = RULE_FORWARDS): string {
  const entries: Entry[] = rules.map((rule) => ({ id: rule.id, rule }));
  for (const [id, to] of forwards) {
    const target = rules.find((r) => r.id === to);
    if (!target) throw new Error(`${id} forwards to ${to}, which is not a rule of the catalogue`);
    if (rules.some((r) => r.id === id)) throw new Error(`${id} forwards to ${to} but is still a rule of its own`);
    entries.push({ id, forwardsTo: target });
  }
  const groups = new Map<string, Entry[]>();
  for (const e of entries.sort(byId)) {
    const area = areaOf(e.id);
    groups.set(area, [...(groups.get(area) ?? []), e]);
  }
  const known = AREAS.filter((a) => groups.has(a.prefix));
  const unknown = [...groups.keys()]
    .filter((p) => !AREAS.some((a) => a.prefix === p))
    .sort()
    .map((prefix) => ({ prefix, title: prefix }));
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
    `${rules.length} rules: ${errors} errors, ${rules.length - errors} warnings.` +
      (forwards.size ? ` ${forwards.size === 1 ? 'One more id forwards' : `${forwards.size} more ids forward`} to the rule it was merged into.` : ''),
    '',
    'Most rules check a cluster once it is rendered. A construct that meets input it cannot use says so itself, on ' +
      "itself (`Findings.of(this).addError('NET-L2P6', { message, value, expected, fix })`), and goes on without the " +
      'value it could not make; the synth reports that finding under its rule with every other one. Such rules, and the ' +
      'few that run at another point of the synth, say when below.',
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
      'are listed with their reasons in `clusters/<cluster>/reports/review.md` for reviewers. An id merged into another ' +
      'rule stays valid: acknowledging it acknowledges the rule it forwards to.',
    '',
    '## Contents',
    '',
  ];
  for (const area of areas) {
    lines.push(`### ${area.title}`, '', '| id | level | rule |', '| --- | --- | --- |');
    for (const e of groups.get(area.prefix)!) {
      lines.push(
        e.forwardsTo
          ? `| [${e.id}](#${anchor(e.id)}) | → ${e.forwardsTo.id} | merged into [${e.forwardsTo.id}](#${anchor(e.forwardsTo.id)}): ${cell(e.forwardsTo.title)} |`
          : `| [${e.id}](#${anchor(e.id)}) | ${e.rule.level} | ${cell(e.rule.title)} |`,
      );
    }
    lines.push('');
  }
  for (const area of areas) {
    lines.push(`## ${area.title}`, '');
    for (const e of groups.get(area.prefix)!) {
      if (e.forwardsTo) {
        const to = e.forwardsTo;
        lines.push(
          `### ${e.id}`,
          '',
          `**Merged into [${to.id}](#${anchor(to.id)})**: ${oneLine(to.title)}`,
          '',
          `- The lesson of ${e.id} is one with ${to.id}'s, which now checks both. ${e.id} is not reused; an acknowledgement of ` +
            `${e.id} acknowledges ${to.id}.`,
          '',
        );
        continue;
      }
      const r = e.rule;
      lines.push(
        `### ${r.id}`,
        '',
        `**${oneLine(r.title)}** (${r.level})`,
        '',
        `- Lesson: ${oneLine(r.lesson)}`,
        `- Source: ${oneLine(r.source)}`,
        `- Fix: ${oneLine(r.fix)}`,
      );
      const phase = phaseOf(r);
      if (phase !== 'rules') lines.push(`- Runs: ${PHASES[phase]} (phase \`${phase}\`)`);
      lines.push('');
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
