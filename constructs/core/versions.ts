/**
 * Every chart, CRD bundle and image version the library renders, pinned in one place; the Cilium chart and the
 * Gateway API bundle are pinned per Cilium minor, in cilium/minors.ts.
 *
 * Each constant carries a Renovate annotation (see renovate.json): a bump is one reviewed line here, then
 * `npm run synth`, and the PR shows the GitOps diff it causes.
 */
import { CILIUM_MINOR_LIST, CILIUM_MINORS, type CiliumMinor, type CiliumMinorFacts } from '../cilium/minors.js';

/** Cilium chart versions, one pinned patch release per supported minor (the pins live in cilium/minors.ts). */
export const CILIUM_VERSIONS = Object.fromEntries(CILIUM_MINOR_LIST.map((m) => [m, CILIUM_MINORS[m].chart])) as {
  readonly [M in CiliumMinor]: (typeof CILIUM_MINORS)[M]['chart'];
};

export { CILIUM_MINORS, type CiliumMinor, type CiliumMinorFacts };

/**
 * The Gateway API release each Cilium minor implements; the tree installs exactly this one (the pins live in
 * cilium/minors.ts).
 */
export const GATEWAY_API_VERSIONS = Object.fromEntries(CILIUM_MINOR_LIST.map((m) => [m, CILIUM_MINORS[m].gatewayApi.version])) as Readonly<
  Record<CiliumMinor, string>
>;

export const CHART_SOURCES = {
  cilium: { helm: 'https://helm.cilium.io/', oci: 'oci://quay.io/cilium/charts/cilium' },
  certManager: { helm: 'https://charts.jetstack.io', oci: 'oci://quay.io/jetstack/charts/cert-manager' },
  cloudnativePg: { helm: 'https://cloudnative-pg.github.io/charts' },
  externalSecrets: { helm: 'https://charts.external-secrets.io' },
} as const;

// renovate: datasource=helm depName=cert-manager registryUrl=https://charts.jetstack.io
export const CERT_MANAGER_VERSION = 'v1.21.1';

/**
 * The cloudnative-pg chart, pinned to the release that ships operator 1.30.0 (chart appVersion "1.30.0"; chart
 * and operator version independently). The product renders `postgresql.cnpg.io/v1` against the 1.30 CRDs.
 */
// renovate: datasource=helm depName=cloudnative-pg registryUrl=https://cloudnative-pg.github.io/charts
export const CLOUDNATIVE_PG_CHART_VERSION = '0.29.0';

/**
 * The External Secrets operator chart, pinned to the release whose CRDs the tree renders against (v2.1.0: ExternalSecret
 * and ClusterSecretStore served as `external-secrets.io/v1`; v1beta1 is no longer served). Chart and operator share the
 * version number.
 *
 * @see https://external-secrets.io/latest/introduction/getting-started/
 */
// renovate: datasource=helm depName=external-secrets registryUrl=https://charts.external-secrets.io
export const EXTERNAL_SECRETS_CHART_VERSION = '2.1.0';

/**
 * Argo CD, installed by `clusters/<cluster>/bootstrap/argocd/` (kustomize over the release's `manifests/install.yaml`)
 * on clusters whose GitOps engine is Argo CD.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/installation/
 */
// renovate: datasource=github-releases depName=argoproj/argo-cd
export const ARGOCD_VERSION = 'v3.5.1';

/** The Gateway API CRD bundle's source repository. */
export const GATEWAY_API_REPOSITORY = 'https://github.com/kubernetes-sigs/gateway-api';

/**
 * cloudflared, the Cloudflare Tunnel connector the DualGateway runs for its external side.
 *
 * @see https://github.com/cloudflare/cloudflared/releases
 */
// renovate: datasource=docker depName=docker.io/cloudflare/cloudflared
export const CLOUDFLARED_IMAGE = 'docker.io/cloudflare/cloudflared:2026.5.0';

/**
 * The egress probes' container image (curl on a small shell userland).
 *
 * @see https://hub.docker.com/r/curlimages/curl
 */
// renovate: datasource=docker depName=docker.io/curlimages/curl
export const EGRESS_PROBE_IMAGE = 'docker.io/curlimages/curl:8.11.1';

/**
 * kube-vip, which holds a k3s cluster's API VIP in ARP mode (`VipHolder.kubeVip`).
 *
 * @see https://github.com/kube-vip/kube-vip/releases
 */
// renovate: datasource=docker depName=ghcr.io/kube-vip/kube-vip
export const KUBE_VIP_IMAGE = 'ghcr.io/kube-vip/kube-vip:v1.2.3';
