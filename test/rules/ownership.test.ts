import { k8s } from 'cdk8s-plus-30';
import { describe, expect, it } from 'vitest';
import { Acknowledgements, GitOps } from '../../constructs/index.js';
import { ids, run, testCluster } from '../helpers.js';
import { byId, helmChart } from './support.js';

function service(scope: import('constructs').Construct, id: string, name: string, namespace: string): k8s.KubeService {
  return new k8s.KubeService(scope, id, { metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });
}

describe('NET-OWN1 one owner per object', () => {
  it('fails when a plain manifest renders an object a Helm release creates, naming both paths', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'LabelStudio', { chart: 'label-studio', namespace: 'apps', owns: [{ kind: 'Service', name: 'label-studio-ls-app' }] });
    service(cluster, 'Svc', 'label-studio-ls-app', 'apps');
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    const found = byId(outcome, 'NET-OWN1');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      path: 'test/Svc',
      value: 'Service apps/label-studio-ls-app',
      message:
        'Service apps/label-studio-ls-app is rendered as a manifest (test/Svc, apps/manifests/service-label-studio-ls-app.yaml) and also ' +
        'created by Helm release apps/label-studio (test/LabelStudio/Chart)',
    });
  });

  it('fails when the chart creates the namespace it installs into (the synthesizer renders that Namespace too)', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'Rancher', { chart: 'rancher', namespace: 'cattle-system', owns: [{ kind: 'Namespace', name: 'cattle-system' }] });
    const outcome = await run(app);
    const found = byId(outcome, 'NET-OWN1');
    expect(found.map((f) => f.message)).toEqual([
      'Namespace cattle-system is rendered as a manifest (test/Namespaces-services/cattle-system, services/namespaces/namespace-cattle-system.yaml) ' +
        'and also created by Helm release cattle-system/rancher (test/Rancher/Chart)',
    ]);
  });

  it('fails when two releases create the same object', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'A', { chart: 'a', namespace: 'tools', owns: [{ kind: 'ClusterRole', name: 'metrics-reader' }] });
    helmChart(cluster, 'B', { chart: 'b', namespace: 'monitoring', owns: [{ kind: 'ClusterRole', name: 'metrics-reader' }] });
    const outcome = await run(app);
    expect(byId(outcome, 'NET-OWN1').map((f) => [f.path, f.message])).toEqual([
      ['test/B/Chart', 'ClusterRole metrics-reader is created by Helm release monitoring/b (test/B/Chart) and by release tools/a (test/A/Chart)'],
    ]);
  });

  it("passes when the names or namespaces differ, and for the release's own HelmRelease and source", async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'LabelStudio', {
      chart: 'label-studio',
      namespace: 'apps',
      owns: [
        { kind: 'Service', name: 'label-studio-ls-app' },
        { kind: 'HelmRelease', name: 'label-studio' },
      ],
    });
    service(cluster, 'Other', 'label-studio-proxy', 'apps');
    service(cluster, 'OtherNs', 'label-studio-ls-app', 'staging');
    const outcome = await run(app);
    expect(byId(outcome, 'NET-OWN1')).toEqual([]);
    expect(outcome.ok).toBe(true);
  });

  it('is acknowledged on the manifest with a reason', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'Chart', { chart: 'x', namespace: 'apps', owns: [{ kind: 'Service', name: 'x' }] });
    const svc = service(cluster, 'Svc', 'x', 'apps');
    Acknowledgements.of(svc).add('NET-OWN1', 'chart runs with service.create=false in this cluster');
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    expect(outcome.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toEqual(['NET-OWN1']);
  });
});

describe('NET-OWN2 release names', () => {
  for (const gitops of [GitOps.flux(), GitOps.argocd({ repoUrl: 'https://git.example/x.git' })]) {
    it(`fails when two charts share a release name and namespace (${gitops.flavour})`, async () => {
      const { app, cluster } = testCluster({ gitops });
      helmChart(cluster, 'First', { chart: 'traefik', namespace: 'ingress', releaseName: 'edge' });
      helmChart(cluster, 'Second', { chart: 'haproxy', namespace: 'ingress', releaseName: 'edge' });
      const outcome = await run(app);
      expect(outcome.ok).toBe(false);
      expect(byId(outcome, 'NET-OWN2').map((f) => [f.path, f.message, f.value])).toEqual([
        ['test/Second/Chart', 'Helm release ingress/edge (chart haproxy) is also defined at test/First/Chart (chart traefik)', 'ingress/edge'],
      ]);
    });
  }

  it('passes one release name in two namespaces (Flux)', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'First', { chart: 'app', namespace: 'staging', releaseName: 'app' });
    helmChart(cluster, 'Second', { chart: 'app', namespace: 'production', releaseName: 'app' });
    const outcome = await run(app);
    expect(ids(outcome.findings)).not.toContain('NET-OWN2');
    expect(outcome.ok).toBe(true);
  });

  it('is acknowledged on the second chart', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'First', { chart: 'a', namespace: 'x', releaseName: 'r' });
    const second = helmChart(cluster, 'Second', { chart: 'b', namespace: 'x', releaseName: 'r' });
    Acknowledgements.of(second).add('NET-OWN2', 'migration window: the old chart is removed next commit');
    const outcome = await run(app);
    expect(byId(outcome, 'NET-OWN2')).toEqual([]);
    expect(ids(outcome.findings)).not.toContain('NET-ACK2'); // the acknowledgement was used
    // the duplicate HelmRelease is still a separate error (NET-OUT1): acknowledging one lesson does not hide another
    expect(ids(outcome.findings)).toContain('NET-OUT1');
  });
});
