/**
 * Generates RISKS.md from the risk catalogue (constructs/diff/catalogue.ts): every risk the semantic diff flags, with
 * why it matters, what to do, and the rules of RULES.md that guard it.
 *
 * Usage: `npm run risks:doc` writes RISKS.md at the project root; `npm run risks:doc -- --check` writes nothing and
 * exits 1 when RISKS.md differs from the catalogue.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { anchor, RISKS, type Risk } from '../constructs/diff/catalogue.js';

export const DEFAULT_RISKS_DOC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'RISKS.md');

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The content of RISKS.md for `risks`. */
export function renderRisksDoc(risks: readonly Risk[] = RISKS): string {
  const lines = [
    '# Risks',
    '',
    '<!-- Generated from constructs/diff/catalogue.ts by `npm run risks:doc` (scripts/risks-doc.ts). Do not edit by hand. -->',
    '',
    'What a change to `clusters/` can do to a running cluster that a line diff hides. `npm run diff -- --base <git ref>` ' +
      '(and the pull-request comment) compares the rendered trees object by object and raises a flag for each risk below ' +
      'that applies; a change that raises none says so. A flag is no error: it asks the reviewer to read the change with ' +
      'the risk in mind. Rules (RULES.md) stop a bad tree at synth; these flags point at a good tree whose rollout needs care.',
    '',
    `${risks.length} risks.`,
    '',
    '| id | risk | guarded by |',
    '| --- | --- | --- |',
    ...risks.map(
      (r) =>
        `| [${r.id}](#${anchor(r.id)}) | ${oneLine(r.title)} | ${r.rules.length ? r.rules.map((id) => `[${id}](RULES.md#${anchor(id)})`).join(', ') : '—'} |`,
    ),
    '',
  ];
  for (const r of risks) {
    lines.push(`### ${r.id}`, '', `**${oneLine(r.title)}**`, '', `- Why: ${oneLine(r.why)}`, `- What to do: ${oneLine(r.todo)}`);
    lines.push(`- Guarded by: ${r.rules.length ? r.rules.map((id) => `[${id}](RULES.md#${anchor(id)})`).join(', ') : 'no rule: only the diff sees it'}`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Run as a command: returns the exit code. */
export function main(argv: readonly string[], log: (line: string) => void = (l) => console.log(l), out = DEFAULT_RISKS_DOC): number {
  const content = renderRisksDoc();
  const current = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  if (argv.includes('--check')) {
    if (current === content) {
      log(`${out} is up to date (${RISKS.length} risks)`);
      return 0;
    }
    log(`${out} is ${current === undefined ? 'missing' : 'stale'}: it does not match the risk catalogue. Run \`npm run risks:doc\` and commit the result.`);
    return 1;
  }
  if (current !== content) writeFileSync(out, content);
  log(`${out}: ${current === content ? 'unchanged' : 'written'} (${RISKS.length} risks)`);
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
