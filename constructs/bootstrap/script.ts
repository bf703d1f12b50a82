/**
 * The bootstrap script of a cluster (`clusters/<cluster>/bootstrap/bootstrap.sh`): the bootstrap steps as bash,
 * idempotent (server-side applies, `helm upgrade --install`, `flux bootstrap`, waits), holding no credential.
 */
import type { Cluster } from '../cluster.js';
import { Component, LAYER_ORDER, Layer } from '../component.js';
import { GitOpsFlavour } from '../gitops/gitops.js';
import { VipHolderKind } from '../vip-holder.js';
import { BOOTSTRAP_SCRIPT, DEFAULT_TIMEOUT, q, type BootstrapStep } from './steps.js';

/** The layers the cluster renders objects in, in apply order (the engine's entry objects, one per layer). */
export function usedLayers(cluster: Cluster): Layer[] {
  const used = new Set<Layer>();
  for (const o of cluster.apiObjects) used.add(Component.enclosing(o)?.layer ?? Layer.APPS);
  return LAYER_ORDER.filter((l) => used.has(l));
}

/** The GitOps objects, one per layer, that the script waits for (Flux Kustomizations, Argo CD Applications). */
function layerWaits(cluster: Cluster): string[] {
  const g = cluster.gitops;
  return usedLayers(cluster).map((layer) =>
    g.flavour === GitOpsFlavour.FLUX
      ? `wait_for ${g.namespace} kustomization/${layer} --for=condition=Ready`
      : `wait_for ${g.namespace} application/${cluster.clusterName}-${layer} --for=jsonpath='{.status.health.status}'=Healthy`,
  );
}

/** The script's text. */
export function renderBootstrapScript(cluster: Cluster, steps: readonly BootstrapStep[], sourcePath: string): string {
  const flux = cluster.gitops.flavour === GitOpsFlavour.FLUX;
  const tools = ['kubectl', ...(steps.some((s) => s.id === 'cilium') ? ['helm'] : []), ...(flux ? ['flux'] : [])];
  const name = cluster.clusterName;
  const usage = `bash clusters/${name}/${BOOTSTRAP_SCRIPT}${flux ? ' <flux bootstrap provider and flags>' : ''}`;
  const lines: string[] = [
    '#!/usr/bin/env bash',
    `# Rendered by cdk8s-netkit from ${sourcePath}. Edit the construct, not this file.`,
    '#',
    `# Day 0 of cluster ${name}: what has to run, in order, before ${flux ? 'Flux' : 'Argo CD'} can; reports/bootstrap.md lists`,
    '# every step with what it makes available. Run it once the nodes are up and the API server answers, from a clone',
    "# of the Git repository, with kubectl's current context on the cluster:",
    '#',
    `#   ${usage}`,
    ...(flux
      ? [
          '#',
          '# e.g. `... github --owner=<you> --repository=<repo> --branch=main --personal`. flux bootstrap reads the',
          '# Git token from the environment (GITHUB_TOKEN, GITLAB_TOKEN, ...): this script holds no credential.',
        ]
      : ['#', '# It holds no credential.']),
    '#',
    '# Idempotent: every step applies server-side, upgrades or waits, so it can run again at any time (after a',
    '# failed step, or to check a running cluster). BOOTSTRAP_TIMEOUT sets how long each wait may take.',
    `# Needs: ${tools.join(', ')}.`,
    'set -euo pipefail',
    '',
    'cluster_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"',
    `timeout="\${BOOTSTRAP_TIMEOUT:-${DEFAULT_TIMEOUT}}"`,
    'step_no=0',
    '',
    `step() { step_no=$((step_no + 1)); printf '\\n==> %d/%d %s\\n' "$step_no" ${steps.length} "$*"; }`,
    '',
    '# wait_crds NAME...: until each CRD exists, then until it is Established (kubectl wait fails at once on an object',
    '# that does not exist yet, and a controller registers its CRDs some time after it starts).',
    'wait_crds() {',
    '  local crd deadline=$((SECONDS + 600))',
    '  for crd in "$@"; do',
    '    until kubectl get crd "$crd" >/dev/null 2>&1; do',
    '      if ((SECONDS > deadline)); then echo "bootstrap: CRD $crd did not appear" >&2; exit 1; fi',
    '      sleep 5',
    '    done',
    '  done',
    '  kubectl wait --for=condition=Established --timeout="$timeout" "${@/#/crd/}"',
    '}',
    '',
    '# wait_for NAMESPACE KIND/NAME CONDITION: until the object exists, then until the condition holds.',
    'wait_for() {',
    '  local ns="$1" obj="$2" deadline=$((SECONDS + 600))',
    '  shift 2',
    '  until kubectl -n "$ns" get "$obj" >/dev/null 2>&1; do',
    '    if ((SECONDS > deadline)); then echo "bootstrap: $obj did not appear in $ns" >&2; exit 1; fi',
    '    sleep 5',
    '  done',
    '  kubectl -n "$ns" wait "$obj" "$@" --timeout="$timeout"',
    '}',
    '',
    '# wait_layers: every layer of the tree reconciled, in apply order.',
    'wait_layers() {',
    ...layerWaits(cluster).map((l) => `  ${l}`),
    '}',
    '',
    `for tool in ${tools.join(' ')}; do`,
    '  command -v "$tool" >/dev/null 2>&1 || { echo "bootstrap: $tool is not installed" >&2; exit 1; }',
    'done',
    ...(flux
      ? [
          'if [ "$#" -eq 0 ]; then',
          `  echo "usage: ${usage}" >&2`,
          `  echo "  e.g. bash clusters/${name}/${BOOTSTRAP_SCRIPT} github --owner=<you> --repository=<repo> --branch=main --personal" >&2`,
          '  exit 2',
          'fi',
        ]
      : []),
    'kubectl get --raw=/readyz >/dev/null || { echo "bootstrap: the API server of the current kubectl context does not answer" >&2; exit 1; }',
    ...vipHeld(cluster),
  ];
  for (const s of steps) lines.push('', ...s.script);
  lines.push('', `printf '\\n==> %s is bootstrapped: %s reconciles it from Git from now on\\n' ${q(name)} ${q(flux ? 'Flux' : 'Argo CD')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * kube-vip holds the API VIP that Cilium's agents use as k8sServiceHost: before Cilium starts, its DaemonSet must run
 * and one of its pods must hold the control-plane lease (plndr-cp-lock), or the agents crash-loop against an address
 * nobody answers (seed 001's incident). The check runs in the cluster: the workstation may not reach the VIP itself.
 */
function vipHeld(cluster: Cluster): string[] {
  const endpoint = cluster.apiEndpoint;
  if (endpoint.kind !== 'vip' || endpoint.holder?.kind !== VipHolderKind.KUBE_VIP) return [];
  return [
    '',
    `# Cilium reaches the API at the VIP ${endpoint.host} before cluster DNS exists: kube-vip must hold it first.`,
    'kubectl -n kube-system rollout status daemonset/kube-vip --timeout="$timeout"',
    'vip_deadline=$((SECONDS + 300))',
    'until [ -n "$(kubectl -n kube-system get lease plndr-cp-lock -o jsonpath=\'{.spec.holderIdentity}\' 2>/dev/null)" ]; do',
    `  if ((SECONDS > vip_deadline)); then echo "bootstrap: no kube-vip pod holds the API VIP ${endpoint.host} (lease kube-system/plndr-cp-lock)" >&2; exit 1; fi`,
    '  sleep 5',
    'done',
  ];
}
