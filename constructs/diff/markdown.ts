/**
 * The report as GitHub Markdown that always renders: every fence is longer than any backtick run inside it, inline
 * code likewise, long diffs are folded in `<details>`, and the whole stays under a size cap (a GitHub comment holds
 * 65536 characters) with a note of what was cut.
 */
import { anchor, risk } from './catalogue.js';
import { hunksText, type Hunk } from './line-diff.js';
import { docLabel, SECTIONS, type ClusterDiff, type DocChange, type FieldChange, type FileChange } from './model.js';
import type { DiffReport } from './report.js';
import { bySection, clusterCounts, docSection, plural, sectionTitle, showValue } from './text.js';
import { stringify } from 'yaml';

/** The hidden line that lets the workflow find its own comment and update it. */
export const MARKER = '<!-- netkit-diff -->';

/** GitHub's limit on the body of an issue or pull-request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65536;

/** Diffs longer than this many lines are folded. */
const FOLD_LINES = 20;

/** Details of one flag beyond this many are counted, not listed. */
const FLAG_DETAILS = 30;

export interface MarkdownOptions {
  /** The size cap in characters. @default 65536 minus a margin for the workflow's own lines */
  readonly maxChars?: number;
  /**
   * Where links point: a URL prefix that ends with `/` (e.g. `https://github.com/o/r/blob/<sha>/`) for RULES.md,
   * RISKS.md and each cluster's `reports/topology.md`. @default - paths relative to the repository root
   */
  readonly linkBase?: string;
  /** The command that shows the whole diff, named when something was cut. */
  readonly fullCommand?: string;
}

function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** A fenced code block whose fence is longer than any backtick run in `body`. */
export function fence(body: string, lang = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${ticks}${lang}\n${body.replace(/\n$/, '')}\n${ticks}`;
}

/** Inline code that holds any text: the delimiter is longer than any backtick run inside, newlines become spaces. */
export function inline(text: string): string {
  const t = text.replace(/\r?\n/g, ' ');
  const ticks = '`'.repeat(longestRun(t, '`') + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim()) ? ' ' : '';
  return `${ticks}${pad}${t}${pad}${ticks}`;
}

/** Plain text made inert: no HTML, no emphasis, no links. */
export function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`).replace(/&/g, '&amp;');
}

/** Flag text: literals as inline code, the rest escaped. */
function flagText(text: string): string {
  return text
    .split(/(\uE000[^\uE001]*\uE001)/)
    .map((p) => (p.startsWith('\uE000') ? inline(p.slice(1, -1)) : escape(p)))
    .join('');
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</summary>\n\n${body}\n\n</details>`;
}

/** A diff body, folded when long. */
function diffBlock(title: string, hunks: readonly Hunk[]): { full: string; lines: number } {
  const text = hunksText(hunks);
  const lines = text.split('\n').length;
  const block = fence(text, 'diff');
  return { full: lines > FOLD_LINES ? details(`${title}: ${plural(lines, 'line')} of diff`, block) : block, lines };
}

const ICON = { added: '➕ added', removed: '➖ removed', changed: '✏️ changed', renamed: '🔀 renamed' } as const;

function fieldLine(f: FieldChange): string {
  const p = inline(f.path);
  if (f.hunks) return `- ${p}: lines change (below)`;
  if (f.op === 'added') return `- ${p}: added ${inline(showValue(f.after))}`;
  if (f.op === 'removed') return `- ${p}: removed (was ${inline(showValue(f.before))})`;
  return `- ${p}: ${inline(showValue(f.before))} → ${inline(showValue(f.after))}`;
}

/** One block per document: the full form, and a short one (its line and field paths only) for when space runs out. */
function docBlock(d: DocChange): { full: string; short: string; label: string } {
  const now = (d.after ?? d.before)!;
  const label = d.status === 'renamed' ? `${inline(docLabel(d.before!))} → ${inline(docLabel(d.after!))}` : inline(docLabel(now));
  const where = d.before && d.after && d.before.file !== d.after.file ? `${inline(d.before.file)} → ${inline(d.after.file)}` : inline(now.file);
  const head = `**${ICON[d.status]}** ${label}${now.kind || where !== inline(now.file) ? ` · ${where}` : ''}`;
  const parts = [head];
  const short = [head];
  if (d.status === 'added' || d.status === 'removed') {
    const yaml = stringify(now.value, { lineWidth: 0 });
    const n = yaml.split('\n').length - 1;
    parts.push(details(`${d.status === 'added' ? 'new' : 'old'} content: ${plural(n, 'line')}`, fence(yaml, 'yaml')));
  } else if (d.fields.length) {
    const lines = d.fields.map(fieldLine);
    parts.push(lines.join('\n'));
    short.push(lines.join('\n'));
    for (const f of d.fields.filter((x) => x.hunks)) parts.push(diffBlock(f.path, f.hunks!).full);
  } else if (d.status === 'changed') {
    parts.push('- no field changes: the object moves to another file');
    short.push(parts.at(-1)!);
  }
  return { full: parts.join('\n\n'), short: short.join('\n\n'), label: docLabel(now) };
}

function fileBlock(f: FileChange): { full: string; short: string; label: string } {
  const head = `**${ICON[f.status]}** ${inline(f.file)}`;
  const body = diffBlock(f.file, f.hunks);
  return { full: `${head}\n\n${body.full}`, short: `${head} (${plural(body.lines, 'line')} of diff)`, label: f.file };
}

function link(base: string | undefined, path: string, hash = ''): string {
  return `${base ?? ''}${path}${hash ? `#${hash}` : ''}`;
}

interface Block {
  readonly full: string;
  readonly short: string;
  readonly label: string;
  readonly cluster: string;
}

function clusterBlocks(c: ClusterDiff, report: DiffReport, options: MarkdownOptions): { head: string; blocks: Block[] } {
  const topology = `${report.dir}/${c.cluster}/reports/topology.md`;
  const what = c.status === 'added' ? ' (new cluster)' : c.status === 'removed' ? ' (cluster removed)' : '';
  const head = `### ${escape(c.cluster)}${what}\n\n${clusterCounts(c)} · [topology](${link(options.linkBase, topology)})`;
  const blocks: Block[] = [];
  const docs = bySection(c.docs, docSection);
  const files = bySection(c.files, (f) => f.section);
  const sections = [...new Set([...docs.keys(), ...files.keys()])].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  for (const s of sections) {
    const items = [...(docs.get(s) ?? []).map(docBlock), ...(files.get(s) ?? []).map(fileBlock)];
    items.forEach((item, i) => {
      const title = i === 0 ? `#### ${escape(sectionTitle(s))}\n\n` : '';
      blocks.push({ full: title + item.full, short: title + item.short, label: item.label, cluster: c.cluster });
    });
  }
  return { head, blocks };
}

function rank(section: string): number {
  const i = (SECTIONS as readonly string[]).indexOf(section);
  return i < 0 ? SECTIONS.length : i;
}

/** The report as a GitHub comment body. */
export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const cap = options.maxChars ?? GITHUB_COMMENT_LIMIT - 536;
  const head: string[] = [MARKER, '## Rendered diff of `clusters/`', '', `Base ${inline(report.base)} → head ${inline(report.head)}.`];
  if (report.baseError !== undefined) {
    const log = report.baseError.trim().split('\n').slice(-40).join('\n').slice(-4000);
    head.push(
      '',
      '> [!CAUTION]',
      '> **The base failed to render.** The diff below compares against what the base branch committed under `clusters/` ' +
        '(an empty base when it committed nothing), not against a fresh render of it.',
      '',
      details('the base’s render log (last 40 lines)', fence(log || '(no output)')),
    );
  }
  if (!report.clusters.length) head.push('', '**No change to the rendered clusters.**');
  head.push('', '### Risk flags', '');
  if (!report.flags.length) {
    head.push(
      report.clusters.length
        ? `**No risk flag**: none of the risks of [RISKS.md](${link(options.linkBase, 'RISKS.md')}) applies to this change.`
        : '**No risk flag**: nothing changes.',
    );
  }
  for (const f of report.flags) {
    const r = risk(f.id);
    const guards = r.rules.length ? ` Guarded by ${r.rules.map((id) => `[${id}](${link(options.linkBase, 'RULES.md', anchor(id))})`).join(', ')}.` : '';
    head.push(`- ⚠️ **[${f.id}](${link(options.linkBase, 'RISKS.md', anchor(f.id))}) ${escape(r.title)}** — ${escape(f.cluster)}: ${flagText(f.summary)}`);
    for (const d of f.details.slice(0, FLAG_DETAILS)) head.push(`  - ${flagText(d)}`);
    if (f.details.length > FLAG_DETAILS) head.push(`  - … and ${f.details.length - FLAG_DETAILS} more`);
    head.push(`  - What to do: ${escape(r.todo)}${guards}`);
  }
  for (const n of report.notes) head.push('', `> [!WARNING]\n> ${escape(n.length > 1000 ? `${n.slice(0, 999)}…` : n)}`);
  let out = head.join('\n');
  // the base and head labels are no shell words (`main (<sha>)`): without a command, name the revisions in words
  const whole = options.fullCommand ? inline(options.fullCommand) : `${inline('npm run diff')} between ${inline(report.base)} and ${inline(report.head)}`;
  const reserve = 800;
  const shortened: string[] = [];
  const left: string[] = [];
  for (const c of report.clusters) {
    const { head: ch, blocks } = clusterBlocks(c, report, options);
    const sep = '\n\n';
    if (out.length + sep.length + ch.length + reserve > cap) {
      left.push(...blocks.map((b) => `${c.cluster}: ${b.label}`));
      continue;
    }
    out += sep + ch;
    for (const b of blocks) {
      if (out.length + sep.length + b.full.length + reserve <= cap) out += sep + b.full;
      else if (out.length + sep.length + b.short.length + reserve <= cap) {
        out += sep + b.short;
        shortened.push(`${b.cluster}: ${b.label}`);
      } else left.push(`${b.cluster}: ${b.label}`);
    }
  }
  if (shortened.length || left.length) {
    const names = (xs: string[]) =>
      xs
        .slice(0, 8)
        .map((x) => inline(x.length > 80 ? `${x.slice(0, 79)}…` : x))
        .join(', ') + (xs.length > 8 ? `, … ${xs.length - 8} more` : '');
    const lines = [`\n\n---\n\n✂️ **Cut to stay under ${cap} characters** (GitHub's comment limit is ${GITHUB_COMMENT_LIMIT}):`];
    if (shortened.length) lines.push(`- ${plural(shortened.length, 'diff')} shown by field paths only: ${names(shortened)}`);
    if (left.length) lines.push(`- ${plural(left.length, 'change')} left out: ${names(left)}`);
    lines.push(`- The risk flags above are complete. The whole diff: ${whole}`);
    out += lines.join('\n');
  }
  if (out.length > cap) {
    // the flags and notes alone do not fit: say so rather than cut markup in the middle
    out = [
      MARKER,
      '## Rendered diff of `clusters/`',
      '',
      `Base ${inline(report.base)} → head ${inline(report.head)}: ${plural(report.flags.length, 'risk flag')}, ${plural(report.clusters.length, 'cluster')} changed.`,
      '',
      `✂️ **Cut**: even the risk flags exceed ${cap} characters. The whole diff: ${whole}`,
    ].join('\n');
  }
  return `${out}\n`;
}
