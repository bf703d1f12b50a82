import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { Construct } from 'constructs';
import { TypedApiObject, type GroupVersionKind, type KindProps } from './kind.js';

/** External Secrets `ExternalSecret` (external-secrets.io/v1). */
export class ExternalSecret extends TypedApiObject<IExternalSecret> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret' };
  public constructor(scope: Construct, id: string, props: KindProps<IExternalSecret>) {
    super(scope, id, ExternalSecret.GVK, props);
  }
}

/** External Secrets `ClusterSecretStore` (external-secrets.io/v1): a store every namespace's ExternalSecrets may read. */
export class ClusterSecretStore extends TypedApiObject<IClusterSecretStore> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore' };
  public constructor(scope: Construct, id: string, props: KindProps<IClusterSecretStore>) {
    super(scope, id, ClusterSecretStore.GVK, props);
  }
}
