import type { ICluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster';
import type { Construct } from 'constructs';
import { TypedApiObject, type GroupVersionKind, type KindProps } from './kind.js';

/** CloudNativePG `Cluster` (postgresql.cnpg.io/v1). */
export class PostgresCluster extends TypedApiObject<ICluster> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster' };
  public constructor(scope: Construct, id: string, props: KindProps<ICluster>) {
    super(scope, id, PostgresCluster.GVK, props);
  }
}
