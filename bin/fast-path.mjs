/**
 * The fast path of `netkit synth`: bundle a cdk8s app (a .ts or .js entry and everything it imports) into one script
 * with esbuild, in this process, keep the bundle under node_modules/.cache/netkit/ with the content hash of every
 * file it was built from, and run it here, with V8's code cache of the previous run.
 *
 * - Rebuilt only when the content of an input changed: each input file of the last build is read and hashed
 *   (SHA-256) and compared with the manifest; time stamps are never consulted. A new file only takes part through
 *   an import, and an import is an edit of a file that was already an input. The builder itself (this file), the
 *   package's version, esbuild's version and the build options are part of the manifest's key.
 * - The bundle is an ES module bundle (a cdk8s app may `await` at its top level) without a single import statement
 *   (Node's built-in modules are reached through `require`), wrapped in an async function: V8 runs it as a script,
 *   which Node 20 can hand a code cache (vm.Script `cachedData`), and an ES module it cannot. After a run the code
 *   V8 compiled, lazily compiled functions included, is saved beside the bundle and handed back on the next start;
 *   each cache file starts with the SHA-256 of its data and is used only when that matches (a damaged cache could
 *   crash V8).
 * - The validators' RE2 engine (re2-wasm) is swapped for the library's native-pattern module, which runs the same
 *   patterns on RegExp and keeps re2-wasm for any it cannot translate exactly; `child_process` is loaded on first use
 *   (cdk8s requires it at load for Helm, which a synth never calls); cdk8s' own copy of `yaml` is the library's
 *   when both are the same version.
 * - `import.meta.url` of the app's own files (outside node_modules) is their file's URL, as under tsx or Node.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire, builtinModules } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** Bumped whenever the layout of the cache changes. */
const FORMAT = 1;
/** The package this file belongs to: cdk8s-netkit, in a clone or installed. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** The package's version, from its package.json. */
export function packageVersion() {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
}

/**
 * Where the caches live: `$NETKIT_CACHE_DIR`, or node_modules/.cache/netkit/ of the nearest folder from `from` up that
 * has a node_modules (where build tools keep theirs; safe to delete at any time).
 */
export function cacheDirFor(from) {
  if (process.env.NETKIT_CACHE_DIR) return resolve(process.env.NETKIT_CACHE_DIR);
  let dir = resolve(from);
  while (!existsSync(join(dir, 'node_modules')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(existsSync(join(dir, 'node_modules')) ? dir : resolve(from), 'node_modules', '.cache', 'netkit');
}

/**
 * The module that replaces `@kubernetes-models/validate/runtime/re2`: the library's source in a clone (no build
 * needed), its compiled file in an installed package.
 */
function nativePatternModule() {
  for (const f of ['constructs/schema/native-pattern.ts', 'dist/constructs/schema/native-pattern.js']) {
    const p = join(PACKAGE_ROOT, f);
    if (existsSync(p)) return p;
  }
  throw new Error(`cdk8s-netkit: neither constructs/schema/native-pattern.ts nor dist/constructs/schema/native-pattern.js in ${PACKAGE_ROOT}`);
}

/** Version of the package `name` as resolved from `from` (a file), or undefined. */
function versionFrom(from, name) {
  try {
    const req = createRequire(from);
    let dir = dirname(req.resolve(name));
    while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
      if (dirname(dir) === dir) return undefined;
      dir = dirname(dir);
    }
    return { dir, version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version };
  } catch {
    return undefined;
  }
}

/**
 * `child_process` behind a proxy that requires the real module on first use. cdk8s keeps a reference to
 * `spawnSync` when it loads, so the functions come out as stand-ins that load the module when called.
 */
const LAZY_CHILD_PROCESS = `
let real;
const load = () => (real ??= require('node:child_process'));
const CALLS = new Set(['exec', 'execFile', 'execFileSync', 'execSync', 'fork', 'spawn', 'spawnSync']);
module.exports = new Proxy({}, {
  get: (_, key) => (real === undefined && CALLS.has(key) ? (...args) => load()[key](...args) : load()[key]),
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Object.getOwnPropertyDescriptor(load(), key);
    return d && { ...d, configurable: true };
  },
});
`;

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
/** The name of the one-line module that imports the entry (so that an entry's exports leave no export statement). */
const ENTRY_STUB = '<netkit-entry>';
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** The options every build uses: part of the manifest's key. */
const BUILD = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  metafile: true,
  minifyWhitespace: true,
  minifySyntax: true,
  // short lines keep an error's source excerpt readable
  lineLimit: 500,
  legalComments: 'none',
  logLevel: 'silent',
  // ES modules in node_modules that ask for import.meta.url get the package's (the app's own files get theirs)
  define: { 'import.meta.url': '__netkitImportMetaUrl' },
};

/** Bundle `entry` (absolute) with esbuild; returns the script's text and the absolute paths of its inputs. */
async function build(entry) {
  const { build: esbuild } = await import('esbuild');
  const nativePattern = nativePatternModule();
  // cdk8s carries its own copy of `yaml`; when it is the very version the library uses, the bundle holds one copy
  const ownYaml = versionFrom(join(PACKAGE_ROOT, 'package.json'), 'yaml');
  let cdk8sYaml;
  try {
    cdk8sYaml = versionFrom(createRequire(entry).resolve('cdk8s'), 'yaml');
  } catch {
    cdk8sYaml = undefined; // the build says what cannot be resolved
  }
  const oneYaml = ownYaml && cdk8sYaml && ownYaml.version === cdk8sYaml.version ? createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('yaml') : undefined;
  let result;
  try {
    result = await esbuild({
      ...BUILD,
      stdin: { contents: `import ${JSON.stringify(entry)};`, resolveDir: dirname(entry), sourcefile: ENTRY_STUB, loader: 'js' },
      absWorkingDir: dirname(entry),
      outfile: join(dirname(entry), 'netkit-bundle.js'),
      plugins: [
        {
          name: 'netkit',
          setup(b) {
            b.onResolve({ filter: /^@kubernetes-models\/validate\/runtime\/re2$/ }, () => ({ path: nativePattern }));
            if (oneYaml) b.onResolve({ filter: /^yaml$/ }, () => ({ path: oneYaml }));
            // Node's modules, and the few packages left out, through `require`: the bundle has no import statement
            b.onResolve({ filter: /^(node:)?[a-z_/]+$|^re2-wasm$/ }, (args) => {
              if (!BUILTINS.has(args.path) && args.path !== 're2-wasm') return undefined;
              if (args.namespace === 'netkit-require') return { path: args.path, external: true };
              return { path: args.path.replace(/^node:/, ''), namespace: 'netkit-require' };
            });
            b.onLoad({ filter: /.*/, namespace: 'netkit-require' }, (args) => ({
              contents: args.path === 'child_process' ? LAZY_CHILD_PROCESS : `module.exports = require(${JSON.stringify(args.path)});`,
              loader: 'js',
            }));
            // the app's own files: import.meta.url (and dirname, filename) as under Node
            b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
              if (args.path.split(sep).includes('node_modules')) return undefined;
              let contents = readFileSync(args.path, 'utf8');
              if (contents.includes('import.meta.')) {
                contents = contents
                  .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
                  .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
                  .replaceAll('import.meta.filename', JSON.stringify(args.path));
              }
              return { contents, loader: LOADERS[extname(args.path)] ?? 'js' };
            });
          },
        },
      ],
    });
  } catch (e) {
    // esbuild's message lists every error with its file, line and column
    throw new BuildError(`cannot bundle ${entry}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const [out] = result.outputFiles;
  const wd = dirname(entry);
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => p !== ENTRY_STUB && !p.includes(':'))
    .map((p) => (isAbsolute(p) ? p : resolve(wd, p)));
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports ?? []);
  const stray = imports.filter((i) => i.kind === 'import-statement');
  if (stray.length) throw new Error(`cdk8s-netkit: the bundle of ${entry} still imports ${stray.map((i) => i.path).join(', ')}`);
  return { text: out.text, inputs };
}

/** The text V8 runs: the bundle as the body of an async function with CommonJS' module parameters. */
function wrap(text) {
  return (
    '(async function (exports, require, module, __filename, __dirname) {"use strict";\n' +
    `var __netkitImportMetaUrl = ${JSON.stringify(pathToFileURL(join(PACKAGE_ROOT, 'bin', 'netkit.mjs')).href)};\n${text}\n})`
  );
}

/**
 * What a build's inputs are keyed by: each file outside node_modules (the app's sources, and the library's in a
 * clone) by the SHA-256 of its content; each package in node_modules by the SHA-256 of its package.json and of npm's
 * record of the installed tree (node_modules/.package-lock.json, rewritten by every install with each package's
 * version, source and integrity), which is 1,100 files fewer to read on every synth. Without that record (another
 * package manager) every file of a package is hashed.
 */
function keyFiles(inputs) {
  const files = new Set();
  for (const f of inputs) {
    const parts = f.split(sep);
    const top = parts.indexOf('node_modules');
    const last = parts.lastIndexOf('node_modules');
    const record = top > 0 ? [...parts.slice(0, top + 1), '.package-lock.json'].join(sep) : undefined;
    if (record && existsSync(record)) {
      const name = parts[last + 1]?.startsWith('@') ? 2 : 1;
      files.add(record);
      files.add([...parts.slice(0, last + 1 + name), 'package.json'].join(sep));
    } else files.add(f);
  }
  return [...files].sort();
}

/** Every key file still holds the bytes it was built from. */
function upToDate(hashes) {
  for (const [file, hash] of Object.entries(hashes)) {
    let data;
    try {
      data = readFileSync(file);
    } catch {
      return false;
    }
    if (sha256(data) !== hash) return false;
  }
  return true;
}

function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * The bundle of `entry`, rebuilt when any file it was built from changed. Returns the script's path, its hash and
 * whether it was rebuilt now.
 */
export async function prepare(entry, { cacheDir = cacheDirFor(dirname(resolve(entry))) } = {}) {
  const abs = resolve(entry);
  if (!existsSync(abs)) throw new UsageError(`no such file: ${entry}`);
  const dir = join(cacheDir, 'apps', sha256(abs).slice(0, 16));
  const esbuildVersion = versionFrom(join(PACKAGE_ROOT, 'package.json'), 'esbuild')?.version;
  const key = sha256(
    JSON.stringify({ FORMAT, builder: sha256(readFileSync(fileURLToPath(import.meta.url))), version: packageVersion(), esbuildVersion, BUILD, abs }),
  );
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    manifest = undefined;
  }
  if (manifest?.key === key && existsSync(join(dir, manifest.bundle)) && upToDate(manifest.inputs)) {
    return { file: join(dir, manifest.bundle), hash: manifest.hash, rebuilt: false };
  }
  const { text, inputs } = await build(abs);
  const script = wrap(text);
  const hash = sha256(script).slice(0, 16);
  const bundle = `app-${hash}.cjs`;
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, bundle), script);
  const hashes = Object.fromEntries(keyFiles(inputs).map((f) => [f, sha256(readFileSync(f))]));
  writeAtomic(join(dir, 'manifest.json'), `${JSON.stringify({ key, entry: abs, bundle, hash, inputs: hashes }, null, 1)}\n`);
  // earlier bundles of this entry and their code caches are of no further use
  for (const f of readdirSync(dir)) if (f.startsWith('app-') && !f.startsWith(`app-${hash}`)) rmSync(join(dir, f), { force: true });
  return { file: join(dir, bundle), hash, rebuilt: true };
}

/** A mistake on the command line (exit code 2). */
export class UsageError extends Error {}

/** The app could not be bundled: a syntax error, an import that does not resolve (exit code 1). */
export class BuildError extends Error {}

/**
 * Run a prepared bundle in this process as if it were `node <entry> ...argv`. `globals` are set on globalThis under
 * `Symbol.for(key)` first (the check cache, see constructs/output/cli.ts).
 */
export function run({ file, hash }, entry, argv, globals = {}) {
  const digest = (data) => createHash('sha256').update(data).digest();
  const cacheFile = join(dirname(file), `app-${hash}-${process.version}-${process.arch}.v8`);
  let cachedData;
  try {
    const stored = readFileSync(cacheFile);
    const data = stored.subarray(32);
    if (stored.length > 32 && digest(data).equals(stored.subarray(0, 32))) cachedData = data;
  } catch {
    cachedData = undefined;
  }
  const script = new Script(readFileSync(file, 'utf8'), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
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
      } catch {
        // read-only or full: the next start compiles again
      }
    });
  }
  const abs = resolve(entry);
  process.argv = [process.argv[0], abs, ...argv];
  // code run through vm.Script cannot `import()`: lend it this module's (schema models of escape-hatch kinds)
  globalThis[Symbol.for('cdk8s-netkit.import')] = (spec) => import(spec);
  for (const [k, v] of Object.entries(globals)) globalThis[Symbol.for(k)] = v;
  const module = { exports: {}, filename: abs };
  return script.runInThisContext()(module.exports, createRequire(abs), module, abs, dirname(abs));
}
