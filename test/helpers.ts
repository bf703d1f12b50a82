/**
 * Test helpers: synthesize into a temporary folder, and collect findings without throwing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import {
  ApiEndpoint,
  Cluster,
  Distribution,
  GitOps,
  NodeRole,
  SynthError,
  synthesize,
  TalosVersion,
  VipHolder,
  type ClusterProps,
  type Finding,
  type SynthResult,
} from '../constructs/index.js';

export function tempDir(prefix = 'netkit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The default API endpoint of a test cluster: the VIP 192.168.1.10 held by what the distribution renders (kube-vip on
 * k3s, Talos' VIP on Talos); a generic cluster has no holder the library renders, so it uses cp1's address.
 */
export function defaultApiEndpoint(distribution: Distribution): ApiEndpoint {
  if (distribution === Distribution.K3S) return ApiEndpoint.vip('192.168.1.10', { holder: VipHolder.kubeVip({ interface: 'eth0' }) });
  if (distribution === Distribution.TALOS) return ApiEndpoint.vip('192.168.1.10', { holder: VipHolder.talos({ interface: 'eth0' }) });
  return ApiEndpoint.node('192.168.1.11');
}

/** Props of a small valid k3s cluster, to be overridden per test. */
export function clusterProps(overrides: Partial<ClusterProps> = {}): ClusterProps {
  return {
    distribution: Distribution.K3S,
    nodes: [
      { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
      { name: 'w1', address: '192.168.1.21', roles: [NodeRole.WORKER] },
      { name: 'w2', address: '192.168.1.22', roles: [NodeRole.WORKER] },
    ],
    nodeSubnet: '192.168.1.0/24',
    podCidr: '10.42.0.0/16',
    serviceCidr: '10.43.0.0/16',
    apiEndpoint: defaultApiEndpoint(overrides.distribution ?? Distribution.K3S),
    ...(overrides.distribution === Distribution.TALOS ? { talosVersion: TalosVersion.V1_12 } : {}),
    domain: 'example.lan',
    gitops: GitOps.flux(),
    ...overrides,
  };
}

/** A fresh app with one cluster named `name`. */
export function testCluster(overrides: Partial<ClusterProps> = {}, name = 'test'): { app: App; cluster: Cluster } {
  const app = new App({ outdir: tempDir('netkit-dist-') });
  const cluster = new Cluster(app, name, clusterProps(overrides));
  return { app, cluster };
}

export interface Outcome {
  readonly ok: boolean;
  /** Every finding: errors (when the synth failed) and warnings. */
  readonly findings: readonly Finding[];
  readonly result?: SynthResult;
  readonly outdir: string;
}

/** Synthesize without throwing; by default writes nothing. */
export async function run(app: App, options: { write?: boolean; outdir?: string } = {}): Promise<Outcome> {
  const outdir = options.outdir ?? tempDir();
  try {
    const result = await synthesize(app, { outdir, write: options.write ?? false });
    return { ok: true, findings: result.findings, result, outdir };
  } catch (e) {
    if (e instanceof SynthError) return { ok: false, findings: e.findings, outdir };
    throw e;
  }
}

/** The ids of the findings, sorted and de-duplicated. */
export function ids(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort();
}

/** Rendered file content of a successful outcome. */
export function file(outcome: Outcome, cluster: string, path: string): string {
  const c = outcome.result?.clusters.find((x) => x.name === cluster);
  const content = c?.files.get(path);
  if (content === undefined) throw new Error(`no file ${cluster}/${path}; files: ${[...(c?.files.keys() ?? [])].join(', ')}`);
  return content;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
