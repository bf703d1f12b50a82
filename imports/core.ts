/**
 * Typed L1 ApiObjects for the Kubernetes core kinds the library's constructs emit, built on the interfaces of
 * `kubernetes-models` (type-only imports: nothing of that package is loaded by these classes at run time).
 *
 * The constructs use these instead of cdk8s-plus-30's generated module (imports/k8s.ts): that module defines about a
 * thousand classes, and evaluating it was a measurable part of every synth's start-up. imports/k8s.ts stays the
 * public escape hatch with every cdk8s-plus-30 kind.
 */
import type { Construct } from 'constructs';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IService } from 'kubernetes-models/v1/Service';
import { TypedApiObject, type GroupVersionKind, type KindProps } from './kind.js';

/** Kubernetes `ConfigMap` (v1). */
export class CoreConfigMap extends TypedApiObject<IConfigMap> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'v1', kind: 'ConfigMap' };
  public constructor(scope: Construct, id: string, props: KindProps<IConfigMap>) {
    super(scope, id, CoreConfigMap.GVK, props);
  }
}
/** Kubernetes `Namespace` (v1). */
export class CoreNamespace extends TypedApiObject<INamespace> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'v1', kind: 'Namespace' };
  public constructor(scope: Construct, id: string, props: KindProps<INamespace>) {
    super(scope, id, CoreNamespace.GVK, props);
  }
}
/** Kubernetes `Service` (v1). */
export class CoreService extends TypedApiObject<IService> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'v1', kind: 'Service' };
  public constructor(scope: Construct, id: string, props: KindProps<IService>) {
    super(scope, id, CoreService.GVK, props);
  }
}
/** Kubernetes `Deployment` (apps/v1). */
export class CoreDeployment extends TypedApiObject<IDeployment> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'apps/v1', kind: 'Deployment' };
  public constructor(scope: Construct, id: string, props: KindProps<IDeployment>) {
    super(scope, id, CoreDeployment.GVK, props);
  }
}
/** Kubernetes `DaemonSet` (apps/v1). */
export class CoreDaemonSet extends TypedApiObject<IDaemonSet> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' };
  public constructor(scope: Construct, id: string, props: KindProps<IDaemonSet>) {
    super(scope, id, CoreDaemonSet.GVK, props);
  }
}
/** Kubernetes `NetworkPolicy` (networking.k8s.io/v1). */
export class CoreNetworkPolicy extends TypedApiObject<INetworkPolicy> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' };
  public constructor(scope: Construct, id: string, props: KindProps<INetworkPolicy>) {
    super(scope, id, CoreNetworkPolicy.GVK, props);
  }
}
