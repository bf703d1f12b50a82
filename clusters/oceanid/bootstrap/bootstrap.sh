#!/usr/bin/env bash
# Rendered by cdk8s-netkit from oceanid/Bootstrap. Edit the construct, not this file.
#
# Day 0 of cluster oceanid: what has to run, in order, before Flux can; reports/bootstrap.md lists
# every step with what it makes available. Run it once the nodes are up and the API server answers, from a clone
# of the Git repository, with kubectl's current context on the cluster:
#
#   bash clusters/oceanid/bootstrap/bootstrap.sh <flux bootstrap provider and flags>
#
# e.g. `... github --owner=<you> --repository=<repo> --branch=main --personal`. flux bootstrap reads the
# Git token from the environment (GITHUB_TOKEN, GITLAB_TOKEN, ...): this script holds no credential.
#
# Idempotent: every step applies server-side, upgrades or waits, so it can run again at any time (after a
# failed step, or to check a running cluster). BOOTSTRAP_TIMEOUT sets how long each wait may take.
# Needs: kubectl, helm, flux.
set -euo pipefail

cluster_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
timeout="${BOOTSTRAP_TIMEOUT:-10m}"
step_no=0

step() { step_no=$((step_no + 1)); printf '\n==> %d/%d %s\n' "$step_no" 2 "$*"; }

# wait_crds NAME...: until each CRD exists, then until it is Established (kubectl wait fails at once on an object
# that does not exist yet, and a controller registers its CRDs some time after it starts).
wait_crds() {
  local crd deadline=$((SECONDS + 600))
  for crd in "$@"; do
    until kubectl get crd "$crd" >/dev/null 2>&1; do
      if ((SECONDS > deadline)); then echo "bootstrap: CRD $crd did not appear" >&2; exit 1; fi
      sleep 5
    done
  done
  kubectl wait --for=condition=Established --timeout="$timeout" "${@/#/crd/}"
}

# wait_for NAMESPACE KIND/NAME CONDITION: until the object exists, then until the condition holds.
wait_for() {
  local ns="$1" obj="$2" deadline=$((SECONDS + 600))
  shift 2
  until kubectl -n "$ns" get "$obj" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then echo "bootstrap: $obj did not appear in $ns" >&2; exit 1; fi
    sleep 5
  done
  kubectl -n "$ns" wait "$obj" "$@" --timeout="$timeout"
}

# wait_layers: every layer of the tree reconciled, in apply order.
wait_layers() {
  wait_for flux-system kustomization/cni --for=condition=Ready
  wait_for flux-system kustomization/secrets --for=condition=Ready
  wait_for flux-system kustomization/secret-store --for=condition=Ready
  wait_for flux-system kustomization/networking --for=condition=Ready
  wait_for flux-system kustomization/apps --for=condition=Ready
}

for tool in kubectl helm flux; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bootstrap: $tool is not installed" >&2; exit 1; }
done
if [ "$#" -eq 0 ]; then
  echo "usage: bash clusters/oceanid/bootstrap/bootstrap.sh <flux bootstrap provider and flags>" >&2
  echo "  e.g. bash clusters/oceanid/bootstrap/bootstrap.sh github --owner=<you> --repository=<repo> --branch=main --personal" >&2
  exit 2
fi
kubectl get --raw=/readyz >/dev/null || { echo "bootstrap: the API server of the current kubectl context does not answer" >&2; exit 1; }

step 'Cilium 1.20.0 from cni/cilium/values.json: the CNI, before any pod can run'
helm upgrade --install cilium 'oci://quay.io/cilium/charts/cilium' --version '1.20.0' --namespace kube-system -f "$cluster_dir"/cni/cilium/values.json --wait --timeout "$timeout"
wait_crds ciliumnetworkpolicies.cilium.io

step 'Flux from clusters/oceanid/: its controllers are pods, so it comes after the CNI'
flux bootstrap "$@" --path=clusters/oceanid
wait_for kube-system helmrelease/cilium --for=condition=Ready
wait_layers

printf '\n==> %s is bootstrapped: %s reconciles it from Git from now on\n' 'oceanid' 'Flux'
