/**
 * Writing `clusters/<cluster>/`: atomically, and only over files the synthesizer owns.
 *
 * The folder's `.netkit-owned` lists every file the synthesizer wrote. A synth renders the new tree into a staging
 * folder beside the target — the new files plus every file it does not own, copied unchanged — and then swaps the
 * two folders with renames. Files it owned and no longer renders disappear, unless they were edited by hand since it
 * wrote them (the ownership list records each file's hash): those become hand-written files. Files it never wrote
 * (bootstrap's flux-system/, a hand-written manifest) are carried over byte for byte.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const OWNERSHIP_FILE = '.netkit-owned';

/** The files the synthesizer wrote last time into `dir` (relative paths). */
export function readOwnership(dir: string): Set<string> {
  const file = join(dir, OWNERSHIP_FILE);
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.replace(/\r$/, '').split('  ').pop()!)
      // a line naming a path outside the folder is not the synthesizer's: never read or count it
      .filter((f) => f && !f.startsWith('/') && !f.split('/').includes('..')),
  );
}

/** The hash `.netkit-owned` records for each file it names (a line without one records none). */
function readOwnershipHashes(dir: string): Map<string, string> {
  const file = join(dir, OWNERSHIP_FILE);
  const out = new Map<string, string>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{16}) {2}(.+?)\r?$/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** The hash the ownership list records for a file: the first 16 hex digits of the SHA-256 of its bytes. */
function contentHash(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/**
 * The folders under `outdir` the synthesizer wrote (each holds its ownership record), by name, sorted; hidden ones
 * (a staging or backup folder of an interrupted write) are not among them.
 */
export function writtenFolders(outdir: string): string[] {
  if (!existsSync(outdir)) return [];
  return readdirSync(outdir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(outdir, e.name, OWNERSHIP_FILE)))
    .map((e) => e.name)
    .sort();
}

/** Every regular file and symbolic link below `dir` (links are listed, not followed), relative, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  // relative paths are built as the walk goes down: `/`-separated on every platform
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else if (e.isFile() || e.isSymbolicLink()) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** What a cluster folder holds before a synth: its files and links, and which of them the synthesizer owns. */
export interface FolderState {
  /** Every file and link below the folder (relative paths). */
  readonly present: ReadonlySet<string>;
  /** The paths of the ownership list. */
  readonly owned: ReadonlySet<string>;
  /**
   * True when `file` holds exactly `content`, the bytes this synth renders there. Each file is read and compared once
   * however often it is asked about (the previous-tree look-ups and the diff ask about the same files).
   */
  holds(file: string, content: string): boolean;
  /**
   * True when `file`, which the synthesizer wrote, was changed since: its bytes no longer have the hash the ownership
   * list recorded. A file listed without a hash counts as unchanged.
   */
  editedByHand(file: string): boolean;
}

/** Read `dir` once for everything a synth asks of it. */
export function readFolder(dir: string): FolderState {
  const present = new Set(listFiles(dir));
  const compared = new Map<string, boolean>();
  let hashes: Map<string, string> | undefined;
  return {
    present,
    owned: readOwnership(dir),
    editedByHand(file) {
      hashes ??= readOwnershipHashes(dir);
      const recorded = hashes.get(file);
      if (!recorded || !present.has(file)) return false;
      try {
        return contentHash(readFileSync(join(dir, file))) !== recorded;
      } catch {
        return false;
      }
    },
    holds(file, content) {
      let same = compared.get(file);
      if (same === undefined) {
        same = present.has(file) && sameBytes(join(dir, file), content);
        compared.set(file, same);
      }
      return same;
    },
  };
}

/** Files in `dir` that the synthesizer does not own. */
export function foreignFiles(dir: string, state: FolderState = readFolder(dir)): Set<string> {
  return new Set([...state.present].filter((f) => f !== OWNERSHIP_FILE && !state.owned.has(f)));
}

/**
 * Files the synthesizer wrote and no longer renders that someone edited since it wrote them: they are kept, as
 * hand-written files, instead of removed with the rest (rule NET-OUT5 reports each), sorted.
 */
export function releasedFiles(state: FolderState, rendered: { has(file: string): boolean }): string[] {
  return [...state.owned].filter((f) => !rendered.has(f) && state.present.has(f) && state.editedByHand(f)).sort();
}

export interface WriteResult {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

/** What writing `files` into `dir` would change, without writing. */
export function diffCluster(dir: string, files: ReadonlyMap<string, string>, state?: FolderState): WriteResult {
  // a cluster's first synth: every file is new, no need to look for each one
  if (!state && !existsSync(dir)) return { added: [...files.keys()], changed: [], removed: [] };
  const folder = state ?? readFolder(dir);
  const { present, owned } = folder;
  const added: string[] = [];
  const changed: string[] = [];
  for (const [file, content] of files) {
    if (!present.has(file)) added.push(file);
    else if (!folder.holds(file, content)) changed.push(file);
  }
  const released = new Set(releasedFiles(folder, files));
  const removed = [...owned].filter((f) => !files.has(f) && present.has(f) && !released.has(f)).sort();
  return { added, changed, removed };
}

/** Bytes, not decoded text: a file holding invalid UTF-8 decodes to U+FFFD and must still count as different. */
function sameBytes(file: string, content: string): boolean {
  try {
    return readFileSync(file).equals(Buffer.from(content));
  } catch {
    return false;
  }
}

function ownershipContent(files: ReadonlyMap<string, string>): string {
  const lines = [...files.keys()].sort().map((f) => `${contentHash(files.get(f)!)}  ${f}`);
  return `# Files written by cdk8s-netkit (hash  path). Others in this folder are never touched.\n${lines.join('\n')}\n`;
}

const STAGING = '.netkit-staging-';
const OLD = '.netkit-old-';

/**
 * Repair what an interrupted {@link writeCluster} left beside `dir`: a staging folder is incomplete and goes; an old
 * folder is the last complete tree — when `dir` is missing (the process died between the two renames) it is put
 * back, so the files the synthesizer does not own (bootstrap's flux-system/, hand-written manifests) are not lost;
 * otherwise the swap finished and it goes. Returns the leftovers it handled. `siblings` are the entries of the
 * parent folder, when the caller has listed it already.
 */
export function recoverInterruptedWrite(dir: string, siblings?: readonly string[]): string[] {
  const parent = dirname(dir);
  if (!siblings && !existsSync(parent)) return [];
  // the entries of the parent folder; a synth of many clusters lists it once for all of them
  const entries = siblings ?? readdirSync(parent);
  const mine = (prefix: string) =>
    entries
      .filter((e) => e.startsWith(`${prefix}${basename(dir)}-`) && /^\d+-[0-9a-z]+$/.test(e.slice(prefix.length + basename(dir).length + 1)))
      .filter((e) => !running(Number(e.split('-').at(-2))))
      .sort();
  const staging = mine(STAGING);
  const olds = mine(OLD).sort((a, b) => parseInt(a.split('-').pop()!, 36) - parseInt(b.split('-').pop()!, 36));
  for (const s of staging) rmSync(join(parent, s), { recursive: true, force: true });
  if (!existsSync(dir) && olds.length) renameSync(join(parent, olds.pop()!), dir);
  for (const o of olds) rmSync(join(parent, o), { recursive: true, force: true });
  return [...staging, ...olds];
}

/** True when another live process has this id (its write may still be under way). */
function running(pid: number): boolean {
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replace the synthesizer's files in `dir` by `files`, keeping every foreign file and every file it wrote, no longer
 * renders, and someone edited since ({@link releasedFiles}). Callers check first that no
 * rendered path collides with a foreign file (rule NET-OUT2). A caller that already diffed the folder passes its
 * result, so the existing files are not read a second time.
 */
export function writeCluster(dir: string, files: ReadonlyMap<string, string>, changes: WriteResult = diffCluster(dir, files)): WriteResult {
  const result = changes;
  const ownership = ownershipContent(files);
  // Nothing to do when every file is already there as rendered and the ownership list is current: the usual synth of
  // an unchanged app then writes nothing at all (and leaves the folder's timestamps alone).
  if (!changes.added.length && !changes.changed.length && !changes.removed.length && sameBytes(join(dir, OWNERSHIP_FILE), ownership)) return result;
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tag = `${basename(dir)}-${process.pid}-${Date.now().toString(36)}`;
  const staging = join(parent, `${STAGING}${tag}`);
  const old = join(parent, `${OLD}${tag}`);
  rmSync(staging, { recursive: true, force: true });
  const made = new Set<string>();
  const mkdirFor = (file: string) => {
    const d = dirname(file);
    if (made.has(d)) return;
    mkdirSync(d, { recursive: true });
    made.add(d);
  };
  const state = readFolder(dir);
  try {
    for (const f of [...foreignFiles(dir, state), ...releasedFiles(state, files)]) {
      const to = join(staging, f);
      mkdirFor(to);
      if (lstatSync(join(dir, f)).isSymbolicLink()) symlinkSync(readlinkSync(join(dir, f)), to);
      else copyFileSync(join(dir, f), to);
    }
    for (const [f, content] of files) {
      if (f === OWNERSHIP_FILE) throw new Error(`${OWNERSHIP_FILE} is reserved`);
      const to = join(staging, f);
      mkdirFor(to);
      writeFileSync(to, content);
    }
    mkdirFor(join(staging, OWNERSHIP_FILE));
    writeFileSync(join(staging, OWNERSHIP_FILE), ownership);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(dir)) {
    renameSync(dir, old);
    try {
      renameSync(staging, dir);
    } catch (e) {
      renameSync(old, dir);
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(staging, dir);
  }
  return result;
}
