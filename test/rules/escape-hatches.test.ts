/**
 * Raw ApiObjects, L1 classes and JSON patches are validated like everything else (NET-SCH1/2/3).
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { describe, expect, it } from 'vitest';
import { Acknowledgements } from '../../constructs/index.js';
import { Gateway } from '../../imports/gateway-api.js';
import { ids, run, testCluster } from '../helpers.js';
import { byId } from './support.js';

function service(scope: import('constructs').Construct): k8s.KubeService {
  return new k8s.KubeService(scope, 'Svc', {
    metadata: { name: 'web', namespace: 'apps' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] },
  });
}

describe('escape hatches are validated', () => {
  it('fails (NET-SCH2) for an unknown field added with addJsonPatch to an L1 object, which the L1 class drops silently', async () => {
    const { app, cluster } = testCluster();
    service(cluster).addJsonPatch(JsonPatch.add('/spec/foo', 1));
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(byId(outcome, 'NET-SCH2')).toMatchObject([
      {
        path: 'test/Svc',
        value: '/spec/foo',
        message: 'Service web: the JSON patch "add /spec/foo" is missing from the output; its class dropped a field Service does not define',
      },
    ]);
  });

  it('fails (NET-SCH2) for an unknown field added with addJsonPatch to a raw ApiObject or a typed CRD L1', async () => {
    const { app, cluster } = testCluster();
    const raw = new ApiObject(cluster, 'Raw', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw', namespace: 'apps' }, data: { a: 'b' } } as never);
    raw.addJsonPatch(JsonPatch.add('/spec', { foo: 1 }));
    const gw = new Gateway(cluster, 'Gw', {
      metadata: { name: 'gw', namespace: 'gateway' },
      spec: { gatewayClassName: 'cilium', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    });
    gw.addJsonPatch(JsonPatch.add('/spec/listeners/0/alpn', ['h2']));
    const outcome = await run(app);
    expect(byId(outcome, 'NET-SCH2').map((f) => [f.path, f.value])).toEqual([
      ['test/Gw', '/spec/listeners/0/alpn'],
      ['test/Raw', '/spec'],
    ]);
  });

  it('passes JSON patches that land: known fields, appends, and an add undone by a later remove', async () => {
    const { app, cluster } = testCluster();
    const svc = service(cluster);
    svc.addJsonPatch(JsonPatch.add('/spec/ports/-', { name: 'https', port: 443 }));
    svc.addJsonPatch(JsonPatch.add('/metadata/labels', { tier: 'web' }));
    svc.addJsonPatch(JsonPatch.add('/spec/externalTrafficPolicy', 'Cluster'), JsonPatch.remove('/spec/externalTrafficPolicy'));
    const outcome = await run(app);
    expect(outcome.findings).toEqual([]);
    expect(outcome.result!.clusters[0].objects.find((o) => o.kind === 'Service')!.json.spec.ports).toHaveLength(2);
  });

  it('fails (NET-SCH1) for an invalid value put in by addJsonPatch', async () => {
    const { app, cluster } = testCluster();
    service(cluster).addJsonPatch(JsonPatch.replace('/spec/ports/0/port', 'eighty'));
    const outcome = await run(app);
    const found = byId(outcome, 'NET-SCH1');
    expect(found).toHaveLength(1);
    // the value is what the user put there; the file is named in the message
    expect(found[0]).toMatchObject({ path: 'test/Svc', value: 'eighty' });
    expect(found[0].message).toMatch(/^Service web is invalid: \/spec\/ports\/0\/port .*\(in apps\/manifests\/service-web\.yaml\)$/);
  });

  it('fails (NET-SCH2) for an unknown field on a raw ApiObject of a CRD kind (seed 002: ALPN on a listener)', async () => {
    const { app, cluster } = testCluster();
    new ApiObject(cluster, 'Gw', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw-internal', namespace: 'gateway' },
      spec: { gatewayClassName: 'cilium', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', alpn: ['h2', 'http/1.1'] }] },
    } as never);
    const outcome = await run(app);
    expect(byId(outcome, 'NET-SCH2')).toMatchObject([{ path: 'test/Gw', value: '/spec/listeners/0/alpn' }]);
  });

  it('passes (NET-SCH2 acknowledged) an unknown field acknowledged on its object, listed with its reason in reports/review.md', async () => {
    const raw = (scope: import('constructs').Construct) =>
      new ApiObject(scope, 'Raw', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'raw', namespace: 'apps' },
        data: { a: 'b' },
        spec: { foo: 1 },
      } as never);
    const open = testCluster();
    raw(open.cluster);
    expect(byId(await run(open.app), 'NET-SCH2')).toMatchObject([{ path: 'test/Raw', value: '/spec' }]); // not acknowledged: fails

    const { app, cluster } = testCluster();
    Acknowledgements.of(raw(cluster)).add('NET-SCH2', 'read by an admission webhook that strips it before storage');
    const outcome = await run(app);
    expect(outcome.findings).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.result!.clusters[0].acknowledged).toMatchObject([
      {
        ruleId: 'NET-SCH2',
        path: 'test/Raw',
        value: '/spec',
        reason: 'read by an admission webhook that strips it before storage',
        acknowledgedAt: 'test/Raw',
      },
    ]);
    const review = outcome.result!.clusters[0].files.get('reports/review.md')!;
    const row = review.split('\n').find((l) => l.startsWith('| NET-SCH2 |'));
    expect(row).toBeDefined();
    expect(row).toContain('`test/Raw`');
    expect(row).toContain('(value: "/spec")');
    expect(row).toContain('read by an admission webhook that strips it before storage (`test/Raw`)');
  });

  it('fails (NET-SCH1) for a typed L1 object that misses a required field via a JSON patch removal', async () => {
    const { app, cluster } = testCluster();
    const gw = new Gateway(cluster, 'Gw', {
      metadata: { name: 'gw', namespace: 'gateway' },
      spec: { gatewayClassName: 'cilium', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    });
    gw.addJsonPatch(JsonPatch.remove('/spec/gatewayClassName'));
    const outcome = await run(app);
    expect(
      byId(outcome, 'NET-SCH1')
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(/gatewayClassName/);
  });

  it('warns (NET-SCH3) for a raw object of a kind no schema knows, and the warning can be acknowledged', async () => {
    const first = testCluster();
    new ApiObject(first.cluster, 'Mw', {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'alt-svc', namespace: 'apps' },
      spec: { headers: {} },
    } as never);
    const warned = await run(first.app);
    expect(warned.ok).toBe(true);
    expect(byId(warned, 'NET-SCH3')).toMatchObject([{ level: 'warning', path: 'test/Mw', value: 'traefik.io/v1alpha1/Middleware' }]);

    const second = testCluster();
    const mw = new ApiObject(second.cluster, 'Mw', {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'alt-svc', namespace: 'apps' },
    } as never);
    Acknowledgements.of(mw).add('NET-SCH3', 'Traefik CRD, checked by the Traefik chart CI');
    const acked = await run(second.app);
    expect(ids(acked.findings)).not.toContain('NET-SCH3');
    expect(acked.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toEqual(['NET-SCH3']);
  });

  it('passes a raw ApiObject that is a valid, known kind', async () => {
    const { app, cluster } = testCluster();
    new ApiObject(cluster, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'apps' }, data: { mode: 'lan' } } as never);
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    expect(outcome.findings).toEqual([]);
  });

  it('fails (NET-SCH5) for a Flux object at an API version the controllers no longer serve, though its model still validates it', async () => {
    const { app, cluster } = testCluster();
    const spec = { interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.7.1', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } };
    new ApiObject(cluster, 'Old', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
      kind: 'HelmRelease',
      metadata: { name: 'podinfo', namespace: 'apps' },
      spec,
    } as never);
    new ApiObject(cluster, 'Current', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'podinfo2', namespace: 'apps' },
      spec,
    } as never);
    // another product's kind in the argoproj.io group is not Argo CD's business, whatever its version
    new ApiObject(cluster, 'Rollout', { apiVersion: 'argoproj.io/v1beta1', kind: 'Rollout', metadata: { name: 'r', namespace: 'apps' } } as never);
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(ids(outcome.findings).filter((id) => id === 'NET-SCH1' || id === 'NET-SCH2')).toEqual([]);
    expect(byId(outcome, 'NET-SCH5')).toMatchObject([
      {
        level: 'error',
        path: 'test/Old',
        value: 'helm.toolkit.fluxcd.io/v2beta1',
        expected: 'helm.toolkit.fluxcd.io/v2',
        message:
          'HelmRelease podinfo is written as helm.toolkit.fluxcd.io/v2beta1, which current Flux (helm-controller 1.6) does not serve: applying it fails with "no matches for kind"',
      },
    ]);
  });
});
