/**
 * npm's `prepare`: compiles what the package ships (dist/constructs, dist/imports) wherever npm installs this
 * repository from source.
 *
 * npm runs `prepare` in three places: when a consumer installs the package from a Git URL (`npm install
 * github:<owner>/cdk8s-netkit`, `git+file://…`: npm clones it, installs its devDependencies, runs `prepare`, then
 * packs the result), on `npm pack` (after `prepack`), and on this repository's own `npm ci` / `npm install`.
 * A consumer installing a tarball never runs it: the tarball carries dist/ already.
 *
 * It always compiles (tsc 7 takes about 3 s): no freshness guess from timestamps, which a checkout resets, so a
 * Git install can never ship a stale dist/. It only runs tsc — the synth program's bundle (`npm run build`) is not
 * part of the package. Without TypeScript (`npm ci --omit=dev` in this repository) there is nothing to compile
 * with: it says so and succeeds, so a production install of the repository does not fail; `npm run build` builds
 * later. A compile error fails the install, naming the file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

let tsc;
try {
  const manifest = createRequire(join(root, 'package.json')).resolve('typescript/package.json');
  const bin = JSON.parse(readFileSync(manifest, 'utf8')).bin?.tsc;
  if (bin && existsSync(join(dirname(manifest), bin))) tsc = join(dirname(manifest), bin);
} catch {
  // not installed: handled below
}
if (!tsc) {
  console.log('prepare: TypeScript is not installed (devDependencies omitted), so dist/ is not compiled; `npm run build` compiles it.');
  process.exit(0);
}

// what a previous build left of files since removed must not be packed
for (const dir of ['dist/constructs', 'dist/imports']) rmSync(join(root, dir), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0)
  console.error(`prepare: tsc -p tsconfig.build.json failed (${result.error?.message ?? `exit ${result.status}`}); dist/ is incomplete.`);
process.exit(result.status ?? 1);
