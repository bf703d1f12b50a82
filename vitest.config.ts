import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const testDir = fileURLToPath(new URL('test', import.meta.url));
const testFiles = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => ({ path: `test/${f.replaceAll('\\', '/')}`, source: readFileSync(join(testDir, f), 'utf8') }));

/**
 * Test files that replace a module (`vi.mock`): they need a module graph of their own, so they run isolated. Every
 * other file shares its worker's modules with the files run before it there: importing cdk8s, the typed models and
 * the library once per worker instead of once per file takes half the suite's CPU time off. So a test that changes
 * process-wide state (process.env, the working directory, a prototype) puts it back when it ends.
 */
const mocking = testFiles.filter((f) => /\bvi\.(mock|doMock)\(/.test(f.source)).map((f) => f.path);

/** The longest test files: those that start other programs (npm, tsc, tsx, the bundle) or lint the whole tree. */
const long = new Set(testFiles.filter((f) => /from 'node:child_process'|\blintFiles\(/.test(f.source)).map((f) => f.path));

/**
 * Vitest's order (slowest first by the last run's times, when it has them; larger files first when not, as in CI's
 * fresh clone), with the longest files moved to the front: a long file that starts last keeps one worker busy while
 * the other has nothing left to do.
 */
class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isLong = (s: TestSpecification) => long.has(s.moduleId.slice(s.project.config.root.length + 1).replaceAll('\\', '/'));
    return [...sorted.filter(isLong), ...sorted.filter((s) => !isLong(s))];
  }
}

const shared = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    // once for the whole run, not per project
    globalSetup: ['test/global-setup.ts'],
    // `vitest run` leaves a core free by default: on a 2-core machine that is one worker for the whole suite
    maxWorkers: availableParallelism(),
    sequence: { sequencer: LongFirst },
    projects: [
      { test: { ...shared, name: 'shared', include: ['test/**/*.test.ts'], exclude: mocking, isolate: false } },
      { test: { ...shared, name: 'isolated', include: mocking.length ? mocking : ['no test replaces a module'], isolate: true } },
    ],
  },
});
