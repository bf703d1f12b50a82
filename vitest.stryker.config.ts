import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The vitest configuration StrykerJS runs (scripts/mutate.mjs). Stryker's vitest runner runs one worker thread and
 * chooses the test files itself (each area's `tests`). A worker thread may not change the working directory, so the
 * one test file that does (the command line's, which the suite runs anyway) is left out here. The global setup keeps
 * temporary folders together, as in the suite's own vitest.config.ts.
 */
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/rules/cli.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
