/**
 * The bootstrap script of each cluster: valid bash (bash -n, shellcheck), and, run against stub kubectl/helm/flux that
 * record their calls, it does the steps in order — Gateway API CRDs, Cilium from the values file, the engine, the root
 * Application — with idempotent commands only, the same way on a second run, and stops early with a clear message.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { CILIUM_VERSIONS, CiliumRelease, GitOps, Routing } from '../../constructs/index.js';
import { run, tempDir, testCluster } from '../helpers.js';

const CI = process.env.CI === 'true';
const SHELLCHECK = !spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).error;
if (!SHELLCHECK) {
  if (CI) throw new Error('test/bootstrap: shellcheck is required under CI (apt-get install shellcheck)');
  console.warn('test/bootstrap: shellcheck not found, skipping its checks (apt-get install shellcheck)');
}

const outdir = tempDir('netkit-bootstrap-');
const fleet = await run(buildFleet(new App({ outdir: tempDir() })), { write: true, outdir });

const STUB = `#!/usr/bin/env bash
printf '%s %s\\n' "$(basename "$0")" "$*" >> "$STUB_LOG"
if [ "$(basename "$0")" = kubectl ] && [ "$*" = "get crd applications.argoproj.io" ] && [ "\${ARGO_INSTALLED:-1}" != 1 ]; then exit 1; fi
case "$*" in *"get lease plndr-cp-lock"*) printf '%s' "\${VIP_HOLDER-master}" ;; esac
exit 0
`;

/** Runs a cluster's script with stub tools; returns exit code, output and the recorded calls. */
function runScript(cluster: string, args: string[] = [], env: Record<string, string> = {}, root = outdir) {
  const dir = tempDir('netkit-stubs-');
  mkdirSync(join(dir, 'bin'));
  for (const tool of ['kubectl', 'helm', 'flux']) {
    writeFileSync(join(dir, 'bin', tool), STUB);
    chmodSync(join(dir, 'bin', tool), 0o755);
  }
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const r = spawnSync('bash', [join(root, cluster, 'bootstrap', 'bootstrap.sh'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, STUB_LOG: log, BOOTSTRAP_TIMEOUT: '1s', ...env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, calls: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

const at = (calls: string[], re: RegExp) => calls.findIndex((c) => re.test(c));

describe('the bootstrap script', () => {
  it('synthesizes the fleet', () => expect(fleet.ok).toBe(true));

  it.each(['homelab', 'talos', 'oceanid'])('%s: bash -n and shellcheck accept it', (name) => {
    const script = join(outdir, name, 'bootstrap', 'bootstrap.sh');
    const syntax = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    if (SHELLCHECK) {
      const sc = spawnSync('shellcheck', ['-s', 'bash', script], { encoding: 'utf8' });
      expect(sc.status, sc.stdout).toBe(0);
    }
  });

  it('talos: Gateway API CRDs, then Cilium from the values file, then Argo CD, then the root Application', () => {
    const { status, calls, out } = runScript('talos');
    expect(status, out).toBe(0);
    const crds = at(
      calls,
      /^kubectl apply --server-side --force-conflicts --field-manager=argocd-controller -f https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v1\.6\.1\/standard-install\.yaml$/,
    );
    const crdsUp = at(calls, /^kubectl wait --for=condition=Established .*crd\/gateways\.gateway\.networking\.k8s\.io/);
    const helm = at(
      calls,
      /^helm upgrade --install cilium cilium --repo https:\/\/helm\.cilium\.io\/ --version 1\.20\.0 --namespace kube-system -f \S+\/talos\/cni\/cilium\/values\.json --wait --timeout 1s$/,
    );
    const ciliumCrds = at(
      calls,
      /^kubectl wait --for=condition=Established .*crd\/ciliumloadbalancerippools\.cilium\.io.*crd\/ciliuml2announcementpolicies\.cilium\.io/,
    );
    const argo = at(calls, /^kubectl get crd applications\.argoproj\.io$/);
    const root = at(calls, /^kubectl apply --server-side -f \S+\/talos\/bootstrap\/root-application\.yaml$/);
    const adopted = at(calls, /^kubectl -n argocd wait application\/cilium --for=jsonpath=\{\.status\.health\.status\}=Healthy/);
    const lastLayer = at(calls, /^kubectl -n argocd wait application\/talos-apps /);
    expect(
      [crds, crdsUp, helm, ciliumCrds, argo, root, adopted, lastLayer].every((i) => i >= 0),
      calls.join('\n'),
    ).toBe(true);
    expect(crds < crdsUp && crdsUp < helm && helm < ciliumCrds && ciliumCrds < argo && argo < root && root < adopted && adopted < lastLayer).toBe(true);
    // the file helm installs from is the one the Application names
    const valuesPath = /-f (\S+) /.exec(calls[helm]!)![1]!;
    expect(existsSync(valuesPath)).toBe(true);
    expect(readFileSync(valuesPath, 'utf8')).toBe(readFileSync(join(outdir, 'talos', 'cni', 'cilium', 'values.json'), 'utf8'));
    expect(readFileSync(join(outdir, 'talos', 'cni', 'cilium', 'application-cilium.yaml'), 'utf8')).toContain('$values/clusters/talos/cni/cilium/values.json');
  });

  it('uses idempotent commands only, and does the same on a second run', () => {
    const first = runScript('talos');
    const second = runScript('talos');
    expect(second.calls.map((c) => c.replace(/\/tmp\S*/g, '<tmp>'))).toEqual(first.calls.map((c) => c.replace(/\/tmp\S*/g, '<tmp>')));
    for (const c of first.calls) {
      if (/^kubectl (-n \S+ )?(apply|create|replace)\b/.test(c)) expect(c, c).toMatch(/^kubectl apply --server-side/);
      if (/^helm /.test(c)) expect(c, c).toMatch(/^helm upgrade --install /);
      expect(c, c).not.toMatch(/(^| )(delete|uninstall|create)( |$)|^helm install /);
    }
  });

  it('talos: applies the rendered Argo CD install folder when there is one', () => {
    const copy = tempDir('netkit-argo-');
    spawnSync('cp', ['-r', join(outdir, 'talos'), copy]);
    mkdirSync(join(copy, 'talos', 'bootstrap', 'argocd'), { recursive: true });
    writeFileSync(join(copy, 'talos', 'bootstrap', 'argocd', 'kustomization.yaml'), 'resources: []\n');
    const { status, calls, out } = runScript('talos', [], {}, copy);
    expect(status).toBe(0);
    expect(at(calls, /^kubectl apply --server-side --force-conflicts -k \S+\/talos\/bootstrap\/argocd$/)).toBeGreaterThan(at(calls, /^helm upgrade --install/));
    expect(out).not.toContain('using the Argo CD installed already');
  });

  it('talos: stops with a clear message when neither the install folder nor an installed Argo CD is there', () => {
    // a tree without the install folder (an older render, or one the user pruned), on a cluster without Argo CD
    const root = tempDir('netkit-bootstrap-noargo-');
    cpSync(join(outdir, 'talos'), join(root, 'talos'), { recursive: true });
    rmSync(join(root, 'talos', 'bootstrap', 'argocd'), { recursive: true });
    const { status, calls, out } = runScript('talos', [], { ARGO_INSTALLED: '0' }, root);
    expect(status).toBe(1);
    expect(out).toMatch(/bootstrap\/argocd\/ is not rendered and Argo CD is not installed: install Argo CD in argocd, then run this again/);
    expect(at(calls, /root-application\.yaml/)).toBe(-1);
  });

  it('homelab: refuses to start without the flux bootstrap arguments, before doing anything', () => {
    const { status, calls, out } = runScript('homelab');
    expect(status).toBe(2);
    expect(out).toMatch(/usage: bash clusters\/homelab\/bootstrap\/bootstrap\.sh <flux bootstrap provider and flags>/);
    expect(calls).toEqual([]);
  });

  it('homelab: Cilium, then flux bootstrap with the given flags and the cluster path, then the adoption and the layers', () => {
    const { status, calls, out } = runScript('homelab', ['github', '--owner=me', '--repository=fleet', '--personal']);
    expect(status, out).toBe(0);
    expect(at(calls, /gateway-api/)).toBe(-1);
    const helm = at(
      calls,
      new RegExp(
        `^helm upgrade --install cilium cilium --repo https://helm\\.cilium\\.io/ --version ${CILIUM_VERSIONS['1.19'].replace(/\./g, '\\.')} --namespace kube-system -f \\S+/homelab/cni/cilium/values\\.json`,
      ),
    );
    const flux = at(calls, /^flux bootstrap github --owner=me --repository=fleet --personal --path=clusters\/homelab$/);
    // kube-vip holds the API VIP (Cilium's k8sServiceHost) before Cilium is installed
    const vip = at(calls, /^kubectl -n kube-system get lease plndr-cp-lock -o jsonpath=\{\.spec\.holderIdentity\}$/);
    expect(at(calls, /^kubectl -n kube-system rollout status daemonset\/kube-vip/)).toBeGreaterThan(-1);
    expect(vip).toBeGreaterThan(-1);
    expect(vip).toBeLessThan(helm);
    const adopted = at(calls, /^kubectl -n kube-system wait helmrelease\/cilium --for=condition=Ready/);
    const layers = ['cni', 'services', 'apps'].map((l) => at(calls, new RegExp(`^kubectl -n flux-system wait kustomization/${l} --for=condition=Ready`)));
    expect(
      [helm, flux, adopted, ...layers].every((i) => i >= 0),
      calls.join('\n'),
    ).toBe(true);
    expect(helm < flux && flux < adopted && adopted < layers[0]! && layers[0]! < layers[1]! && layers[1]! < layers[2]!).toBe(true);
  });

  it('oceanid: installs Cilium from the OCI registry', () => {
    const { status, calls } = runScript('oceanid', ['git', '--url=ssh://git@example.org/fleet.git']);
    expect(status).toBe(0);
    expect(calls).toContainEqual(
      expect.stringMatching(
        /^helm upgrade --install cilium oci:\/\/quay\.io\/cilium\/charts\/cilium --version 1\.20\.0 --namespace kube-system -f \S+\/oceanid\/cni\/cilium\/values\.json/,
      ),
    );
  });

  it('holds no credential: tokens come from the environment of flux bootstrap', () => {
    for (const name of ['homelab', 'talos', 'oceanid']) {
      const text = readFileSync(join(outdir, name, 'bootstrap', 'bootstrap.sh'), 'utf8');
      expect(text).not.toMatch(/^\s*(export\s+)?[A-Z_]*(TOKEN|PASSWORD|SECRET|KEY)[A-Z_]*=/m);
      expect(text).not.toMatch(/--(token|password)[= ]/);
    }
  });

  it('a cluster without Cilium gets only the engine; with native routing it still installs Cilium first', async () => {
    const bare = testCluster({ gitops: GitOps.argocd({ repoUrl: 'https://git.example/x.git' }) });
    const o = await run(bare.app, { write: true, outdir: tempDir() });
    const text = o.result!.clusters[0]!.files.get('bootstrap/bootstrap.sh')!;
    expect(text).not.toContain('helm upgrade');
    expect(text).toContain('root-application.yaml');
    const native = testCluster();
    new CiliumRelease(native.cluster, 'Cilium', { version: '1.18', routing: Routing.native(), kubeProxyReplacement: true });
    const n = await run(native.app);
    expect(n.result!.clusters[0]!.files.get('bootstrap/bootstrap.sh')).toMatch(
      /helm upgrade --install cilium 'cilium' --repo 'https:\/\/helm\.cilium\.io\/' --version '1\.18\.12'/,
    );
  });
});
