import type { ICiliumLoadBalancerIPPool } from '@kubernetes-models/cilium/cilium.io/v2/CiliumLoadBalancerIPPool';
import type { ICiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy';
import type { ICiliumL2AnnouncementPolicy } from '@kubernetes-models/cilium/cilium.io/v2alpha1/CiliumL2AnnouncementPolicy';
import type { Construct } from 'constructs';
import { TypedApiObject, type GroupVersionKind, type KindProps } from './kind.js';

/** `CiliumLoadBalancerIPPool` (cilium.io/v2, served from Cilium 1.18). */
export class CiliumLoadBalancerIpPool extends TypedApiObject<ICiliumLoadBalancerIPPool> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool' };
  public constructor(scope: Construct, id: string, props: KindProps<ICiliumLoadBalancerIPPool>) {
    super(scope, id, CiliumLoadBalancerIpPool.GVK, props);
  }
}
/** `CiliumL2AnnouncementPolicy` (cilium.io/v2alpha1, the only version served by Cilium 1.17 to 1.20). */
export class CiliumL2AnnouncementPolicy extends TypedApiObject<ICiliumL2AnnouncementPolicy> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumL2AnnouncementPolicy' };
  public constructor(scope: Construct, id: string, props: KindProps<ICiliumL2AnnouncementPolicy>) {
    super(scope, id, CiliumL2AnnouncementPolicy.GVK, props);
  }
}
/** `CiliumNetworkPolicy` (cilium.io/v2). */
export class CiliumNetworkPolicy extends TypedApiObject<ICiliumNetworkPolicy> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' };
  public constructor(scope: Construct, id: string, props: KindProps<ICiliumNetworkPolicy>) {
    super(scope, id, CiliumNetworkPolicy.GVK, props);
  }
}
