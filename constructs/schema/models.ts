/**
 * The models of the kinds the library itself emits, imported statically so that a synth loads them with the rest
 * of the program (one bundle, no module look-ups at run time). Kinds that come in through escape hatches are loaded
 * on demand by schema.ts.
 */
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { ClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { CiliumLoadBalancerIPPool } from '@kubernetes-models/cilium/cilium.io/v2/CiliumLoadBalancerIPPool';
import { CiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy';
import { CiliumL2AnnouncementPolicy } from '@kubernetes-models/cilium/cilium.io/v2alpha1/CiliumL2AnnouncementPolicy';
import { Cluster as PostgresCluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster';
import { ClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import { OCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository';
import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { TLSRoute as TLSRouteV1 } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/TLSRoute';
import { TCPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TCPRoute';
import { TLSRoute as TLSRouteV1Alpha2 } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TLSRoute';
import { ReferenceGrant } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

type ValidatingModel = { prototype: { validate(this: unknown): void } };

/** Models by `apiVersion/kind`. */
export const BUILTIN_MODELS: ReadonlyMap<string, ValidatingModel> = new Map<string, ValidatingModel>([
  ['argoproj.io/v1alpha1/Application', Application],
  ['cert-manager.io/v1/Certificate', Certificate],
  ['cert-manager.io/v1/ClusterIssuer', ClusterIssuer],
  ['cilium.io/v2/CiliumLoadBalancerIPPool', CiliumLoadBalancerIPPool],
  ['cilium.io/v2/CiliumNetworkPolicy', CiliumNetworkPolicy],
  ['cilium.io/v2alpha1/CiliumL2AnnouncementPolicy', CiliumL2AnnouncementPolicy],
  ['postgresql.cnpg.io/v1/Cluster', PostgresCluster],
  ['external-secrets.io/v1/ClusterSecretStore', ClusterSecretStore],
  ['external-secrets.io/v1/ExternalSecret', ExternalSecret],
  ['helm.toolkit.fluxcd.io/v2/HelmRelease', HelmRelease],
  ['kustomize.toolkit.fluxcd.io/v1/Kustomization', Kustomization],
  ['source.toolkit.fluxcd.io/v1/GitRepository', GitRepository],
  ['source.toolkit.fluxcd.io/v1/HelmRepository', HelmRepository],
  ['source.toolkit.fluxcd.io/v1/OCIRepository', OCIRepository],
  ['gateway.networking.k8s.io/v1/Gateway', Gateway],
  ['gateway.networking.k8s.io/v1/HTTPRoute', HTTPRoute],
  ['gateway.networking.k8s.io/v1/TLSRoute', TLSRouteV1],
  ['gateway.networking.k8s.io/v1alpha2/TCPRoute', TCPRoute],
  ['gateway.networking.k8s.io/v1alpha2/TLSRoute', TLSRouteV1Alpha2],
  ['gateway.networking.k8s.io/v1beta1/ReferenceGrant', ReferenceGrant],
  ['apps/v1/DaemonSet', DaemonSet],
  ['apps/v1/Deployment', Deployment],
  ['apps/v1/StatefulSet', StatefulSet],
  ['batch/v1/CronJob', CronJob],
  ['batch/v1/Job', Job],
  ['networking.k8s.io/v1/NetworkPolicy', NetworkPolicy],
  ['v1/ConfigMap', ConfigMap],
  ['v1/Namespace', Namespace],
  ['v1/Secret', Secret],
  ['v1/Service', Service],
  ['v1/ServiceAccount', ServiceAccount],
]);

/**
 * Kinds the library emits for which the pinned model packages have no model: the synth does not look for one
 * (a failed module look-up costs more than validating the whole example fleet's objects). Such an object is
 * reported as having no schema, as any kind without a model is; test/schema/models.test.ts fails when a
 * package update brings its model, so that it moves to {@link BUILTIN_MODELS}.
 */
export const UNMODELED_KINDS: ReadonlySet<string> = new Set([
  // Gateway API v1.6 made TCPRoute v1 standard; @kubernetes-models/gateway-api models v1alpha2 only
  'gateway.networking.k8s.io/v1/TCPRoute',
]);
