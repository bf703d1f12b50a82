/**
 * Facts every pinned Cilium chart shares, which CiliumRelease and the cilium rules read: per-distribution API access,
 * Talos settings, datapath overheads and the agent's client rate-limit defaults. What differs between minors (the
 * Talos agent capabilities among it) is in minors.ts.
 */

/** The `clean-cilium-state` init container's capabilities of every pinned chart, minus SYS_MODULE. */
export const TALOS_CLEAN_STATE_CAPABILITIES: readonly string[] = ['NET_ADMIN', 'SYS_ADMIN', 'SYS_RESOURCE'];

/** Talos mounts cgroup v2 itself, here; Cilium must not mount its own. */
export const TALOS_CGROUP_ROOT = '/sys/fs/cgroup';

/** Talos KubePrism: a node-local API server load balancer on localhost. */
export const KUBEPRISM = { host: 'localhost', port: 7445 } as const;

/** Bytes a VXLAN or Geneve header costs a pod packet (Cilium subtracts it from the device MTU). */
export const TUNNEL_OVERHEAD = 50;
/** Bytes WireGuard encryption costs a pod packet. */
export const WIREGUARD_OVERHEAD = 80;

/** The agent's Kubernetes client defaults (k8sClientRateLimit unset). */
export const AGENT_CLIENT_DEFAULTS = { qps: 10, burst: 20 } as const;

/** The chart's operator defaults. */
export const OPERATOR_DEFAULT_REPLICAS = 2;

/** The chart's default operator anti-affinity: at most one operator per node. */
export const OPERATOR_ANTI_AFFINITY = {
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'io.cilium/app': 'operator' } } },
    ],
  },
} as const;

/**
 * The IPAM defaults of every pinned chart's values.yaml (1.18.12, 1.19.6, 1.20.0). The configmap template also falls
 * back to cluster-pool when `ipam.mode` is empty (`coalesce .Values.ipam.mode "cluster-pool"`).
 */
export const CHART_IPAM_DEFAULTS = { mode: 'cluster-pool', clusterPoolIPv4PodCIDRList: ['10.0.0.0/8'] } as const;

/** `autoDirectNodeRoutes` in every pinned chart's values.yaml: no routes to other nodes' pod CIDRs. */
export const CHART_AUTO_DIRECT_NODE_ROUTES = false;
