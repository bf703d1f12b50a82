import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import type { IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import type { IGitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import type { IHelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import type { IOCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository';
import type { Construct } from 'constructs';
import { TypedApiObject, type GroupVersionKind, type KindProps } from './kind.js';

/** Flux `HelmRelease` (helm.toolkit.fluxcd.io/v2). */
export class FluxHelmRelease extends TypedApiObject<IHelmRelease> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' };
  public constructor(scope: Construct, id: string, props: KindProps<IHelmRelease>) {
    super(scope, id, FluxHelmRelease.GVK, props);
  }
}
/** Flux `Kustomization` (kustomize.toolkit.fluxcd.io/v1). */
export class FluxKustomization extends TypedApiObject<IKustomization> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' };
  public constructor(scope: Construct, id: string, props: KindProps<IKustomization>) {
    super(scope, id, FluxKustomization.GVK, props);
  }
}
/** Flux `GitRepository` (source.toolkit.fluxcd.io/v1). */
export class FluxGitRepository extends TypedApiObject<IGitRepository> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' };
  public constructor(scope: Construct, id: string, props: KindProps<IGitRepository>) {
    super(scope, id, FluxGitRepository.GVK, props);
  }
}
/** Flux `HelmRepository` (source.toolkit.fluxcd.io/v1). */
export class FluxHelmRepository extends TypedApiObject<IHelmRepository> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository' };
  public constructor(scope: Construct, id: string, props: KindProps<IHelmRepository>) {
    super(scope, id, FluxHelmRepository.GVK, props);
  }
}
/** Flux `OCIRepository` (source.toolkit.fluxcd.io/v1). */
export class FluxOciRepository extends TypedApiObject<IOCIRepository> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository' };
  public constructor(scope: Construct, id: string, props: KindProps<IOCIRepository>) {
    super(scope, id, FluxOciRepository.GVK, props);
  }
}
