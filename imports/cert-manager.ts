import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import type { Construct } from 'constructs';
import { TypedApiObject, type GroupVersionKind, type KindProps } from './kind.js';

/** cert-manager `Certificate` (cert-manager.io/v1). */
export class Certificate extends TypedApiObject<ICertificate> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' };
  public constructor(scope: Construct, id: string, props: KindProps<ICertificate>) {
    super(scope, id, Certificate.GVK, props);
  }
}
/** cert-manager `ClusterIssuer` (cert-manager.io/v1). */
export class ClusterIssuer extends TypedApiObject<IClusterIssuer> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer' };
  public constructor(scope: Construct, id: string, props: KindProps<IClusterIssuer>) {
    super(scope, id, ClusterIssuer.GVK, props);
  }
}
