/**
 * Start a bundled CommonJS script with V8's code cache (inlined into each launcher by scripts/bundle.mjs).
 *
 * Node 20 compiles the whole bundle on every start, and then each function again the first time it runs; for the
 * example fleet that was a third of the synth. After a run the launcher saves what V8 compiled (`createCachedData`,
 * which includes the functions compiled lazily during the run) under node_modules/.cache/cdk8s-netkit/, named by
 * the bundle's hash; the next start hands it back. V8 checks the cache against its own version and flags and
 * ignores one that does not fit; a cache that cannot be read or written only costs the compile it would have saved.
 */
(require, launcherUrl, bundle, hash) => {
  const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
  const { dirname, join } = require('node:path');
  const { fileURLToPath } = require('node:url');
  const { Script } = require('node:vm');
  const Module = require('node:module');
  const launcher = fileURLToPath(launcherUrl);
  const file = join(dirname(launcher), bundle);
  // the project's node_modules/.cache, where build tools keep theirs
  let root = dirname(launcher);
  while (!existsSync(join(root, 'node_modules')) && dirname(root) !== root) root = dirname(root);
  const cacheDir = join(root, 'node_modules', '.cache', 'cdk8s-netkit');
  const cacheFile = join(cacheDir, `${bundle}-${process.version}-${process.arch}-${hash}.v8`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        mkdirSync(cacheDir, { recursive: true });
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
        // the caches of earlier builds of this bundle are of no further use
        for (const f of readdirSync(cacheDir)) if (f.startsWith(`${bundle}-`) && join(cacheDir, f) !== cacheFile && f.endsWith('.v8')) rmSync(join(cacheDir, f), { force: true });
      } catch {
        // read-only or full: the next start compiles again
      }
    });
  }
  const module = { exports: {}, filename: launcher };
  // __filename is the launcher's: it is the program's entry point (main.ts compares its import.meta.url with argv[1])
  script.runInThisContext()(module.exports, Module.createRequire(file), module, launcher, dirname(launcher));
}
