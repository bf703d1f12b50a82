/** Shared by the node rules: what holds a cluster's API VIP, as the model says. */
import { canonicalIp, isIpLiteral } from '../../cluster/address.js';
import type { Cluster } from '../../cluster.js';

/** True when the API endpoint is a VIP at the external load balancer's address: the load balancer holds it. */
export function vipAtLoadBalancer(cluster: Cluster): boolean {
  const api = cluster.apiEndpoint;
  const lb = cluster.externalLoadBalancer?.address;
  if (api.kind !== 'vip' || !lb) return false;
  return isIpLiteral(api.host) && isIpLiteral(lb) ? canonicalIp(api.host) === canonicalIp(lb) : api.host === lb;
}

/** A Linux link name (IFNAMSIZ: at most 15 bytes), of the characters interface names use in practice. */
export const LINK_NAME = /^(?!\.\.?$)[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
