import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Acknowledgements, Cluster, GitOps, Workload } from '../../constructs/index.js';
import { listFiles, readOwnership, writeCluster } from '../../constructs/output/writer.js';
import { clusterProps, ids, run, tempDir } from '../helpers.js';

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
      expect.objectContaining({ level: 'warning', path: `${out}/retired`, value: 'retired' }),
    ]);
    expect(fingerprint(join(out, 'retired'))).toEqual(before);
    expect(existsSync(join(out, 'demo', 'kustomization.yaml'))).toBe(true);
  });
});
