/** Runs the real haproxy / nft checkers on rendered files; tests skip visibly where a binary is missing. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function has(binary: string, args: string[]): boolean {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  return !r.error;
}

export const HAVE_HAPROXY = has('haproxy', ['-v']);
const NFT_BINARY = has('nft', ['--version']);
/**
 * `nft -c` evaluates the ruleset against the kernel over netlink, so it needs CAP_NET_ADMIN (root here);
 * without it every check fails with "Operation not permitted" whatever the ruleset.
 */
const NFT_CHECK_RUNS = NFT_BINARY && spawnSync('nft', ['-c', 'add table inet netkit_probe'], { encoding: 'utf8' }).status === 0;
export const HAVE_NFT = NFT_CHECK_RUNS;

if (!HAVE_HAPROXY) console.warn('test/edge: haproxy not found, skipping `haproxy -c` checks (apt-get install haproxy)');
if (!NFT_BINARY) console.warn('test/edge: nft not found, skipping `nft -c` checks (apt-get install nftables)');
else if (!NFT_CHECK_RUNS) console.warn('test/edge: `nft -c` cannot reach netlink (needs CAP_NET_ADMIN), skipping nft checks');

const dir = mkdtempSync(join(tmpdir(), 'netkit-edge-'));
let counter = 0;

export interface CheckResult {
  readonly ok: boolean;
  readonly output: string;
}

function run(binary: string, args: (file: string) => string[], text: string, ext: string): CheckResult {
  const file = join(dir, `f${counter++}.${ext}`);
  writeFileSync(file, text);
  const r = spawnSync(binary, args(file), { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** `haproxy -c -f FILE`. */
export function haproxyCheck(config: string): CheckResult {
  return run('haproxy', (f) => ['-c', '-f', f], config, 'cfg');
}

/** `nft -c -f FILE` (parse and evaluate against the kernel without committing). */
export function nftCheck(ruleset: string): CheckResult {
  return run('nft', (f) => ['-c', '-f', f], ruleset, 'nft');
}
