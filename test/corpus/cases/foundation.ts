/** Cluster input, schema, output and acknowledgement mistakes: the foundation's rules. */
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Acknowledgements, ApiEndpoint, NodeRole, Workload } from '../../../constructs/index.js';
import { testCluster } from '../../helpers.js';
import type { CorpusArea } from '../case.js';

const web = (scope: import('constructs').Construct, image = 'nginx:1.27.2') =>
  new Workload(scope, 'web', { namespace: 'apps', image, ports: [{ name: 'http', port: 80 }] });

export const FOUNDATION: CorpusArea = {
  area: 'foundation',
  cases: [
    {
      name: 'pod CIDR overlaps the service CIDR',
      from: 'seed 003 (10.42/16 pods and 10.43/16 services, typed by hand)',
      expect: 'NET-CLU1',
      says: 'podCidr 10.43.0.0/16 overlaps serviceCidr 10.43.0.0/16',
      value: '10.43.0.0/16 ∩ 10.43.0.0/16',
      build: () => testCluster({ podCidr: '10.43.0.0/16', serviceCidr: '10.43.0.0/16' }).app,
    },
    {
      name: 'pod CIDR contains the node subnet',
      from: 'seed 002 (pod 10.14/16 beside the LAN); foundation contract',
      expect: 'NET-CLU1',
      says: 'nodeSubnet 192.168.1.0/24 overlaps podCidr 192.168.0.0/16',
      value: '192.168.1.0/24 ∩ 192.168.0.0/16',
      build: () => testCluster({ podCidr: '192.168.0.0/16' }).app,
    },
    {
      name: 'the router is off the node subnet',
      from: "seed 002 (router 192.168.10.1 is the nodes' gateway); foundation contract",
      expect: 'NET-CLU2',
      says: 'the router 192.168.10.1 is outside the node subnet 192.168.1.0/24: the nodes cannot reach their gateway',
      value: '192.168.10.1',
      build: () => testCluster({ router: '192.168.10.1' }).app,
    },
    {
      name: 'service CIDR is not a CIDR',
      from: 'foundation contract',
      expect: 'NET-CLU1',
      says: 'serviceCidr is not a CIDR',
      value: '10.43.0.0/33',
      build: () => testCluster({ serviceCidr: '10.43.0.0/33' }).app,
    },
    {
      name: 'a node lies outside the node subnet',
      from: 'seed 003 (calypso GPU node on 192.168.2.0/24, off the cluster subnet)',
      expect: 'NET-CLU2',
      says: 'node calypso is outside the node subnet 192.168.1.0/24',
      value: '192.168.2.10',
      build: () =>
        testCluster({
          nodes: [
            { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
            { name: 'calypso', address: '192.168.2.10', roles: [NodeRole.WORKER] },
          ],
        }).app,
    },
    {
      name: 'two nodes share one name',
      from: 'seed 001 (master/worker1/worker2 renamed by hand)',
      expect: 'NET-CLU3',
      says: 'node name cp1 is used by 2 nodes',
      value: 'cp1',
      build: () =>
        testCluster({
          nodes: [
            { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
            { name: 'cp1', address: '192.168.1.12', roles: [NodeRole.WORKER] },
          ],
        }).app,
    },
    {
      name: 'two nodes share one address',
      from: 'seed 001',
      expect: 'NET-CLU3',
      says: 'nodes cp1, w1 share one address',
      value: '192.168.1.11',
      build: () =>
        testCluster({
          nodes: [
            { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
            { name: 'w1', address: '192.168.1.11', roles: [NodeRole.WORKER] },
          ],
        }).app,
    },
    {
      name: 'no control-plane node',
      from: 'foundation contract',
      expect: 'NET-CLU3',
      says: 'no node has the control-plane role',
      value: ['w1'],
      build: () => testCluster({ nodes: [{ name: 'w1', address: '192.168.1.21', roles: [NodeRole.WORKER] }] }).app,
    },
    {
      name: 'node MTU below the IPv6 minimum',
      from: 'seed 004 (MTU lowered to work around PMTUD)',
      expect: 'NET-CLU4',
      says: 'nodeMtu is out of range',
      value: 1000,
      build: () => testCluster({ nodeMtu: 1000 }).app,
    },
    {
      name: 'API endpoint given as a DNS name',
      from: 'seed 001 (Cilium bootstrap deadlock on kubernetes.default.svc)',
      expect: 'NET-CLU5',
      says: 'the API endpoint is a host name, which depends on DNS',
      value: 'kubernetes.default.svc',
      build: () => testCluster({ apiEndpoint: ApiEndpoint.at('kubernetes.default.svc') }).app,
    },
    {
      name: 'an unknown field added with a JSON patch to an L1 object',
      from: 'foundation issue (escape hatches are validated)',
      expect: 'NET-SCH2',
      says: 'Service web has a field its kind does not define',
      value: '/spec/sessionAffinityTimeoutSeconds',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster).service.addJsonPatch(JsonPatch.add('/spec/sessionAffinityTimeoutSeconds', 10800));
        return app;
      },
    },
    {
      name: 'a Gateway listener with an ALPN list, as a raw ApiObject',
      from: 'seed 002 (gw-internal alpn field)',
      expect: 'NET-SCH2',
      says: 'Gateway gw-internal has a field its kind does not define',
      value: '/spec/listeners/0/alpn',
      build: () => {
        const { app, cluster } = testCluster();
        new ApiObject(cluster, 'GwInternal', {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'gw-internal', namespace: 'gateway' },
          spec: { gatewayClassName: 'cilium', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', alpn: ['h2', 'http/1.1'] }] },
        } as never);
        return app;
      },
    },
    {
      name: 'a Service port that is not a number',
      from: 'foundation issue (invalid objects)',
      expect: 'NET-SCH1',
      says: 'Service web is invalid: /spec/ports/0/port must be integer',
      value: 'http',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster).service.addJsonPatch(JsonPatch.replace('/spec/ports/0/port', 'http'));
        return app;
      },
    },
    {
      name: 'a raw Deployment without a selector',
      from: 'foundation issue (invalid objects)',
      expect: 'NET-SCH1',
      says: 'Deployment raw is invalid: /spec must have required property selector',
      value: { template: { spec: { containers: [{ name: 'raw', image: 'nginx:1.27.2' }] } } },
      build: () => {
        const { app, cluster } = testCluster();
        new ApiObject(cluster, 'Raw', {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'raw', namespace: 'apps' },
          spec: { template: { spec: { containers: [{ name: 'raw', image: 'nginx:1.27.2' }] } } },
        } as never);
        return app;
      },
    },
    {
      name: 'the same Service rendered twice',
      from: 'seed 002 (duplicate objects flapping on every reconcile)',
      expect: 'NET-OUT1',
      says: 'Service apps/web is also rendered by test/web-app/web/Service',
      value: 'Service/web',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster);
        new k8s.KubeService(cluster, 'Again', { metadata: { name: 'web', namespace: 'apps' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
        return app;
      },
    },
    {
      name: 'a hand-written manifest where the synthesizer would write',
      from: 'foundation issue (foreign files are never overwritten)',
      expect: 'NET-OUT2',
      says: 'clusters/test/apps/manifests/configmap-notes.yaml exists and was not written by the synthesizer',
      value: 'apps/manifests/configmap-notes.yaml',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster);
        new k8s.KubeConfigMap(cluster, 'Notes', { metadata: { name: 'notes', namespace: 'apps' }, data: { a: 'b' } });
        return app;
      },
      prepare: (dir) => {
        mkdirSync(join(dir, 'apps/manifests'), { recursive: true });
        writeFileSync(join(dir, 'apps/manifests/configmap-notes.yaml'), '# written by hand\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n');
      },
    },
    {
      name: 'a hand-written manifest in reports/, which no GitOps engine applies',
      from: 'issue 18 (a manifest added beside the rendered files was applied by nobody)',
      expect: 'NET-OUT4',
      says: 'is a manifest in reports/, a folder no GitOps engine applies',
      value: 'reports/extra-service.yaml',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster);
        return app;
      },
      prepare: (dir) => {
        mkdirSync(join(dir, 'reports'), { recursive: true });
        writeFileSync(join(dir, 'reports/extra-service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\n  namespace: apps\n');
      },
    },
    {
      name: 'a hand-written manifest defining an object a construct renders',
      from: 'issue 18 (hand-written manifests are listed beside the rendered ones); kustomize refuses a duplicate object',
      expect: 'NET-OUT1',
      says: 'Deployment apps/web is defined by hand in clusters/test/apps/my-web.yaml',
      value: 'apps/my-web.yaml',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster);
        return app;
      },
      prepare: (dir) => {
        mkdirSync(join(dir, 'apps'), { recursive: true });
        writeFileSync(join(dir, 'apps/my-web.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\n');
      },
    },
    {
      name: 'a rendered file edited by hand whose construct was removed',
      from: 'issue 18 (nothing silently ignored): the edited file stays and is still applied',
      expect: 'NET-OUT5',
      says: 'was written by the synthesizer and changed by hand since',
      value: 'cni/cilium/helmrelease-cilium.yaml',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster);
        return app;
      },
      prepare: (dir) => {
        const release = readdirSync(join(dir, 'cni/cilium')).find((f) => f.startsWith('helmrelease-'))!;
        appendFileSync(join(dir, 'cni/cilium', release), '# values pinned by hand during an incident\n');
      },
    },
    {
      name: 'acknowledging a rule id that does not exist',
      from: 'cdk-nag suppressions (typo in the id)',
      expect: 'NET-ACK1',
      says: 'acknowledgement of an unknown rule id',
      value: 'NET-CIL99',
      build: () => {
        const { app, cluster } = testCluster();
        Acknowledgements.of(cluster).add('NET-CIL99', 'we know what we are doing here');
        return app;
      },
    },
    {
      name: 'acknowledging with a reason of a few characters',
      from: 'cdk-nag suppressions (reasons are required)',
      expect: 'NET-ACK1',
      says: 'acknowledgement of NET-IMG1 has no real reason',
      value: 'fine',
      build: () => {
        const { app, cluster } = testCluster();
        Acknowledgements.of(web(cluster, 'nginx:latest')).add('NET-IMG1', 'fine');
        return app;
      },
    },
    {
      name: 'acknowledging a path that matches no construct',
      from: 'cdk-nag suppressions (a path typo silences nothing)',
      expect: 'NET-ACK1',
      says: 'acknowledgement of NET-IMG1 covers a path that matches no construct',
      value: 'test/wbe-app',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster, 'nginx:latest');
        Acknowledgements.of(cluster).add('NET-IMG1', 'preview tracks latest on purpose', { path: 'wbe-app' });
        return app;
      },
    },
    {
      name: 'acknowledging on the App instead of a Cluster',
      from: 'cdk-nag suppressions (an acknowledgement that covers nothing)',
      expect: 'NET-ACK1',
      says: 'acknowledgement of NET-IMG1 is made outside every Cluster and covers nothing',
      value: 'NET-IMG1',
      build: () => {
        const { app, cluster } = testCluster();
        web(cluster, 'nginx:latest');
        Acknowledgements.of(app).add('NET-IMG1', 'every preview in the fleet tracks latest');
        return app;
      },
    },
    {
      name: 'an acknowledgement that silences nothing',
      from: 'cdk-nag suppressions (stale acknowledgements)',
      expect: 'NET-ACK2',
      says: 'acknowledgement of NET-IMG1 silenced no finding',
      value: 'test/web-app/web',
      build: () => {
        const { app, cluster } = testCluster();
        Acknowledgements.of(web(cluster)).add('NET-IMG1', 'was on latest before the pin');
        return app;
      },
    },
    {
      name: 'an object whose value cannot be produced',
      from: 'foundation issue (a crash becomes a finding)',
      expect: 'NET-RUN1',
      says: "rendering ConfigMap broken failed: Failed serializing construct at path 'test/Broken' with name",
      value: undefined,
      build: () => {
        const { app, cluster } = testCluster();
        new ApiObject(cluster, 'Broken', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'broken', namespace: 'apps' },
          data: Lazy.any({
            produce: () => {
              throw new Error('values file missing');
            },
          }),
        } as never);
        return app;
      },
    },
    {
      name: 'an object of a kind no schema knows',
      from: 'foundation issue (escape hatches of unknown kinds are written unchecked)',
      expect: 'NET-SCH3',
      says: 'no schema is known for traefik.io/v1alpha1 Middleware; the object is written unchecked',
      value: 'traefik.io/v1alpha1/Middleware',
      build: () => {
        const { app, cluster } = testCluster();
        new ApiObject(cluster, 'Mw', { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'alt-svc', namespace: 'apps' } } as never);
        return app;
      },
    },
    {
      name: 'a HelmRelease copied from an old guide at helm.toolkit.fluxcd.io/v2beta1',
      from: 'upstream (Flux serves HelmRelease as v2 only; the model package still validates v2beta1)',
      expect: 'NET-SCH5',
      says: 'HelmRelease podinfo is written as helm.toolkit.fluxcd.io/v2beta1, which current Flux',
      value: 'helm.toolkit.fluxcd.io/v2beta1',
      build: () => {
        const { app, cluster } = testCluster();
        new ApiObject(cluster, 'Old', {
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
          kind: 'HelmRelease',
          metadata: { name: 'podinfo', namespace: 'apps' },
          spec: { interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.7.1', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
        } as never);
        return app;
      },
    },
    {
      name: 'a Workload named in camel case (reported at its name prop, not by the schema of its Deployment and Service)',
      from: 'upstream (object names are DNS-1123 subdomains; Service names RFC 1035 labels); issue 18',
      expect: 'NET-IN2',
      says: 'Workload: name cannot be used as a name',
      value: 'webFrontend',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'web', { name: 'webFrontend', namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });
        return app;
      },
    },
  ],
};
