/**
 * The rendered tree does not depend on the machine's locale. Node takes its default locale from LANG, and
 * `localeCompare` sorts by it: a Danish machine put `aa` after `z`, a Lithuanian one `y` before `j`, so the same
 * app rendered a different tree (kustomization resources, env lists, reports) on different machines.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../constructs/output/writer.js';
import { tempDir } from '../helpers.js';

const root = resolve(import.meta.dirname, '../..');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * The app, bundled once: each render starts in a third of the time tsx takes, which hooks every module the app
 * loads. Its packages stay imports, resolved from node_modules as under tsx, so the bundle sits below it.
 */
let app = '';
beforeAll(async () => {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'netkit-locale-'));
  made.push(dir);
  app = join(dir, 'locale-app.mjs');
  await build({
    entryPoints: [join(root, 'test/output/fixtures/locale-app.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: app,
    logLevel: 'error',
  });
}, 120_000);

/** Every file of a folder with its content. */
function readTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

function renderUnder(lang: string): string {
  const outdir = tempDir('netkit-locale-');
  made.push(outdir);
  const env = { ...process.env, LANG: lang, LC_ALL: lang };
  const r = spawnSync(process.execPath, [app, outdir], { encoding: 'utf8', env, timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return outdir;
}

describe('rendering under different locales', () => {
  it('writes byte-identical trees, ordered by code unit', () => {
    const [first, ...others] = ['C.UTF-8', 'da_DK.UTF-8', 'lt_LT.UTF-8', 'en_US.UTF-8'].map((lang) => ({ lang, dir: renderUnder(lang) }));
    const reference = readTree(first!.dir);
    expect(reference.size).toBeGreaterThan(10);
    for (const { lang, dir } of others) expect(readTree(dir), `tree rendered with LANG=${lang}`).toEqual(reference);

    const apps = parse(readFileSync(join(first!.dir, 'test', 'apps', 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect(apps.resources).toEqual(['aalborg', 'ab', 'jar', 'namespaces', 'yak', 'zed']);
    const deployment = parse(readFileSync(join(first!.dir, 'test', 'apps', 'ab', 'deployment-ab.yaml'), 'utf8'));
    const env = deployment.spec.template.spec.containers[0].env as { name: string }[];
    expect(env.map((e) => e.name)).toEqual(['Ab', 'Z', 'aa', 'ab', 'j', 'y']);
  }, 180_000);
});
