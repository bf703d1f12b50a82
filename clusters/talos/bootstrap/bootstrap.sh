#!/usr/bin/env bash
# Rendered by cdk8s-netkit from talos/Bootstrap. Edit the construct, not this file.
#
# Day 0 of cluster talos: what has to run, in order, before Argo CD can; reports/bootstrap.md lists
# every step with what it makes available. Run it once the nodes are up and the API server answers, from a clone
# of the Git repository, with kubectl's current context on the cluster:
#
#   bash clusters/talos/bootstrap/bootstrap.sh
#
# It holds no credential.
#
# Idempotent: every step applies server-side, upgrades or waits, so it can run again at any time (after a
# failed step, or to check a running cluster). BOOTSTRAP_TIMEOUT sets how long each wait may take.
# Needs: kubectl, helm.
set -euo pipefail

cluster_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
timeout="${BOOTSTRAP_TIMEOUT:-10m}"
step_no=0

step() { step_no=$((step_no + 1)); printf '\n==> %d/%d %s\n' "$step_no" 4 "$*"; }

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
  wait_for argocd application/talos-crds --for=jsonpath='{.status.health.status}'=Healthy
  wait_for argocd application/talos-cni --for=jsonpath='{.status.health.status}'=Healthy
  wait_for argocd application/talos-secrets --for=jsonpath='{.status.health.status}'=Healthy
  wait_for argocd application/talos-secret-store --for=jsonpath='{.status.health.status}'=Healthy
  wait_for argocd application/talos-services --for=jsonpath='{.status.health.status}'=Healthy
  wait_for argocd application/talos-networking --for=jsonpath='{.status.health.status}'=Healthy
  wait_for argocd application/talos-apps --for=jsonpath='{.status.health.status}'=Healthy
}

for tool in kubectl helm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bootstrap: $tool is not installed" >&2; exit 1; }
done
kubectl get --raw=/readyz >/dev/null || { echo "bootstrap: the API server of the current kubectl context does not answer" >&2; exit 1; }

step 'Gateway API v1.6.1 CRDs (standard): before Cilium, whose operator looks for them once, when it starts'
kubectl apply --server-side --force-conflicts --field-manager=argocd-controller -f 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml'
wait_crds gatewayclasses.gateway.networking.k8s.io gateways.gateway.networking.k8s.io grpcroutes.gateway.networking.k8s.io httproutes.gateway.networking.k8s.io referencegrants.gateway.networking.k8s.io backendtlspolicies.gateway.networking.k8s.io listenersets.gateway.networking.k8s.io tcproutes.gateway.networking.k8s.io tlsroutes.gateway.networking.k8s.io udproutes.gateway.networking.k8s.io

step 'Cilium 1.20.0 from cni/cilium/values.json: the CNI, before any pod can run'
helm upgrade --install cilium 'cilium' --repo 'https://helm.cilium.io/' --version '1.20.0' --namespace kube-system -f "$cluster_dir"/cni/cilium/values.json --wait --timeout "$timeout"
wait_crds ciliumnetworkpolicies.cilium.io ciliumloadbalancerippools.cilium.io ciliuml2announcementpolicies.cilium.io

step 'Argo CD in argocd: its controllers are pods, so it comes after the CNI'
if [ -f "$cluster_dir/bootstrap/argocd/kustomization.yaml" ]; then
  kubectl apply --server-side --force-conflicts -k "$cluster_dir/bootstrap/argocd"
elif kubectl get crd applications.argoproj.io >/dev/null 2>&1; then
  echo "bootstrap: bootstrap/argocd/ is not rendered; using the Argo CD installed already"
else
  echo "bootstrap: bootstrap/argocd/ is not rendered and Argo CD is not installed: install Argo CD in argocd, then run this again" >&2
  exit 1
fi
wait_crds applications.argoproj.io applicationsets.argoproj.io appprojects.argoproj.io
kubectl -n argocd rollout status statefulset/argocd-application-controller --timeout="$timeout"
kubectl -n argocd rollout status deployment/argocd-repo-server --timeout="$timeout"

step 'The root Application: Argo CD syncs clusters/talos/ wave by wave'
kubectl apply --server-side -f "$cluster_dir/bootstrap/root-application.yaml"
wait_for argocd application/cilium --for=jsonpath='{.status.health.status}'=Healthy
wait_layers

printf '\n==> %s is bootstrapped: %s reconciles it from Git from now on\n' 'talos' 'Argo CD'
