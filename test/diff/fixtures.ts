/**
 * Before/after pairs for the diff tests, generated from the committed example fleet: the base is clusters/ as
 * committed, the head is the same tree with one change made the way a re-render would make it.
 */
import { resolve } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { readDirTree, type Tree } from '../../constructs/diff/tree.js';

export const FLEET_DIR = resolve(import.meta.dirname, '../../clusters');

let fleet: Tree | undefined;

/** The committed fleet (read once). */
export function fleetTree(): Tree {
  return (fleet ??= readDirTree(FLEET_DIR));
}

/** An editable copy of a tree. */
export class TreeEdit {
  readonly files: Map<string, string>;
  constructor(base: Tree = fleetTree()) {
    this.files = new Map(base);
  }

  /** The text of `path`, or a failure naming it (a fixture must not edit a file the fleet no longer renders). */
  get(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw new Error(`fixture: ${path} is not in the tree; the example fleet changed, update the fixture`);
    return text;
  }

  /** Edit one YAML file's single document in place (comments kept). */
  yaml(path: string, edit: (doc: ReturnType<typeof parseDocument>) => void): this {
    const doc = parseDocument(this.get(path));
    edit(doc);
    this.files.set(path, doc.toString({ lineWidth: 0 }));
    return this;
  }

  /** Edit a JSON file. */
  json(path: string, edit: (value: any) => void): this {
    const value = JSON.parse(this.get(path));
    edit(value);
    this.files.set(path, `${JSON.stringify(value, null, 2)}\n`);
    return this;
  }

  text(path: string, edit: (text: string) => string): this {
    const before = this.get(path);
    const after = edit(before);
    if (after === before) throw new Error(`fixture: the edit of ${path} changed nothing`);
    this.files.set(path, after);
    return this;
  }

  add(path: string, content: unknown): this {
    this.files.set(path, typeof content === 'string' ? content : stringify(content));
    return this;
  }

  remove(path: string): this {
    this.get(path);
    this.files.delete(path);
    return this;
  }

  /** Move a file, as a rename of its object moves it. */
  move(from: string, to: string, edit: (text: string) => string = (t) => t): this {
    const text = edit(this.get(from));
    this.files.delete(from);
    this.files.set(to, text);
    return this;
  }

  tree(): Tree {
    return new Map([...this.files].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

/** immich on the external gateway and in the tunnel, as `exposure: Exposure.BOTH` renders it. */
export function makeImmichPublic(edit: TreeEdit): TreeEdit {
  return edit
    .add(
      'talos/networking/gateway/httproute-immich-vanillax-me-external.yaml',
      edit
        .get('talos/networking/gateway/httproute-argocd-vanillax-me-external.yaml')
        .replaceAll('argocd-vanillax-me', 'immich-vanillax-me')
        .replace('argocd.vanillax.me', 'immich.vanillax.me')
        .replace(/name: argocd-server\n(\s+)namespace: argocd/, 'name: immich\n$1namespace: immich'),
    )
    .text('talos/networking/cloudflared/configmap-cloudflared.yaml', (t) =>
      t.replace(
        '      - service: http_status:404',
        [
          '      - hostname: immich.vanillax.me',
          '        service: https://cilium-gateway-gateway-external.gateway.svc.cluster.local:443',
          '        originRequest:',
          '          originServerName: immich.vanillax.me',
          '          http2Origin: true',
          '      - service: http_status:404',
        ].join('\n'),
      ),
    );
}
