import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { Construct } from 'constructs';
import { TypedApiObject, type GroupVersionKind, type KindProps } from './kind.js';

/** Argo CD `Application` (argoproj.io/v1alpha1). */
export class ArgoApplication extends TypedApiObject<IApplication> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' };
  public constructor(scope: Construct, id: string, props: KindProps<IApplication>) {
    super(scope, id, ArgoApplication.GVK, props);
  }
}
