/**
 * Cilium as a typed, version-aware Helm release: the values are derived from the Cluster (API access per
 * distribution, pod CIDR, MTU, L2 pools, LoadBalancer services) and from a few typed props; the cilium rules
 * (NET-CIL*) check what is rendered.
 */
import { ApiObject } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import {
  AGENT_CLIENT_DEFAULTS,
  KUBEPRISM,
  OPERATOR_ANTI_AFFINITY,
  OPERATOR_DEFAULT_REPLICAS,
  TALOS_CGROUP_ROOT,
  TALOS_CLEAN_STATE_CAPABILITIES,
  TUNNEL_OVERHEAD,
  WIREGUARD_OVERHEAD,
} from './cilium/defaults.js';
import { Cluster, Distribution } from './cluster.js';
import { GitOpsFlavour } from './gitops/gitops.js';
import { GatewayApiChannel, GatewayApiCrds, channelFor } from './gateway-api-crds.js';
import { ChartRepository, HelmChart } from './helm-chart.js';
import { Component, Layer } from './component.js';
import { CHART_SOURCES } from './core/versions.js';
import { L2Pool } from './l2-pool.js';
import { CILIUM_MINOR_LIST, CILIUM_MINORS, ciliumMinor, NEWEST_CILIUM_MINOR, type CiliumMinor } from './cilium/minors.js';
import { isGatewayApiVersion } from './gateway/api-group.js';
import { checkProps, Findings } from './findings.js';
import * as p from './core/props.js';
import { objectJson } from './core/to-json.js';
import { descendants } from './core/tree.js';

export type { CiliumMinor };

/** Encapsulation of a tunnel routing mode. */
export type TunnelProtocol = 'vxlan' | 'geneve';

export interface NativeRoutingOptions {
  /**
   * The CIDR Cilium routes natively (not masqueraded, not tunnelled). Must contain the pod CIDR.
   *
   * @default - the Cluster's podCidr
   * @see https://docs.cilium.io/en/stable/network/concepts/routing/#native-routing
   */
  readonly ipv4NativeRoutingCidr?: string;
  /**
   * Install a route to every other node's pod CIDR on each node. Works when all nodes share one L2 segment (the
   * Cluster's nodeSubnet); otherwise the network must route pod CIDRs (BGP, static routes). Setting it to false fails
   * the synth with NET-CIL21 unless Cilium's BGP control plane is on or the finding is acknowledged with how the pod
   * CIDRs are routed.
   *
   * @default true
   * @see https://docs.cilium.io/en/stable/network/concepts/routing/#native-routing
   */
  readonly autoDirectNodeRoutes?: boolean;
}

/**
 * How pod traffic crosses between nodes.
 *
 * Changing it on a live cluster is not a rolling change: nodes on the old and new datapath cannot reach each
 * other's pods until every agent restarted (cilium#36968). NET-CIL11 refuses such a change unless acknowledged.
 *
 * @see https://docs.cilium.io/en/stable/network/concepts/routing/
 */
export class Routing {
  /** Encapsulate pod traffic between nodes (works on any network; costs 50 bytes of MTU). */
  public static tunnel(protocol: TunnelProtocol = 'vxlan'): Routing {
    return new Routing('tunnel', protocol, undefined, undefined);
  }

  /** Route pod traffic natively (no encapsulation; the network, or autoDirectNodeRoutes, must route pod CIDRs). */
  public static native(options: NativeRoutingOptions = {}): Routing {
    return new Routing('native', undefined, options.ipv4NativeRoutingCidr, options.autoDirectNodeRoutes ?? true);
  }

  private constructor(
    public readonly mode: 'tunnel' | 'native',
    public readonly tunnelProtocol: TunnelProtocol | undefined,
    public readonly ipv4NativeRoutingCidr: string | undefined,
    public readonly autoDirectNodeRoutes: boolean | undefined,
  ) {}
}

/** How Cilium assigns pod addresses. Never change it on a live cluster. */
export enum IpamMode {
  /** The operator carves per-node blocks from the Cluster's podCidr. */
  CLUSTER_POOL = 'cluster-pool',
  /** Use each Node's spec.podCIDR, as allocated by kube-controller-manager. */
  KUBERNETES = 'kubernetes',
}

/** Transparent encryption of pod traffic between nodes. */
export type CiliumEncryption = 'none' | 'wireguard' | 'ipsec';

/** The traffic policy of a Gateway's LoadBalancer Service. */
export type GatewayExternalTrafficPolicy = 'Cluster' | 'Local';

export interface GatewayApiOptions {
  /**
   * Offer HTTP/2 then HTTP/1.1 by ALPN on TLS listeners (Gateway listeners have no ALPN field). Implies
   * `enableAppProtocol`. On by default here (the chart's default is off): a `DualGateway` requires it (rule NET-GW8),
   * and it is the gateway side of seed 002's QUIC fix — the listeners offer h2 and http/1.1, never h3.
   *
   * @default true
   * @see https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/
   */
  readonly enableAlpn?: boolean;
  /**
   * `externalTrafficPolicy` of the Services Cilium creates for Gateways.
   *
   * `Local` keeps the client's source address, but do not combine it with L2 announcements: from Cilium 1.20.2 the
   * L2 announcer announces a Local service only from nodes holding one of its backends, and a gateway Service's only
   * backend is synthetic (on no node), so no node answers ARP for the gateway addresses (cilium#46399, NET-CIL16).
   * Seed 002's "session affinity" keys are not chart values and do nothing (NET-CIL2).
   *
   * @default 'Cluster'
   * @see https://docs.cilium.io/en/stable/helm-reference/
   */
  readonly externalTrafficPolicy?: GatewayExternalTrafficPolicy;
  /**
   * The Gateway API CRD channel installed in the CRDS layer.
   *
   * @default - experimental when the tree renders a route kind (TLSRoute, TCPRoute, UDPRoute) that the standard
   *   channel of the matched Gateway API release does not serve; standard otherwise
   * @see https://gateway-api.sigs.k8s.io/concepts/versioning/#release-channels
   */
  readonly crdChannel?: GatewayApiChannel;
}

export interface HubbleOptions {
  /**
   * Run hubble-relay (cluster-wide flow API).
   *
   * @default false
   * @see https://docs.cilium.io/en/stable/observability/hubble/setup/
   */
  readonly relay?: boolean;
  /**
   * Run the Hubble UI. Needs the relay.
   *
   * @default false
   */
  readonly ui?: boolean;
}

export interface ConntrackTimeouts {
  /**
   * Idle timeout of established non-service TCP connections (agent flag `bpf-ct-timeout-regular-tcp`).
   *
   * @default - the agent's (6h)
   * @see https://docs.cilium.io/en/stable/cmdref/cilium-agent/
   */
  readonly regularTcpSeconds?: number;
  /**
   * Idle timeout of non-TCP, non-service flows (agent flag `bpf-ct-timeout-regular-any`).
   *
   * @default - the agent's (1m)
   */
  readonly regularAnySeconds?: number;
}

export interface CiliumReleaseProps {
  /**
   * The Cilium minor; the chart and the Gateway API CRDs are pinned to the releases of its entry in CILIUM_MINORS.
   * A version outside the table (input that bypassed the types) is reported as NET-CIL2, and the release is
   * modelled on the newest supported minor so that every other check still runs.
   *
   * @see https://docs.cilium.io/en/stable/operations/upgrade/
   */
  readonly version: CiliumMinor;
  /**
   * Where the chart comes from: the classic Helm repository or the OCI registry. Upstream recommends OCI
   * (`oci://quay.io/cilium/charts/cilium`): the chart is signed there and no index.yaml is downloaded.
   *
   * @default 'helm'
   * @see https://docs.cilium.io/en/stable/installation/k8s-install-helm/
   */
  readonly repository?: 'helm' | 'oci';
  /**
   * Routing mode.
   *
   * @default Routing.tunnel('vxlan')
   * @see https://docs.cilium.io/en/stable/network/concepts/routing/
   */
  readonly routing?: Routing;
  /**
   * Replace kube-proxy with Cilium's eBPF service handling. On k3s, start the servers with `--disable-kube-proxy`;
   * on Talos set `cluster.proxy.disabled: true`. Required by L2 announcements, the Gateway API and the Ingress controller.
   *
   * @default false
   * @see https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/
   */
  readonly kubeProxyReplacement?: boolean;
  /**
   * Announce LoadBalancer addresses on the node LAN (ARP).
   *
   * @default - enabled when the cluster has an L2Pool
   * @see https://docs.cilium.io/en/stable/network/l2-announcements/
   */
  readonly l2Announcements?: boolean;
  /**
   * Cilium's Gateway API controller; the matching Gateway API CRDs are installed in the CRDS layer.
   *
   * The chart is told to always create the `cilium` GatewayClass (`gatewayAPI.gatewayClass.create: "true"`): its
   * default `auto` creates it only when the GatewayClass API already exists at install time, so a Cilium installed
   * before the CRDs would have no GatewayClass until its next upgrade.
   *
   * @default - disabled
   * @see https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/
   */
  readonly gatewayApi?: GatewayApiOptions;
  /**
   * cilium-operator replicas; at most one per node (the chart's required anti-affinity on the hostname).
   *
   * @default - 2, or 1 on a single-node cluster
   * @see https://docs.cilium.io/en/stable/helm-reference/
   */
  readonly operatorReplicas?: number;
  /**
   * Bandwidth Manager (EDT rate limiting of pod egress).
   *
   * @default false
   * @see https://docs.cilium.io/en/stable/network/kubernetes/bandwidth-manager/
   */
  readonly bandwidthManager?: boolean;
  /**
   * BBR congestion control for pods. Needs the Bandwidth Manager, kernel ≥ 5.18 and eBPF host routing
   * (kubeProxyReplacement, bpfMasquerade, no IPsec): otherwise the agent refuses to start (NET-CIL15).
   *
   * @default false
   * @see https://docs.cilium.io/en/stable/network/kubernetes/bandwidth-manager/#bbr-for-pods
   */
  readonly bbr?: boolean;
  /**
   * Masquerade in eBPF instead of iptables. Needs the eBPF NodePort datapath, i.e. kube-proxy replacement: without
   * it the agent refuses to start (NET-CIL14).
   *
   * @default - the chart's (iptables masquerading)
   * @see https://docs.cilium.io/en/stable/network/concepts/masquerading/
   */
  readonly bpfMasquerade?: boolean;
  /**
   * Conntrack idle timeouts, set as agent flags through `extraConfig` (the chart has no values for them; seed 002's
   * `bpf.ctTcpTimeout` is ignored by Helm).
   *
   * @default - the agent's
   * @see https://docs.cilium.io/en/stable/cmdref/cilium-agent/
   */
  readonly conntrackTimeouts?: ConntrackTimeouts;
  /**
   * Hubble relay and UI. The agent's Hubble server is on in every case (chart default).
   *
   * @default - neither relay nor UI
   * @see https://docs.cilium.io/en/stable/observability/hubble/
   */
  readonly hubble?: HubbleOptions;
  /**
   * IPAM mode. Never change it on a live cluster (NET-CIL11).
   *
   * @default IpamMode.CLUSTER_POOL (with the Cluster's podCidr)
   * @see https://docs.cilium.io/en/stable/network/concepts/ipam/
   */
  readonly ipamMode?: IpamMode;
  /**
   * Network devices Cilium attaches to (NodePort, L2 announcements, host firewall). L2-announced interfaces must be
   * among them.
   *
   * @default - auto-detected by the agent
   * @see https://docs.cilium.io/en/stable/helm-reference/
   */
  readonly devices?: readonly string[];
  /**
   * Transparent encryption between nodes. IPsec needs the `cilium-ipsec-keys` Secret in kube-system.
   *
   * @default 'none'
   * @see https://docs.cilium.io/en/stable/security/network/encryption/
   */
  readonly encryption?: CiliumEncryption;
  /**
   * The API server address the agent uses before cluster DNS exists.
   *
   * @default - Talos: `localhost` (KubePrism); otherwise the Cluster's apiEndpoint host
   * @see https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/
   */
  readonly k8sServiceHost?: string;
  /**
   * The API server port for {@link k8sServiceHost}.
   *
   * @default - Talos: 7445 (KubePrism); otherwise the Cluster's apiEndpoint port
   */
  readonly k8sServicePort?: number;
  /**
   * Escape hatch: values merged over the generated ones (maps merge, everything else replaces). Every key must
   * exist in the pinned chart (NET-CIL2).
   *
   * @default {}
   * @see https://docs.cilium.io/en/stable/helm-reference/
   */
  readonly extraValues?: Record<string, unknown>;
}

/** What CiliumRelease reads from an L2 pool (see L2Pool): its name and lease timings. */
export interface LeasePool extends IConstruct {
  readonly poolName: string;
  readonly leaseDurationSeconds: number;
  readonly leaseRenewDeadlineSeconds: number;
  readonly leaseRetryPeriodSeconds: number;
}

/** The L2 pools of a cluster, in construct order, as far as Cilium's agent-wide lease settings are concerned. */
export function leasePoolsOf(cluster: Cluster): LeasePool[] {
  return L2Pool.allOf(cluster);
}

/**
 * How many LoadBalancer services the cluster renders: `type: LoadBalancer` Services plus Gateways (Cilium creates
 * one LoadBalancer Service per Gateway). Each holds an L2 announcement lease.
 */
export function loadBalancerServiceCount(objects: readonly { apiVersion: string; kind: string; json?: any }[]): number {
  return objects.filter(
    (o) =>
      (o.kind === 'Service' && o.apiVersion === 'v1' && o.json?.spec?.type === 'LoadBalancer') || (o.kind === 'Gateway' && isGatewayApiVersion(o.apiVersion)),
  ).length;
}

/**
 * The agent's Kubernetes client rate limit for `services` L2 leases renewed every `renewDeadlineSeconds`: about
 * one request per lease per renew deadline, never below the agent defaults (10 QPS, burst 20). Integers (the
 * chart's schema says integer).
 */
export function clientRateLimitFor(services: number, renewDeadlineSeconds: number): { qps: number; burst: number } {
  const needed = renewDeadlineSeconds > 0 ? Math.ceil(services / renewDeadlineSeconds) : services;
  const qps = Math.max(AGENT_CLIENT_DEFAULTS.qps, needed);
  return { qps, burst: Math.max(AGENT_CLIENT_DEFAULTS.burst, qps * 2) };
}

/**
 * How Hubble's TLS certificates are made when Argo CD installs Cilium: by the chart's certgen Job (and its CronJob,
 * which renews them), not by Helm.
 *
 * The chart's default method (`helm`) generates `cilium-ca` and the Hubble server and relay certificates in the
 * templates and reuses them through Helm's `lookup`. Argo CD renders charts with `helm template`, where `lookup`
 * returns nothing, so each render has a new CA and new certificates: the Application never reaches Synced, and
 * self-heal rotates the certificates on every sync (cilium#14550, #36012). With `cronJob` the templates hold no
 * certificate at all (for the pinned 1.18, 1.19 and 1.20 charts, `cilium-ca` included: its template is gated on the
 * `helm` method), so two renders are identical; the Job writes the Secrets in-cluster and reuses `cilium-ca`. (In 1.18 the Job is a
 * Helm post-install/post-upgrade hook, which Argo CD runs as a PostSync hook: each sync renews the leaf certificates,
 * which Hubble reloads; it leaves no diff.)
 *
 * The other fix, ignoreDifferences with RespectIgnoreDifferences on the generated Secrets, was not taken: it has to
 * name each generated object (upstream's doc lists three; `cilium-ca` and, in newer charts, more certificates are
 * generated too), a chart upgrade that adds one brings the endless diff back silently, and the first sync still
 * applies a CA from a throw-away render. Under Flux the `helm` method stays: helm-controller installs against the
 * cluster, where `lookup` works, and switching a running release would make Helm delete its Secrets.
 *
 * @see https://docs.cilium.io/en/stable/configuration/argocd-issues/
 */
export const HUBBLE_TLS_METHOD_ARGOCD = 'cronJob';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `over` merged into `base`: maps merge key by key, anything else (lists, scalars, null) replaces. */
export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeValues(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/**
 * Cilium, installed by the cluster's GitOps engine as Helm release `cilium` in kube-system (CNI layer, folder
 * `cilium`), with the Gateway API CRDs in the CRDS layer when the Gateway API is enabled.
 *
 * ```ts
 * new CiliumRelease(cluster, 'Cilium', {
 *   version: '1.20',
 *   kubeProxyReplacement: true,
 *   gatewayApi: { enableAlpn: true, externalTrafficPolicy: 'Cluster' },
 * });
 * ```
 *
 * MTU: the chart's `MTU` is the device MTU, taken from the Cluster's nodeMtu; Cilium subtracts the tunnel (50 bytes)
 * and WireGuard (80 bytes) overheads itself. The pods' MTU is {@link podMtu}: 1450 on a 1500 network with VXLAN,
 * 1350 on seed 004's 1400 network.
 *
 * @see https://docs.cilium.io/en/stable/installation/k8s-install-helm/
 */
/** A Routing, with what its factory was given. */
const ROUTING_SPEC: p.Spec = {
  expected: 'a Routing from Routing.tunnel() or Routing.native()',
  clean: (v, path, issues) => {
    const r = p.instance(Routing, 'a Routing from Routing.tunnel() or Routing.native()').clean(v, path, issues);
    if (r === p.INVALID) return r;
    const routing = r as Routing;
    const parts =
      routing.mode === 'tunnel'
        ? [p.oneOf(['vxlan', 'geneve']).clean(routing.tunnelProtocol, `${path}.tunnelProtocol`, issues)]
        : [
            routing.ipv4NativeRoutingCidr === undefined ? '' : p.cidr().clean(routing.ipv4NativeRoutingCidr, `${path}.ipv4NativeRoutingCidr`, issues),
            p.boolean().clean(routing.autoDirectNodeRoutes, `${path}.autoDirectNodeRoutes`, issues),
          ];
    return parts.includes(p.INVALID) ? p.INVALID : r;
  },
};

/**
 * What a CiliumRelease accepts (NET-IN1 to NET-IN4). `version` is checked by the release itself against the pinned
 * minors (NET-CIL2), which names them.
 */
const CILIUM_RELEASE_SPEC = p.object({
  version: p.optional({ expected: 'a Cilium minor', clean: (v) => v }),
  repository: p.optional(p.oneOf(['helm', 'oci'])),
  routing: p.optional(ROUTING_SPEC),
  kubeProxyReplacement: p.optional(p.boolean()),
  l2Announcements: p.optional(p.boolean()),
  gatewayApi: p.optional(
    p.object({
      enableAlpn: p.optional(p.boolean()),
      externalTrafficPolicy: p.optional(p.oneOf(['Cluster', 'Local'])),
      crdChannel: p.optional(p.oneOf(Object.values(GatewayApiChannel))),
    }),
  ),
  operatorReplicas: p.optional(p.integer({ min: 1, max: 100 })),
  bandwidthManager: p.optional(p.boolean()),
  bbr: p.optional(p.boolean()),
  bpfMasquerade: p.optional(p.boolean()),
  conntrackTimeouts: p.optional(
    p.object({ regularTcpSeconds: p.optional(p.integer({ min: 1, max: 604800 })), regularAnySeconds: p.optional(p.integer({ min: 1, max: 604800 })) }),
  ),
  hubble: p.optional(p.object({ relay: p.optional(p.boolean()), ui: p.optional(p.boolean()) })),
  ipamMode: p.optional(p.oneOf(Object.values(IpamMode))),
  devices: p.optional(p.array(p.string({ maxLength: 256 }))),
  encryption: p.optional(p.oneOf(['none', 'wireguard', 'ipsec'])),
  k8sServiceHost: p.optional(p.string({ maxLength: 253 })),
  k8sServicePort: p.optional(p.port()),
  extraValues: p.optional(p.record(p.json())),
});

export class CiliumRelease extends Component {
  /** Helm release name and namespace: a public contract (the migration guard finds the last release by them). */
  public static readonly RELEASE_NAME = 'cilium';
  public static readonly NAMESPACE = 'kube-system';

  /** The CiliumRelease of a cluster, if any. */
  public static of(cluster: Cluster): CiliumRelease | undefined {
    return cluster.constructsOf(CiliumRelease)[0];
  }

  public readonly minor: CiliumMinor;
  /** The exact chart version rendered. */
  public readonly chartVersion: string;
  /** The Gateway API release this Cilium implements. */
  public readonly gatewayApiVersion: string;
  public readonly repository: 'helm' | 'oci';
  public readonly kubeProxyReplacement: boolean;
  public readonly routingMode: 'tunnel' | 'native';
  public readonly tunnelProtocol: TunnelProtocol | undefined;
  /** Natively routed CIDR (native routing only). */
  public readonly ipv4NativeRoutingCidr: string | undefined;
  public readonly autoDirectNodeRoutes: boolean | undefined;
  public readonly hubbleEnabled: boolean;
  public readonly hubbleRelay: boolean;
  public readonly hubbleUi: boolean;
  public readonly encryption: CiliumEncryption;
  public readonly ipamMode: IpamMode;
  public readonly operatorReplicas: number;
  public readonly k8sServiceHost: string;
  public readonly k8sServicePort: number;
  /** The Helm release (Flux HelmRelease or Argo CD Application). */
  public readonly chart: HelmChart;

  private readonly props: CiliumReleaseProps;
  private readonly extra: Record<string, unknown>[] = [];
  private gateway: { enabled: boolean; enableAlpn: boolean; externalTrafficPolicy: GatewayExternalTrafficPolicy; crdChannel?: GatewayApiChannel } = {
    enabled: false,
    enableAlpn: false,
    externalTrafficPolicy: 'Cluster',
  };
  private crds?: GatewayApiCrds;

  public constructor(scope: Construct, id: string, given: CiliumReleaseProps) {
    super(scope, id, { layer: Layer.CNI, folder: 'cilium' });
    const cluster = Cluster.of(this);
    const props = checkProps<CiliumReleaseProps>(this, CILIUM_RELEASE_SPEC, given, { version: NEWEST_CILIUM_MINOR });
    this.props = props;
    this.minor = supportedMinor(this, props.version);
    const facts = CILIUM_MINORS[this.minor];
    this.chartVersion = facts.chart;
    this.gatewayApiVersion = facts.gatewayApi.version;
    this.repository = props.repository ?? 'helm';
    this.kubeProxyReplacement = props.kubeProxyReplacement ?? false;
    const routing = props.routing ?? Routing.tunnel('vxlan');
    this.routingMode = routing.mode;
    this.tunnelProtocol = routing.tunnelProtocol;
    this.ipv4NativeRoutingCidr = routing.mode === 'native' ? (routing.ipv4NativeRoutingCidr ?? cluster.podCidr) : undefined;
    this.autoDirectNodeRoutes = routing.autoDirectNodeRoutes;
    this.hubbleEnabled = true;
    this.hubbleRelay = props.hubble?.relay ?? false;
    this.hubbleUi = props.hubble?.ui ?? false;
    this.encryption = props.encryption ?? 'none';
    this.ipamMode = props.ipamMode ?? IpamMode.CLUSTER_POOL;
    this.operatorReplicas = props.operatorReplicas ?? (cluster.nodes.length === 1 ? 1 : OPERATOR_DEFAULT_REPLICAS);
    const talos = cluster.distribution === Distribution.TALOS;
    this.k8sServiceHost = props.k8sServiceHost ?? (talos ? KUBEPRISM.host : cluster.apiEndpoint.host);
    this.k8sServicePort = props.k8sServicePort ?? (talos ? KUBEPRISM.port : cluster.apiEndpoint.port);

    const source = CHART_SOURCES.cilium;
    this.chart = new HelmChart(this, 'Chart', {
      chart: 'cilium',
      version: this.chartVersion,
      repository: this.repository === 'oci' ? ChartRepository.oci('cilium', source.oci) : ChartRepository.helm('cilium', source.helm),
      namespace: CiliumRelease.NAMESPACE,
      releaseName: CiliumRelease.RELEASE_NAME,
      values: () => this.values(),
      // The CNI: removing its release cuts every pod off the network, the GitOps controllers included.
      keep: true,
      // One values file read by the GitOps engine and by the bootstrap's helm install: the two never drift.
      valuesFile: true,
      owns: [
        { kind: 'DaemonSet', name: 'cilium', namespace: CiliumRelease.NAMESPACE },
        { kind: 'DaemonSet', name: 'cilium-envoy', namespace: CiliumRelease.NAMESPACE },
        { kind: 'Deployment', name: 'cilium-operator', namespace: CiliumRelease.NAMESPACE },
        { kind: 'ConfigMap', name: 'cilium-config', namespace: CiliumRelease.NAMESPACE },
        { kind: 'GatewayClass', name: 'cilium' },
      ],
    });

    if (props.gatewayApi) this.enableGatewayApi(props.gatewayApi);
    if (props.extraValues) this.addExtraValues(props.extraValues);
  }

  /**
   * Enable Cilium's Gateway API controller and install the matching Gateway API CRDs in the CRDS layer.
   *
   * @see https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/
   */
  public enableGatewayApi(options: GatewayApiOptions = {}): this {
    this.gateway = {
      enabled: true,
      enableAlpn: options.enableAlpn ?? true,
      externalTrafficPolicy: options.externalTrafficPolicy ?? 'Cluster',
      ...(options.crdChannel ? { crdChannel: options.crdChannel } : {}),
    };
    if (!this.crds) {
      const cluster = Cluster.of(this);
      this.crds = new GatewayApiCrds(this, 'GatewayApiCrds', {
        version: this.gatewayApiVersion,
        channel: () => this.gateway.crdChannel ?? channelFor(this.gatewayApiVersion, gatewayObjects(cluster)),
      });
    }
    return this;
  }

  /**
   * Merge `values` over the generated values (maps merge, the rest replaces). Unknown keys fail synth (NET-CIL2).
   */
  public addExtraValues(values: Record<string, unknown>): this {
    this.extra.push(values);
    return this;
  }

  /** The Gateway API settings. */
  public get gatewayApi(): { readonly enabled: boolean; readonly enableAlpn: boolean; readonly externalTrafficPolicy: GatewayExternalTrafficPolicy } {
    const { enabled, enableAlpn, externalTrafficPolicy } = this.gateway;
    return { enabled, enableAlpn, externalTrafficPolicy };
  }

  /** The Gateway API CRD bundle this release installed, if the Gateway API is enabled. */
  public get gatewayApiCrds(): GatewayApiCrds | undefined {
    return this.crds;
  }

  /** True when L2 announcements are enabled explicitly, or (by default) when the cluster has an L2 pool. */
  public get l2AnnouncementsEnabled(): boolean {
    return this.props.l2Announcements ?? leasePoolsOf(Cluster.of(this)).length > 0;
  }

  /** The MTU pods get: the node MTU minus the tunnel and encryption overheads Cilium subtracts. */
  public get podMtu(): number {
    const cluster = Cluster.of(this);
    return cluster.nodeMtu - (this.routingMode === 'tunnel' ? TUNNEL_OVERHEAD : 0) - (this.encryption === 'wireguard' ? WIREGUARD_OVERHEAD : 0);
  }

  /** The values as rendered: generated from the model, then the extra values merged over them. */
  public values(): Record<string, unknown> {
    return this.extra.reduce((acc, v) => mergeValues(acc, v), this.generatedValues());
  }

  private generatedValues(): Record<string, unknown> {
    const cluster = Cluster.of(this);
    const talos = cluster.distribution === Distribution.TALOS;
    const v: Record<string, unknown> = {
      k8sServiceHost: this.k8sServiceHost,
      k8sServicePort: this.k8sServicePort,
    };
    if (talos) {
      v.cgroup = { autoMount: { enabled: false }, hostRoot: TALOS_CGROUP_ROOT };
      v.securityContext = {
        capabilities: { ciliumAgent: [...(ciliumMinor(this.minor)?.talosAgentCapabilities ?? [])], cleanCiliumState: [...TALOS_CLEAN_STATE_CAPABILITIES] },
      };
    }
    v.kubeProxyReplacement = this.kubeProxyReplacement;
    v.routingMode = this.routingMode;
    if (this.routingMode === 'tunnel') {
      v.tunnelProtocol = this.tunnelProtocol;
    } else {
      v.ipv4NativeRoutingCIDR = this.ipv4NativeRoutingCidr;
      v.autoDirectNodeRoutes = this.autoDirectNodeRoutes;
    }
    v.MTU = cluster.nodeMtu;
    v.ipam =
      this.ipamMode === IpamMode.CLUSTER_POOL ? { mode: this.ipamMode, operator: { clusterPoolIPv4PodCIDRList: [cluster.podCidr] } } : { mode: this.ipamMode };
    if (this.props.devices?.length) v.devices = [...this.props.devices];
    if (this.props.bpfMasquerade !== undefined) v.bpf = { masquerade: this.props.bpfMasquerade };
    if (this.props.bandwidthManager !== undefined || this.props.bbr !== undefined) {
      v.bandwidthManager = { enabled: this.props.bandwidthManager ?? this.props.bbr ?? false, bbr: this.props.bbr ?? false };
    }
    if (this.l2AnnouncementsEnabled) {
      const pool = leasePoolsOf(cluster)[0];
      v.l2announcements = pool
        ? {
            enabled: true,
            leaseDuration: `${pool.leaseDurationSeconds}s`,
            leaseRenewDeadline: `${pool.leaseRenewDeadlineSeconds}s`,
            leaseRetryPeriod: `${pool.leaseRetryPeriodSeconds}s`,
          }
        : { enabled: true };
      const services = loadBalancerServiceCount(renderedOf(cluster, ['Service', 'Gateway']));
      v.k8sClientRateLimit = clientRateLimitFor(services, pool?.leaseRenewDeadlineSeconds ?? 5);
    }
    if (this.gateway.enabled) {
      v.gatewayAPI = {
        enabled: true,
        enableAlpn: this.gateway.enableAlpn,
        externalTrafficPolicy: this.gateway.externalTrafficPolicy,
        // The chart default `auto` creates the GatewayClass only if Helm sees the GatewayClass API at install time;
        // the string "true" (typed string in the 1.18 and 1.19 charts, boolean|string in 1.20) always creates it.
        gatewayClass: { create: 'true' },
      };
    }
    if (this.encryption !== 'none') v.encryption = { enabled: true, type: this.encryption };
    v.operator = { replicas: this.operatorReplicas, affinity: structuredClone(OPERATOR_ANTI_AFFINITY) };
    v.hubble = {
      enabled: this.hubbleEnabled,
      relay: { enabled: this.hubbleRelay },
      ui: { enabled: this.hubbleUi },
      ...(cluster.gitops.flavour === GitOpsFlavour.ARGOCD ? { tls: { auto: { method: HUBBLE_TLS_METHOD_ARGOCD } } } : {}),
    };
    const ct = this.props.conntrackTimeouts;
    const extraConfig: Record<string, string> = {};
    if (ct?.regularTcpSeconds !== undefined) extraConfig['bpf-ct-timeout-regular-tcp'] = `${ct.regularTcpSeconds}s`;
    if (ct?.regularAnySeconds !== undefined) extraConfig['bpf-ct-timeout-regular-any'] = `${ct.regularAnySeconds}s`;
    if (Object.keys(extraConfig).length) v.extraConfig = extraConfig;
    return v;
  }
}

/**
 * `version` when the library pins a chart for it; otherwise the newest supported minor, with a NET-CIL2 finding on
 * the release that names the version given.
 */
function supportedMinor(release: IConstruct, version: CiliumMinor): CiliumMinor {
  const minors = CILIUM_MINOR_LIST;
  if (ciliumMinor(String(version))) return version;
  Findings.of(release).addError('NET-CIL2', {
    message: `Cilium ${String(version)} is not a version this library pins a chart for`,
    value: version,
    expected: `one of ${minors.join(', ')}`,
    fix: `Set version to one of ${minors.join(', ')}; a new minor needs its entry in cilium/minors.ts and its chart key index first.`,
  });
  return NEWEST_CILIUM_MINOR;
}

/** The cluster's objects of some kinds, as JSON (objects that fail to render are skipped: NET-RUN1 reports them). */
function renderedOf(cluster: Cluster, kinds: readonly string[]): { apiVersion: string; kind: string; json: any }[] {
  const out: { apiVersion: string; kind: string; json: any }[] = [];
  for (const c of descendants(cluster)) {
    if (!(c instanceof ApiObject) || !kinds.includes(c.kind)) continue;
    try {
      out.push({ apiVersion: c.apiVersion, kind: c.kind, json: objectJson(c) });
    } catch {
      // reported by the renderer
    }
  }
  return out;
}

function gatewayObjects(cluster: Cluster): { apiVersion: string; kind: string }[] {
  return cluster.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && isGatewayApiVersion(c.apiVersion))
    .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind }));
}
