/**
 * The NET-BOOT rules over the apply order: noncompliant, compliant and acknowledged cases, and the example fleet.
 */
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { Acknowledgements, CiliumRelease, Component, Layer, type Finding } from '../../constructs/index.js';
import { FluxGitRepository, FluxKustomization } from '../../imports/flux.js';
import { expectCompliant, run } from '../helpers.js';
import { ARGO, JsonPatch, argocdCm, certificateIn, ciliumOnlyThroughTheEngine, ciliumReleaseObject, gatewayApiWithoutCrds } from './fixtures.js';

const of = (findings: readonly Finding[], id: string) => findings.filter((f) => f.ruleId === id);

describe('the example fleet', () => {
  it('passes every NET-BOOT rule', async () => {
    const o = await run(buildFleet(new App()));
    expect(o.ok).toBe(true);
    expect(o.findings.filter((f) => f.ruleId.startsWith('NET-BOOT'))).toEqual([]);
  });
});

describe('NET-BOOT1 no custom resource before its CRD', () => {
  it('fails when a Certificate is applied in a layer before the one whose chart installs its CRD', async () => {
    const o = await run(certificateIn(Layer.CRDS).app);
    const [f] = of(o.findings, 'NET-BOOT1');
    expect(o.ok).toBe(false);
    expect(f!.message).toMatch(
      /Certificate apps\/web \(crds\/certs\/certificate-web\.yaml\) is applied in step \d \(layer crds\), before its CRD: Certificate\.cert-manager\.io is installed by the cert-manager chart \(HelmRelease cert-manager\/cert-manager\) in step \d \(layer services\)/,
    );
    expect(f!.path).toBe('test/Certs/Web');
  });

  it('fails when Flux would apply the Certificate in the same Kustomization as the chart that installs its CRD', async () => {
    const o = await run(certificateIn(Layer.SERVICES).app);
    expect(of(o.findings, 'NET-BOOT1')[0]!.message).toMatch(/same Flux Kustomization as the cert-manager chart .*Flux's dry run of the layer fails/);
  });

  it('passes the same layer under Argo CD with SkipDryRunOnMissingResource, and fails it without', async () => {
    const ok = await run(certificateIn(Layer.SERVICES, { gitops: ARGO(true) }).app);
    expectCompliant(ok, 'NET-BOOT1');
    const c = certificateIn(Layer.SERVICES, { gitops: ARGO(true) });
    c.certificate.metadata.addAnnotation('argocd.argoproj.io/sync-options', 'SkipDryRunOnMissingResource=false');
    const bad = await run(c.app);
    expect(of(bad.findings, 'NET-BOOT1')[0]!.message).toMatch(/same sync as the cert-manager chart .*without SkipDryRunOnMissingResource=true/);
  });

  it('passes when the Certificate comes in a layer after the chart', async () => {
    const o = await run(certificateIn(Layer.NETWORKING).app);
    expectCompliant(o, 'NET-BOOT1');
    expect(o.ok, JSON.stringify(o.findings.filter((f) => f.level === 'error'))).toBe(true);
  });

  it('passes when acknowledged', async () => {
    const c = certificateIn(Layer.CRDS);
    Acknowledgements.of(c.holder).add('NET-BOOT1', 'the certificate is retried by hand after cert-manager is up');
    const o = await run(c.app);
    expectCompliant(o, 'NET-BOOT1');
    expect(o.result!.clusters[0]!.acknowledged.map((f) => f.ruleId)).toContain('NET-BOOT1');
  });

  it('warns when nothing in the tree installs the CRD (it may come from outside)', async () => {
    const c = certificateIn(Layer.NETWORKING);
    c.holder.node.tryRemoveChild('Web');
    const { Gateway } = await import('../../imports/gateway-api.js');
    new Gateway(c.holder, 'Gw', {
      metadata: { name: 'gw', namespace: 'apps' },
      spec: { gatewayClassName: 'cilium', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    });
    const o = await run(c.app);
    const [f] = of(o.findings, 'NET-BOOT1');
    expect(f!.level).toBe('warning');
    expect(f!.message).toMatch(/nothing in the bootstrap or the tree installs the CRD of Gateway\.gateway\.networking\.k8s\.io/);
  });
});

describe('NET-BOOT2 no pod-running step before the CNI', () => {
  it('fails when Cilium comes only through the engine: Flux would wait for a CNI it installs itself', async () => {
    const o = await run(ciliumOnlyThroughTheEngine().app);
    const [f] = of(o.findings, 'NET-BOOT2');
    expect(o.ok).toBe(false);
    expect(f!.message).toMatch(
      /step \d \(Flux\) needs running pods, but the CNI only comes with step \d \(layer cni\): the engine would wait for a CNI that only it installs/,
    );
    expect(f!.path).toBe('test/Bootstrap');
  });

  it("passes with a CiliumRelease (the bootstrap installs it before Flux) and with the distribution's own CNI", async () => {
    const { app, cluster } = certificateIn(Layer.NETWORKING);
    expectCompliant(await run(app), 'NET-BOOT2');
    expect(CiliumRelease.of(cluster)).toBeDefined();
    const bare = ciliumOnlyThroughTheEngine();
    bare.cni.node.tryRemoveChild('Release');
    expectCompliant(await run(bare.app), 'NET-BOOT2');
  });

  it('passes when acknowledged', async () => {
    const c = ciliumOnlyThroughTheEngine();
    Acknowledgements.of(c.cluster).add('NET-BOOT2', 'Cilium is installed by the OS image before Flux; this release only adopts it');
    const o = await run(c.app);
    expectCompliant(o, 'NET-BOOT2');
    expect(o.result!.clusters[0]!.acknowledged.map((f) => f.ruleId)).toContain('NET-BOOT2');
  });
});

describe("NET-BOOT3 Cilium's Gateway API finds its CRDs at start", () => {
  it('fails when the Gateway API is switched on by values only: nothing installs the CRDs before Cilium', async () => {
    const o = await run(gatewayApiWithoutCrds().app);
    const [f] = of(o.findings, 'NET-BOOT3');
    expect(f!.message).toMatch(
      /Cilium's Gateway API is on, but step 1 \(Cilium 1\.20\.0\) starts Cilium before GatewayClass\.gateway\.networking\.k8s\.io, .* \(nothing installs them\)/,
    );
    expect(f!.value).toEqual(expect.arrayContaining(['Gateway.gateway.networking.k8s.io', 'HTTPRoute.gateway.networking.k8s.io']));
  });

  it('fails when Cilium comes with a layer whose Gateway API CRDs only come later', async () => {
    const c = ciliumOnlyThroughTheEngine({ gatewayAPI: { enabled: true } });
    // the upstream bundle, applied by hand-written Flux objects in the networking layer, after the cni layer
    const late = new Component(c.cluster, 'LateCrds', { layer: Layer.NETWORKING, folder: 'gateway-api' });
    new FluxGitRepository(late, 'Source', {
      metadata: { name: 'gateway-api', namespace: 'flux-system' },
      spec: { interval: '1h', url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: 'v1.6.1' } },
    });
    new FluxKustomization(late, 'Crds', {
      metadata: { name: 'gateway-api', namespace: 'flux-system' },
      spec: { interval: '1h', path: './config/crd/standard', prune: false, sourceRef: { kind: 'GitRepository', name: 'gateway-api' } },
    });
    const o = await run(c.app);
    expect(of(o.findings, 'NET-BOOT3')[0]!.message).toMatch(
      /starts Cilium before .* \(they come with the Gateway API v1\.6\.1 bundle .* in step \d \(layer networking\), too late\)/,
    );
  });

  it('passes with gatewayApi on the CiliumRelease: the bundle comes first in the bootstrap', async () => {
    const { app, cluster } = gatewayApiWithoutCrds();
    CiliumRelease.of(cluster)!.enableGatewayApi();
    expectCompliant(await run(app), 'NET-BOOT3');
  });

  it('passes when acknowledged', async () => {
    const c = gatewayApiWithoutCrds();
    Acknowledgements.of(c.cilium).add('NET-BOOT3', 'the CRDs come with the OS image, before Cilium starts');
    // the same cause, seen from the tree: no Gateway API bundle at all
    Acknowledgements.of(c.cilium).add('NET-CIL10', 'the CRDs come with the OS image, before Cilium starts');
    const o = await run(c.app);
    expect(o.ok, JSON.stringify(o.findings.filter((f) => f.level === 'error'))).toBe(true);
    expectCompliant(o, 'NET-BOOT3');
    expect(o.result!.clusters[0]!.acknowledged.map((f) => f.ruleId)).toContain('NET-BOOT3');
  });
});

describe('NET-BOOT4 a layer waits on health only where the engine reports it', () => {
  it('fails under Argo CD without the Application health check when a wave needs CRDs of the wave before it', async () => {
    const o = await run(certificateIn(Layer.NETWORKING, { gitops: ARGO(false) }).app);
    const [f] = of(o.findings, 'NET-BOOT4');
    expect(o.ok).toBe(false);
    expect(f!.message).toMatch(
      /step \d \(layer networking\) needs Certificate\.cert-manager\.io \(for Certificate apps\/web\) from the cert-manager chart \(Application argocd\/cert-manager\) in step \d \(layer services\), but does not wait for its health: GitOps.argocd\(\{ applicationHealthCheck: false \}\): the Argo CD that syncs the tree has no resource.customizations.health.argoproj.io_Application in argocd-cm/,
    );
    expect(f!.value).toEqual({ step: 'layer/networking', waitsFor: 'layer/services' });
  });

  it('passes when the Argo CD is declared to have the check, or the tree renders argocd-cm with it', async () => {
    expectCompliant(await run(certificateIn(Layer.NETWORKING, { gitops: ARGO(true) }).app), 'NET-BOOT4');
    const c = certificateIn(Layer.NETWORKING, { gitops: ARGO(false) });
    argocdCm(c.cluster);
    expectCompliant(await run(c.app), 'NET-BOOT4');
  });

  it('passes under Flux, whose layers wait (wait: true) and depend on each other', async () => {
    expectCompliant(await run(certificateIn(Layer.NETWORKING).app), 'NET-BOOT4');
  });

  it('passes when acknowledged', async () => {
    const c = certificateIn(Layer.NETWORKING, { gitops: ARGO(false) });
    Acknowledgements.of(c.cluster).add('NET-BOOT4', 'sync retries converge the networking wave here');
    const o = await run(c.app);
    expectCompliant(o, 'NET-BOOT4');
    expect(o.result!.clusters[0]!.acknowledged.map((f) => f.ruleId)).toContain('NET-BOOT4');
  });
});

describe("NET-BOOT5 the engine adopts the bootstrap's Cilium release", () => {
  it('fails when the HelmRelease keeps its history elsewhere, adds inline values, or pins another version', async () => {
    const c = certificateIn(Layer.NETWORKING);
    const obj = ciliumReleaseObject(c.cilium);
    obj.addJsonPatch(JsonPatch.add('/spec/storageNamespace', 'flux-system'));
    obj.addJsonPatch(JsonPatch.add('/spec/values', { operator: { replicas: 1 } }));
    obj.addJsonPatch(JsonPatch.replace('/spec/chart/spec/version', '1.19.6'));
    const o = await run(c.app);
    const found = of(o.findings, 'NET-BOOT5');
    expect(o.ok).toBe(false);
    expect(found.map((f) => f.value)).toEqual(['flux-system', '1.19.6', ['cni/cilium/values.json', '/spec/values']]);
    expect(found[0]!.message).toMatch(
      /storageNamespace .* the engine would not adopt the Cilium release the bootstrap installed \(helm upgrade --install cilium -n kube-system --version 1\.20\.0 -f cni\/cilium\/values\.json\)/,
    );
  });

  it('fails when the Argo CD Application renders another release name', async () => {
    const c = certificateIn(Layer.NETWORKING, { gitops: ARGO(true) });
    ciliumReleaseObject(c.cilium).addJsonPatch(JsonPatch.replace('/spec/sources/0/helm/releaseName', 'cilium-cni'));
    const found = of((await run(c.app)).findings, 'NET-BOOT5');
    expect(found.map((f) => [f.value, f.expected])).toEqual([['cilium-cni', 'cilium']]);
  });

  it('passes as CiliumRelease renders it, for both engines', async () => {
    for (const gitops of [undefined, ARGO(true)]) {
      const o = await run(certificateIn(Layer.NETWORKING, gitops ? { gitops } : {}).app);
      expectCompliant(o, 'NET-BOOT5');
    }
  });

  it('passes when acknowledged', async () => {
    const c = certificateIn(Layer.NETWORKING);
    ciliumReleaseObject(c.cilium).addJsonPatch(JsonPatch.add('/spec/storageNamespace', 'flux-system'));
    Acknowledgements.of(c.cilium).add('NET-BOOT5', 'release history moved on purpose during the migration');
    const o = await run(c.app);
    expectCompliant(o, 'NET-BOOT5');
    expect(o.result!.clusters[0]!.acknowledged.map((f) => f.ruleId)).toContain('NET-BOOT5');
  });
});
