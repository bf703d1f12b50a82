/**
 * Every chart, CRD bundle and image version the library renders, pinned in one place.
 *
 * Each constant carries a Renovate annotation (see renovate.json): a bump is one reviewed line here, then
 * `npm run synth`, and the PR shows the GitOps diff it causes.
 */

/** Cilium chart versions, one pinned patch release per supported minor. */
export const CILIUM_VERSIONS = {
  // renovate: datasource=helm depName=cilium registryUrl=https://helm.cilium.io versioning=regex:^1\.18\.(?<patch>\d+)$
  '1.18': '1.18.12',
  // renovate: datasource=helm depName=cilium registryUrl=https://helm.cilium.io versioning=regex:^1\.19\.(?<patch>\d+)$
  '1.19': '1.19.6',
  // renovate: datasource=helm depName=cilium registryUrl=https://helm.cilium.io versioning=regex:^1\.20\.(?<patch>\d+)$
  '1.20': '1.20.0',
} as const;

export type CiliumMinor = keyof typeof CILIUM_VERSIONS;

/**
 * The Gateway API release each Cilium minor implements; the tree installs exactly this one.
 * 1.19 stays on v1.4.x: Cilium 1.19.1's operator crashed with the v1.5 CRDs (cilium#44920).
 */
export const GATEWAY_API_VERSIONS: Record<CiliumMinor, string> = {
  // renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api versioning=regex:^v1\.3\.(?<patch>\d+)$
  '1.18': 'v1.3.0',
  // renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api versioning=regex:^v1\.4\.(?<patch>\d+)$
  '1.19': 'v1.4.1',
  // renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api versioning=regex:^v1\.6\.(?<patch>\d+)$
  '1.20': 'v1.6.1',
};

export const CHART_SOURCES = {
  cilium: { helm: 'https://helm.cilium.io/', oci: 'oci://quay.io/cilium/charts/cilium' },
  certManager: { helm: 'https://charts.jetstack.io', oci: 'oci://quay.io/jetstack/charts/cert-manager' },
  cloudnativePg: { helm: 'https://cloudnative-pg.github.io/charts' },
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
