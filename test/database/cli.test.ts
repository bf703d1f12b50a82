/** `npm run reachability -- <cluster>`: the matrix of the example fleet, and its usage errors. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/reachability.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('reachability CLI', () => {
  it('prints the homelab matrix: only clients-api, the instances and the operator reach clients-db on 5432', () => {
    const { code, out } = cli('homelab');
    expect(code).toBe(0);
    const rows = Object.fromEntries(
      out
        .split('\n')
        .filter((l) => l.includes(' | ') && !l.startsWith('from'))
        .map((l) => {
          const [src, ...cells] = l.split('|').map((c) => c.trim());
          return [src, cells];
        }),
    );
    expect(out).toContain('clients/clients-db:5432 | clients/clients-db:8000 | clients/clients-db:9187');
    expect(rows['clients/clients-api']).toEqual(['✔', '✖', '✖']);
    expect(rows['clients/stranger']).toEqual(['✖', '✖', '✖']);
    expect(rows['clients/clients-db']).toEqual(['✔', '✔', '✖']);
    expect(rows['cnpg-system/cnpg-operator']).toEqual(['✔', '✔', '✖']);
    expect(rows['monitoring/stranger']).toEqual(['✖', '✖', '✔']);
  }, 120_000);

  it('fails with the list of clusters for an unknown cluster', () => {
    const { code, err } = cli('nope');
    expect(code).toBe(2);
    expect(err).toContain('no cluster "nope"; clusters: homelab, talos, oceanid');
  }, 120_000);
});
