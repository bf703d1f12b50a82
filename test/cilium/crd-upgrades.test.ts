/**
 * NET-CIL17: Gateway API CRDs move only where the installed bundle's safe-upgrades policy lets them (v1.5+).
 */
import { describe, expect, it } from 'vitest';
import { Acknowledgements, GatewayApiChannel, GitOps, type CiliumReleaseProps, type ClusterProps } from '../../constructs/index.js';
import { run, tempDir } from '../helpers.js';
import { ciliumCluster, of } from './fixtures.js';

const gateway = (version: CiliumReleaseProps['version'], crdChannel?: GatewayApiChannel): Partial<CiliumReleaseProps> => ({
  version,
  kubeProxyReplacement: true,
  gatewayApi: { enableAlpn: true, ...(crdChannel ? { crdChannel } : {}) },
});

async function twice(
  first: Partial<CiliumReleaseProps>,
  second: Partial<CiliumReleaseProps>,
  options: { ack?: boolean; cluster?: Partial<ClusterProps> } = {},
) {
  const outdir = tempDir();
  const o1 = await run(ciliumCluster(first, options.cluster ?? {}).app, { write: true, outdir });
  expect(o1.ok, JSON.stringify(o1.findings)).toBe(true);
  const b = ciliumCluster(second, options.cluster ?? {});
  if (options.ack) Acknowledgements.of(b.cilium).add('NET-CIL17', 'safe-upgrades policy deleted first, in the maintenance window');
  return run(b.app, { outdir });
}

describe('NET-CIL17 Gateway API CRDs upgrade safely', () => {
  it('fails when Cilium moves back from 1.20 to 1.19: v1.6.1 to v1.4.1 is below the v1.5 safe-upgrades floor', async () => {
    const o = await twice(gateway('1.20'), gateway('1.19'));
    expect(o.ok).toBe(false);
    const [f] = of(o.findings, 'NET-CIL17');
    expect(f).toMatchObject({ level: 'error', value: { before: 'v1.6.1', after: 'v1.4.1' }, expected: 'v1.6.1 or later' });
    expect(f!.message).toMatch(/refuses a downgrade below v1\.5/);
  });

  it('fails when the channel switches from standard to experimental over v1.6.1, also with Argo CD', async () => {
    for (const cluster of [{}, { gitops: GitOps.argocd({ repoUrl: 'https://git.example/x.git' }) }]) {
      const o = await twice(gateway('1.20'), gateway('1.20', GatewayApiChannel.EXPERIMENTAL), { cluster });
      const found = of(o.findings, 'NET-CIL17');
      expect(found.map((f) => f.value)).toEqual([{ before: 'standard', after: 'experimental' }]);
      expect(o.ok).toBe(false);
    }
  });

  it('warns only when moving back between bundles without the policy (v1.4.1 to v1.3.0)', async () => {
    const o = await twice(gateway('1.19'), gateway('1.18'));
    expect(o.ok).toBe(true);
    expect(of(o.findings, 'NET-CIL17').map((f) => [f.level, f.value])).toEqual([['warning', { before: 'v1.4.1', after: 'v1.3.0' }]]);
  });

  it('passes on upgrades, on an unchanged bundle and on a first synth', async () => {
    expect(of((await twice(gateway('1.19'), gateway('1.20'))).findings, 'NET-CIL17')).toEqual([]);
    expect(of((await twice(gateway('1.20'), gateway('1.20'))).findings, 'NET-CIL17')).toEqual([]);
    expect(of((await run(ciliumCluster(gateway('1.19')).app)).findings, 'NET-CIL17')).toEqual([]);
  });

  it('passes when acknowledged', async () => {
    const o = await twice(gateway('1.20'), gateway('1.19'), { ack: true });
    expect(o.ok).toBe(true);
    expect(o.result!.clusters[0]!.acknowledged.map((f) => f.ruleId)).toContain('NET-CIL17');
  });
});
