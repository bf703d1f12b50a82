/**
 * Every public construct of constructs/index.ts with a valid set of props inside a valid cluster: the property tests
 * (boundary-props.test.ts) replace parts of these props with ill-typed values and synthesize.
 */
import { App } from 'cdk8s';
import type { Construct } from 'constructs';
import * as netkit from '../../constructs/index.js';
import { clusterProps, tempDir } from '../helpers.js';

const {
  AddressBlock,
  AppIngressPolicy,
  Backend,
  CertManagerRelease,
  CiliumRelease,
  Cloudflared,
  Cluster,
  CnpgOperator,
  DualGateway,
  EdgeLoadBalancer,
  EgressProbes,
  ExternalDatabase,
  GatewayApiCrds,
  HelmChart,
  ChartRepository,
  IsolatedDatabase,
  K3sServerConfig,
  L2Pool,
  LoadBalancerService,
  MssClamp,
  NodeFirewall,
  RegistryCache,
  RegistryMirror,
  Routing,
  TalosMachineConfig,
  Tunnel,
  Workload,
  SecretStore,
  StoreProvider,
  Component,
  Layer,
  Distribution,
} = netkit;

export interface PublicConstruct {
  /** The exported class name. */
  readonly name: string;
  /** Valid props for it in `cluster` (may create what it needs there: a pool, a workload). */
  readonly props: (cluster: netkit.Cluster) => Record<string, unknown>;
  /** Create it with (possibly broken) props. */
  readonly create: (cluster: netkit.Cluster, props: any) => unknown;
  /** Distribution the cluster needs. */
  readonly distribution?: netkit.Distribution;
}

const web = (cluster: Construct) => new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });

/** Every public construct taking props, by the class name exported from constructs/index.ts. */
export const PUBLIC_CONSTRUCTS: readonly PublicConstruct[] = [
  {
    name: 'Cluster',
    props: () => clusterProps() as unknown as Record<string, unknown>,
    create: () => undefined, // created by buildWith
  },
  {
    name: 'CiliumRelease',
    props: () => ({
      version: '1.20',
      repository: 'oci',
      routing: Routing.tunnel('geneve'),
      kubeProxyReplacement: true,
      operatorReplicas: 2,
      hubble: { relay: true, ui: false },
      conntrackTimeouts: { regularTcpSeconds: 3600 },
      devices: ['eth0'],
      encryption: 'none',
      gatewayApi: { enableAlpn: true },
      extraValues: { policyCIDRMatchMode: ['nodes'] },
    }),
    create: (c, p) => new CiliumRelease(c, 'Cilium', p),
  },
  {
    name: 'L2Pool',
    props: () => ({
      poolName: 'lan',
      blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')],
      interfaces: ['eth0'],
      leaseDurationSeconds: 15,
      leaseRenewDeadlineSeconds: 5,
      leaseRetryPeriodSeconds: 2,
    }),
    create: (c, p) => new L2Pool(c, 'Pool', p),
  },
  {
    name: 'Workload',
    props: () => ({
      namespace: 'apps',
      image: 'nginx:1.27.2',
      ports: [{ name: 'http', port: 8080, servicePort: 80 }],
      replicas: 2,
      labels: { tier: 'web' },
      env: { A: 'b' },
    }),
    create: (c, p) => new Workload(c, 'api', p),
  },
  {
    name: 'AppIngressPolicy',
    props: (c) => ({ workload: web(c), ports: [netkit.Port.tcp(80)], ingressNamespaces: ['kube-system'], sameNamespace: true }),
    create: (c, p) => new AppIngressPolicy(c, 'Ingress', p),
  },
  {
    name: 'IsolatedDatabase',
    props: (c) => ({ namespace: 'db', instances: 2, storageSize: '5Gi', database: 'app', owner: 'app', clients: [web(c)] }),
    create: (c, p) => new IsolatedDatabase(c, 'pg', p),
  },
  {
    name: 'ExternalDatabase',
    props: (c) => ({ host: 'db.example.com', port: 5432, clients: [web(c)] }),
    create: (c, p) => new ExternalDatabase(c, 'ext', p),
  },
  {
    name: 'CertManagerRelease',
    props: () => ({ namespace: 'cert-manager', replicas: 1, dns01RecursiveNameservers: ['1.1.1.1:53'] }),
    create: (c, p) => new CertManagerRelease(c, 'CertManager', p),
  },
  {
    name: 'CnpgOperator',
    props: () => ({}),
    create: (c) => CnpgOperator.ensure(c),
  },
  {
    name: 'EdgeLoadBalancer',
    props: () => ({ ingressNodes: ['w1'], apiAnonymousAuth: false, ingressPorts: { http: 80, https: 443 } }),
    create: (c, p) => new EdgeLoadBalancer(c, 'Edge', p),
  },
  {
    name: 'EgressProbes',
    props: () => ({ namespace: 'probes', endpoints: ['registry-1.docker.io:443'], rounds: 3, intervalSeconds: 60, timeoutSeconds: 5 }),
    create: (c, p) => new EgressProbes(c, 'Probes', p),
  },
  {
    name: 'K3sServerConfig',
    props: () => ({ traefik: false }),
    create: (c, p) => new K3sServerConfig(c, 'K3s', p),
  },
  {
    name: 'MssClamp',
    props: () => ({ pathMtu: 1400, subnet: '192.168.1.0/24' }),
    create: (c, p) => new MssClamp(c, 'Mss', p),
  },
  {
    name: 'NodeFirewall',
    props: () => ({ nodeExporter: { scrapeSources: ['192.168.1.0/24'] }, loadBalancerSources: ['192.168.1.0/24'], ingressNodes: ['w1'] }),
    create: (c, p) => new NodeFirewall(c, 'Firewall', p),
  },
  {
    name: 'RegistryMirror',
    props: () => ({ cache: RegistryCache.registryProxies('192.168.1.5', 5000), registries: ['docker.io'], insecureSkipVerify: false }),
    create: (c, p) => new RegistryMirror(c, 'Mirror', p),
  },
  {
    name: 'LoadBalancerService',
    props: (c) => ({
      pool: new L2Pool(c, 'Pool', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')] }),
      namespace: 'apps',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    }),
    create: (c, p) => new LoadBalancerService(c, 'Lb', p),
  },
  {
    name: 'DualGateway',
    props: (c) => {
      new CiliumRelease(c, 'Cilium', { version: '1.20', kubeProxyReplacement: true, l2Announcements: true, gatewayApi: {} });
      return {
        pool: new L2Pool(c, 'Pool', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')] }),
        acme: { email: 'admin@example.lan', apiTokenSecret: { name: 'cloudflare-api-token', key: 'api-token' } },
        externalAddress: '192.168.1.200',
        internalAddress: '192.168.1.201',
        tunnel: Tunnel.remotelyManaged({ tokenSecret: { name: 'tunnel', key: 'token' } }),
        tunnelReplicas: 2,
        names: { internal: 'gw-internal', external: 'gw-external' },
      };
    },
    create: (c, p) => {
      const gw = new DualGateway(c, 'Gateways', p);
      gw.expose({ host: 'web', backend: Backend.service('apps', 'web', 80) });
      return gw;
    },
  },
  {
    name: 'Cloudflared',
    props: () => ({
      tunnel: Tunnel.locallyManaged({ tunnelId: '6b1f3c2e-4d5a-4e8b-9c7d-1a2b3c4d5e6f', credentialsSecret: { name: 'cf', key: 'credentials.json' } }),
      ingress: () => [],
      namespace: 'cloudflared',
      replicas: 2,
    }),
    create: (c, p) => new Cloudflared(c, 'Tunnel', p),
  },
  {
    name: 'SecretStore',
    props: () => ({
      name: 'doppler',
      provider: StoreProvider.doppler({ tokenSecret: { name: 'doppler-token', key: 'dopplerToken' }, project: 'lab', config: 'prd' }),
      credential: { command: 'kubectl -n external-secrets create secret generic doppler-token --from-literal=dopplerToken="$DOPPLER_TOKEN"' },
      refreshIntervalSeconds: 3600,
    }),
    create: (c, p) => new SecretStore(c, 'Doppler', p),
  },
  {
    name: 'GatewayApiCrds',
    props: () => ({ version: 'v1.3.0', channel: 'standard' }),
    create: (c, p) => new GatewayApiCrds(c, 'Crds', p),
  },
  {
    name: 'HelmChart',
    props: () => ({
      chart: 'podinfo',
      version: '6.7.0',
      repository: ChartRepository.helm('podinfo', 'https://stefanprodan.github.io/podinfo'),
      namespace: 'podinfo',
    }),
    create: (c, p) => new HelmChart(new Component(c, 'Podinfo', { layer: Layer.APPS, folder: 'podinfo' }), 'Chart', p),
  },
  {
    name: 'Component',
    props: () => ({ layer: Layer.APPS, folder: 'things' }),
    create: (c, p) => new Component(c, 'Things', p),
  },
  {
    name: 'TalosMachineConfig',
    distribution: Distribution.TALOS,
    props: () => ({}),
    create: (c) => new TalosMachineConfig(c, 'Talos'),
  },
];

/** A fresh app with one cluster `test`, props of `clusterOverrides` merged in. */
export function newCluster(distribution?: netkit.Distribution, overrides: Record<string, unknown> = {}): { app: App; cluster: netkit.Cluster } {
  const app = new App({ outdir: tempDir('netkit-dist-') });
  const cluster = new Cluster(app, 'test', { ...clusterProps(distribution ? { distribution } : {}), ...overrides } as netkit.ClusterProps);
  return { app, cluster };
}
