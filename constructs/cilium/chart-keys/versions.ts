/**
 * Cilium Helm chart versions whose value keys the project knows.
 *
 * Exact chart pins: the key index under this folder is generated for each of them by
 * `scripts/gen-cilium-keys.ts`. Adding a version means adding it here and re-running that script.
 *
 * @see https://helm.cilium.io/
 */
export const CILIUM_CHART_VERSIONS = ['1.18.12', '1.19.6', '1.20.0'] as const;

/** One of the pinned Cilium chart versions in {@link CILIUM_CHART_VERSIONS}. */
export type CiliumChartVersion = (typeof CILIUM_CHART_VERSIONS)[number];
