/**
 * Builds a rendered `bootstrap/argocd/` folder with `kubectl kustomize` offline: the remote Argo CD install is
 * replaced by argocd-install-standin.yaml (a hand-written stand-in with the objects the patches touch).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ARGOCD_VERSION, argoCdInstallUrl } from '../../constructs/index.js';
import { tempDir } from '../helpers.js';
import { kubectlFor } from '../tools/helm.js';

export const STANDIN = resolve(import.meta.dirname, 'argocd-install-standin.yaml');

const KUBECTL = kubectlFor('bootstrap/argocd/ was not built with kubectl kustomize');
export const HAVE_KUBECTL = KUBECTL !== undefined;

/** Write `files` (name → content) to a folder with the remote base swapped for the stand-in; returns the folder. */
export function withStandin(files: ReadonlyMap<string, string>, version = ARGOCD_VERSION): string {
  const dir = tempDir('netkit-argocd-');
  const url = argoCdInstallUrl(version);
  for (const [name, content] of files) {
    if (name === 'kustomization.yaml' && !content.includes(url)) throw new Error(`kustomization.yaml does not name ${url}`);
    writeFileSync(join(dir, name), name === 'kustomization.yaml' ? content.replace(url, 'install-standin.yaml') : content);
  }
  copyFileSync(STANDIN, join(dir, 'install-standin.yaml'));
  return dir;
}

/** `kubectl kustomize` of the folder, parsed. */
export function kustomizeBuild(dir: string): Record<string, any>[] {
  const out = execFileSync(KUBECTL!, ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(out)
    .map((d) => d.toJSON())
    .filter(Boolean);
}
