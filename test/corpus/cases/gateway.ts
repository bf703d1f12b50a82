/** DualGateway mistakes (NET-GW): seed 002's internal/external gateways. */
import {
  Backend,
  CiliumRelease,
  DualGateway,
  AddressBlock,
  L2Pool,
  ListenerProtocol,
  SecretSource,
  Workload,
  type CiliumMinor,
  type GatewayApiOptions,
} from '../../../constructs/index.js';
import { Distribution, type ClusterProps, type DualGatewayProps } from '../../../constructs/index.js';
import { HttpRoute } from '../../../imports/gateway-api.js';
import { testCluster } from '../../helpers.js';
import type { CorpusArea } from '../case.js';

function gateways(options: { minor?: CiliumMinor; gatewayApi?: GatewayApiOptions; gateway?: Partial<DualGatewayProps>; cluster?: Partial<ClusterProps> } = {}) {
  const { app, cluster } = testCluster(options.cluster ?? {});
  new CiliumRelease(cluster, 'Cilium', {
    version: options.minor ?? '1.20',
    kubeProxyReplacement: true,
    gatewayApi: options.gatewayApi ?? { enableAlpn: true, externalTrafficPolicy: 'Cluster' },
  });
  const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.240', '192.168.1.250')] });
  const web = new Workload(cluster, 'web', { namespace: 'web', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080, servicePort: 80 }] });
  const gw = new DualGateway(cluster, 'Gateways', {
    pool,
    acme: {
      email: 'ops@example.lan',
      apiTokenSecret: { name: 'cloudflare-api-token', key: 'api-token', source: SecretSource.outOfBand({ command: 'kubectl create secret generic ...' }) },
    },
    externalAddress: '192.168.1.240',
    internalAddress: '192.168.1.241',
    ...(options.gateway ?? {}),
  });
  return { app, cluster, gw, web };
}

/** The gateways with one exposed host, and an escape-hatch HTTPRoute for admin.example.lan on a gateway's HTTPS listener. */
function adminRoute(gatewayName: string) {
  const { app, cluster, gw, web } = gateways();
  gw.expose({ host: 'web', backend: Backend.workload(web, 'http') });
  new HttpRoute(cluster, 'Admin', {
    metadata: { name: 'admin', namespace: 'gateway' },
    spec: {
      parentRefs: [{ name: gatewayName, sectionName: 'https-example-lan' }],
      hostnames: ['admin.example.lan'],
      rules: [{ backendRefs: [{ name: 'web', namespace: 'web', port: 80 }] }],
    },
  });
  return app;
}

export const GATEWAY: CorpusArea = {
  area: 'gateway',
  cases: [
    {
      name: "coredns-custom for the internal domains on Talos, as if its CoreDNS were k3s' (it imports nothing)",
      from: "seed 002 (CoreDNS 'Bundled with K3s', custom configmap for internal domains, on a Talos cluster)",
      expect: 'NET-GW12',
      says: "coredns-custom is rendered for in-cluster split DNS, but Talos' built-in CoreDNS does not import",
      value: { distribution: 'talos', coreDns: true },
      build: () => {
        const { app } = gateways({ cluster: { distribution: Distribution.TALOS }, gateway: { splitDns: { coreDns: true } } });
        return app;
      },
    },
    {
      name: 'a second DualGateway for another domain next to the first',
      from: 'seed 002 (one external and one internal gateway serve every host of the cluster)',
      expect: 'NET-GW11',
      says: 'test already has the DualGateway test/Gateways; this one renders no split-DNS files and no exposure report',
      value: 'test/Other',
      build: () => {
        const { app, cluster, gw } = gateways();
        new DualGateway(cluster, 'Other', {
          pool: gw.pool,
          acme: {
            email: 'ops@example.org',
            apiTokenSecret: { name: 'cf-token', key: 'api-token', source: SecretSource.outOfBand({ command: 'kubectl create secret generic ...' }) },
          },
          namespace: 'gateway-org',
          domains: ['example.org'],
          names: { internal: 'org-internal', external: 'org-external' },
        });
        return app;
      },
    },
    {
      name: 'one host exposed twice on the internal gateway',
      from: 'seed 002 (duplicate HTTPRoutes for one host)',
      expect: 'NET-GW1',
      says: 'host web.example.lan is routed 2 times on gateway gateway/gateway-internal; only one route can win',
      value: ['HTTPRoute gateway/web-example-lan-internal', 'HTTPRoute gateway/web-example-lan-internal-2'],
      build: () => {
        const { app, cluster, gw, web } = gateways();
        const other = new Workload(cluster, 'other', { namespace: 'other', image: 'example/other:1.0.0', ports: [{ name: 'http', port: 8080 }] });
        gw.expose({ host: 'web', backend: Backend.workload(web, 'http') });
        gw.expose({ host: 'web', backend: Backend.workload(other, 'http') });
        return app;
      },
    },
    {
      name: 'an escape-hatch HTTPRoute on the external gateway',
      from: 'seed 002 (internal unless said otherwise: only argocd was meant to be public)',
      expect: 'NET-GW9',
      says: 'HTTPRoute gateway/admin attaches to the external gateway gateway/gateway-external outside',
      value: { route: 'gateway/admin', hostnames: ['admin.example.lan'] },
      build: () => {
        return adminRoute('gateway-external');
      },
    },
    {
      name: 'an escape-hatch HTTPRoute on the internal gateway without Alt-Svc: clear',
      from: "seed 002 (ERR_QUIC_PROTOCOL_ERROR: browsers kept the HTTP/3 they learned from Cloudflare's Alt-Svc)",
      expect: 'NET-GW13',
      says: 'HTTPRoute gateway/admin serves the internal gateway gateway/gateway-internal (https-example-lan)',
      value: { route: 'gateway/admin', listeners: ['https-example-lan'], rules: ['spec.rules[0]'] },
      build: () => {
        return adminRoute('gateway-internal');
      },
    },
    {
      name: 'both gateways on one address',
      from: "seed 002 (gateways at .49 and .50; an unpinned gateway takes another's address)",
      expect: 'NET-GW4',
      says: 'gateways gateway/gateway-external and gateway/gateway-internal ask for the same address 192.168.1.241',
      value: '192.168.1.241',
      build: () => gateways({ gateway: { externalAddress: '192.168.1.241', internalAddress: '192.168.1.241' } }).app,
    },
    {
      name: 'a route to a workload port that does not exist',
      from: 'seed 003 (tunnel pointed at targetPort 8080 instead of 8085)',
      expect: 'NET-GW3',
      says: 'HTTPRoute gateway/web-example-lan-internal sends traffic to port "metrics" of Service web/web, but',
      value: 'web/web:metrics',
      build: () => {
        const { app, gw, web } = gateways();
        gw.expose({ host: 'web', backend: Backend.workload(web, 'metrics') });
        return app;
      },
    },
    {
      name: 'a TCP listener to a Service by name that nothing renders, not declared external',
      from: 'seed 002 (the PostgreSQL listener routes to database/postgres-rw, which no manifest of the tree creates)',
      expect: 'NET-GW3',
      says: 'TCPRoute gateway/postgres sends traffic to Service database/postgres-rw, which this tree neither',
      value: 'database/postgres-rw:5432',
      build: () => {
        const { app, gw } = gateways();
        gw.addTcpListener({ name: 'postgres', port: 5432, backend: Backend.service('database', 'postgres-rw', 5432) });
        return app;
      },
    },
    {
      name: 'a TCP 5432 listener on Cilium 1.19',
      from: 'seed 002 (Postgres on the internal gateway needs TCPRoute, added in Cilium 1.20)',
      expect: 'NET-GW6',
      says: 'listener postgres (TCP 5432) of gateway gateway/gateway-internal needs TCPRoute support, which',
      value: 'TCP 5432',
      build: () => {
        const { app, gw, web } = gateways({ minor: '1.19' });
        gw.addTcpListener({ name: 'postgres', port: 5432, protocol: ListenerProtocol.TCP, backend: Backend.workload(web, 'http') });
        return app;
      },
    },
    {
      name: 'gateways serving HTTPS without ALPN',
      from: 'seed 002 (h2 negotiation; enableAlpn off by default)',
      expect: 'NET-GW8',
      says: "Cilium's gateways do not offer ALPN while test/Gateways serves HTTPS; clients fall back to HTTP/1.1",
      value: 'gatewayAPI.enableAlpn: false',
      build: () => gateways({ gatewayApi: { enableAlpn: false, externalTrafficPolicy: 'Cluster' } }).app,
    },
    {
      name: 'an expose() call naming both host and hosts (the overloads bypassed)',
      from: 'DualGateway.expose (exactly one of host and hosts)',
      expect: 'NET-GW10',
      says: 'expose() takes exactly one of host and hosts, but both host and hosts are given',
      value: { host: 'photos', hosts: ['immich'], backend: 'web/web:80' },
      build: () => {
        const { app, gw, web } = gateways();
        gw.expose({ host: 'photos', hosts: ['immich'], backend: Backend.workload(web, 'http') } as never);
        return app;
      },
    },
  ],
};
