/**
 * The Markdown of the pull-request comment always renders: fences outlast any backtick run inside them, long diffs
 * are folded, the size cap holds and says what it cut. Checked with a Markdown lexer (marked, GitHub-flavoured).
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { fence, GITHUB_COMMENT_LIMIT, inline, MARKER, renderMarkdown } from '../../constructs/diff/markdown.js';
import { buildReport } from '../../constructs/diff/report.js';
import { renderTerminal, wantsColor } from '../../constructs/diff/terminal.js';
import { fleetTree, makeImmichPublic, TreeEdit } from './fixtures.js';

function tokens(md: string): Token[] {
  const out: Token[] = [];
  const walk = (ts: readonly Token[]) => {
    for (const t of ts) {
      out.push(t);
      const nested = [...((t as any).tokens ?? []), ...((t as any).items ?? [])];
      if (nested.length) walk(nested);
    }
  };
  walk(new Lexer({ gfm: true }).lex(md));
  return out;
}

function codeBlocks(md: string): string[] {
  return tokens(md)
    .filter((t): t is Tokens.Code => t.type === 'code')
    .map((t) => t.text);
}

/** A report whose body holds Markdown with fences of three and four backticks, and a context line that is a fence. */
const NESTED = ['# Exposure', '', '```yaml', 'host: a', '```', '', '````md', '```', 'inner', '```', '````', '', 'tail line', ''].join('\n');

describe('Markdown rendering', () => {
  it('fences and inline code are longer than any backtick run inside', () => {
    expect(fence('a ```` b')).toBe('`````\na ```` b\n`````');
    expect(fence('plain', 'diff')).toBe('```diff\nplain\n```');
    expect(codeBlocks(fence('```\nx\n```', 'diff'))).toEqual(['```\nx\n```']);
    for (const text of ['a`b', '``x``', '`lead', 'trail`', 'multi\nline']) {
      const span = tokens(inline(text)).find((t): t is Tokens.Codespan => t.type === 'codespan');
      expect(span?.text.trim()).toBe(text.replace('\n', ' '));
    }
  });

  it('a changed report with fences inside stays one code block per diff', () => {
    const before = new TreeEdit().add('talos/reports/notes.md', NESTED);
    const after = new TreeEdit(before.tree())
      .text('talos/reports/notes.md', (t) => t.replace('inner', 'inner changed').replace('tail line', 'tail changed'))
      .add('zeta/edge/after.conf', 'x\n');
    const md = renderMarkdown(buildReport(before.tree(), after.tree(), { base: 'a', head: 'b' }));
    const blocks = codeBlocks(md);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toBe('@@ -0,0 +1,1 @@\n+x');
    expect(blocks[0]).toContain('-inner\n+inner changed');
    expect(blocks[0]).toContain(' ```\n'); // the context line that would close a three-backtick fence
    expect(blocks[0]).toContain('+tail changed');
    // nothing after the diff was swallowed: the next cluster's heading is a heading
    expect(tokens(md).some((t) => t.type === 'heading' && (t as Tokens.Heading).text === 'zeta (new cluster)')).toBe(true);
  });

  it('an added document whose content holds backticks renders as one YAML block', () => {
    const after = new TreeEdit().add('talos/apps/notes/configmap-notes.yaml', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'notes', namespace: 'immich' },
      data: { 'README.md': 'use ```sh\nmake\n``` here\n' },
    });
    const md = renderMarkdown(buildReport(fleetTree(), after.tree(), { base: 'a', head: 'b' }));
    const yaml = codeBlocks(md).filter((b) => b.includes('kind: ConfigMap'));
    expect(yaml).toHaveLength(1);
    expect(yaml[0]).toContain('```sh');
    expect(md).toContain('<details><summary>new content: ');
  });

  it('starts with the marker the workflow finds its comment by, and links each touched cluster’s topology', () => {
    const md = renderMarkdown(buildReport(fleetTree(), makeImmichPublic(new TreeEdit()).tree(), { base: 'a', head: 'b' }), {
      linkBase: 'https://github.com/o/r/blob/abc/',
    });
    expect(md.split('\n')[0]).toBe(MARKER);
    expect(md).toContain('[topology](https://github.com/o/r/blob/abc/clusters/talos/reports/topology.md)');
    expect(md).not.toContain('clusters/homelab/reports/topology.md');
    expect(md).toContain('[RISK-6](https://github.com/o/r/blob/abc/RISKS.md#risk-6)');
    expect(md).toContain('[NET-GW9](https://github.com/o/r/blob/abc/RULES.md#net-gw9)');
  });

  it('folds a long diff in <details> and leaves a short one open', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    const before = new TreeEdit().add('talos/edge/long.conf', `${long}\n`).add('talos/edge/short.conf', 'a\nb\n');
    const after = new TreeEdit(before.tree()).add('talos/edge/long.conf', `${long.replaceAll('line', 'LINE')}\n`).add('talos/edge/short.conf', 'a\nc\n');
    const md = renderMarkdown(buildReport(before.tree(), after.tree(), { base: 'a', head: 'b' }));
    const long1 = md.indexOf('`edge/long.conf`');
    const short1 = md.indexOf('`edge/short.conf`');
    expect(md.slice(long1, short1)).toMatch(/<details><summary>edge\/long\.conf: 81 lines of diff<\/summary>\n\n````?diff\n/);
    expect(md.slice(short1)).not.toContain('<details>');
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
  });

  it('stays under the cap, whole blocks only, and says what it cut', () => {
    let after = new TreeEdit();
    for (let i = 0; i < 120; i++) {
      after = after.add(
        `talos/edge/big-${String(i).padStart(3, '0')}.conf`,
        Array.from({ length: 60 }, (_, j) => `setting ${i}.${j} = ${'x'.repeat(20)}`).join('\n'),
      );
    }
    const report = buildReport(fleetTree(), after.tree(), { base: 'origin/main', head: 'b' });
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("✂️ **Cut to stay under 65000 characters** (GitHub's comment limit is 65536)");
    expect(md).toMatch(/- \d+ changes left out: `talos: edge\/big-\d{3}\.conf`/);
    expect(md).toContain('The whole diff: `npm run diff` between `origin/main` and `b`');
    expect(renderMarkdown(report, { fullCommand: 'npm run diff -- --base 0123abc' })).toContain('The whole diff: `npm run diff -- --base 0123abc`');
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
    // the note is text, not swallowed by an open fence
    const note = tokens(md).find((t) => t.type === 'paragraph' && t.raw.includes('Cut to stay under'));
    expect(note).toBeDefined();
    // a smaller cap: still whole blocks, still a note
    const small = renderMarkdown(report, { maxChars: 5000 });
    expect(small.length).toBeLessThanOrEqual(5000);
    expect(small).toContain('Cut to stay under 5000 characters');
  });

  it('says when the base failed to render, with its log', () => {
    const md = renderMarkdown(
      buildReport(new Map(), fleetTree(), { base: 'origin/main', head: 'b', baseError: 'npm ERR! synth failed\n✖ NET-CLU1 ```bad```' }),
    );
    expect(md).toContain('**The base failed to render.**');
    expect(codeBlocks(md)[0]).toContain('✖ NET-CLU1 ```bad```');
  });
});

describe('terminal rendering', () => {
  it('colours only a TTY, and never under NO_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
    const report = buildReport(fleetTree(), makeImmichPublic(new TreeEdit()).tree(), { base: 'a', head: 'b' });
    expect(renderTerminal(report, { color: true })).toContain('\u001b[33m');
    expect(renderTerminal(report)).not.toContain('\u001b[');
  });
});
