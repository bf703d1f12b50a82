/**
 * Bundles the compiled synthesizer (dist/main.js, dist/bench/large-fleet.js) into single ES modules under
 * dist/bundle/, which `npm run synth` runs: one file to read and compile instead of hundreds of module look-ups.
 *
 * - Whitespace and syntax are minified (names are kept, so stack traces still read): the bundle is compiled on every
 *   start, and its size is most of that cost.
 * - The schema validators' RE2 engine (re2-wasm) is swapped for constructs/validation/native-pattern.ts, which runs
 *   the same patterns on JavaScript's RegExp and keeps re2-wasm for any pattern it cannot translate exactly.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const nativePattern = fileURLToPath(new URL('../dist/constructs/validation/native-pattern.js', import.meta.url));

await build({
  entryPoints: ['dist/main.js', 'dist/bench/large-fleet.js'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outdir: 'dist/bundle',
  outExtension: { '.js': '.mjs' },
  external: ['re2-wasm'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'error',
  // CommonJS dependencies inside an ES module bundle still call require()
  banner: { js: "import { createRequire as __netkitCreateRequire } from 'node:module'; const require = __netkitCreateRequire(import.meta.url);" },
  plugins: [
    {
      name: 'native-schema-patterns',
      setup(b) {
        b.onResolve({ filter: /^@kubernetes-models\/validate\/runtime\/re2$/ }, () => ({ path: nativePattern }));
      },
    },
  ],
});
