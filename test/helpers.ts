/**
 * Test helpers: synthesize into a temporary folder, and collect findings without throwing; the assertions every area's
 * tests share (a compliant case, a loop with something to loop over, a committed file, the upstream data).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdk8s';
import { expect } from 'vitest';
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

/** Synthesize without throwing; by default writes nothing. Every finding is held to {@link expectReadable}. */
export async function run(app: App, options: { write?: boolean; outdir?: string } = {}): Promise<Outcome> {
  const outdir = options.outdir ?? tempDir();
  let outcome: Outcome;
  try {
    const result = await synthesize(app, { outdir, write: options.write ?? false });
    outcome = { ok: true, findings: result.findings, result, outdir };
  } catch (e) {
    if (!(e instanceof SynthError)) throw e;
    outcome = { ok: false, findings: e.findings, outdir };
  }
  expectReadable(outcome.findings);
  return outcome;
}

/**
 * What every finding of every synth gives the user (DEVELOPERS.md: the rule id, the construct path, what was wrong,
 * what was expected, the fix): a message and a fix that say something, and an `expected` that is not empty where a
 * rule sets one. Held in {@link run}, so each test that synthesizes checks the findings it provokes.
 */
export function expectReadable(findings: readonly Finding[]): void {
  for (const f of findings) {
    const where = `${f.ruleId} at ${f.path}: ${JSON.stringify(f)}`;
    expect(f.message.trim(), `a finding without a message: ${where}`).not.toBe('');
    expect(f.fix.trim(), `a finding without a fix: ${where}`).not.toBe('');
    if (f.expected !== undefined) expect(String(f.expected).trim(), `a finding with an empty "expected": ${where}`).not.toBe('');
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

/** The project's root folder. */
export const ROOT = resolve(import.meta.dirname, '..');

/**
 * A compliant case: the synth succeeded, with no finding of `id`, no rule crash (NET-RUN1: a rule that throws would
 * otherwise pass every compliant case) and no error of any rule. A case that leaves its setup to another rule names
 * that rule's errors in `otherErrors`: they must be there, and no other error may be. Returns the outcome's warnings.
 */
export function expectCompliant(outcome: Outcome, id: string, options: { otherErrors?: readonly string[] } = {}): Finding[] {
  const show = JSON.stringify(outcome.findings.map((f) => ({ ruleId: f.ruleId, level: f.level, message: f.message })));
  const others = options.otherErrors ?? [];
  expect(
    outcome.findings.filter((f) => f.ruleId === 'NET-RUN1'),
    `a rule crashed: ${show}`,
  ).toEqual([]);
  expect(
    outcome.findings.filter((f) => f.ruleId === id),
    `${id} on the compliant case: ${show}`,
  ).toEqual([]);
  const errors = outcome.findings.filter((f) => f.level === 'error');
  expect(
    errors.filter((f) => !others.includes(f.ruleId)),
    `errors on the compliant case of ${id}: ${show}`,
  ).toEqual([]);
  expect(ids(errors), `the other rules' errors this case expects: ${show}`).toEqual([...new Set(others)].sort());
  expect(outcome.ok, show).toBe(others.length === 0);
  return outcome.findings.filter((f) => f.level === 'warning');
}

/**
 * `items`, after asserting there is at least one: a loop over rendered objects asserts nothing when there is nothing
 * to loop over, and a fixture that stops rendering the objects would make it pass silently.
 */
export function nonEmpty<T>(items: readonly T[], what: string): readonly T[] {
  expect(items.length, `expected at least one ${what}`).toBeGreaterThan(0);
  return items;
}

/**
 * Holds a rendered file to the committed one in clusters/, read-only: a test never writes into the product's output
 * (`vitest -u` would rewrite clusters/ from a fixture). When they differ, `npm run synth` regenerates the tree and
 * the diff is reviewed there.
 */
export function expectCommitted(content: string, path: string): void {
  const committed = join(ROOT, 'clusters', path);
  expect(existsSync(committed), `clusters/${path} is not committed: run npm run synth and review the new file`).toBe(true);
  expect(content, `clusters/${path} differs from a fresh render: run npm run synth and review the diff`).toBe(readFileSync(committed, 'utf8'));
}

/**
 * The upstream data beside the project (`../shared`, never copied into it; NETKIT_SHARED_DIR names another place, as
 * scripts/mutate.mjs does for its sandbox). Required where NETKIT_UPSTREAM_REQUIRED=1 (.ci/run, which sits beside it):
 * there a missing folder is an error. Elsewhere a missing folder is reported on stderr and the caller skips.
 */
export const SHARED_DIR = process.env.NETKIT_SHARED_DIR ?? resolve(ROOT, '..', 'shared');
export const UPSTREAM_REQUIRED = process.env.NETKIT_UPSTREAM_REQUIRED === '1';

/** The path of `../shared/<segments>` if it exists; otherwise an error in CI and a loud undefined elsewhere. */
export function upstreamPath(...segments: string[]): string | undefined {
  const path = join(SHARED_DIR, ...segments);
  if (existsSync(path)) return path;
  if (UPSTREAM_REQUIRED) throw new Error(`${path} is missing, and the upstream data is required here (NETKIT_UPSTREAM_REQUIRED=1)`);
  console.warn(`SKIPPED: ${path} is missing; the tests that compare with it are skipped (they run in CI, beside ../shared)`);
  return undefined;
}
