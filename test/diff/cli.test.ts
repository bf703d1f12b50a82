/**
 * `npm run diff` / `netkit diff` between two commits of a repository, the working tree, rendered folders, and bad
 * input: usage errors exit 2 with the usage, an unknown revision exits 1 with what to give.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffCommand, USAGE } from '../../constructs/diff/cli.js';
import { readGitTree } from '../../constructs/diff/tree.js';
import { FLEET_DIR, makeImmichPublic, TreeEdit } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=netkit', '-c', 'user.email=netkit@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
}

/** Write a tree's files under clusters/ of the repository (the tree's paths are relative to clusters/). */
function writeTree(files: ReadonlyMap<string, string>): void {
  for (const [path, text] of files) {
    const to = join(repo, 'clusters', path);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, text);
  }
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await diffCommand(argv, { cwd: repo, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: {} });
  return { code, out, err };
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'netkit-diff-'));
  git('init', '-q', '-b', 'main');
  // the committed fleet as the first commit, its ownership records included
  cpSync(FLEET_DIR, join(repo, 'clusters'), { recursive: true });
  git('add', '-A');
  git('commit', '-q', '-m', 'fleet');
  // immich made public, and the ownership record rewritten as a synth would
  writeTree(makeImmichPublic(new TreeEdit()).files);
  writeFileSync(
    join(repo, 'clusters/talos/.netkit-owned'),
    `${readFileSync(join(repo, 'clusters/talos/.netkit-owned'), 'utf8')}0000000000000000  networking/gateway/httproute-immich-vanillax-me-external.yaml\n`,
  );
  git('add', '-A');
  git('commit', '-q', '-m', 'immich public');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('netkit diff', () => {
  it('reads a revision with git, without the ownership record', () => {
    const tree = readGitTree('HEAD', 'clusters', repo);
    expect(tree.has('talos/networking/gateway/httproute-immich-vanillax-me-external.yaml')).toBe(true);
    expect([...tree.keys()].filter((p) => p.endsWith('.netkit-owned'))).toEqual([]);
    expect(readGitTree('HEAD', 'no-such-folder', repo).size).toBe(0);
  });

  it('between two commits: the new route and the tunnel rule, with the exposure flag', async () => {
    const { code, out } = await run(['--base', 'HEAD~1', '--head', 'HEAD']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Rendered diff of clusters\/: HEAD~1 \([0-9a-f]{12}\) → HEAD \([0-9a-f]{12}\)/);
    expect(out).toContain(
      '⚠ RISK-6 Exposure widened: a host becomes reachable from the internet (talos): immich.vanillax.me becomes reachable from the internet',
    );
    expect(out).toContain('+ added HTTPRoute gateway/immich-vanillax-me-external  (networking/gateway/httproute-immich-vanillax-me-external.yaml)');
    expect(out).toContain('~ changed ConfigMap cloudflared/cloudflared');
    expect(out).toContain('+  - hostname: immich.vanillax.me');
    expect(out).toContain('topology: clusters/talos/reports/topology.md');
    expect(out).not.toContain('.netkit-owned');
    expect(out).not.toContain('\u001b[');
  });

  it('against the working tree by default, and says when nothing changes', async () => {
    expect((await run(['--base', 'HEAD'])).out).toContain('No change to the rendered clusters.');
    writeFileSync(join(repo, 'clusters/talos/edge/dns/split-dns.hosts'), 'changed\n');
    try {
      const { out } = await run(['--base=HEAD']);
      expect(out).toContain('→ the working tree');
      expect(out).toContain('~ changed edge/dns/split-dns.hosts');
      expect(out).toContain('none: no risk of RISKS.md applies to this change');
    } finally {
      git('checkout', '-q', '--', 'clusters');
    }
  });

  it('writes the Markdown comment to a file', async () => {
    const { code, err } = await run([
      '--base',
      'HEAD~1',
      '--head',
      'HEAD',
      '--format',
      'markdown',
      '--output',
      'out/comment.md',
      '--link-base',
      'https://github.com/o/r/blob/x/',
    ]);
    expect(code).toBe(0);
    expect(err).toBe('netkit diff: 1 risk flag(s), 1 cluster(s) changed; written to out/comment.md\n');
    const md = readFileSync(join(repo, 'out/comment.md'), 'utf8');
    expect(md.startsWith('<!-- netkit-diff -->\n')).toBe(true);
    expect(md).toContain('[RISK-6](https://github.com/o/r/blob/x/RISKS.md#risk-6)');
  });

  it('a cut comment names the whole diff as a command that runs: the commits by SHA, as CI passes them', async () => {
    const base = git('rev-parse', 'HEAD~1').trim();
    const head = git('rev-parse', 'HEAD').trim();
    const labels = ['--base-label', `main (${base})`, '--head-label', 'the pull request'];
    const { code, out } = await run(['--base', 'main~1', '--head', 'main', ...labels, '--format', 'markdown', '--max-chars', '600']);
    expect(code).toBe(0);
    const command = `npm run diff -- --base ${base} --head ${head}`;
    expect(out).toContain(`The whole diff: \`${command}\``);
    // and it runs: the same arguments give the same report
    const again = await run([...command.split(' ').slice(4), ...labels, '--format', 'markdown', '--max-chars', '600']);
    expect(again.out).toBe(out);
  });

  it('compares two rendered folders and reports a base that failed to render', async () => {
    const base = join(repo, 'out/base');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(repo, 'out/base-error.log'), 'synth failed with 1 error(s); out/base/ was not changed.\n');
    const { code, out } = await run(['--base-dir', 'out/base', '--head-dir', 'clusters', '--base-error', 'out/base-error.log', '--base-label', 'main']);
    expect(code).toBe(0);
    expect(out).toContain('The base failed to render;');
    expect(out).toContain('  | synth failed with 1 error(s)');
    expect(out).toContain('talos (cluster added)');
    // a folder that is not there is a mistake, not an empty tree
    const missing = await run(['--base-dir', 'out/bsae', '--head-dir', 'clusters']);
    expect(missing.code).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err).toBe(`netkit diff: --base-dir "out/bsae" is not a folder (${join(repo, 'out/bsae')}); give a rendered folder\n`);
    expect((await run(['--base-dir', 'out/base', '--head-dir', 'out/base-error.log'])).code).toBe(1);
  });

  it('fails on an unknown flag with the usage (exit 2), and on an unknown revision (exit 1)', async () => {
    const unknown = await run(['--base', 'HEAD', '--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(`netkit diff: unknown argument "--colour"\n\n${USAGE}`);
    expect((await run([])).err).toContain('give exactly one of --base and --base-dir');
    expect((await run(['--base'])).err).toContain('--base needs a value (value: nothing)');
    expect((await run(['--base', 'HEAD', '--format', 'html'])).err).toContain('--format is terminal or markdown (value: "html")');
    expect((await run(['--base', 'HEAD', '--head', 'HEAD', '--head-dir', 'x'])).code).toBe(2);
    const bad = await run(['--base', 'no-such-branch']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('"no-such-branch" names no commit of the repository');
    expect((await run(['--help'])).out).toBe(USAGE);
  });

  it('npm run diff runs the same command (scripts/diff.ts) between two commits', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.diff).toBe('tsx scripts/diff.ts');
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'scripts/diff.ts'), '--base', 'HEAD~1', '--head', 'HEAD'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('RISK-6');
  });
});
