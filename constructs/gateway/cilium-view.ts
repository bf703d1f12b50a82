/**
 * What the gateway constructs and rules read from the cluster's CiliumRelease: one place, so the contract is visible.
 */
import { CiliumRelease } from '../cilium-release.js';
import type { Cluster } from '../cluster.js';
import type { CiliumMinor } from '../core/versions.js';

/** The CiliumRelease facts a DualGateway depends on. */
export interface CiliumGatewayView {
  readonly minor: CiliumMinor;
  readonly gatewayApiVersion: string;
  readonly gatewayApiEnabled: boolean;
  readonly enableAlpn: boolean;
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  /** The release construct, for findings. */
  readonly release: CiliumRelease;
}

/** The cluster's CiliumRelease, seen from the gateway side; undefined when the cluster has none. */
export function ciliumView(cluster: Cluster): CiliumGatewayView | undefined {
  const release = CiliumRelease.of(cluster);
  if (!release) return undefined;
  return {
    minor: release.minor,
    gatewayApiVersion: release.gatewayApiVersion,
    gatewayApiEnabled: release.gatewayApi.enabled,
    enableAlpn: release.gatewayApi.enableAlpn,
    externalTrafficPolicy: release.gatewayApi.externalTrafficPolicy,
    release,
  };
}
