/**
 * L2 test fixtures: a small k3s cluster (cp1 .11, w1 .21, w2 .22 on 192.168.1.0/24, API VIP .10) with an optional
 * Cilium release that has L2 announcements on, and a pool in .200-.210.
 */
import type { ClusterProps, Finding } from '../../constructs/index.js';
import { AddressBlock, L2Pool, type L2PoolProps } from '../../constructs/index.js';
import { CiliumRelease } from '../../constructs/cilium-release.js';
import { testCluster } from '../helpers.js';

export interface FixtureOptions {
  readonly cluster?: Partial<ClusterProps>;
  readonly pool?: Partial<L2PoolProps> | false;
  /** Render Cilium with kube-proxy replacement (L2 follows from the pool). */
  readonly cilium?: boolean;
}

export function l2Cluster(options: FixtureOptions = {}) {
  const { app, cluster } = testCluster(options.cluster ?? {});
  if (options.cilium ?? true) new CiliumRelease(cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true });
  const pool =
    options.pool === false
      ? undefined
      : new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')], ...(options.pool ?? {}) });
  return { app, cluster, pool: pool as L2Pool };
}

/** Findings of one rule. */
export function of(findings: readonly Finding[], id: string): Finding[] {
  return findings.filter((f) => f.ruleId === id);
}

/** Findings of the L2 area. */
export function l2(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.ruleId.startsWith('NET-L2P'));
}
