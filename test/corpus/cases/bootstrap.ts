/** Apply-order mistakes (NET-BOOT): what the bootstrap and the engine's layers would do in the wrong order. */
import { Layer } from '../../../constructs/index.js';
import { ARGO, JsonPatch, certificateIn, ciliumOnlyThroughTheEngine, ciliumReleaseObject, gatewayApiWithoutCrds } from '../../bootstrap/fixtures.js';
import type { CorpusArea } from '../case.js';

export const BOOTSTRAP: CorpusArea = {
  area: 'bootstrap',
  cases: [
    {
      name: 'a Certificate in the crds layer, before the cert-manager chart that installs its CRD',
      from: 'issue 14 (no custom resource before its CRD is established)',
      expect: 'NET-BOOT1',
      says: 'Certificate apps/web (crds/certs/certificate-web.yaml) is applied in step 3 (layer crds), before',
      value: { object: 'layer/crds', crd: 'layer/services' },
      build: () => certificateIn(Layer.CRDS).app,
    },
    {
      name: 'a Certificate in the same Flux Kustomization as the cert-manager HelmRelease',
      from: 'upstream (Flux dry-runs the whole Kustomization: the missing kind fails the layer, chart included)',
      expect: 'NET-BOOT1',
      says: 'Certificate apps/web (services/certs/certificate-web.yaml) is applied in the same Flux',
      value: 'layer/services',
      build: () => certificateIn(Layer.SERVICES).app,
    },
    {
      name: 'Cilium only as a HelmRelease of the cni layer: Flux would have to install the CNI its own pods need',
      from: 'seed 001 (steps 6 and 7: helm install cilium first, then the HelmRelease takes over)',
      expect: 'NET-BOOT2',
      says: 'step 1 (Flux) needs running pods, but the CNI only comes with step 2 (layer cni): the engine would',
      value: ['bootstrap/flux'],
      build: () => ciliumOnlyThroughTheEngine().app,
    },
    {
      name: "Cilium's Gateway API switched on by values, with no CRDs installed before Cilium starts",
      from: "issue 14 (Cilium's operator turns Gateway API off when the CRDs are missing at its start)",
      expect: 'NET-BOOT3',
      says: "Cilium's Gateway API is on, but step 1 (Cilium 1.20.0) starts Cilium before",
      value: [
        'GatewayClass.gateway.networking.k8s.io',
        'Gateway.gateway.networking.k8s.io',
        'HTTPRoute.gateway.networking.k8s.io',
        'GRPCRoute.gateway.networking.k8s.io',
        'ReferenceGrant.gateway.networking.k8s.io',
      ],
      build: () => gatewayApiWithoutCrds().app,
    },
    {
      name: 'Argo CD sync waves without the Application health check, a wave needing the CRDs of the wave before',
      from: 'upstream (Argo CD removed the Application health check in 1.8: waves gate nothing without it)',
      expect: 'NET-BOOT4',
      says: 'step 6 (layer networking) needs Certificate.cert-manager.io (for Certificate apps/web) from the',
      value: { step: 'layer/networking', waitsFor: 'layer/services' },
      build: () => certificateIn(Layer.NETWORKING, { gitops: ARGO(false) }).app,
    },
    {
      name: 'the Cilium HelmRelease keeps its release history in flux-system: Flux would not adopt the bootstrap release',
      from: 'fluxcd/helm-controller (adoption needs the same release name and storage namespace)',
      expect: 'NET-BOOT5',
      says: 'spec.storageNamespace keeps the release history where the bootstrap did not: the engine would not',
      value: 'flux-system',
      build: () => {
        const c = certificateIn(Layer.NETWORKING);
        ciliumReleaseObject(c.cilium).addJsonPatch(JsonPatch.add('/spec/storageNamespace', 'flux-system'));
        return c.app;
      },
    },
    {
      name: 'inline values added to the Cilium HelmRelease over the values file the bootstrap installed from',
      from: 'issue 14 (one values file for the bootstrap and the engine: no second copy to drift)',
      expect: 'NET-BOOT5',
      says: 'the release does not take its values from cni/cilium/values.json alone, the file the bootstrap',
      value: ['cni/cilium/values.json', '/spec/values'],
      build: () => {
        const c = certificateIn(Layer.NETWORKING);
        ciliumReleaseObject(c.cilium).addJsonPatch(JsonPatch.add('/spec/values', { operator: { replicas: 1 } }));
        return c.app;
      },
    },
  ],
};
