/**
 * The project's ESLint configuration (flat config); eslint.config.js at the root re-exports it.
 *
 * Beside typescript-eslint's recommended rules, two import boundaries keep the layout honest (import-x
 * `no-restricted-paths`, on resolved files, so `../output/x.js` and `../../output/x.js` are the same import):
 * - constructs do not import the output pipeline (constructs/output/): only constructs/index.ts re-exports it;
 * - constructs do not import the diff engine (constructs/diff/), which reads rendered trees for review;
 * - rules are not imported by constructs: the catalogue (constructs/rules/) is read by the output pipeline, by
 *   constructs/index.ts, by scripts and by tests, never by a construct, main.ts, the benchmark or the L1 imports.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import { resolve } from 'node:path';
import tseslint from 'typescript-eslint';

/** The repository: absolute paths, so the boundaries hold whichever folder ESLint is started from. */
const root = resolve(import.meta.dirname, '../..');
const at = (path) => `${root}/${path}`;

/** Every file under constructs/ but those in `folders` (and constructs/index.ts, which re-exports the library). */
const constructsBut = (...folders) => [at(`constructs/!(${folders.join('|')})/**/*.ts`), at('constructs/!(index).ts')];

export const BOUNDARIES = [
  {
    // the diff engine (constructs/diff/) is a tool beside the pipeline: it reads rendered trees with the pipeline's helpers
    target: constructsBut('output', 'diff'),
    from: at('constructs/output'),
    message: 'Constructs do not import the output pipeline (constructs/output/): what both need goes in constructs/core/.',
  },
  {
    target: [...constructsBut('output', 'diff'), at('main.ts'), at('imports/**/*.ts')],
    from: at('constructs/diff'),
    message: 'Constructs do not import the diff engine (constructs/diff/): it reads rendered trees, the command line and scripts call it.',
  },
  {
    target: [...constructsBut('output', 'rules'), at('main.ts'), at('bench/**/*.ts'), at('imports/**/*.ts')],
    from: at('constructs/rules'),
    message:
      'Rules are not imported by constructs: the catalogue (constructs/rules/) is read by the output pipeline, constructs/index.ts, scripts and tests. Move what a construct needs to its area (constructs/<area>/) or constructs/core/.',
  },
];

export default defineConfig(
  { ignores: ['dist/', 'clusters/', '**/node_modules/', '**/__snapshots__/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      // the sources import each other as `./x.js` (NodeNext); the file is x.ts
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: BOUNDARIES }],
      // rules and reports read rendered JSON, whose shape the schema checks, not the types
      '@typescript-eslint/no-explicit-any': 'off',
      // a leading underscore names what is there only to be left out
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // the house style as the code already writes it
      eqeqeq: ['error', 'smart'],
      'object-shorthand': 'error',
      'no-else-return': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // TypeScript itself reports undefined names in .ts files
      'no-undef': 'off',
      '@typescript-eslint/array-type': 'error',
      '@typescript-eslint/no-inferrable-types': 'error',
      '@typescript-eslint/prefer-for-of': 'error',
      // enums UPPER_CASE keys with string values; classes, interfaces and types PascalCase
      '@typescript-eslint/naming-convention': ['error', { selector: 'enumMember', format: ['UPPER_CASE'] }, { selector: 'typeLike', format: ['PascalCase'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
