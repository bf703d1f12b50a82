/**
 * The two trees a diff compares: every file below a clusters/ folder, read from a Git revision (without checking it
 * out) or from a folder on disk, as a map of `<cluster>/<path>` to its text.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, OWNERSHIP_FILE } from '../output/writer.js';

/** Files of a clusters/ folder: path relative to the folder (`talos/cni/cilium/values.json`) → text. */
export type Tree = ReadonlyMap<string, string>;

/** Raised when a tree cannot be read: the message says what was asked, what went wrong and what to do. */
export class TreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreeError';
  }
}

/**
 * True for the files a diff shows: `.netkit-owned` is the synthesizer's bookkeeping, and hidden folders beside a
 * cluster (a staging or backup folder of an interrupted write) are not part of the tree.
 */
export function isShown(path: string): boolean {
  const parts = path.split('/');
  if (parts.at(-1) === OWNERSHIP_FILE) return false;
  return !parts[0]!.startsWith('.');
}

/** The files below `dir` on disk; an absent folder is an empty tree. */
export function readDirTree(dir: string): Tree {
  const tree = new Map<string, string>();
  for (const f of listFiles(dir)) if (isShown(f)) tree.set(f, readFileSync(join(dir, f), 'utf8'));
  return tree;
}

function git(args: readonly string[], cwd: string, input?: string): Buffer {
  return execFileSync('git', args, { cwd, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The commit `ref` names, or a {@link TreeError} that says so. */
export function resolveCommit(ref: string, cwd: string): string {
  try {
    return git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd)
      .toString()
      .trim();
  } catch {
    throw new TreeError(`${JSON.stringify(ref)} names no commit of the repository at ${cwd}; expected a branch, tag or commit (e.g. origin/main).`);
  }
}

/**
 * The files below `dir` (relative to `cwd`, e.g. `clusters`) at commit `ref`, read with `git ls-tree` and
 * `git cat-file --batch`: no checkout, the working tree is not touched. A revision without the folder is an empty
 * tree (a repository's first rendered commit).
 */
export function readGitTree(ref: string, dir: string, cwd: string): Tree {
  const commit = resolveCommit(ref, cwd);
  const prefix = dir.replace(/\/+$/, '');
  const listing = git(['ls-tree', '-r', '-z', '--full-name', commit, '--', prefix], cwd).toString('utf8');
  const top = git(['rev-parse', '--show-prefix'], cwd).toString().trim();
  const base = `${top}${prefix}/`;
  const entries: { path: string; oid: string }[] = [];
  for (const line of listing.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(line);
    // blobs only: a submodule (commit) has no text to show
    if (!m || m[2] !== 'blob' || !m[4]!.startsWith(base)) continue;
    const path = m[4]!.slice(base.length);
    if (isShown(path)) entries.push({ path, oid: m[3]! });
  }
  const tree = new Map<string, string>();
  if (!entries.length) return tree;
  const out = git(['cat-file', '--batch'], cwd, entries.map((e) => e.oid).join('\n') + '\n');
  let at = 0;
  for (const e of entries) {
    const nl = out.indexOf(0x0a, at);
    const header = out.subarray(at, nl).toString();
    const size = Number(header.split(' ')[2]);
    tree.set(e.path, out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    at = nl + 1 + size + 1;
  }
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
