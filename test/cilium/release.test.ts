import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { k8s } from 'cdk8s-plus-30';
import {
  AddressBlock,
  ApiEndpoint,
  CILIUM_VERSIONS,
  CiliumRelease,
  Distribution,
  GATEWAY_API_VERSIONS,
  GatewayApiChannel,
  GitOps,
  IpamMode,
  L2Pool,
  LoadBalancerService,
  NodeRole,
  Routing,
  clientRateLimitFor,
  ciliumChartKeys,
  mergeValues,
} from '../../constructs/index.js';
import { TlsRouteV1Alpha2 } from '../../imports/gateway-api.js';
import { file, run, upstreamPath } from '../helpers.js';
import { ciliumCluster, cil, releaseObject, renderedValues } from './fixtures.js';

const argocd = GitOps.argocd({ repoUrl: 'https://git.example/fleet.git' });
const talosCluster = {
  distribution: Distribution.TALOS,
  nodes: [
    { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
    { name: 'w1', address: '192.168.1.21', roles: [NodeRole.WORKER] },
    { name: 'w2', address: '192.168.1.22', roles: [NodeRole.WORKER] },
  ],
};

describe('CiliumRelease rendering', () => {
  it('Flux + Helm repository: HelmRepository and a pinned HelmRelease with remediation and a CRD policy', async () => {
    const { app } = ciliumCluster({ version: '1.19' });
    const o = await run(app);
    expect(cil(o.findings)).toEqual([]);
    const release = releaseObject(o);
    expect(release).toMatchObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      metadata: { name: 'cilium', namespace: 'kube-system' },
      spec: {
        releaseName: 'cilium',
        chart: { spec: { chart: 'cilium', version: CILIUM_VERSIONS['1.19'], sourceRef: { kind: 'HelmRepository', name: 'cilium' } } },
        install: { crds: 'CreateReplace', remediation: { retries: 3 } },
        upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
      },
    });
    const repo = parse(file(o, 'test', 'cni/cilium/helmrepository-cilium.yaml'));
    expect(repo.spec.url).toBe('https://helm.cilium.io/');
    // The values live in the folder's values.json, which Flux reads as the generated ConfigMap cilium-values: a
    // stable name (no hash suffix) that helm-controller watches.
    expect(release.spec.valuesFrom).toEqual([{ kind: 'ConfigMap', name: 'cilium-values', valuesKey: 'values.yaml' }]);
    expect(parse(file(o, 'test', 'cni/cilium/kustomization.yaml'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['helmrelease-cilium.yaml', 'helmrepository-cilium.yaml'],
      configMapGenerator: [
        {
          name: 'cilium-values',
          namespace: 'kube-system',
          files: ['values.yaml=values.json'],
          options: { disableNameSuffixHash: true, labels: { 'reconcile.fluxcd.io/watch': 'Enabled' } },
        },
      ],
    });
    expect(renderedValues(o)).toMatchObject({ k8sServiceHost: '192.168.1.10', routingMode: 'tunnel', tunnelProtocol: 'vxlan' });
    await expect(file(o, 'test', 'cni/cilium/values.json')).toMatchFileSnapshot('./__snapshots__/flux-helm-1.19-values.json');
    await expect(file(o, 'test', 'cni/cilium/helmrelease-cilium.yaml')).toMatchFileSnapshot('./__snapshots__/flux-helm-1.19.yaml');
    await expect(file(o, 'test', 'cni/cilium/helmrepository-cilium.yaml')).toMatchFileSnapshot('./__snapshots__/flux-helm-1.19-repository.yaml');
  });

  it('Flux + OCI: an OCIRepository at the exact chart tag, referenced by chartRef', async () => {
    const { app } = ciliumCluster({ version: '1.20', repository: 'oci' });
    const o = await run(app);
    const repo = parse(file(o, 'test', 'cni/cilium/ocirepository-cilium.yaml'));
    expect(repo.spec).toMatchObject({ url: 'oci://quay.io/cilium/charts/cilium', ref: { tag: CILIUM_VERSIONS['1.20'] } });
    expect(releaseObject(o).spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'cilium', namespace: 'flux-system' });
    await expect(file(o, 'test', 'cni/cilium/ocirepository-cilium.yaml')).toMatchFileSnapshot('./__snapshots__/flux-oci-1.20-repository.yaml');
    await expect(file(o, 'test', 'cni/cilium/helmrelease-cilium.yaml')).toMatchFileSnapshot('./__snapshots__/flux-oci-1.20.yaml');
  });

  it('Argo CD + OCI: a Helm source on the registry, values from the values file through the Git source', async () => {
    const { app } = ciliumCluster({ version: '1.18', repository: 'oci' }, { gitops: argocd });
    const o = await run(app);
    const app1 = releaseObject(o);
    expect(app1.spec.sources).toEqual([
      {
        repoURL: 'quay.io/cilium/charts',
        chart: 'cilium',
        targetRevision: CILIUM_VERSIONS['1.18'],
        helm: { releaseName: 'cilium', valueFiles: ['$values/clusters/test/cni/cilium/values.json'] },
      },
      { repoURL: 'https://git.example/fleet.git', targetRevision: 'main', ref: 'values' },
    ]);
    expect(app1.spec.destination.namespace).toBe('kube-system');
    expect(renderedValues(o)).toMatchObject({ k8sServiceHost: '192.168.1.10', routingMode: 'tunnel' });
    await expect(file(o, 'test', 'cni/cilium/application-cilium.yaml')).toMatchFileSnapshot('./__snapshots__/argocd-oci-1.18.yaml');
  });

  it('Talos (Argo CD, seed 002 done right): KubePrism, cgroup, capabilities, KPR, L2, gateway, BBR, Hubble, conntrack flags', async () => {
    const { app, cluster, cilium } = ciliumCluster(
      {
        version: '1.20',
        kubeProxyReplacement: true,
        gatewayApi: { enableAlpn: true, externalTrafficPolicy: 'Local' },
        bandwidthManager: true,
        bbr: true,
        bpfMasquerade: true,
        hubble: { relay: true, ui: true },
        conntrackTimeouts: { regularTcpSeconds: 21600, regularAnySeconds: 3600 },
      },
      { ...talosCluster, gitops: argocd },
    );
    const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] });
    pool.allocate('one');
    const o = await run(app);
    expect(cil(o.findings)).toEqual([]);
    const v = renderedValues(o);
    expect(v).toMatchObject({
      k8sServiceHost: 'localhost',
      k8sServicePort: 7445,
      cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
      kubeProxyReplacement: true,
      l2announcements: { enabled: true, leaseDuration: '15s', leaseRenewDeadline: '5s', leaseRetryPeriod: '2s' },
      gatewayAPI: { enabled: true, enableAlpn: true, externalTrafficPolicy: 'Local' },
      bandwidthManager: { enabled: true, bbr: true },
      bpf: { masquerade: true },
      hubble: { relay: { enabled: true }, ui: { enabled: true } },
      extraConfig: { 'bpf-ct-timeout-regular-tcp': '21600s', 'bpf-ct-timeout-regular-any': '3600s' },
      operator: { replicas: 2 },
    });
    expect(v.securityContext.capabilities.ciliumAgent).not.toContain('SYS_MODULE');
    expect(v.securityContext.capabilities.cleanCiliumState).not.toContain('SYS_MODULE');
    expect(cilium.l2AnnouncementsEnabled).toBe(true);
    await expect(file(o, 'test', 'cni/cilium/application-cilium.yaml')).toMatchFileSnapshot('./__snapshots__/argocd-talos-1.20.yaml');
    await expect(file(o, 'test', 'cni/cilium/values.json')).toMatchFileSnapshot('./__snapshots__/argocd-talos-1.20-values.json');
    await expect(file(o, 'test', 'crds/gateway-api/application-gateway-api-crds.yaml')).toMatchFileSnapshot('./__snapshots__/argocd-gateway-api-crds.yaml');
  });

  it('native routing: routing CIDR defaults to the pod CIDR, direct node routes on, no tunnel protocol; pods keep the node MTU', async () => {
    const { app, cilium } = ciliumCluster({ routing: Routing.native(), kubeProxyReplacement: true }, { podCidr: '10.50.0.0/16', nodeMtu: 9000 });
    const o = await run(app);
    expect(cil(o.findings)).toEqual([]);
    const v = renderedValues(o);
    expect(v).toMatchObject({ routingMode: 'native', ipv4NativeRoutingCIDR: '10.50.0.0/16', autoDirectNodeRoutes: true, MTU: 9000 });
    expect(v).not.toHaveProperty('tunnelProtocol');
    expect(cilium.podMtu).toBe(9000);
    await expect(file(o, 'test', 'cni/cilium/helmrelease-cilium.yaml')).toMatchFileSnapshot('./__snapshots__/flux-native-kpr.yaml');
  });

  it('Geneve tunnel, WireGuard and Kubernetes IPAM render their keys', async () => {
    const { app, cilium } = ciliumCluster(
      { routing: Routing.tunnel('geneve'), encryption: 'wireguard', ipamMode: IpamMode.KUBERNETES, devices: ['eth0'] },
      { nodeMtu: 1400 },
    );
    const o = await run(app);
    expect(cil(o.findings)).toEqual([]);
    const v = renderedValues(o);
    expect(v).toMatchObject({ tunnelProtocol: 'geneve', encryption: { enabled: true, type: 'wireguard' }, ipam: { mode: 'kubernetes' }, devices: ['eth0'] });
    expect(v.ipam).not.toHaveProperty('operator');
    // 1400 on the wire, minus the tunnel header and WireGuard.
    expect(cilium.podMtu).toBe(1400 - 50 - 80);
  });

  it('k3s and generic clusters reach the API at the Cluster apiEndpoint; the pod CIDR feeds cluster-pool IPAM', async () => {
    // a VIP on 8443 is a load balancer's (kube-vip and Talos move the address, not the port: NET-NODE1)
    const { app } = ciliumCluster(
      {},
      { apiEndpoint: ApiEndpoint.vip('192.168.1.10', 8443), externalLoadBalancer: { address: '192.168.1.10' }, podCidr: '10.60.0.0/16' },
    );
    const v = renderedValues(await run(app));
    expect(v).toMatchObject({
      k8sServiceHost: '192.168.1.10',
      k8sServicePort: 8443,
      ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.60.0.0/16'] } },
    });
  });

  it('a single-node cluster gets one operator replica; more nodes get two', async () => {
    const single = ciliumCluster({}, { nodes: [{ name: 'solo', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE, NodeRole.WORKER] }] });
    expect(single.cilium.operatorReplicas).toBe(1);
    expect(cil((await run(single.app)).findings)).toEqual([]);
    expect(ciliumCluster().cilium.operatorReplicas).toBe(2);
  });

  it('L2 announcements follow the pools: off without one, lease timings from the pool, rate limit sized from the LoadBalancer services', async () => {
    expect(ciliumCluster().cilium.l2AnnouncementsEnabled).toBe(false);
    const { app, cluster } = ciliumCluster({ kubeProxyReplacement: true, gatewayApi: {} });
    const pool = new L2Pool(cluster, 'Lan', {
      blocks: [AddressBlock.cidr('192.168.1.128/26')],
      leaseDurationSeconds: 20,
      leaseRenewDeadlineSeconds: 4,
      leaseRetryPeriodSeconds: 1,
    });
    for (let i = 0; i < 60; i++) {
      new LoadBalancerService(cluster, `lb${i}`, { pool, namespace: 'apps', selector: { app: `a${i}` }, ports: [{ name: 'http', port: 80 }] });
    }
    new k8s.KubeService(cluster, 'plain', { metadata: { name: 'plain', namespace: 'apps' }, spec: { ports: [{ port: 80 }], selector: { app: 'x' } } });
    const o = await run(app);
    const v = renderedValues(o);
    expect(v.l2announcements).toEqual({ enabled: true, leaseDuration: '20s', leaseRenewDeadline: '4s', leaseRetryPeriod: '1s' });
    // 60 LoadBalancer services renewing every 4 s: 15 requests per second; burst twice that.
    expect(v.k8sClientRateLimit).toEqual({ qps: 15, burst: 30 });
    expect(cil(o.findings)).toEqual([]);
  });

  it('sizes the client rate limit with integers and a floor at the agent defaults', () => {
    expect(clientRateLimitFor(0, 5)).toEqual({ qps: 10, burst: 20 });
    expect(clientRateLimitFor(51, 5)).toEqual({ qps: 11, burst: 22 });
    expect(clientRateLimitFor(7, 0.5)).toEqual({ qps: 14, burst: 28 });
  });

  it('extraValues merge over the generated values: maps merge, lists and scalars replace', async () => {
    expect(mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: null })).toEqual({ a: { b: 1, c: [2] }, d: null });
    const { app } = ciliumCluster({ extraValues: { hubble: { relay: { enabled: true } }, operator: { replicas: 3 } } });
    const v = renderedValues(await run(app));
    expect(v.hubble).toEqual({ enabled: true, relay: { enabled: true }, ui: { enabled: false } });
    expect(v.operator.replicas).toBe(3);
    // The generated sibling of the overridden key survives the merge unchanged: as rendered without extraValues,
    // one operator per node (the anti-affinity NET-CIL9 counts on).
    const plain = renderedValues(await run(ciliumCluster().app));
    expect(v.operator.affinity).toEqual(plain.operator.affinity);
    expect(v.operator.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'io.cilium/app': 'operator' } } },
    ]);
  });

  it('exposes the model other constructs read', () => {
    const { cilium, cluster } = ciliumCluster({ version: '1.19', kubeProxyReplacement: true, gatewayApi: { enableAlpn: true } });
    expect(CiliumRelease.of(cluster)).toBe(cilium);
    expect(cilium).toMatchObject({
      minor: '1.19',
      chartVersion: CILIUM_VERSIONS['1.19'],
      gatewayApiVersion: GATEWAY_API_VERSIONS['1.19'],
      kubeProxyReplacement: true,
      routingMode: 'tunnel',
      tunnelProtocol: 'vxlan',
      hubbleEnabled: true,
      encryption: 'none',
      gatewayApi: { enabled: true, enableAlpn: true, externalTrafficPolicy: 'Cluster' },
    });
    expect(cilium.values()).toMatchObject({ gatewayAPI: { enabled: true } });
  });
});

describe('Gateway API CRDs', () => {
  it('Flux: a GitRepository at the matched tag and a Kustomization in the crds layer, never pruning CRDs', async () => {
    const { app } = ciliumCluster({ version: '1.19', kubeProxyReplacement: true, gatewayApi: {} });
    const o = await run(app);
    expect(cil(o.findings)).toEqual([]);
    const git = parse(file(o, 'test', 'crds/gateway-api/gitrepository-gateway-api-crds.yaml'));
    const ks = parse(file(o, 'test', 'crds/gateway-api/kustomization-gateway-api-crds.yaml'));
    expect(git.spec).toMatchObject({ url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: 'v1.4.1' } });
    expect(ks.spec).toMatchObject({ path: './config/crd/standard', prune: false, wait: true, sourceRef: { kind: 'GitRepository', name: 'gateway-api-crds' } });
    await expect(file(o, 'test', 'crds/gateway-api/gitrepository-gateway-api-crds.yaml')).toMatchFileSnapshot(
      './__snapshots__/flux-gateway-api-crds-source.yaml',
    );
    await expect(file(o, 'test', 'crds/gateway-api/kustomization-gateway-api-crds.yaml')).toMatchFileSnapshot('./__snapshots__/flux-gateway-api-crds.yaml');
  });

  it.each([
    ['1.18', 'v1.3.0'],
    ['1.19', 'v1.4.1'],
    ['1.20', 'v1.6.1'],
  ] as const)('Cilium %s installs Gateway API %s', async (version, tag) => {
    const { app } = ciliumCluster({ version, kubeProxyReplacement: true, gatewayApi: {} });
    const o = await run(app);
    expect(parse(file(o, 'test', 'crds/gateway-api/gitrepository-gateway-api-crds.yaml')).spec.ref.tag).toBe(tag);
  });

  it('switches to the experimental channel when a TLSRoute v1alpha2 needs it (1.19), stays standard for 1.20 v1 routes', async () => {
    const a = ciliumCluster({ version: '1.19', kubeProxyReplacement: true, gatewayApi: {} });
    new k8s.KubeService(a.cluster, 'svc', { metadata: { name: 'svc', namespace: 'apps' }, spec: { ports: [{ port: 443 }], selector: { app: 'svc' } } });
    new TlsRouteV1Alpha2(a.cluster, 'tls', {
      metadata: { name: 'tls', namespace: 'apps' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'svc', port: 443 }] }] },
    });
    expect(a.cilium.gatewayApiCrds!.channel).toBe(GatewayApiChannel.EXPERIMENTAL);
    const o = await run(a.app);
    expect(parse(file(o, 'test', 'crds/gateway-api/kustomization-gateway-api-crds.yaml')).spec.path).toBe('./config/crd/experimental');
    expect(ciliumCluster({ version: '1.20', gatewayApi: {} }).cilium.gatewayApiCrds!.channel).toBe(GatewayApiChannel.STANDARD);
  });
});

describe('GatewayClass creation', () => {
  // The chart default `auto` renders the `cilium` GatewayClass only when Helm sees the GatewayClass API at install
  // time; installed before the Gateway API CRDs, Cilium gets no GatewayClass until the next upgrade.
  it.each(Object.entries(CILIUM_VERSIONS))('%s: renders gatewayAPI.gatewayClass.create "true" (a string, as every chart types it)', async (minor, version) => {
    for (const gitops of [undefined, argocd]) {
      const { app } = ciliumCluster({ version: minor as '1.18', kubeProxyReplacement: true, gatewayApi: {} }, gitops ? { gitops } : {});
      const o = await run(app);
      expect(cil(o.findings)).toEqual([]);
      expect(renderedValues(o).gatewayAPI.gatewayClass).toEqual({ create: 'true' });
    }
    expect(ciliumChartKeys.chartKeyTypes(version as ciliumChartKeys.CiliumChartVersion, 'gatewayAPI.gatewayClass.create')).toContain('string');
  });

  it('leaves gatewayClass out while the Gateway API is off', async () => {
    const o = await run(ciliumCluster({ version: '1.20', kubeProxyReplacement: true }).app);
    expect(renderedValues(o).gatewayAPI).toBeUndefined();
  });

  it('lets extraValues choose another mode', async () => {
    const o = await run(
      ciliumCluster({ version: '1.20', kubeProxyReplacement: true, gatewayApi: {}, extraValues: { gatewayAPI: { gatewayClass: { create: 'false' } } } }).app,
    );
    expect(renderedValues(o).gatewayAPI.gatewayClass).toEqual({ create: 'false' });
  });
});

// ---- the Talos capability lists against the raw upstream chart values ------------------------------------------
const UPSTREAM = upstreamPath('upstream', 'cilium');
describe.skipIf(!UPSTREAM)('Talos capabilities against the upstream charts (../shared/upstream/cilium)', () => {
  it.each(Object.entries(CILIUM_VERSIONS))('%s: the chart default lists minus SYS_MODULE', async (minor, version) => {
    const upstream = parse(readFileSync(join(UPSTREAM!, version, 'values.yaml'), 'utf8')).securityContext.capabilities;
    const { app } = ciliumCluster({ version: minor as '1.18' }, talosCluster);
    const caps = renderedValues(await run(app)).securityContext.capabilities;
    expect(caps.ciliumAgent).toEqual(upstream.ciliumAgent.filter((c: string) => c !== 'SYS_MODULE'));
    expect(caps.cleanCiliumState).toEqual(upstream.cleanCiliumState.filter((c: string) => c !== 'SYS_MODULE'));
  });

  it.each(Object.entries(CILIUM_VERSIONS))(
    '%s: gatewayAPI.gatewayClass.create exists, defaults to "auto", and "true" passes the chart schema',
    async (_minor, version) => {
      const upstream = parse(readFileSync(join(UPSTREAM!, version, 'values.yaml'), 'utf8'));
      expect(upstream.gatewayAPI.gatewayClass.create).toBe('auto');
      const schema = JSON.parse(readFileSync(join(UPSTREAM!, version, 'values.schema.json'), 'utf8'));
      const type = schema.properties.gatewayAPI.properties.gatewayClass.properties.create.type;
      expect([type].flat()).toContain('string');
    },
  );
});
