/** CiliumRelease mistakes (NET-CIL): seed 001's bootstrap and migration, seed 002's dead keys, upstream facts. */
import { CiliumRelease, Distribution, GatewayApiCrds, NodeRole, Routing, type CiliumReleaseProps } from '../../../constructs/index.js';
import type { ClusterProps } from '../../../constructs/index.js';
import { testCluster } from '../../helpers.js';
import type { CorpusArea } from '../case.js';

function cilium(props: Partial<CiliumReleaseProps>, cluster: Partial<ClusterProps> = {}) {
  const t = testCluster(cluster);
  const release = new CiliumRelease(t.cluster, 'Cilium', { version: '1.20', ...props });
  return { ...t, release };
}

export const CILIUM: CorpusArea = {
  area: 'cilium',
  cases: [
    {
      name: 'seed 002 dead keys gatewayAPI.sessionAffinity and sessionAffinityTimeoutSeconds',
      from: 'seed 002 (Helm silently ignores unknown values)',
      expect: 'NET-CIL2',
      says: 'gatewayAPI.sessionAffinity is not a cilium 1.20.0 chart value; Helm would ignore it',
      value: { 'gatewayAPI.sessionAffinity': true },
      build: () =>
        cilium({ kubeProxyReplacement: true, gatewayApi: {}, extraValues: { gatewayAPI: { sessionAffinity: true, sessionAffinityTimeoutSeconds: 10800 } } })
          .app,
    },
    {
      name: 'seed 002 dead keys bpf.ctTcpTimeout and bpf.ctAnyTimeout',
      from: 'seed 002 (conntrack timeouts belong in extraConfig)',
      expect: 'NET-CIL2',
      says: 'bpf.ctAnyTimeout is not a cilium 1.20.0 chart value; Helm would ignore it',
      value: { 'bpf.ctAnyTimeout': 3600 },
      build: () => cilium({ extraValues: { bpf: { ctTcpTimeout: 21600, ctAnyTimeout: 3600 } } }).app,
    },
    {
      name: 'k8sServiceHost pointing at cluster DNS',
      from: 'seed 001 (Cilium cannot resolve the API before CoreDNS runs)',
      expect: 'NET-CIL1',
      says: 'k8sServiceHost is a host name: resolving it needs cluster DNS, which needs the CNI that is trying',
      value: 'kubernetes.default.svc',
      build: () => cilium({ k8sServiceHost: 'kubernetes.default.svc' }).app,
    },
    {
      name: 'native routing with a routing CIDR that misses the pods',
      from: 'upstream (native routing needs ipv4NativeRoutingCIDR covering the pod CIDR)',
      expect: 'NET-CIL3',
      says: 'ipv4NativeRoutingCIDR does not contain the pod CIDR 10.42.0.0/16: traffic to pods outside it would',
      value: '10.42.0.0/24',
      build: () => cilium({ kubeProxyReplacement: true, routing: Routing.native({ ipv4NativeRoutingCidr: '10.42.0.0/24' }) }).app,
    },
    {
      name: 'native routing with the routing CIDR removed',
      from: 'upstream (native routing without ipv4NativeRoutingCIDR)',
      expect: 'NET-CIL3',
      says: 'routingMode is native but ipv4NativeRoutingCIDR is not set; the agent will not start',
      value: null,
      build: () => cilium({ kubeProxyReplacement: true, routing: Routing.native(), extraValues: { ipv4NativeRoutingCIDR: null } }).app,
    },
    {
      name: 'Hubble UI without relay',
      from: 'upstream (the chart fails to render hubble.ui without hubble.relay)',
      expect: 'NET-CIL6',
      says: 'the Hubble UI is enabled without Hubble relay; the chart refuses to render',
      value: { 'hubble.relay.enabled': false },
      build: () => cilium({ hubble: { ui: true } }).app,
    },
    {
      name: 'switching tunnel to native routing on the live cluster',
      from: 'seed 001 ("switching routing modes via rolling update will break the cluster"), cilium#36968',
      expect: 'NET-CIL11',
      says: 'routingMode changes on a live cluster (committed in cni/cilium/helmrelease-cilium.yaml)',
      value: { before: 'tunnel', after: 'native' },
      build: () => cilium({ kubeProxyReplacement: true, routing: Routing.native({ ipv4NativeRoutingCidr: '10.42.0.0/16' }) }).app,
    },
    {
      name: 'switching the tunnel protocol on the live cluster',
      from: 'seed 001, upstream (datapath changes are not rolling changes)',
      expect: 'NET-CIL11',
      says: 'tunnelProtocol changes on a live cluster (committed in cni/cilium/helmrelease-cilium.yaml); this is',
      value: { before: 'vxlan', after: 'geneve' },
      build: () => cilium({ routing: Routing.tunnel('geneve') }).app,
    },
    {
      name: 'L2 announcements without kube-proxy replacement',
      from: 'upstream (L2 announcements require kubeProxyReplacement)',
      expect: 'NET-CIL4',
      says: 'L2 announcements are enabled but kube-proxy replacement is off',
      value: { kubeProxyReplacement: false },
      build: () => cilium({ l2Announcements: true }).app,
    },
    {
      name: 'Gateway API without kube-proxy replacement',
      from: 'upstream (the chart refuses gatewayAPI with kubeProxyReplacement disabled)',
      expect: 'NET-CIL5',
      says: 'the Gateway API is enabled without kube-proxy replacement: gateway Services would get no eBPF',
      value: { kubeProxyReplacement: false },
      build: () => cilium({ gatewayApi: {} }).app,
    },
    {
      name: 'gateway externalTrafficPolicy neither Cluster nor Local',
      from: 'upstream (the chart fails rendering)',
      expect: 'NET-CIL7',
      says: 'gatewayAPI.externalTrafficPolicy is neither Cluster nor Local; the chart refuses to render',
      value: 'Sticky',
      build: () => cilium({ kubeProxyReplacement: true, gatewayApi: {}, extraValues: { gatewayAPI: { externalTrafficPolicy: 'Sticky' } } }).app,
    },
    {
      name: 'eBPF masquerading without kube-proxy replacement',
      from: 'upstream (agent: "BPF masquerade requires NodePort")',
      expect: 'NET-CIL14',
      says: 'bpf.masquerade is on without kube-proxy replacement: the agent refuses to start (BPF masquerade',
      value: { 'bpf.masquerade': true, kubeProxyReplacement: false },
      build: () => cilium({ bpfMasquerade: true }).app,
    },
    {
      name: 'BBR with iptables masquerading (legacy host routing)',
      from: 'seed 002 (bbr), upstream (agent: "BBR setup requires BPF host routing")',
      expect: 'NET-CIL15',
      says: 'bandwidthManager.bbr is on but eBPF host routing or the Bandwidth Manager is missing',
      value: { 'bandwidthManager.enabled': true, kubeProxyReplacement: true, 'bpf.masquerade': null },
      build: () => cilium({ kubeProxyReplacement: true, bandwidthManager: true, bbr: true }).app,
    },
    {
      name: 'more operator replicas than nodes',
      from: 'upstream (operator anti-affinity on hostname), seed 001 (operator.replicas)',
      expect: 'NET-CIL9',
      says: 'cilium-operator asks for 4 replicas with one per node, but the cluster has 3 nodes: the extra',
      value: 4,
      build: () => cilium({ operatorReplicas: 4 }).app,
    },
    {
      name: 'Gateway API v1.5 CRDs with Cilium 1.19',
      from: 'cilium#44920 (1.19.1 operator crash with Gateway API v1.5)',
      expect: 'NET-CIL10',
      says: 'the Gateway API CRDs are at v1.5.0, but Cilium 1.19 implements v1.4.1',
      value: 'v1.5.0',
      build: () => {
        const { app, release } = cilium({ version: '1.19' });
        new GatewayApiCrds(release, 'Wrong', { version: 'v1.5.0' });
        return app;
      },
    },
    {
      name: 'Talos with SYS_MODULE and cgroup automount',
      from: 'upstream Talos guide (KubePrism, no SYS_MODULE, cgroup.autoMount off)',
      expect: 'NET-CIL13',
      says: 'Cilium would mount its own cgroup v2 hierarchy on Talos',
      value: { 'cgroup.autoMount.enabled': true },
      build: () =>
        cilium(
          { extraValues: { cgroup: { autoMount: { enabled: true } }, securityContext: { capabilities: { ciliumAgent: ['NET_ADMIN', 'SYS_MODULE'] } } } },
          {
            distribution: Distribution.TALOS,
            nodes: [
              { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
              { name: 'w1', address: '192.168.1.21', roles: [NodeRole.WORKER] },
            ],
          },
        ).app,
    },
    {
      name: 'Ingress controller without kube-proxy replacement',
      from: 'upstream (Cilium Ingress prerequisites: kube-proxy replacement or NodePort, and the L7 proxy)',
      expect: 'NET-CIL5',
      says: 'the Ingress controller is enabled without kube-proxy replacement: Ingress Services would get no',
      value: { kubeProxyReplacement: false },
      build: () => cilium({ extraValues: { ingressController: { enabled: true } } }).app,
    },
    {
      name: 'k8sServiceHostRef added beside the rendered k8sServiceHost',
      from: 'upstream (the chart fails rendering when both k8sServiceHost and k8sServiceHostRef are given)',
      expect: 'NET-CIL18',
      says: 'k8sServiceHost and k8sServiceHostRef are both set; the chart refuses to render',
      value: { k8sServiceHost: '192.168.1.10', k8sServiceHostRef: { name: 'api-endpoint', key: 'host' } },
      build: () => cilium({ extraValues: { k8sServiceHostRef: { name: 'api-endpoint', key: 'host' } } }).app,
    },
    {
      name: "k8sServiceHost set to a worker's address",
      from: 'upstream (k8sServiceHost is the API VIP or a control-plane address), seed 001',
      expect: 'NET-CIL19',
      says: 'k8sServiceHost is the address of worker node w1, which runs no API server: the agents cannot reach',
      value: '192.168.1.21',
      build: () => cilium({ k8sServiceHost: '192.168.1.21' }).app,
    },
    {
      name: 'cluster-pool IPAM allocating from the chart default 10.0.0.0/8',
      from: "upstream (chart default clusterPoolIPv4PodCIDRList 10.0.0.0/8 overlaps the service CIDR; the pool must be the Cluster's podCidr)",
      expect: 'NET-CIL20',
      says: "cluster-pool IPAM allocates pod addresses from 10.0.0.0/8, not from the Cluster's pod CIDR",
      value: ['10.0.0.0/8'],
      build: () => cilium({ extraValues: { ipam: { operator: { clusterPoolIPv4PodCIDRList: ['10.0.0.0/8'] } } } }).app,
    },
    {
      name: 'native routing without direct node routes or BGP',
      from: 'upstream (native routing needs autoDirectNodeRoutes when nodes share an L2 segment; chart default false)',
      expect: 'NET-CIL21',
      says: 'routingMode is native but autoDirectNodeRoutes is false and the BGP control plane is off: no node',
      value: { autoDirectNodeRoutes: false, 'bgpControlPlane.enabled': null },
      build: () => cilium({ kubeProxyReplacement: true, routing: Routing.native({ autoDirectNodeRoutes: false }) }).app,
    },
    {
      name: 'a Cilium version the library pins no chart for (the type bypassed)',
      from: 'foundation issue (input that bypasses the types ends in findings); the pinned versions of core/versions.ts',
      expect: 'NET-CIL2',
      says: 'Cilium 1.17 is not a version this library pins a chart for',
      value: '1.17',
      build: () => cilium({ version: '1.17' as never }).app,
    },
  ],
};
