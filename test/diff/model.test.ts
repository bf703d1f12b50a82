/**
 * The semantic diff itself: objects added, removed, renamed and changed as field paths; lists matched by name; files
 * that are not YAML as line diffs; the ownership record never shown.
 */
import { describe, expect, it } from 'vitest';
import { diffFields, diffTrees } from '../../constructs/diff/model.js';
import { diffLines, unifiedHunks, hunksText } from '../../constructs/diff/line-diff.js';
import { fleetTree, TreeEdit } from './fixtures.js';

describe('semantic diff', () => {
  it('names list items by their name and scalars by what came and went', () => {
    expect(
      diffFields(
        {
          spec: {
            listeners: [
              { name: 'a', port: 80 },
              { name: 'b', port: 443 },
            ],
          },
        },
        {
          spec: {
            listeners: [
              { name: 'b', port: 8443 },
              { name: 'c', port: 1 },
            ],
          },
        },
      ),
    ).toEqual([
      { path: 'spec.listeners[name=a]', op: 'removed', before: { name: 'a', port: 80 } },
      { path: 'spec.listeners[name=b].port', op: 'changed', before: 443, after: 8443 },
      { path: 'spec.listeners[name=c]', op: 'added', after: { name: 'c', port: 1 } },
    ]);
    expect(diffFields({ hostnames: ['a', 'b', 'c'] }, { hostnames: ['a', 'c', 'd'] })).toEqual([
      { path: 'hostnames[1]', op: 'removed', before: 'b' },
      { path: 'hostnames[2]', op: 'added', after: 'd' },
    ]);
    expect(diffFields({ metadata: { annotations: { 'a.io/x': '1' } } }, { metadata: { annotations: { 'a.io/x': '2' } } })).toEqual([
      { path: 'metadata.annotations["a.io/x"]', op: 'changed', before: '1', after: '2' },
    ]);
  });

  it('shows a multi-line string (a config file in a ConfigMap) as a line diff', () => {
    const [change] = diffFields({ data: { 'config.yaml': 'a\nb\nc\n' } }, { data: { 'config.yaml': 'a\nB\nc\n' } });
    expect(change!.path).toBe('data["config.yaml"]');
    expect(hunksText(change!.hunks!)).toBe('@@ -1,3 +1,3 @@\n a\n-b\n+B\n c');
  });

  it('a gateway listener changes, by path', () => {
    const after = new TreeEdit().yaml('talos/networking/gateway/gateway-gateway-external.yaml', (d) => d.setIn(['spec', 'listeners', 1, 'port'], 8443));
    const [talos, ...rest] = diffTrees(fleetTree(), after.tree());
    expect(rest).toEqual([]);
    expect(talos!.docs.map((d) => [d.status, d.after!.kind, d.fields.map((f) => `${f.path}: ${String(f.before)} → ${String(f.after)}`)])).toEqual([
      ['changed', 'Gateway', ['spec.listeners[name=https-vanillax-me].port: 443 → 8443']],
    ]);
    expect(talos!.files).toEqual([]);
  });

  it('a rename: by the construct that rendered it, or by the same content under a new name', () => {
    const after = new TreeEdit()
      .move('talos/apps/immich/service-immich.yaml', 'talos/apps/immich/service-photos.yaml', (t) => t.replace('name: immich\n', 'name: photos\n'))
      .remove('talos/networking/namespaces/namespace-llama.yaml')
      .add('talos/networking/namespaces/namespace-models.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models' } });
    const [talos] = diffTrees(fleetTree(), after.tree());
    const renamed = talos!.docs.filter((d) => d.status === 'renamed').map((d) => `${d.before!.name} → ${d.after!.name} (${d.after!.file})`);
    expect(renamed).toEqual(['llama → models (networking/namespaces/namespace-models.yaml)', 'immich → photos (apps/immich/service-photos.yaml)']);
  });

  it('an object added and one removed, in layer order', () => {
    const after = new TreeEdit()
      .remove('talos/apps/ollama-webui/service-ollama-webui.yaml')
      .add('talos/services/extra/configmap-extra.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'x' }, data: { a: 'b' } });
    const [talos] = diffTrees(fleetTree(), after.tree());
    expect(talos!.docs.map((d) => `${d.status} ${(d.after ?? d.before)!.section} ${(d.after ?? d.before)!.kind}`)).toEqual([
      'added services ConfigMap',
      'removed apps Service',
    ]);
  });

  it('files that are not YAML are line diffs', () => {
    const after = new TreeEdit().text('talos/edge/dns/split-dns.hosts', (t) => `${t}192.168.10.50 photos.vanillax.me\n`);
    const [talos] = diffTrees(fleetTree(), after.tree());
    expect(talos!.docs).toEqual([]);
    expect(talos!.files.map((f) => [f.status, f.file, f.section])).toEqual([['changed', 'edge/dns/split-dns.hosts', 'edge']]);
    expect(hunksText(talos!.files[0]!.hunks)).toContain('+192.168.10.50 photos.vanillax.me');
  });

  it('line diffs are minimal and complete', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'c', 'd']).map((l) => `${l.op}${l.text}`)).toEqual([' a', '-b', ' c', '+d']);
    expect(hunksText(unifiedHunks('', 'x\n'))).toBe('@@ -0,0 +1,1 @@\n+x');
    expect(hunksText(unifiedHunks('x\n', ''))).toBe('@@ -1,1 +0,0 @@\n-x');
    // every edit script rebuilds both sides
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 200; i++) {
      const a = Array.from({ length: Math.floor(rand() * 9) }, () => 'abc'[Math.floor(rand() * 3)]!);
      const b = Array.from({ length: Math.floor(rand() * 9) }, () => 'abc'[Math.floor(rand() * 3)]!);
      const d = diffLines(a, b);
      expect(d.filter((l) => l.op !== '+').map((l) => l.text)).toEqual(a);
      expect(d.filter((l) => l.op !== '-').map((l) => l.text)).toEqual(b);
    }
  });
});
