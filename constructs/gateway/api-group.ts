/** The Gateway API's API group, one name for every construct and rule that renders or reads its objects. */

/** The API group of every Gateway API kind (Gateway, HTTPRoute, TLSRoute, ReferenceGrant, ...). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** True when an object's apiVersion is of the Gateway API group. */
export function isGatewayApiVersion(apiVersion: string): boolean {
  return apiVersion.startsWith(`${GATEWAY_API_GROUP}/`);
}
