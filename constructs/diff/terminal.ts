/**
 * The report for a terminal: the same content as the Markdown, as plain lines, in colour when asked.
 */
import { risk } from './catalogue.js';
import type { Hunk } from './line-diff.js';
import { docLabel, SECTIONS, type ClusterDiff, type DocChange, type FieldChange } from './model.js';
import type { DiffReport } from './report.js';
import { unmark } from './risks.js';
import { bySection, clusterCounts, docSection, sectionTitle, showValue } from './text.js';

export interface TerminalOptions {
  /** ANSI colours. @default false */
  readonly color?: boolean;
}

/**
 * Whether to colour output written to `stream`: only on a terminal, and never when NO_COLOR is set to anything
 * (https://no-color.org).
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

type Paint = (code: string, text: string) => string;

const SIGN = { added: '+', removed: '-', changed: '~', renamed: '→' } as const;

export function renderTerminal(report: DiffReport, options: TerminalOptions = {}): string {
  const paint: Paint = options.color ? (c, t) => `\u001b[${c}m${t}\u001b[0m` : (_, t) => t;
  const bold = (t: string) => paint('1', t);
  const red = (t: string) => paint('31', t);
  const green = (t: string) => paint('32', t);
  const yellow = (t: string) => paint('33', t);
  const cyan = (t: string) => paint('36', t);
  const lit = (t: string) => unmark(t, (l) => cyan(l));
  const out: string[] = [bold(`Rendered diff of ${report.dir}/: ${report.base} → ${report.head}`)];
  if (report.baseError !== undefined) {
    out.push('', red(bold('The base failed to render;')) + ' this diff compares against what the base committed, not a fresh render.');
    out.push(
      ...report.baseError
        .trim()
        .split('\n')
        .slice(-20)
        .map((l) => `  | ${l}`),
    );
  }
  if (!report.clusters.length) out.push('', 'No change to the rendered clusters.');
  out.push('', bold('Risk flags'));
  if (!report.flags.length) out.push(report.clusters.length ? '  none: no risk of RISKS.md applies to this change' : '  none: nothing changes');
  for (const f of report.flags) {
    const r = risk(f.id);
    out.push(`  ${yellow(bold(`⚠ ${f.id}`))} ${bold(r.title)} (${f.cluster}): ${lit(f.summary)}`);
    for (const d of f.details) out.push(`      ${lit(d)}`);
    out.push(`      what to do: ${r.todo}${r.rules.length ? ` (guarded by ${r.rules.join(', ')})` : ''}`);
  }
  for (const n of report.notes) out.push('', yellow(`! ${n}`));
  const hunk = (h: Hunk, indent: string) => [
    cyan(`${indent}${h.header}`),
    ...h.lines.map((l) => (l.op === '+' ? green : l.op === '-' ? red : (t: string) => t)(`${indent}${l.op}${l.text}`)),
  ];
  const field = (f: FieldChange): string[] => {
    if (f.hunks) return [`      ${f.path}:`, ...f.hunks.flatMap((h) => hunk(h, '        '))];
    if (f.op === 'added') return [green(`      + ${f.path}: ${showValue(f.after)}`)];
    if (f.op === 'removed') return [red(`      - ${f.path}: ${showValue(f.before)}`)];
    return [`      ~ ${f.path}: ${red(showValue(f.before))} → ${green(showValue(f.after))}`];
  };
  const doc = (d: DocChange): string[] => {
    const now = (d.after ?? d.before)!;
    const colour = d.status === 'added' ? green : d.status === 'removed' ? red : yellow;
    const label = d.status === 'renamed' ? `${docLabel(d.before!)} → ${docLabel(d.after!)}` : docLabel(now);
    const moved = d.before && d.after && d.before.file !== d.after.file ? `${d.before.file} → ${d.after.file}` : now.file;
    return [`    ${colour(`${SIGN[d.status]} ${d.status}`)} ${bold(label)}${now.kind || moved !== now.file ? `  (${moved})` : ''}`, ...d.fields.flatMap(field)];
  };
  for (const c of report.clusters as readonly ClusterDiff[]) {
    const what = c.status === 'changed' ? '' : ` (cluster ${c.status})`;
    out.push('', bold(`${c.cluster}${what}: ${clusterCounts(c)}`), `  topology: ${report.dir}/${c.cluster}/reports/topology.md`);
    const docs = bySection(c.docs, docSection);
    const files = bySection(c.files, (f) => f.section);
    const rank = (s: string) => ((SECTIONS as readonly string[]).indexOf(s) + SECTIONS.length + 1) % (SECTIONS.length + 1);
    for (const s of [...new Set([...docs.keys(), ...files.keys()])].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))) {
      out.push(`  ${bold(sectionTitle(s))}`);
      for (const d of docs.get(s) ?? []) out.push(...doc(d));
      for (const f of files.get(s) ?? []) {
        const colour = f.status === 'added' ? green : f.status === 'removed' ? red : yellow;
        out.push(`    ${colour(`${SIGN[f.status]} ${f.status}`)} ${bold(f.file)}`, ...f.hunks.flatMap((h) => hunk(h, '      ')));
      }
    }
  }
  return `${out.join('\n')}\n`;
}
