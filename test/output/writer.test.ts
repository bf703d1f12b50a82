import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiObject, App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Acknowledgements, Cluster, Component, GitOps, Layer, Workload } from '../../constructs/index.js';
import {
  diffCluster,
  foreignFiles,
  listFiles,
  OWNERSHIP_FILE,
  readFolder,
  readOwnership,
  recoverInterruptedWrite,
  writeCluster,
  writtenFolders,
} from '../../constructs/output/writer.js';
import { ForeignFilesKept } from '../../constructs/rules/output/ForeignFilesKept.js';
import { clusterProps, ids, run, tempDir, testCluster } from '../helpers.js';

function fleet(options: { withDb?: boolean } = {}): App {
  const app = new App({ outdir: tempDir('netkit-dist-') });
  const cluster = new Cluster(app, 'demo', clusterProps());
  new Workload(cluster, 'web', { namespace: 'shop', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
  if (options.withDb) new Workload(cluster, 'cache', { namespace: 'shop', image: 'redis:7.4.1', ports: [{ name: 'redis', port: 6379 }] });
  return app;
}

/** Every file below dir with its content hash: a byte-level fingerprint of a tree. */
function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    ]),
  );
}

describe('writer', () => {
  it('renders byte-identical trees on repeat', async () => {
    const a = tempDir();
    const b = tempDir();
    await run(fleet({ withDb: true }), { write: true, outdir: a });
    await run(fleet({ withDb: true }), { write: true, outdir: b });
    expect(fingerprint(a)).toEqual(fingerprint(b));
    // and again into the same folder: nothing changes
    const before = fingerprint(a);
    const again = await run(fleet({ withDb: true }), { write: true, outdir: a });
    expect(fingerprint(a)).toEqual(before);
    expect(again.result!.clusters[0].changes).toEqual({ added: [], changed: [], removed: [] });
  });

  it('writes nothing when the tree is already as rendered, and rewrites when its ownership list was edited', async () => {
    const out = tempDir();
    await run(fleet(), { write: true, outdir: out });
    const dir = join(out, 'demo');
    const stamp = () => ({ folder: lstatSync(dir).ino, files: Object.fromEntries(listFiles(dir).map((f) => [f, lstatSync(join(dir, f)).mtimeMs])) });
    const before = stamp();
    await new Promise((r) => setTimeout(r, 20));
    await run(fleet(), { write: true, outdir: out });
    // no staging swap (the folder is the same inode) and no file rewritten
    expect(stamp()).toEqual(before);
    // an ownership list that no longer matches is rewritten, even though every rendered file is unchanged
    const owned = readFileSync(join(dir, '.netkit-owned'), 'utf8');
    writeFileSync(join(dir, '.netkit-owned'), `${owned}0000000000000000  apps/gone.yaml\n`);
    await run(fleet(), { write: true, outdir: out });
    expect(readFileSync(join(dir, '.netkit-owned'), 'utf8')).toBe(owned);
    expect(lstatSync(dir).ino).not.toBe(before.folder);
  });

  it('rewrites a file whose bytes differ even where its decoded text does not (invalid UTF-8 on disk)', () => {
    const dir = join(tempDir(), 'demo');
    const files = new Map([['a.yaml', 'name: x\uFFFDy\n']]);
    writeCluster(dir, files);
    // a byte that is not UTF-8 decodes to the same U+FFFD
    writeFileSync(join(dir, 'a.yaml'), Buffer.from([...Buffer.from('name: x'), 0xff, ...Buffer.from('y\n')]));
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(files.get('a.yaml'));
    expect(writeCluster(dir, files).changed).toEqual(['a.yaml']);
    expect(readFileSync(join(dir, 'a.yaml')).equals(Buffer.from(files.get('a.yaml')!))).toBe(true);
  });

  it('writes one file per object, a kustomization.yaml per folder and an ownership list', async () => {
    const out = tempDir();
    await run(fleet(), { write: true, outdir: out });
    const files = listFiles(join(out, 'demo'));
    expect(files).toEqual([
      '.netkit-owned',
      'apps/kustomization.yaml',
      'apps/namespaces/kustomization.yaml',
      'apps/namespaces/namespace-shop.yaml',
      'apps/web/deployment-web.yaml',
      'apps/web/kustomization.yaml',
      'apps/web/service-web.yaml',
      'bootstrap/bootstrap.sh',
      'kustomization.yaml',
      'layer-apps.yaml',
      'reports/bootstrap.md',
      'reports/topology.md',
    ]);
    const owned = readFileSync(join(out, 'demo', '.netkit-owned'), 'utf8');
    for (const f of files.filter((x) => x !== '.netkit-owned')) expect(owned).toContain(`  ${f}\n`);
  });

  it('removes files it wrote and no longer renders, and keeps files it did not write', async () => {
    const out = tempDir();
    await run(fleet({ withDb: true }), { write: true, outdir: out });
    const dir = join(out, 'demo');
    mkdirSync(join(dir, 'flux-system'), { recursive: true });
    writeFileSync(join(dir, 'flux-system', 'gotk-sync.yaml'), '# bootstrap owns this\n');
    writeFileSync(join(dir, 'apps', 'cache', 'extra-by-hand.yaml'), '# a hand-written manifest\n');
    expect(existsSync(join(dir, 'apps/cache/deployment-cache.yaml'))).toBe(true);

    const result = await run(fleet(), { write: true, outdir: out });
    expect(result.result!.clusters[0].changes.removed).toEqual([
      'apps/cache/deployment-cache.yaml',
      'apps/cache/kustomization.yaml',
      'apps/cache/service-cache.yaml',
    ]);
    expect(existsSync(join(dir, 'apps/cache/deployment-cache.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'flux-system', 'gotk-sync.yaml'), 'utf8')).toBe('# bootstrap owns this\n');
    expect(readFileSync(join(dir, 'apps', 'cache', 'extra-by-hand.yaml'), 'utf8')).toBe('# a hand-written manifest\n');
  });

  it('fails when a rendered file would overwrite a file it did not write (NET-OUT2), leaving the tree byte-identical', async () => {
    const out = tempDir();
    const dir = join(out, 'demo');
    mkdirSync(join(dir, 'apps', 'web'), { recursive: true });
    writeFileSync(join(dir, 'apps', 'web', 'service-web.yaml'), '# someone wrote this by hand\n');
    const before = fingerprint(out);
    const result = await run(fleet(), { write: true, outdir: out });
    expect(result.ok).toBe(false);
    expect(result.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'NET-OUT2', path: 'demo/web-app/web/Service', value: 'apps/web/service-web.yaml' }),
    );
    expect(fingerprint(out)).toEqual(before);
  });

  it('says what a hand-written file in the way is, at the cluster when no object renders that file (NET-OUT2)', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'demo', 'apps', 'web'), { recursive: true });
    writeFileSync(join(out, 'demo', 'apps', 'web', 'kustomization.yaml'), '# someone wrote this by hand\n');
    const result = await run(fleet(), { write: true, outdir: out });
    expect(
      result.findings.filter((f) => f.ruleId === 'NET-OUT2').map((f) => ({ path: f.path, message: f.message, value: f.value, expected: f.expected })),
    ).toEqual([
      {
        path: 'demo',
        message: 'clusters/demo/apps/web/kustomization.yaml exists and was not written by the synthesizer',
        value: 'apps/web/kustomization.yaml',
        expected: 'a path the synthesizer owns or a free one',
      },
    ]);
  });

  it('refuses output under flux-system/, which flux bootstrap owns, and checks nothing where no folder is written (NET-OUT2)', () => {
    // The renderer places every object under a layer folder, so no synth reaches flux-system/: the rule is held
    // to its contract directly, with the context the synthesizer gives it.
    const { cluster } = testCluster();
    const check = (existing?: { rendered: string[]; foreign: Set<string> }) =>
      [...ForeignFilesKept.check!({ cluster, objects: [], acknowledgements: [], ruleIds: new Set(), ...(existing ? { existing } : {}) })].map((r) => ({
        message: r.message,
        value: r.value,
        expected: r.expected,
      }));
    expect(check()).toEqual([]);
    expect(check({ rendered: ['flux-system', 'flux-system/gotk-sync.yaml', 'apps/flux-system/x.yaml', 'my-flux-system/x.yaml'], foreign: new Set() })).toEqual(
      ['flux-system', 'flux-system/gotk-sync.yaml'].map((value) => ({
        message: 'output would be written into flux-system/, which belongs to flux bootstrap',
        value,
        expected: 'any folder but flux-system/',
      })),
    );
  });

  it('cannot be talked into overwriting a file it did not write: acknowledging NET-OUT2 is itself refused (NET-ACK1)', async () => {
    const out = tempDir();
    const dir = join(out, 'demo');
    mkdirSync(join(dir, 'apps', 'web'), { recursive: true });
    writeFileSync(join(dir, 'apps', 'web', 'service-web.yaml'), '# someone wrote this by hand\n');
    const before = fingerprint(out);
    const app = fleet();
    Acknowledgements.of(app.node.findChild('demo')).add('NET-OUT2', 'the generated Service may replace it');
    const result = await run(app, { write: true, outdir: out });
    expect(result.ok).toBe(false);
    expect(result.findings).toContainEqual(expect.objectContaining({ ruleId: 'NET-OUT2', level: 'error', value: 'apps/web/service-web.yaml' }));
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'NET-ACK1',
        path: 'demo',
        message: 'NET-OUT2 cannot be acknowledged: the synthesizer never writes over a file it did not write',
        value: 'NET-OUT2',
      }),
    );
    expect(ids(result.findings)).not.toContain('NET-ACK2');
    expect(fingerprint(out)).toEqual(before);
  });

  it('leaves the tree byte-identical when any rule fails', async () => {
    const out = tempDir();
    await run(fleet({ withDb: true }), { write: true, outdir: out });
    const before = fingerprint(out);
    const app = fleet();
    const bad = new Cluster(app, 'broken', clusterProps({ podCidr: '192.168.1.0/24' }));
    expect(bad.clusterName).toBe('broken');
    const result = await run(app, { write: true, outdir: out });
    expect(result.ok).toBe(false);
    expect(ids(result.findings)).toContain('NET-CLU1');
    expect(fingerprint(out)).toEqual(before);
  });

  it('fails when two constructs render the same object (NET-OUT1)', async () => {
    const app = new App({ outdir: tempDir('netkit-dist-') });
    const cluster = new Cluster(app, 'demo', clusterProps({ gitops: GitOps.flux() }));
    new Workload(cluster, 'web', { namespace: 'shop', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
    new Workload(cluster, 'web2', { name: 'web', namespace: 'shop', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
    const result = await run(app);
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'NET-OUT1',
        path: 'demo/web2-app/web2/Resource',
        message: 'Deployment shop/web is also rendered by demo/web-app/web/Resource',
      }),
    );
  });
  it('tells objects apart by API group, kind, namespace and name; a cluster-scoped one is named without a namespace (NET-OUT1)', async () => {
    const app = new App({ outdir: tempDir('netkit-dist-') });
    const cluster = new Cluster(app, 'demo', clusterProps({ gitops: GitOps.flux() }));
    const scope = new Component(cluster, 'Raw', { layer: Layer.APPS, folder: 'raw' });
    const object = (id: string, apiVersion: string, kind: string, namespace?: string) =>
      new ApiObject(scope, id, { apiVersion, kind, metadata: { name: 'same', ...(namespace ? { namespace } : {}) } });
    // two groups that share their first letters: the whole group name tells them apart
    object('A', 'widgets.example.org/v1', 'Widget', 'x');
    object('B', 'widgets.other.org/v1', 'Widget', 'x');
    object('C', 'widgets.example.org/v1', 'Widget', 'y');
    object('D', 'widgets.example.org/v1', 'Gadget', 'x');
    object('E', 'v1', 'Namespace');
    object('F', 'v1', 'Namespace');
    const found = (await run(app)).findings.filter((f) => f.ruleId === 'NET-OUT1');
    expect(found.map((f) => ({ path: f.path, message: f.message, value: f.value, expected: f.expected }))).toEqual([
      { path: 'demo/Raw/F', message: 'Namespace same is also rendered by demo/Raw/E', value: 'Namespace/same', expected: 'one definition per object' },
    ]);
  });

  it('cannot be talked into dropping one of two definitions of an object: acknowledging NET-OUT1 is itself refused (NET-ACK1)', async () => {
    const out = tempDir();
    const app = new App({ outdir: tempDir('netkit-dist-') });
    const cluster = new Cluster(app, 'demo', clusterProps({ gitops: GitOps.flux() }));
    new Workload(cluster, 'web', { namespace: 'shop', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
    new Workload(cluster, 'web2', { name: 'web', namespace: 'shop', image: 'nginx:1.28.0', ports: [{ name: 'http', port: 9090 }] });
    Acknowledgements.of(cluster).add('NET-OUT1', 'the second web replaces the first one');
    const result = await run(app, { write: true, outdir: out });
    expect(result.ok).toBe(false);
    expect(result.findings).toContainEqual(expect.objectContaining({ ruleId: 'NET-OUT1', level: 'error', path: 'demo/web2-app/web2/Resource' }));
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'NET-ACK1',
        path: 'demo',
        message: 'NET-OUT1 cannot be acknowledged: one object has one definition, and the synthesizer will not pick which to keep',
        value: 'NET-OUT1',
      }),
    );
    expect(ids(result.findings)).not.toContain('NET-ACK2');
    expect(listFiles(out)).toEqual([]);
  });

  it('keeps symbolic links it did not write, as links', async () => {
    const out = tempDir();
    await run(fleet(), { write: true, outdir: out });
    const dir = join(out, 'demo');
    writeFileSync(join(out, 'shared.yaml'), '# shared between clusters\n');
    symlinkSync('../../shared.yaml', join(dir, 'apps', 'shared.yaml'));
    mkdirSync(join(out, 'common'));
    symlinkSync('../common', join(dir, 'common'));
    await run(fleet({ withDb: true }), { write: true, outdir: out });
    expect(lstatSync(join(dir, 'apps', 'shared.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'apps', 'shared.yaml'))).toBe('../../shared.yaml');
    expect(readlinkSync(join(dir, 'common'))).toBe('../common');
  });

  it('recovers from a write killed between its two renames: the previous tree, foreign files included, comes back', async () => {
    const out = tempDir();
    await run(fleet(), { write: true, outdir: out });
    const dir = join(out, 'demo');
    mkdirSync(join(dir, 'flux-system'));
    writeFileSync(join(dir, 'flux-system', 'gotk-sync.yaml'), '# bootstrap owns this\n');
    // the state a kill leaves: the old tree renamed away, a staging folder beside it, no cluster folder
    renameSync(dir, join(out, '.netkit-old-demo-999999999-abc'));
    mkdirSync(join(out, '.netkit-staging-demo-999999999-abc', 'apps'), { recursive: true });
    mkdirSync(join(out, '.netkit-old-other-999999999-abc')); // another cluster's leftover is not ours to touch

    const result = await run(fleet({ withDb: true }), { write: true, outdir: out });
    expect(result.ok).toBe(true);
    expect(readFileSync(join(dir, 'flux-system', 'gotk-sync.yaml'), 'utf8')).toBe('# bootstrap owns this\n');
    expect(existsSync(join(dir, 'apps', 'cache', 'deployment-cache.yaml'))).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['.netkit-old-other-999999999-abc', 'demo']);
  });

  it('ignores ownership lines that point outside the cluster folder, and reads CRLF lists', () => {
    const out = tempDir();
    writeFileSync(join(out, '.netkit-owned'), '# header\r\nabc  apps/a.yaml\r\nabc  ../../etc/passwd\nabc  /etc/hosts\n');
    expect([...readOwnership(out)]).toEqual(['apps/a.yaml']);
  });

  it('reports a folder it wrote for a cluster the app no longer defines (NET-OUT3), and keeps it', async () => {
    const out = tempDir();
    const old = new App({ outdir: tempDir('netkit-dist-') });
    new Cluster(old, 'retired', clusterProps());
    await run(old, { write: true, outdir: out });
    mkdirSync(join(out, 'hand-made'), { recursive: true });
    writeFileSync(join(out, 'hand-made', 'notes.yaml'), '# not ours\n');
    const before = fingerprint(join(out, 'retired'));

    const result = await run(fleet(), { write: true, outdir: out });
    expect(result.ok).toBe(true);
    expect(result.findings.filter((f) => f.ruleId === 'NET-OUT3')).toEqual([
      expect.objectContaining({
        level: 'warning',
        path: `${out}/retired`,
        value: 'retired',
        message: `${out}/retired/ was written for a cluster the app no longer defines; it is kept and no longer updated`,
        expected: 'a folder for each cluster of the app, and no other',
        fix: `If the cluster is gone, detach it from Flux or Argo CD first (a pruning engine would delete everything it applied), then git rm -r ${out}/retired; if it was renamed, move its flux-system/ to the new folder.`,
      }),
    ]);
    expect(fingerprint(join(out, 'retired'))).toEqual(before);
    expect(existsSync(join(out, 'demo', 'kustomization.yaml'))).toBe(true);
    // the folders of clusters the app still defines are not reported
    const again = new App({ outdir: tempDir('netkit-dist-') });
    new Cluster(again, 'retired', clusterProps());
    new Cluster(again, 'demo', clusterProps());
    expect((await run(again, { outdir: out })).findings.filter((f) => f.ruleId === 'NET-OUT3')).toEqual([]);
  });
});

/**
 * The writer's pieces one by one, each edge written out: what mutation testing of constructs/output/writer.ts found no
 * test for (the interrupted-write recovery, the ownership record's exact form, what counts as written or foreign).
 */
describe('writer internals', () => {
  /** A folder holding `files` (relative path → content). */
  const folder = (files: Record<string, string>) => {
    const dir = tempDir('netkit-writer-unit-');
    for (const [f, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), content);
    }
    return dir;
  };

  it('records each file as the first 16 hex digits of its SHA-256, two spaces and the path, sorted by path', () => {
    const dir = join(tempDir('netkit-writer-unit-'), 'c');
    writeCluster(
      dir,
      new Map([
        ['z/b.yaml', 'b: 2\n'],
        ['a.yaml', 'a: 1\n'],
      ]),
    );
    expect(readFileSync(join(dir, OWNERSHIP_FILE), 'utf8')).toBe(
      '# Files written by cdk8s-netkit (hash  path). Others in this folder are never touched.\n' +
        '37b128c59f1f5097  a.yaml\n' +
        'd4eed209fa44e2eb  z/b.yaml\n',
    );
  });

  it('reads the ownership record: comments and blank lines skipped, CRLF endings and paths outside the folder dropped', () => {
    const dir = folder({ [OWNERSHIP_FILE]: '# comment\r\n\r\nabc  a.yaml\r\nabc  b\rc.yaml\r\nabc  /etc/passwd\nabc  ../x.yaml\nabc  d/e.yaml\n' });
    expect([...readOwnership(dir)].sort()).toEqual(['a.yaml', 'b\rc.yaml', 'd/e.yaml']);
    expect([...readOwnership(tempDir('netkit-writer-unit-'))]).toEqual([]);
  });

  it('lists written folders: visible ones holding an ownership record, sorted; none for a missing folder', () => {
    const out = folder({
      [`b/${OWNERSHIP_FILE}`]: '',
      [`a/${OWNERSHIP_FILE}`]: '',
      'hand/x.yaml': '',
      [`.netkit-staging-a-1-x/${OWNERSHIP_FILE}`]: '',
      [OWNERSHIP_FILE]: '',
    });
    expect(writtenFolders(out)).toEqual(['a', 'b']);
    expect(writtenFolders(join(out, 'missing'))).toEqual([]);
  });

  it('lists files and links, sorted, but not a FIFO or other special file', () => {
    const dir = folder({ 'z.yaml': '', 'a/b.yaml': '', 'm.yaml': '' });
    symlinkSync('z.yaml', join(dir, 'link.yaml'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(listFiles(dir)).toEqual(['a/b.yaml', 'link.yaml', 'm.yaml', 'z.yaml']);
    expect(listFiles(join(dir, 'missing'))).toEqual([]);
  });

  it('reads each file once: holds() answers from what it read first', () => {
    const dir = folder({ 'a.yaml': 'a: 1\n' });
    const state = readFolder(dir);
    expect(state.holds('a.yaml', 'a: 1\n')).toBe(true);
    writeFileSync(join(dir, 'a.yaml'), 'a: 2\n');
    expect(state.holds('a.yaml', 'a: 1\n')).toBe(true);
    expect(state.holds('missing.yaml', '')).toBe(false);
    // listed but unreadable (a link to nothing): different, not an error
    symlinkSync('nowhere.yaml', join(dir, 'dangling.yaml'));
    expect(readFolder(dir).holds('dangling.yaml', '')).toBe(false);
  });

  it('counts as foreign every file neither owned nor the ownership record', () => {
    const dir = folder({ [OWNERSHIP_FILE]: 'abc  a.yaml\n', 'a.yaml': '', 'hand.yaml': '', 'flux-system/gotk.yaml': '' });
    expect([...foreignFiles(dir)].sort()).toEqual(['flux-system/gotk.yaml', 'hand.yaml']);
  });

  it('diffs: every file added in a missing folder; added, changed and removed (sorted) in an existing one', () => {
    const files = new Map([
      ['a.yaml', 'a: 1\n'],
      ['b.yaml', 'b: 2\n'],
      ['c.yaml', 'c: 3\n'],
    ]);
    expect(diffCluster(join(tempDir('netkit-writer-unit-'), 'missing'), files)).toEqual({ added: ['a.yaml', 'b.yaml', 'c.yaml'], changed: [], removed: [] });
    // an ownership record written by hand, out of order
    const dir = folder({
      [OWNERSHIP_FILE]: 'x  z.yaml\nx  b.yaml\nx  y.yaml\nx  gone.yaml\n',
      'b.yaml': 'b: old\n',
      'c.yaml': 'c: 3\n',
      'z.yaml': '',
      'y.yaml': '',
    });
    expect(diffCluster(dir, files)).toEqual({ added: ['a.yaml'], changed: ['b.yaml'], removed: ['y.yaml', 'z.yaml'] });
  });

  it('refuses a rendered file named like the ownership record, and leaves no staging folder behind', () => {
    const parent = tempDir('netkit-writer-unit-');
    const dir = join(parent, 'c');
    writeCluster(dir, new Map([['a.yaml', 'a: 1\n']]));
    const before = fingerprint(dir);
    expect(() => writeCluster(dir, new Map([[OWNERSHIP_FILE, 'x\n']]))).toThrow(`${OWNERSHIP_FILE} is reserved`);
    expect(readdirSync(parent)).toEqual(['c']);
    expect(fingerprint(dir)).toEqual(before);
  });

  describe('recovering an interrupted write', () => {
    // a process id no live process has (above the kernel's pid_max), and one that always runs (init)
    const DEAD = 99999999;
    const LIVE = 1;
    const leftovers = (entries: Record<string, string>) => {
      const parent = folder(entries);
      return { parent, dir: join(parent, 'c') };
    };

    it('removes staging folders of dead writers and of this process, keeps a live writer’s and names that only look alike', () => {
      const { parent, dir } = leftovers({
        'c/a.yaml': 'now\n',
        [`.netkit-staging-c-${DEAD}-abc/a.yaml`]: '',
        [`.netkit-staging-c-${process.pid}-abd/a.yaml`]: '',
        [`.netkit-staging-c-${LIVE}-abe/a.yaml`]: '',
        [`.netkit-staging-c-x${DEAD}-abf/a.yaml`]: '',
        [`.netkit-staging-c-${DEAD}-abg.keep/a.yaml`]: '',
        [`.netkit-staging-cc-${DEAD}-abh/a.yaml`]: '',
      });
      // in name order (which of the two comes first depends on this process's id)
      expect(recoverInterruptedWrite(dir)).toEqual([`.netkit-staging-c-${DEAD}-abc`, `.netkit-staging-c-${process.pid}-abd`].sort());
      expect(readdirSync(parent).sort()).toEqual(
        ['c', `.netkit-staging-c-${LIVE}-abe`, `.netkit-staging-c-x${DEAD}-abf`, `.netkit-staging-c-${DEAD}-abg.keep`, `.netkit-staging-cc-${DEAD}-abh`].sort(),
      );
    });

    it('puts the newest old folder back when the folder is missing (base-36 times, not text order) and removes the rest', () => {
      // times z (35) and 10 (36): text order would call z the newer
      const { parent, dir } = leftovers({ [`.netkit-old-c-${DEAD}-z/a.yaml`]: 'older\n', [`.netkit-old-c-${DEAD}-10/a.yaml`]: 'newest\n' });
      expect(recoverInterruptedWrite(dir)).toEqual([`.netkit-old-c-${DEAD}-z`]);
      expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('newest\n');
      expect(readdirSync(parent)).toEqual(['c']);
    });

    it('removes every old folder when the swap finished, and takes the parent’s entries from the caller when given', () => {
      const { parent, dir } = leftovers({ 'c/a.yaml': 'now\n', [`.netkit-old-c-${DEAD}-1/a.yaml`]: '' });
      expect(recoverInterruptedWrite(dir, [`.netkit-old-c-${DEAD}-1`, 'c'])).toEqual([`.netkit-old-c-${DEAD}-1`]);
      expect(readdirSync(parent)).toEqual(['c']);
      expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('now\n');
      // a listing without leftovers: nothing read, nothing done, even where the parent is gone
      expect(recoverInterruptedWrite(join(parent, 'gone', 'c'), [])).toEqual([]);
      expect(recoverInterruptedWrite(join(parent, 'gone', 'c'))).toEqual([]);
    });
  });
});
