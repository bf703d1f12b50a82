/**
 * One name for one concept across the library: what `X.of(scope)` means, the node role, the IP family, the Gateway
 * API group, and lazily produced values without `as never`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TalosMachineConfig,
  AcmeServer,
  AddressPlan,
  ApiEndpoint,
  CiliumRelease,
  CnpgOperator,
  EdgeFolder,
  EdgeLoadBalancer,
  edgeFiles,
  GatewayApiCrds,
  K3sServerConfig,
  L2Pool,
  AddressBlock,
  MssClamp,
  NodeRole,
  ExternalSecretsOperator,
  SecretSources,
} from '../../constructs/index.js';
import { Construct } from 'constructs';
import { leasePoolsOf } from '../../constructs/cilium-release.js';
import { descendants } from '../../constructs/core/tree.js';
import { peerName } from '../../constructs/database/connections.js';
import { testCluster } from '../helpers.js';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((f) => {
    const p = join(dir, f);
    return statSync(join(root, p)).isDirectory() ? sources(p) : f.endsWith('.ts') ? [p] : [];
  });
}

const read = (f: string) => readFileSync(join(root, f), 'utf8');

/** Every `static of(` in constructs/: the class it is on, its signature, and whether its doc marks it deprecated. */
function staticOfs(): { file: string; cls: string; signature: string; deprecated: boolean }[] {
  return sources('constructs').flatMap((file) => {
    const text = read(file);
    const found: { file: string; cls: string; signature: string; deprecated: boolean }[] = [];
    for (const m of text.matchAll(/public static (?:override )?of\(([^)]*)\): ([^{]+)\{/g)) {
      const before = text.slice(0, m.index);
      const cls = [...before.matchAll(/export class (\w+)/g)].pop()![1]!;
      const doc = before.slice(before.lastIndexOf('/**'));
      found.push({
        file,
        cls,
        signature: `(${m[1]}): ${m[2]!.trim()}`,
        deprecated: doc.includes('*/') && !/\*\/[\s\S]*[;}]/.test(doc) && doc.includes('@deprecated'),
      });
    }
    return found;
  });
}

describe('X.of(scope) means one thing: the X a scope has or belongs to, looked up, never created', () => {
  it('every current `of` takes a scope and returns one X (or undefined when there is none)', () => {
    const ofs = staticOfs();
    expect(ofs.length).toBeGreaterThanOrEqual(10);
    const current = ofs.filter((o) => !o.deprecated);
    expect(current.map((o) => o.cls).sort()).toEqual([
      'Acknowledgements',
      'BootstrapBundle',
      'CiliumRelease',
      'Cluster',
      'CnpgOperator',
      'EdgeLoadBalancer',
      'ExternalSecretsOperator',
      'Findings',
      'GatewayApiCrds',
      'K3sServerConfig',
      'SecretSources',
      'TalosMachineConfig',
    ]);
    for (const o of current) {
      expect(o.signature, `${o.cls}.of in ${o.file}`).toMatch(new RegExp(`^\\((scope|cluster): (IConstruct|Cluster)\\): ${o.cls}( \\| undefined)?$`));
    }
  });

  it('finds nothing in an empty cluster and adds nothing to the tree', () => {
    const { cluster } = testCluster();
    const before = descendants(cluster).length;
    for (const find of [
      CiliumRelease.of,
      GatewayApiCrds.of,
      K3sServerConfig.of,
      EdgeLoadBalancer.of,
      CnpgOperator.of,
      TalosMachineConfig.of,
      ExternalSecretsOperator.of,
      SecretSources.of,
    ])
      expect(find(cluster)).toBeUndefined();
    expect(descendants(cluster).length).toBe(before);
  });

  it('get-or-create is `ensure`, every construct of a kind is `allOf`, and a value from arguments is a named factory', () => {
    const { cluster } = testCluster();
    expect(CnpgOperator.of(cluster)).toBeUndefined();
    const operator = CnpgOperator.ensure(cluster);
    expect(CnpgOperator.of(cluster)).toBe(operator);
    expect(AddressPlan.ensure(cluster)).toBe(AddressPlan.ensure(cluster));
    expect(EdgeFolder.ensure(cluster)).toBe(EdgeFolder.ensure(cluster));
    const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] });
    expect(L2Pool.allOf(cluster)).toEqual([pool]);
    expect(MssClamp.allOf(cluster)).toEqual([]);
    expect(ApiEndpoint.at('api.example.lan', 6444)).toMatchObject({ host: 'api.example.lan', port: 6444, kind: 'other' });
    expect(AcmeServer.directory('https://acme.example/directory', 'example')).toMatchObject({ url: 'https://acme.example/directory', name: 'example' });
  });

  it('keeps the old names, deprecated, doing what they did', () => {
    const { cluster } = testCluster();
    expect(AddressPlan.of(cluster)).toBe(AddressPlan.ensure(cluster));
    expect(EdgeFolder.of(cluster)).toBe(EdgeFolder.ensure(cluster));
    const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] });
    expect(L2Pool.of(cluster)).toEqual([pool]);
    expect(MssClamp.of(cluster)).toEqual(MssClamp.allOf(cluster));
    expect(ApiEndpoint.of('api.example.lan')).toEqual(ApiEndpoint.at('api.example.lan'));
    expect(AcmeServer.of('https://acme.example/directory', 'example')).toEqual(AcmeServer.directory('https://acme.example/directory', 'example'));
    const deprecated = staticOfs()
      .filter((o) => o.deprecated)
      .map((o) => o.cls)
      .sort();
    expect(deprecated).toEqual(['AcmeServer', 'AddressPlan', 'ApiEndpoint', 'EdgeFolder', 'L2Pool', 'MssClamp']);
  });
});

describe('one name per concept', () => {
  it("the edge renderers take the Cluster's NodeRole, and its string values", () => {
    expect(edgeFiles.NodeRole).toBe(NodeRole);
    const nodes: edgeFiles.EdgeNode[] = [
      { name: 'cp', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
      { name: 'w', address: '192.168.1.12', roles: ['worker'] },
    ];
    expect(nodes.map((n) => n.roles[0])).toEqual(['control-plane', 'worker']);
  });

  it('an IP family is 4 or 6 everywhere', () => {
    expect(edgeFiles.mssForPathMtu(1500, 4)).toBe(1460);
    expect(edgeFiles.mssForPathMtu(1500, 6)).toBe(1440);
    expect(() => edgeFiles.mssForPathMtu(1500, 'ipv4' as never)).toThrow('IP family "ipv4" is unknown; expected 4 or 6');
  });

  it('the Gateway API group is spelled once (gateway/api-group.ts)', () => {
    const spelled = sources('constructs')
      .filter((f) => f !== 'constructs/gateway/api-group.ts' && !f.startsWith('constructs/schema/'))
      .filter((f) => /['"`]gateway\.networking\.k8s\.io\b/.test(read(f)));
    expect(spelled).toEqual([]);
  });

  it('lazily produced values go through core/lazy.ts, never through `as never`', () => {
    const cast = sources('constructs').filter((f) => /\bas never\b/.test(read(f)));
    expect(cast).toEqual([]);
    const lazyAny = sources('constructs').filter((f) => f !== 'constructs/core/lazy.ts' && /Lazy\.any\(/.test(read(f)));
    expect(lazyAny).toEqual([]);
  });

  it('constructs are found by class, not by the shape of their fields', () => {
    const { cluster } = testCluster();
    // a construct with every field of an L2 pool, but no L2Pool: Cilium must not take it for one
    Object.assign(new Construct(cluster, 'LookAlike'), {
      poolName: 'fake',
      leaseDurationSeconds: 15,
      leaseRenewDeadlineSeconds: 5,
      leaseRetryPeriodSeconds: 2,
    });
    const cilium = new CiliumRelease(cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true });
    expect(leasePoolsOf(cluster)).toEqual([]);
    expect(cilium.l2AnnouncementsEnabled).toBe(false);
    const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] });
    expect(leasePoolsOf(cluster)).toEqual([pool]);
    expect(cilium.l2AnnouncementsEnabled).toBe(true);
  });

  it('a peer names its policies through IPeer.name, not through a field only some peers have', () => {
    const peer = { namespace: 'api', selector: { app: 'api-pods' }, displayName: 'the API', name: 'api' };
    expect(peerName(peer)).toBe('api');
    expect(peerName({ ...peer, name: undefined })).toBe('api-pods');
  });
});
