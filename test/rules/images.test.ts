import { k8s } from 'cdk8s-plus-30';
import { describe, expect, it } from 'vitest';
import { Acknowledgements, CiliumRelease, GitOps, Workload } from '../../constructs/index.js';
import { parseImage } from '../../constructs/rules/hygiene/ImagesPinned.js';
import { run, testCluster } from '../helpers.js';
import { byId, helmChart } from './support.js';

describe('NET-IMG1 pinned images', () => {
  it('warns for no tag, floating tags, in containers and initContainers of every pod-template kind', async () => {
    const { app, cluster } = testCluster();
    new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx', ports: [{ name: 'http', port: 80 }] });
    new k8s.KubeStatefulSet(cluster, 'Db', {
      metadata: { name: 'db', namespace: 'apps' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { initContainers: [{ name: 'wait', image: 'busybox:latest' }], containers: [{ name: 'pg', image: 'postgres:16.4-alpine' }] },
        },
      },
    });
    new k8s.KubeDaemonSet(cluster, 'Agent', {
      metadata: { name: 'agent', namespace: 'apps' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'registry.lan:5000/tools/agent:main' }] } },
      },
    });
    new k8s.KubeCronJob(cluster, 'Backup', {
      metadata: { name: 'backup', namespace: 'apps' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'b', image: 'ghcr.io/example/backup:stable' }] } } } },
      },
    });
    new k8s.KubeJob(cluster, 'Migrate', {
      metadata: { name: 'migrate', namespace: 'apps' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'registry.lan:5000/migrate' }] } } },
    });
    new k8s.KubePod(cluster, 'Debug', {
      metadata: { name: 'debug', namespace: 'apps' },
      spec: { containers: [{ name: 'd', image: 'nicolaka/netshoot:Edge' }] },
    });
    const outcome = await run(app);
    expect(outcome.ok).toBe(true); // warnings do not stop the synth
    const found = byId(outcome, 'NET-IMG1');
    expect(found.every((f) => f.level === 'warning')).toBe(true);
    expect(found.map((f) => [f.path, f.message, f.value])).toEqual([
      ['test/Agent', 'DaemonSet apps/agent container a uses the floating tag :main', 'registry.lan:5000/tools/agent:main'],
      ['test/Backup', 'CronJob apps/backup container b uses the floating tag :stable', 'ghcr.io/example/backup:stable'],
      ['test/Db', 'StatefulSet apps/db container wait uses the floating tag :latest', 'busybox:latest'],
      ['test/Debug', 'Pod apps/debug container d uses the floating tag :Edge', 'nicolaka/netshoot:Edge'],
      ['test/Migrate', 'Job apps/migrate container m uses an image without tag or digest, which means :latest', 'registry.lan:5000/migrate'],
      ['test/web-app/web/Resource', 'Deployment apps/web container web uses an image without tag or digest, which means :latest', 'nginx'],
    ]);
  });

  it('passes fixed tags and digests (even a floating tag pinned by digest)', async () => {
    const { app, cluster } = testCluster();
    new Workload(cluster, 'a', { namespace: 'apps', image: 'ghcr.io/fluxcd/helm-controller:v1.5.1', ports: [{ name: 'http', port: 80 }] });
    new Workload(cluster, 'b', { namespace: 'apps', image: `busybox:latest@sha256:${'a'.repeat(64)}`, ports: [{ name: 'http', port: 80 }] });
    new Workload(cluster, 'c', { namespace: 'apps', image: 'registry.lan:5000/tools/agent:2024.10.1', ports: [{ name: 'http', port: 80 }] });
    const outcome = await run(app);
    expect(byId(outcome, 'NET-IMG1')).toEqual([]);
  });

  it('is acknowledged on a scope', async () => {
    const { app, cluster } = testCluster();
    const w = new Workload(cluster, 'dev', { namespace: 'apps', image: 'example/dev:main', ports: [{ name: 'http', port: 80 }] });
    Acknowledgements.of(w).add('NET-IMG1', 'development preview that tracks main on purpose');
    const outcome = await run(app);
    expect(byId(outcome, 'NET-IMG1')).toEqual([]);
    expect(outcome.result!.clusters[0].acknowledged).toMatchObject([
      { ruleId: 'NET-IMG1', path: 'test/dev-app/dev/Resource', reason: 'development preview that tracks main on purpose' },
    ]);
  });

  it('parses image references: registry ports are not tags', () => {
    expect(parseImage('registry.lan:5000/app')).toEqual({ name: 'registry.lan:5000/app' });
    expect(parseImage('registry.lan:5000/app:1.2')).toEqual({ name: 'registry.lan:5000/app', tag: '1.2' });
    expect(parseImage('app@sha256:abc')).toEqual({ name: 'app', digest: 'sha256:abc' });
    expect(parseImage('app:1@sha256:abc')).toEqual({ name: 'app', tag: '1', digest: 'sha256:abc' });
  });

  it('warns for a floating tag written in Helm values (image.tag, images.<x>.tag, image: name:tag), naming the pointer', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'App', {
      namespace: 'apps',
      values: {
        image: { repository: 'ghcr.io/example/app', tag: 'latest' },
        sidecars: { images: { agent: { tag: 'main' } } },
        backup: { image: 'ghcr.io/example/backup:stable' },
        tag: 'latest', // not under an image key: a chart setting of its own
      },
    });
    const outcome = await run(app);
    expect(byId(outcome, 'NET-IMG1').map((f) => [f.path, f.message, f.value])).toEqual([
      ['test/App/Chart/Resource', 'HelmRelease apps/example sets the floating image tag :latest in its Helm values at /spec/values/image/tag', 'latest'],
      [
        'test/App/Chart/Resource',
        'HelmRelease apps/example sets the floating image tag :main in its Helm values at /spec/values/sidecars/images/agent/tag',
        'main',
      ],
      [
        'test/App/Chart/Resource',
        'HelmRelease apps/example sets the floating image tag :stable in its Helm values at /spec/values/backup/image',
        'ghcr.io/example/backup:stable',
      ],
    ]);
  });

  it('reads the values a release takes from its values file (Cilium), naming the file and the pointer in it', async () => {
    for (const gitops of [GitOps.flux(), GitOps.argocd({ repoUrl: 'https://git.example/fleet.git' })]) {
      const { app, cluster } = testCluster({ gitops });
      new CiliumRelease(cluster, 'Cilium', { version: '1.20', extraValues: { operator: { image: { tag: 'latest' } } } });
      const outcome = await run(app);
      const kind = gitops.flavour === 'flux' ? 'HelmRelease' : 'Application';
      const ns = gitops.flavour === 'flux' ? 'kube-system' : 'argocd';
      expect(byId(outcome, 'NET-IMG1').map((f) => [f.path, f.message, f.value])).toEqual([
        [
          'test/Cilium/Chart/Resource',
          `${kind} ${ns}/cilium sets the floating image tag :latest in its Helm values at cni/cilium/values.json#/operator/image/tag`,
          'latest',
        ],
      ]);
    }
  });

  it('passes Helm values with fixed tags, digests or no tag (the chart appVersion)', async () => {
    const { app, cluster } = testCluster();
    helmChart(cluster, 'App', {
      namespace: 'apps',
      values: {
        image: { repository: 'ghcr.io/example/app', tag: '1.21.0' },
        operator: { image: { repository: 'quay.io/example/operator' } },
        backup: { image: 'ghcr.io/example/backup:latest@sha256:' + 'a'.repeat(64) },
        imagePullPolicy: 'Always',
      },
    });
    const outcome = await run(app);
    expect(byId(outcome, 'NET-IMG1')).toEqual([]);
  });

  it('is silenced for Helm values by an acknowledgement on the chart', async () => {
    const { app, cluster } = testCluster();
    const chart = helmChart(cluster, 'App', { namespace: 'apps', values: { image: { tag: 'latest' } } });
    Acknowledgements.of(chart).add('NET-IMG1', 'a throwaway demo that tracks upstream on purpose');
    const outcome = await run(app);
    expect(byId(outcome, 'NET-IMG1')).toEqual([]);
    expect(outcome.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toContain('NET-IMG1');
  });
});
