/**
 * A synth program ends through exitWhenFlushed: with its exit code, without waiting for anything left running, and
 * without cutting off output still on its way through a pipe.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('exitWhenFlushed', () => {
  it.each([0, 3])('exits with %i once stdout and stderr are through the pipe', (code) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/output/fixtures/exit-app.ts', String(code)], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(r.status).toBe(code);
    expect(r.stdout.length).toBe(20_000 * 100 + 'end of stdout\n'.length);
    expect(r.stdout.endsWith('end of stdout\n')).toBe(true);
    expect(r.stderr.length).toBe(1_000 * 100);
  });
});
