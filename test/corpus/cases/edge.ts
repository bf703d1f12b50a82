/** Edge host mistakes (NET-EDGE): seed 001's HAProxy, seed 004's MTU and registry mirror. */
import {
  CiliumRelease,
  Cloudflared,
  EdgeLoadBalancer,
  K3sServerConfig,
  RegistryCache,
  RegistryMirror,
  Routing,
  SecretSource,
  Tunnel,
} from '../../../constructs/index.js';
import type { ClusterProps, EdgeLoadBalancerProps } from '../../../constructs/index.js';
import { testCluster } from '../../helpers.js';
import type { CorpusArea } from '../case.js';

const LB = { address: '192.168.0.45', hostAddress: '192.168.0.46', interface: 'enp1s0', prefixLength: 24 };

function withLb(props: EdgeLoadBalancerProps, cluster: Partial<ClusterProps> = {}) {
  const t = testCluster({ externalLoadBalancer: LB, managementCidr: '192.168.0.0/24', ...cluster });
  new CiliumRelease(t.cluster, 'Cilium', { version: '1.19', routing: Routing.tunnel('vxlan') });
  new EdgeLoadBalancer(t.cluster, 'EdgeLoadBalancer', props);
  return t.app;
}

export const EDGE: CorpusArea = {
  area: 'edge',
  cases: [
    {
      name: "an HTTP check in clear text against the API server's TLS port",
      from: 'seed 001 (option httpchk GET /healthz in a mode tcp backend)',
      expect: 'NET-EDGE1',
      says: "the API health check sends HTTP in clear text to the API server's TLS port 6443 [EDGE-HAP1]",
      value: { kind: 'http', path: '/readyz', expectStatus: [200], ssl: false },
      build: () => withLb({ apiAnonymousAuth: true, apiCheck: { kind: 'http', path: '/readyz', expectStatus: [200], ssl: false } }),
    },
    {
      name: 'an ingress check expecting 200 where Traefik answers 404',
      from: 'seed 001 (Traefik returns 404 on unknown paths)',
      expect: 'NET-EDGE2',
      says: 'httpCheck expects 200 from /, a path no route is declared for; the ingress answers 404 there and',
      value: { kind: 'http', path: '/', expectStatus: [200], ssl: false },
      build: () => withLb({ httpCheck: { kind: 'http', path: '/', expectStatus: [200], ssl: false } }),
    },
    {
      name: "the HAProxy VIP equal to the host's own address",
      from: 'seed 001 (VIP 192.168.0.45 as an alias beside host .46)',
      expect: 'NET-EDGE4',
      says: "the VIP is the host's own address, so it cannot move or be told apart from the host [EDGE-HAP3]",
      value: '192.168.0.46',
      build: () => withLb({}, { externalLoadBalancer: { ...LB, address: '192.168.0.46' } }),
    },
    {
      name: 'a registry cache on a public address',
      from: 'seed 004 (mirror close to the cluster, on the private network)',
      expect: 'NET-EDGE9',
      says: 'the cache endpoint of docker.io is a public address, reached over the same egress path the cache should avoid',
      value: 'http://203.0.113.7:5000/v2/docker.io',
      build: () => {
        const { app, cluster } = testCluster({ nodeMtu: 1400 });
        new RegistryMirror(cluster, 'RegistryMirror', { cache: RegistryCache.pathPerRegistry('http://203.0.113.7:5000/v2/{registry}') });
        return app;
      },
    },
    {
      name: 'node MTU 1400 without an MSS clamp',
      from: 'seed 004 (TLS handshake timeouts behind a 1400 MTU path)',
      expect: 'NET-EDGE11',
      says: 'the node MTU is 1400 and no MSS clamp is rendered',
      value: 1400,
      build: () => {
        const { app, cluster } = testCluster({ nodeMtu: 1400 });
        new RegistryMirror(cluster, 'RegistryMirror', { cache: RegistryCache.registryProxies('192.168.1.5', 5000) });
        return app;
      },
    },
    {
      name: 'Cilium installed on k3s with nothing saying flannel and the network policy controller are off',
      from: 'seed 001 (step 4: the k3s.service flags had to change before Cilium could take over)',
      expect: 'NET-EDGE13',
      says: 'this k3s cluster installs Cilium, but nothing says k3s is started without flannel and its network',
      value: 'no K3sServerConfig',
      build: () => {
        const { app, cluster } = testCluster();
        new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
        return app;
      },
    },
    {
      name: 'k3s started with flannel-backend none and no Cilium to replace flannel',
      from: 'seed 001 (step 4: --flannel-backend=none --disable-network-policy, then Cilium)',
      expect: 'NET-EDGE12',
      says: 'the k3s server configuration sets flannel-backend none, but the cluster installs no Cilium: no CNI would run',
      value: 'no CiliumRelease and no cilium chart',
      build: () => {
        const { app, cluster } = testCluster();
        new K3sServerConfig(cluster, 'K3sServerConfig');
        return app;
      },
    },
    {
      name: 'an EdgeLoadBalancer on a cluster that declares no external load balancer',
      from: "seed 001 (HAProxy is rendered from the cluster's externalLoadBalancer)",
      expect: 'NET-EDGE6',
      says: 'an EdgeLoadBalancer was added but the cluster declares no externalLoadBalancer',
      value: undefined,
      build: () => {
        const { app, cluster } = testCluster();
        new CiliumRelease(cluster, 'Cilium', { version: '1.19', routing: Routing.tunnel('vxlan') });
        new EdgeLoadBalancer(cluster, 'EdgeLoadBalancer');
        return app;
      },
    },
    {
      name: "WARP's include list, kept by hand, misses the pod CIDR the tunnel routes",
      from: 'seed 003 (split-tunnel include list set by hand through the Zero Trust API)',
      expect: 'NET-EDGE14',
      says: "the tunnel routes 10.42.0.0/16 (test: pods), which WARP's include list does not cover",
      value: '10.42.0.0/16',
      build: () => {
        const { app, cluster } = testCluster();
        new Cloudflared(cluster, 'Tunnel', {
          tunnel: Tunnel.remotelyManaged({
            tokenSecret: {
              name: 'cloudflared-token',
              key: 'token',
              source: SecretSource.outOfBand({ command: 'kubectl -n cloudflared create secret generic cloudflared-token --from-literal=token="$T"' }),
            },
            privateAccess: {
              includeList: [
                { cidr: '10.43.0.0/16', description: 'services' },
                { cidr: '192.168.1.0/24', description: 'nodes' },
              ],
            },
          }),
          ingress: () => [],
        });
        return app;
      },
    },
  ],
};
