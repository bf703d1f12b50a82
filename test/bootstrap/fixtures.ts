/**
 * Bootstrap test fixtures: clusters whose apply order breaks one NET-BOOT rule each (shared by the rule tests and
 * the bad-input corpus), and the compliant variants.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Certificate } from '../../imports/cert-manager.js';
import { CoreConfigMap } from '../../imports/core.js';
import { FluxHelmRelease } from '../../imports/flux.js';
import { CertManagerRelease, CiliumRelease, Component, GitOps, Layer, type ClusterProps } from '../../constructs/index.js';
import { testCluster } from '../helpers.js';

export const ARGO = (applicationHealthCheck = false) => GitOps.argocd({ repoUrl: 'https://git.example/fleet.git', applicationHealthCheck });

/** A cluster with Cilium, cert-manager (services layer) and a Certificate in `layer`. */
export function certificateIn(layer: Layer, cluster: Partial<ClusterProps> = {}) {
  const t = testCluster(cluster);
  const cilium = new CiliumRelease(t.cluster, 'Cilium', { version: '1.20' });
  new CertManagerRelease(t.cluster, 'CertManager');
  const holder = new Component(t.cluster, 'Certs', { layer, folder: 'certs' });
  const certificate = new Certificate(holder, 'Web', {
    metadata: { name: 'web', namespace: 'apps' },
    spec: { secretName: 'web-tls', dnsNames: ['web.example.lan'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt', group: 'cert-manager.io' } },
  });
  return { ...t, cilium, holder, certificate };
}

/** A cluster whose Cilium comes only as a raw HelmRelease in the cni layer: the engine would have to install the CNI. */
export function ciliumOnlyThroughTheEngine(values: Record<string, unknown> = {}) {
  const t = testCluster();
  const cni = new Component(t.cluster, 'Cni', { layer: Layer.CNI, folder: 'cilium' });
  const release = new FluxHelmRelease(cni, 'Release', {
    metadata: { name: 'cilium', namespace: 'kube-system' },
    spec: {
      interval: '30m',
      chart: { spec: { chart: 'cilium', version: '1.20.0', sourceRef: { kind: 'HelmRepository', name: 'cilium', namespace: 'flux-system' } } },
      values: { k8sServiceHost: '192.168.1.10', k8sServicePort: 6443, ...values } as never,
    },
  });
  return { ...t, cni, release };
}

/** Cilium with its Gateway API switched on through extraValues only: nothing installs the CRDs before it. */
export function gatewayApiWithoutCrds() {
  const t = testCluster();
  const cilium = new CiliumRelease(t.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, extraValues: { gatewayAPI: { enabled: true } } });
  return { ...t, cilium };
}

/** The argocd-cm an Argo CD install folder of the tree would carry, with the Application health check. */
export function argocdCm(scope: ReturnType<typeof testCluster>['cluster']) {
  const holder = new Component(scope, 'ArgoConfig', { layer: Layer.APPS, folder: 'argocd-config' });
  return new CoreConfigMap(holder, 'Cm', {
    metadata: { name: 'argocd-cm', namespace: 'argocd' },
    data: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}\nhs.status = "Progressing"\nreturn hs\n' },
  });
}

/** The rendered release object of the cluster's CiliumRelease, for escape-hatch patches. */
export function ciliumReleaseObject(cilium: CiliumRelease): ApiObject {
  return cilium.chart.node.findChild('Resource') as ApiObject;
}

export { JsonPatch };
