/**
 * Start a bundled CommonJS script with V8's code cache (inlined into each launcher by scripts/bundle.mjs).
 *
 * Node 20 compiles the whole bundle on every start, and then each function again the first time it runs; for the
 * example fleet that was a third of the synth. After a run the launcher saves what V8 compiled (`createCachedData`,
 * which includes the functions compiled lazily during the run) under node_modules/.cache/cdk8s-netkit/, named by
 * the bundle's hash; the next start hands it back. V8 checks a cache against its own version and flags, but a
 * damaged one can crash it, so each file starts with the SHA-256 of its data and is only used when that matches;
 * a cache that is missing, damaged or cannot be written only costs the compile it would have saved.
 *
 * Code run through vm.Script cannot `import()`; the launcher, an ES module, lends the bundle its own import (used to
 * load the schema models of escape-hatch kinds, constructs/schema/schema.ts).
 */
(require, launcherUrl, bundle, hash, importModule) => {
  const { createHash } = require('node:crypto');
  const { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } = require('node:fs');
  const { dirname, join } = require('node:path');
  const { fileURLToPath } = require('node:url');
  const { Script } = require('node:vm');
  const Module = require('node:module');
  const launcher = fileURLToPath(launcherUrl);
  const file = join(dirname(launcher), bundle);
  // the project's node_modules/.cache, where build tools keep theirs
  let root = dirname(launcher);
  while (!existsSync(join(root, 'node_modules')) && dirname(root) !== root) root = dirname(root);
  const cacheDir = existsSync(join(root, 'node_modules')) ? join(root, 'node_modules', '.cache', 'cdk8s-netkit') : undefined;
  const cacheFile = cacheDir && join(cacheDir, `${bundle}-${process.version}-${process.arch}-${hash}.v8`);
  const digest = (data) => createHash('sha256').update(data).digest();
  let cachedData;
  try {
    // no node_modules above the bundle: nowhere to keep a cache
    const stored = cacheFile ? readFileSync(cacheFile) : Buffer.alloc(0);
    const data = stored.subarray(32);
    if (stored.length > 32 && digest(data).equals(stored.subarray(0, 32))) cachedData = data;
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', () => {
      try {
        mkdirSync(cacheDir, { recursive: true });
        const data = script.createCachedData();
        const tmp = `${cacheFile}.${process.pid}`;
        const fd = openSync(tmp, 'w');
        try {
          writeSync(fd, digest(data));
          writeSync(fd, data);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, cacheFile);
        // the caches of earlier builds of this bundle are of no further use
        for (const f of readdirSync(cacheDir))
          if (f.startsWith(`${bundle}-`) && join(cacheDir, f) !== cacheFile && f.endsWith('.v8')) rmSync(join(cacheDir, f), { force: true });
      } catch {
        // read-only or full: the next start compiles again
      }
    });
  }
  globalThis[Symbol.for('cdk8s-netkit.import')] = importModule;
  const module = { exports: {}, filename: launcher };
  // __filename is the launcher's, the program's entry point: the bundle's import.meta.url (scripts/bundle.mjs)
  script.runInThisContext()(module.exports, Module.createRequire(file), module, launcher, dirname(launcher));
};
