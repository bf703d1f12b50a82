/**
 * The node firewall, derived from the Cluster and its Cilium configuration (seed 001's UFW table, computed
 * instead of copied): nftables per node, and the same rows as a UFW script.
 */
import { Construct } from 'constructs';
import { CiliumRelease } from './cilium-release.js';
import { Cluster, type ClusterNode } from './cluster.js';
import { EdgeFolder, edgeNodesOf, notRendered } from './edge-folder.js';
import { EdgeLoadBalancer } from './edge-load-balancer.js';
import {
  checkFirewallInput,
  type FirewallInput,
  NFT_INSTALL_PATH,
  NFT_UNIT_NAME,
  renderFirewallUnit,
  renderNftables,
  renderUfw,
  type RoutingMode,
} from './edge/firewall.js';
import { HelmChart } from './helm-chart.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** What the node firewall needs to know about Cilium's datapath. */
export interface CiliumDatapath {
  /** Helm `routingMode`. */
  readonly routingMode: 'tunnel' | 'native';
  /** Helm `tunnelProtocol` (tunnel mode only). */
  readonly tunnelProtocol?: 'vxlan' | 'geneve';
  /** Helm `hubble.enabled`. */
  readonly hubbleEnabled: boolean;
  /** Helm `encryption.enabled` + `encryption.type`. */
  readonly encryption: 'none' | 'wireguard' | 'ipsec';
  /**
   * Helm `kubeProxyReplacement`: Cilium answers Service traffic in eBPF, before netfilter.
   *
   * @default false
   */
  readonly kubeProxyReplacement?: boolean;
}

/** Cilium chart defaults: tunnel (VXLAN), Hubble on, no encryption. */
export const CILIUM_CHART_DEFAULT_DATAPATH: CiliumDatapath = {
  routingMode: 'tunnel',
  tunnelProtocol: 'vxlan',
  hubbleEnabled: true,
  encryption: 'none',
};

/**
 * The Cilium datapath of a cluster: from its {@link CiliumRelease}; else from the values of a `cilium` chart
 * release added by other means; else the chart defaults.
 */
export function ciliumDatapathOf(cluster: Cluster): CiliumDatapath & { readonly source: 'CiliumRelease' | 'chart values' | 'chart defaults' } {
  const release = CiliumRelease.of(cluster);
  if (release) {
    return {
      routingMode: release.routingMode,
      ...(release.routingMode === 'tunnel' ? { tunnelProtocol: release.tunnelProtocol ?? 'vxlan' } : {}),
      hubbleEnabled: release.hubbleEnabled,
      encryption: release.encryption,
      kubeProxyReplacement: release.kubeProxyReplacement,
      source: 'CiliumRelease',
    };
  }
  const chart = cluster.constructsOf(HelmChart).find((c) => c.chart === 'cilium');
  if (!chart) return { ...CILIUM_CHART_DEFAULT_DATAPATH, source: 'chart defaults' };
  const v = chart.values() as Record<string, any>;
  const routingMode = v.routingMode === 'native' ? 'native' : 'tunnel';
  const tunnelProtocol = routingMode === 'tunnel' ? (v.tunnelProtocol === 'geneve' ? 'geneve' : 'vxlan') : undefined;
  const hubbleEnabled = v.hubble?.enabled ?? CILIUM_CHART_DEFAULT_DATAPATH.hubbleEnabled;
  const encryption = v.encryption?.enabled ? (v.encryption.type === 'ipsec' ? 'ipsec' : 'wireguard') : 'none';
  const kubeProxyReplacement = v.kubeProxyReplacement === true || v.kubeProxyReplacement === 'true';
  return {
    routingMode,
    ...(tunnelProtocol ? { tunnelProtocol } : {}),
    hubbleEnabled: hubbleEnabled !== false,
    encryption,
    kubeProxyReplacement,
    source: 'chart values',
  };
}

export interface NodeFirewallProps {
  /**
   * Cilium's datapath, when it is not the cluster's `cilium` chart release (or to pin it).
   *
   * @default - the cluster's CiliumRelease (see {@link ciliumDatapathOf})
   */
  readonly datapath?: CiliumDatapath;
  /**
   * The nodes run node-exporter (host network, TCP 9100) and these sources scrape it.
   *
   * @default - not monitored: 9100 stays closed
   */
  readonly nodeExporter?: { readonly scrapeSources?: readonly string[] };
  /**
   * Addresses the external load balancer connects from (6443 and 80/443).
   *
   * @default - the EdgeLoadBalancer's addresses (VIP and host), else the cluster's externalLoadBalancer
   */
  readonly loadBalancerSources?: readonly string[];
  /**
   * Names of the nodes that serve ingress on 80/443.
   *
   * @default - the EdgeLoadBalancer's ingress nodes, else the cluster's workload nodes
   */
  readonly ingressNodes?: readonly string[];
}

/**
 * Node firewall files: `edge/firewall/<node>.nft` (nftables, its own table `inet netkit`: input policy drop, and
 * 80/443 restricted before kube-proxy's DNAT), `edge/firewall/netkit-firewall.service` (the systemd unit that loads
 * it on its own, never through a `flush ruleset`), and `edge/firewall/<node>.ufw.sh` (the same rows as `ufw allow`
 * lines), per node.
 *
 * Rows follow the cluster: VXLAN 8472/udp only in VXLAN mode, Geneve 6081/udp only in Geneve mode, neither
 * in native routing; Hubble 4244 only with Hubble; WireGuard 51871/udp only with WireGuard; etcd 2379-2380
 * only with embedded etcd; Cilium health 4240 and kubelet 10250 always; node-exporter 9100 when monitored;
 * 6443 from the load balancer and the nodes; 80/443 from the load balancer; SSH from the management network.
 *
 * @see https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules
 * @see https://docs.k3s.io/installation/requirements#networking
 */
/** What a NodeFirewall accepts (NET-IN1, NET-IN2, NET-IN4). */
const NODE_FIREWALL_SPEC = p.object({
  datapath: p.optional(
    p.object(
      {
        routingMode: p.oneOf(['tunnel', 'native']),
        tunnelProtocol: p.optional(p.oneOf(['vxlan', 'geneve'])),
        hubbleEnabled: p.boolean(),
        encryption: p.oneOf(['none', 'wireguard', 'ipsec']),
        kubeProxyReplacement: p.optional(p.boolean()),
      },
      { unknownKeys: 'keep' },
    ),
  ),
  nodeExporter: p.optional(p.object({ scrapeSources: p.optional(p.array(p.cidr())) })),
  loadBalancerSources: p.optional(p.array(p.cidr())),
  ingressNodes: p.optional(p.array(p.name('subdomain', { landsAs: 'a node name' }))),
});

export class NodeFirewall extends Construct {
  private readonly cluster: Cluster;
  private readonly props: NodeFirewallProps;

  public constructor(scope: Construct, id: string, given: NodeFirewallProps = {}) {
    super(scope, id);
    const props = checkProps<NodeFirewallProps>(this, NODE_FIREWALL_SPEC, given, {});
    this.cluster = Cluster.of(this);
    this.props = props;
    const folder = EdgeFolder.ensure(this);
    folder.addFile(
      {
        path: `edge/firewall/${NFT_UNIT_NAME}`,
        destination: `/etc/systemd/system/${NFT_UNIT_NAME} on every node`,
        apply:
          `\`systemctl daemon-reload && systemctl enable --now ${NFT_UNIT_NAME}\` once the node's file is in place. It loads ${NFT_INSTALL_PATH} alone: ` +
          "never include that file from /etc/nftables.conf (Debian's starts with `flush ruleset`, which deletes kube-proxy's and Cilium's rules on every reload), and leave nftables.service disabled or without `flush ruleset`.",
      },
      () => renderFirewallUnit(),
      this,
    );
    for (const node of [...this.cluster.nodes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      folder.addFile(
        {
          path: `edge/firewall/${fileName(node)}.nft`,
          destination: `${NFT_INSTALL_PATH} on node ${node.name} (${node.address}), loaded by ${NFT_UNIT_NAME}`,
          apply: `Check with \`nft -c -f ${NFT_INSTALL_PATH}\`, then \`systemctl reload ${NFT_UNIT_NAME}\` (it replaces table inet netkit only).`,
        },
        () => this.render(node, 'nft'),
        this,
      );
      folder.addFile(
        {
          path: `edge/firewall/${fileName(node)}.ufw.sh`,
          destination: `node ${node.name} (${node.address}), when it uses UFW instead of nftables`,
          apply: `Run \`sh ${fileName(node)}.ufw.sh\` as root, then \`ufw default deny incoming && ufw default allow outgoing && ufw enable\`.`,
        },
        () => this.render(node, 'ufw'),
        this,
      );
    }
  }

  /** The Cilium datapath the rows follow. */
  public datapath(): CiliumDatapath {
    return this.props.datapath ?? ciliumDatapathOf(this.cluster);
  }

  /** The renderer input this construct derives from the Cluster and its Cilium configuration. */
  public firewallInput(): FirewallInput {
    const c = this.cluster;
    const dp = this.datapath();
    const lb = EdgeLoadBalancer.of(c);
    const lbSources =
      this.props.loadBalancerSources ??
      (lb
        ? lb.sourceAddresses()
        : c.externalLoadBalancer
          ? [c.externalLoadBalancer.address, ...(c.externalLoadBalancer.hostAddress ? [c.externalLoadBalancer.hostAddress] : [])]
          : []);
    const ingress = new Set(this.props.ingressNodes ?? lb?.ingressNodes ?? c.workloadNodes.map((n) => n.name));
    const routingMode: RoutingMode = dp.routingMode === 'native' ? 'native' : (dp.tunnelProtocol ?? 'vxlan');
    return {
      clusterName: c.clusterName,
      nodes: edgeNodesOf(c.nodes, ingress),
      managementSources: [c.managementCidr],
      ...(lbSources.length ? { loadBalancerSources: lbSources } : {}),
      podCidr: c.podCidr,
      routingMode,
      // IPsec has no row in the table: NET-EDGE7 reports it.
      encryption: dp.encryption === 'wireguard' ? 'wireguard' : 'none',
      hubble: dp.hubbleEnabled,
      embeddedEtcd: c.embeddedEtcd,
      ...(this.props.nodeExporter ? { nodeExporter: this.props.nodeExporter } : {}),
      apiServerPort: c.apiEndpoint.port,
      ...(dp.kubeProxyReplacement ? { kubeProxyReplacement: true } : {}),
    };
  }

  private render(node: ClusterNode, format: 'nft' | 'ufw'): string {
    const input = this.firewallInput();
    const problems = checkFirewallInput(input);
    if (problems.length) return notRendered('The node firewall', problems);
    return format === 'nft' ? renderNftables(input, { forNode: node.name }) : renderUfw(input, { forNode: node.name });
  }
}

function fileName(node: ClusterNode): string {
  return node.name.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}
