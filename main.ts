/**
 * The example fleet: three clusters modelled on the field reports. `npm run synth` renders them into clusters/
 * (scripts/synth.ts runs the synthesizer; this file only describes the fleet).
 */
import { App } from 'cdk8s';
import {
  AddressBlock,
  AddressPlan,
  ApiEndpoint,
  Backend,
  DualGateway,
  Exposure,
  L2Pool,
  NodeSelection,
  Tunnel,
  Cloudflared,
  Cluster,
  type ClusterProps,
  Distribution,
  EdgeLoadBalancer,
  EgressProbes,
  AppIngressPolicy,
  CiliumRelease,
  ExternalDatabase,
  GitOps,
  IsolatedDatabase,
  K3sServerConfig,
  MssClamp,
  NodeFirewall,
  NodeRole,
  RegistryCache,
  RegistryMirror,
  Routing,
  SecretSource,
  SecretStore,
  StoreProvider,
  TalosMachineConfig,
  TalosVersion,
  VipHolder,
  Workload,
} from './constructs/index.js';

const { CONTROL_PLANE, WORKER } = NodeRole;

/** Seed 001's homelab: the cluster model (nodes, networks, API VIP, HAProxy in front, Flux). */
export const HOMELAB_PROPS: ClusterProps = {
  distribution: Distribution.K3S,
  nodes: [
    { name: 'master', address: '192.168.55.11', roles: [CONTROL_PLANE, WORKER] },
    { name: 'worker1', address: '192.168.55.12', roles: [CONTROL_PLANE, WORKER] },
    { name: 'worker2', address: '192.168.55.13', roles: [CONTROL_PLANE, WORKER] },
  ],
  nodeSubnet: '192.168.55.0/24',
  podCidr: '10.42.0.0/16',
  serviceCidr: '10.43.0.0/16',
  // Seed 001's API VIP on the node subnet, held by kube-vip (ARP) on the servers' NIC there; HAProxy (192.168.0.45, on
  // the management LAN) is a separate entry point and does not hold it. enp1s0 is the NIC name of seed 001's Debian
  // hosts: check it on each server with `ip -br link`.
  apiEndpoint: ApiEndpoint.vip('192.168.55.10', { holder: VipHolder.kubeVip({ interface: 'enp1s0' }) }),
  domain: 'homelab.lan',
  managementCidr: '192.168.0.0/24',
  externalLoadBalancer: { address: '192.168.0.45', hostAddress: '192.168.0.46', interface: 'enp1s0', prefixLength: 24 },
  gitops: GitOps.flux(),
};

/** Seed 002's talos: the cluster model (Talos, Argo CD, the 192.168.10.0/24 LAN). */
export const TALOS_PROPS: ClusterProps = {
  distribution: Distribution.TALOS,
  nodes: [
    { name: 'talos-cp1', address: '192.168.10.101', roles: [CONTROL_PLANE] },
    { name: 'talos-w1', address: '192.168.10.111', roles: [WORKER] },
    { name: 'talos-w2', address: '192.168.10.112', roles: [WORKER] },
    { name: 'talos-w3', address: '192.168.10.113', roles: [WORKER] },
    { name: 'talos-w4', address: '192.168.10.114', roles: [WORKER] },
  ],
  nodeSubnet: '192.168.10.0/24',
  podCidr: '10.14.0.0/16',
  serviceCidr: '10.43.0.0/16',
  // Talos' own shared VIP on the control plane's link to the LAN. eth0 is an assumption (seed 002 announces on ^e.*
  // links, "eth0, ens18, etc."): check the name with `talosctl get links -n 192.168.10.101`.
  apiEndpoint: ApiEndpoint.vip('192.168.10.100', { holder: VipHolder.talos({ interface: 'eth0' }) }),
  talosVersion: TalosVersion.V1_12,
  domain: 'vanillax.me',
  router: '192.168.10.1',
  dhcpRange: '192.168.10.150-192.168.10.250',
  // The sync waves gate on each layer's health only with the Application health check in argocd-cm (NET-BOOT4).
  gitops: GitOps.argocd({ repoUrl: 'https://github.com/example/talos-gitops.git', revision: 'main' }),
};

/** Seeds 003/004's oceanid: the cluster model (k3s, Flux, node MTU 1400). */
export const OCEANID_PROPS: ClusterProps = {
  distribution: Distribution.K3S,
  nodes: [
    { name: 'cp1', address: '10.27.27.10', roles: [CONTROL_PLANE] },
    { name: 'worker1', address: '10.27.27.21', roles: [WORKER] },
    { name: 'calypso', address: '10.27.27.22', roles: [WORKER], labels: { 'nvidia.com/gpu.present': 'true' } },
  ],
  nodeSubnet: '10.27.27.0/24',
  podCidr: '10.42.0.0/16',
  serviceCidr: '10.43.0.0/16',
  apiEndpoint: ApiEndpoint.node('10.27.27.10'),
  nodeMtu: 1400,
  domain: 'oceanid.internal',
  router: '10.27.27.1',
  gitops: GitOps.flux(),
};

export interface FleetOptions {
  /**
   * How many copies of each example cluster to build (copies after the first are named `<name>-<n>`), for the
   * benchmark's generated fleets.
   *
   * @default 1
   */
  readonly copies?: number;
  /**
   * Stop after this many clusters.
   *
   * @default - no limit
   */
  readonly limit?: number;
}

/** Build the example fleet into `app`. */
export function buildFleet(app: App = new App(), options: FleetOptions = {}): App {
  const designs: [string, (app: App, id: string) => void][] = [
    ['homelab', homelab],
    ['talos', talos],
    ['oceanid', oceanid],
  ];
  let built = 0;
  for (let copy = 1; copy <= (options.copies ?? 1); copy++) {
    for (const [name, build] of designs) {
      if (options.limit !== undefined && built >= options.limit) return app;
      build(app, copy === 1 ? name : `${name}-${copy}`);
      built++;
    }
  }
  return app;
}

function homelab(app: App, id: string): void {
  // Seed 001: three-node k3s HA (every node a server with embedded etcd), API VIP behind an external HAProxy.
  const homelab = new Cluster(app, id, HOMELAB_PROPS);
  // Seed 001: Cilium 1.19 in VXLAN tunnel mode beside k3s' kube-proxy, API by the VIP (never a DNS name); the
  // operator keeps its default 2 replicas (the seed ran 1 on three nodes).
  new CiliumRelease(homelab, 'Cilium', { version: '1.19', routing: Routing.tunnel('vxlan') });
  // No L2Pool on homelab: it runs k3s' kube-proxy without kube-proxy replacement (seed 001), and Cilium's L2
  // announcements need KPR; its LoadBalancer entry point is the external HAProxy. The address plan is still rendered.
  AddressPlan.ensure(homelab);
  // Edge (seed 001): HAProxy on 192.168.0.45 in front of the API and the ingress, and the node firewall.
  new EdgeLoadBalancer(homelab, 'EdgeLoadBalancer');
  new NodeFirewall(homelab, 'NodeFirewall', { nodeExporter: {} });
  // Seed 001, step 4 (--flannel-backend=none --disable-network-policy) as /etc/rancher/k3s/config.yaml, derived from
  // the Cluster and its Cilium; kube-proxy and ServiceLB stay (no KPR, HAProxy reaches Traefik through ServiceLB).
  new K3sServerConfig(homelab, 'K3sServerConfig');
  // Seed 001: clients-db reachable only from clients-api (both policies of the seed), proved by NET-DB4.
  const clientsApi = new Workload(homelab, 'clients-api', {
    namespace: 'clients',
    image: 'registry.homelab.lan/clients-api:1.0.0',
    ports: [{ name: 'http', port: 8080 }],
    env: { DB_HOST: 'clients-db-rw.clients.svc', DB_PORT: '5432', DB_NAME: 'clients_db' },
    envFromSecrets: ['clients-db-app'],
  });
  new AppIngressPolicy(homelab, 'ClientsApiIngress', { workload: clientsApi, ingressNamespaces: ['kube-system'] });
  const clientsDb = new IsolatedDatabase(homelab, 'clients-db', {
    namespace: 'clients',
    instances: 2,
    database: 'clients_db',
    owner: 'app',
    metricsNamespace: 'monitoring',
  });
  clientsDb.connections.allowFrom(clientsApi);
  // The instances reach the API server by ipBlock (NetworkPolicy): Cilium must let CIDR rules match node addresses.
  CiliumRelease.of(homelab)?.addExtraValues({ policyCIDRMatchMode: ['nodes'] });
}

function talos(app: App, id: string): void {
  // Seed 002: Talos with Argo CD; workers .111-.114 announce the gateways' LoadBalancer addresses.
  const talos = new Cluster(app, id, TALOS_PROPS);
  // Seed 002 done right: KubePrism and the Talos cgroup/capability settings come from the distribution; the
  // gateway Services keep Cluster (the seed's "critical fix" Local stops the L2 announcement of every gateway from
  // Cilium 1.20.2: NET-CIL16); conntrack timeouts are agent flags (the seed's bpf.ctTcpTimeout/ctAnyTimeout and
  // gatewayAPI.sessionAffinity were dead keys).
  new CiliumRelease(talos, 'Cilium', {
    version: '1.20',
    kubeProxyReplacement: true,
    l2Announcements: true,
    gatewayApi: { enableAlpn: true, externalTrafficPolicy: 'Cluster' },
    bandwidthManager: true,
    bbr: true,
    bpfMasquerade: true,
    hubble: { relay: true, ui: true },
    conntrackTimeouts: { regularTcpSeconds: 21600, regularAnySeconds: 3600 },
  });
  // The machine configuration all that implies (cni none, no kube-proxy, the subnets, KubePrism on Cilium's port, host
  // DNS out of eBPF host routing's way, the VIP), as talosctl/talhelper patches under edge/talos/.
  new TalosMachineConfig(talos, 'TalosMachineConfig');
  // Seed 002's two gateways from one L2 pool (.49 external, .50 internal), announced by the workers only.
  const talosPool = new L2Pool(talos, 'Lan', { blocks: [AddressBlock.range('192.168.10.49', '192.168.10.50')], nodeSelection: NodeSelection.workers() });
  // (The pool registers the talos address plan, reports/address-plan.md; rules NET-L2P* keep it clear of the
  // router .1, the API VIP .100, the nodes and the DHCP range .150-.250.)
  const llama = new Workload(talos, 'ollama-webui', {
    namespace: 'llama',
    image: 'ghcr.io/open-webui/open-webui:v0.6.5',
    ports: [{ name: 'http', port: 8080, servicePort: 80 }],
  });
  const immich = new Workload(talos, 'immich', {
    namespace: 'immich',
    image: 'ghcr.io/immich-app/immich-server:v1.132.3',
    ports: [{ name: 'http', port: 2283, servicePort: 80 }],
  });
  // Secrets (issue 19): one store, declared once; its own token is the one Secret made by hand before the bootstrap. The
  // DNS-01 token and the tunnel credentials are ExternalSecrets beside their consumers, force-synced at bootstrap.
  const onePassword = new SecretStore(talos, 'OnePassword', {
    name: 'onepassword',
    provider: StoreProvider.onePasswordConnect({
      connectHost: 'http://onepassword-connect.onepassword.svc:8080',
      tokenSecret: { name: 'onepassword-connect-token', key: 'token' },
      vaults: { homelab: 1 },
    }),
    credential: {
      command: 'kubectl -n external-secrets create secret generic onepassword-connect-token --from-literal=token="$OP_CONNECT_TOKEN"',
    },
  });
  // Internet through a locally-managed Cloudflare tunnel to the external gateway; the LAN through split DNS to the
  // internal one. Only argocd is public; llama and immich stay on the LAN (the default).
  const gateways = new DualGateway(talos, 'Gateways', {
    pool: talosPool,
    externalAddress: '192.168.10.49',
    internalAddress: '192.168.10.50',
    acme: {
      email: 'admin@vanillax.me',
      apiTokenSecret: {
        name: 'cloudflare-api-token',
        key: 'api-token',
        source: SecretSource.fromStore(onePassword, { remoteKeys: { 'api-token': 'cloudflare/api-token' }, forceSync: true }),
      },
    },
    tunnel: Tunnel.locallyManaged({
      tunnelId: '6b1f3c2e-4d5a-4e8b-9c7d-1a2b3c4d5e6f',
      credentialsSecret: {
        name: 'cloudflared-credentials',
        key: 'credentials.json',
        source: SecretSource.fromStore(onePassword, { remoteKeys: { 'credentials.json': 'cloudflared/credentials.json' }, forceSync: true }),
      },
    }),
  });
  // argocd-server is installed with Argo CD (bootstrap/argocd/), which NET-GW3 knows; Argo CD is told that TLS ends
  // at the gateway (server.insecure) because these routes terminate it.
  gateways.expose({ host: 'argocd', backend: Backend.service('argocd', 'argocd-server', 80), exposure: Exposure.BOTH });
  gateways.expose({ host: 'llama', backend: Backend.workload(llama, 'http') });
  gateways.expose({ host: 'immich', backend: Backend.workload(immich, 'http') });
  // PostgreSQL on the internal gateway: a TCPRoute v1, which Cilium 1.20 serves (Gateway API v1.6.1 standard channel).
  // Seed 002's database is not part of this tree: declared external, and the exposure report says who installs it.
  gateways.addTcpListener({
    name: 'postgres',
    port: 5432,
    backend: Backend.external('database', 'postgres-rw', 5432, { installedBy: 'a CloudNativePG cluster managed elsewhere' }),
  });
}

function oceanid(app: App, id: string): void {
  // Seeds 003/004: k3s with Flux, node MTU 1400, an external PostgreSQL reached by egress.
  const oceanid = new Cluster(app, id, OCEANID_PROPS);
  // Seeds 003/004: Cilium 1.20 from the OCI registry (upstream's recommendation); MTU 1400 from the Cluster, so
  // pods get 1350 under VXLAN.
  new CiliumRelease(oceanid, 'Cilium', { version: '1.20', repository: 'oci' });
  // No L2Pool on oceanid either: no KPR, and seeds 003/004 reach it through Cloudflare tunnels, not LAN addresses.
  AddressPlan.ensure(oceanid);
  // Edge (seed 004): registry cache on the private network, MSS clamp from the 1400 MTU, egress probes.
  new RegistryMirror(oceanid, 'RegistryMirror', { cache: RegistryCache.registryProxies('10.27.27.5', 5000) });
  new MssClamp(oceanid, 'MssClamp');
  // The k3s server configuration Cilium needs (no flannel, no k3s policy controller), and each node's node-ip.
  new K3sServerConfig(oceanid, 'K3sServerConfig');
  new EgressProbes(oceanid, 'EgressProbes');
  // Seed 004: External Secrets with Doppler. The store's service token is made by hand once; every runtime Secret is an
  // ExternalSecret beside its consumer, and the store's layer gates nothing (seed 004, phase 4).
  const doppler = new SecretStore(oceanid, 'Doppler', {
    name: 'doppler',
    provider: StoreProvider.doppler({ tokenSecret: { name: 'doppler-token', key: 'dopplerToken' }, project: 'oceanid', config: 'prd' }),
    credential: { command: 'kubectl -n external-secrets create secret generic doppler-token --from-literal=dopplerToken="$DOPPLER_TOKEN"' },
  });
  // Seed 003: kubectl and the cluster's private addresses through Cloudflare WARP. A remotely-managed tunnel used for
  // private access only (no public hostname): its configuration body enables warp-routing, its routes and WARP's
  // include list are the Cluster's service CIDR (the API server's ClusterIP), pod CIDR and node subnet (edge/cloudflare/),
  // and rule NET-EDGE14 keeps the two in step. The seed's other site (Manowar) stays on the include list, routed by its
  // own tunnel. The tunnel token comes from Doppler.
  new Cloudflared(oceanid, 'Tunnel', {
    tunnel: Tunnel.remotelyManaged({
      tokenSecret: {
        name: 'cloudflared-token',
        key: 'token',
        source: SecretSource.fromStore(doppler, { remoteKeys: { token: 'CLOUDFLARE_TUNNEL_TOKEN' }, forceSync: true }),
      },
      privateAccess: {
        routedElsewhere: [
          { cidr: '172.21.0.0/16', description: 'manowar: Docker and PostgreSQL (its own tunnel)' },
          { cidr: '172.20.0.0/16', description: 'manowar: Keycloak (its own tunnel)' },
        ],
      },
    }),
    ingress: () => [],
  });
  // Seed 003: label-studio's external PostgreSQL (Crunchy Bridge), allowed by egress from label-studio only, on
  // any node: no nodeSelector pin (the seed's workaround for the worker nodes' own firewall).
  const labelStudio = new Workload(oceanid, 'label-studio', {
    namespace: 'apps',
    image: 'heartexlabs/label-studio:1.21.0',
    ports: [{ name: 'http', port: 8085 }],
    env: { DJANGO_DB: 'default', POSTGRE_HOST: 'p.3x4xvkn3xza2zjwiklcuonpamy.db.postgresbridge.com', POSTGRE_PORT: '5432', POSTGRE_NAME: 'labelfish' },
    envFromSecrets: [
      {
        name: 'labelfish-db-credentials',
        source: SecretSource.fromStore(doppler, { remoteKeys: { POSTGRE_USER: 'LABELFISH_DB_USER', POSTGRE_PASSWORD: 'LABELFISH_DB_PASSWORD' } }),
      },
    ],
  });
  // Without `address`, the database is allowed by its host name (a CiliumNetworkPolicy toFQDNs rule and the DNS proxy
  // rule it needs): the provider may move the address, the name stays. The example pins the address the seed saw,
  // because the upstream conformance check this project's CI runs over clusters/ cannot yet compile the
  // CiliumNetworkPolicy schema; the host-name policy is rendered and validated in test/database instead.
  new ExternalDatabase(oceanid, 'labelfish-db', {
    host: 'p.3x4xvkn3xza2zjwiklcuonpamy.db.postgresbridge.com',
    address: '18.116.211.217',
    port: 5432,
    clients: [labelStudio],
  });
}
