/**
 * `npm run lint` as part of `npm test`: the tree passes ESLint (eslint.config.js, scripts/lint/), and the import
 * boundaries of the layout are enforced: constructs do not import the output pipeline, rules are not imported by
 * constructs.
 */
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Each problem as `path:line rule message`, for a readable failure. */
function problems(results: ESLint.LintResult[]): string[] {
  return results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(root.length + 1)}:${m.line} ${m.ruleId ?? 'parse'} ${m.message}`));
}

/** The rules that report `source` if it were the file at `path` (which need not exist). */
async function rulesFor(path: string, source: string): Promise<(string | null)[]> {
  const results = await eslint.lintText(source, { filePath: resolve(root, path) });
  return results.flatMap((r) => r.messages.map((m) => m.ruleId));
}

const BOUNDARY = 'import-x/no-restricted-paths';

describe('lint', () => {
  it('passes over the whole tree', async () => {
    expect(problems(await eslint.lintFiles(['.']))).toEqual([]);
  }, 120_000);

  it('fails when a construct imports the output pipeline', async () => {
    const source = "import { synthesize } from '../output/synth.js';\nexport const s = synthesize;\n";
    expect(await rulesFor('constructs/gateway/probe.ts', source)).toEqual([BOUNDARY]);
    expect(await rulesFor('constructs/rules/gateway/Probe.ts', source.replace('../output', '../../output'))).toEqual([BOUNDARY]);
    expect(await rulesFor('constructs/probe.ts', source.replace('../output', './output'))).toEqual([BOUNDARY]);
    // the pipeline itself, the library's index, and tests may
    expect(await rulesFor('constructs/output/probe.ts', source.replace('../output', '.'))).toEqual([]);
    expect(await rulesFor('constructs/index.ts', "export * from './output/synth.js';\n")).toEqual([]);
    expect(await rulesFor('test/output/probe.test.ts', source.replace('../output', '../../constructs/output'))).toEqual([]);
  });

  it('fails when a construct, main.ts or the benchmark imports a rule', async () => {
    const source = "import { RULES } from '../rules/catalogue.js';\nexport const r = RULES;\n";
    expect(await rulesFor('constructs/l2/probe.ts', source)).toEqual([BOUNDARY]);
    expect(await rulesFor('constructs/probe.ts', source.replace('../rules', './rules'))).toEqual([BOUNDARY]);
    expect(await rulesFor('main.ts', source.replace('../rules', './constructs/rules'))).toEqual([BOUNDARY]);
    expect(await rulesFor('bench/probe.ts', source.replace('../rules', '../constructs/rules'))).toEqual([BOUNDARY]);
    // the catalogue's readers may: the output pipeline, the library's index, scripts, tests, and the rules themselves
    expect(await rulesFor('constructs/output/probe.ts', source)).toEqual([]);
    expect(await rulesFor('constructs/index.ts', "export * from './rules/catalogue.js';\n")).toEqual([]);
    expect(await rulesFor('scripts/probe.ts', source.replace('../rules', '../constructs/rules'))).toEqual([]);
    expect(await rulesFor('test/rules/probe.test.ts', source.replace('../rules', '../../constructs/rules'))).toEqual([]);
    expect(await rulesFor('constructs/rules/l2/Probe.ts', source.replace('../rules/catalogue.js', '../catalogue.js'))).toEqual([]);
  });

  it('fails when a construct imports the diff engine; the engine may read the output pipeline', async () => {
    const source = "import { diffCommand } from '../diff/cli.js';\nexport const d = diffCommand;\n";
    expect(await rulesFor('constructs/gateway/probe.ts', source)).toEqual([BOUNDARY]);
    expect(await rulesFor('constructs/probe.ts', source.replace('../diff', './diff'))).toEqual([BOUNDARY]);
    expect(await rulesFor('main.ts', source.replace('../diff', './constructs/diff'))).toEqual([BOUNDARY]);
    // the output pipeline (where the package's command line lives), scripts and tests may
    expect(await rulesFor('constructs/output/probe.ts', source)).toEqual([]);
    expect(await rulesFor('scripts/probe.ts', source.replace('../diff', '../constructs/diff'))).toEqual([]);
    expect(await rulesFor('constructs/diff/probe.ts', "import { listFiles } from '../output/writer.js';\nexport const l = listFiles;\n")).toEqual([]);
  });
});
