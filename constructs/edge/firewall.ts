/**
 * The node firewall of a k3s/Talos + Cilium cluster, computed from the cluster's configuration (seed 001's
 * UFW port table, corrected), and rendered as nftables or as a UFW script.
 */
import { byCodePoint, EdgeInputError, type EdgeNode, type EdgeProblem, isIPv4, isIPv4AddressOrCidr, isIPv4Cidr, NodeRole } from './types.js';

/** Cilium's datapath between nodes. `native` sends pod traffic unencapsulated. */
export type RoutingMode = 'vxlan' | 'geneve' | 'native';

/** Input of {@link firewallPorts}. */
export interface FirewallInput {
  /** Cluster name, used in comments only. @default 'cluster' */
  readonly clusterName?: string;
  /** The cluster's nodes. Inter-node rows allow exactly these addresses. */
  readonly nodes: readonly EdgeNode[];
  /**
   * Networks (CIDR or address) allowed to SSH into the nodes.
   *
   * Required: a firewall with input policy drop and no SSH rule locks the operator out.
   */
  readonly managementSources: readonly string[];
  /**
   * Addresses the external load balancer connects from (for HAProxy: the host's own address, and the VIP
   * if HAProxy binds its source to it).
   *
   * @default - no 6443/80/443 rows for a load balancer
   */
  readonly loadBalancerSources?: readonly string[];
  /**
   * Cilium's pod CIDR (cluster-pool). Pods reach host-network endpoints on the nodes (Hubble relay → 4244,
   * Prometheus → 9100, pods → the API server) from these addresses.
   *
   * @default - pods are not among the sources
   * @see https://docs.cilium.io/en/stable/network/concepts/ipam/cluster-pool/
   */
  readonly podCidr?: string;
  /**
   * Cilium routing mode (Helm `routingMode` + `tunnelProtocol`).
   *
   * @see https://docs.cilium.io/en/stable/network/concepts/routing/
   */
  readonly routingMode: RoutingMode;
  /**
   * Transparent encryption between nodes. WireGuard listens on UDP 51871 on every node.
   *
   * @default 'none'
   * @see https://docs.cilium.io/en/stable/security/network/encryption-wireguard/
   */
  readonly encryption?: 'none' | 'wireguard';
  /** Hubble is enabled: the Hubble server listens on TCP 4244 on every node. @default false */
  readonly hubble?: boolean;
  /** The control plane runs embedded etcd (k3s `--cluster-init`, Talos). @default false */
  readonly embeddedEtcd?: boolean;
  /**
   * node-exporter runs on the nodes (hostNetwork, TCP 9100); these sources may scrape it.
   *
   * @default - not monitored, no 9100 row
   */
  readonly nodeExporter?: { readonly scrapeSources?: readonly string[] };
  /**
   * metrics-server is deployed. It never needs a node port: see {@link firewallPorts}.
   *
   * @default true (k3s bundles it)
   */
  readonly metricsServer?: boolean;
  /** API server port. @default 6443 */
  readonly apiServerPort?: number;
  /**
   * Cilium replaces kube-proxy: its eBPF datapath answers NodePort and LoadBalancer traffic at the interfaces, before
   * netfilter, so no nftables chain sees (or filters) it. The rendered files say so.
   *
   * @default false
   */
  readonly kubeProxyReplacement?: boolean;
}

/** A port or an inclusive port range. */
export type PortSpec = number | { readonly from: number; readonly to: number };

/** One row of the node firewall: accept `protocol` `port` from `sources` on the nodes in `appliesTo`. */
export interface FirewallRule {
  readonly port: PortSpec;
  readonly protocol: 'tcp' | 'udp';
  /** Short purpose, used as the rule comment. */
  readonly purpose: string;
  /** Source addresses or CIDRs, sorted and de-duplicated. */
  readonly sources: readonly string[];
  /** Names of the nodes that open this port (all nodes, or the control plane only). */
  readonly appliesTo: readonly string[];
  /** Why the row is present, in terms of the input. */
  readonly reason: string;
}

/** A port one might expect in the table and that is deliberately absent, with the reason. */
export interface OmittedPort {
  readonly port: PortSpec;
  readonly protocol: 'tcp' | 'udp';
  readonly purpose: string;
  readonly reason: string;
}

/** The port table: rows present and rows left out on purpose. */
export interface FirewallTable {
  readonly rules: readonly FirewallRule[];
  readonly omitted: readonly OmittedPort[];
}

/** Cilium's VXLAN port (Linux kernel default used by Cilium). */
export const VXLAN_PORT = 8472;
/** Cilium's Geneve port. */
export const GENEVE_PORT = 6081;
/** Cilium's WireGuard port (`cilium_wg0`). */
export const WIREGUARD_PORT = 51871;
/** Cilium's node-to-node health checks. */
export const CILIUM_HEALTH_PORT = 4240;
/** Hubble server on every node (queried by Hubble relay). */
export const HUBBLE_PORT = 4244;

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byCodePoint);
}

/** Finds problems in a firewall input (malformed addresses, no management source, no nodes). */
export function checkFirewallInput(input: FirewallInput): EdgeProblem[] {
  const problems: EdgeProblem[] = [];
  if (input.nodes.length === 0) {
    problems.push({
      id: 'EDGE-FW1',
      message: 'the firewall input has no nodes',
      value: [],
      expected: 'the cluster nodes',
      fix: 'Pass the cluster nodes.',
    });
  }
  if (input.managementSources.length === 0) {
    problems.push({
      id: 'EDGE-FW2',
      message: 'no management source: the input policy drops SSH and locks the operator out',
      value: input.managementSources,
      expected: 'one or more CIDRs or addresses allowed to SSH',
      fix: 'Set managementSources to the management network (e.g. 192.168.0.0/24).',
    });
  }
  const check = (what: string, values: readonly string[] | undefined, pred: (v: string) => boolean, expected: string) => {
    for (const v of values ?? []) {
      if (!pred(v)) {
        problems.push({ id: 'EDGE-FW3', message: `${what} is malformed`, value: v, expected, fix: `Correct ${what}.` });
      }
    }
  };
  check(
    'a node address',
    input.nodes.map((n) => n.address),
    isIPv4,
    'an IPv4 address',
  );
  check('a management source', input.managementSources, isIPv4AddressOrCidr, 'an IPv4 address or CIDR');
  check('a load balancer source', input.loadBalancerSources, isIPv4AddressOrCidr, 'an IPv4 address or CIDR');
  check('the pod CIDR', input.podCidr === undefined ? [] : [input.podCidr], isIPv4Cidr, 'an IPv4 CIDR such as 10.42.0.0/16');
  check('a scrape source', input.nodeExporter?.scrapeSources, isIPv4AddressOrCidr, 'an IPv4 address or CIDR');
  return problems;
}

/**
 * Computes the node firewall's port table from the cluster configuration.
 *
 * Present only when the configuration needs them: VXLAN 8472/udp (vxlan mode), Geneve 6081/udp (geneve
 * mode), neither in native routing; WireGuard 51871/udp with encryption; Hubble 4244/tcp with Hubble;
 * etcd 2379-2380/tcp between control-plane nodes with embedded etcd; node-exporter 9100/tcp when monitored;
 * API 6443 and ingress 80/443 from the load balancer. Always: SSH 22 from the management network, Cilium
 * health 4240, kubelet 10250.
 *
 * metrics-server gets no row: it runs as a pod (k3s: port 10250 inside the pod network, 4443 in older
 * releases), the API server reaches it through the pod network, and it scrapes the kubelets on 10250,
 * which is already open. Seed 001's "4443 between nodes" row opens a port nothing listens on.
 *
 * @throws EdgeInputError listing every problem {@link checkFirewallInput} finds
 * @see https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules
 * @see https://docs.k3s.io/installation/requirements#networking
 */
export function firewallPorts(input: FirewallInput): FirewallTable {
  const problems = checkFirewallInput(input);
  if (problems.length > 0) throw new EdgeInputError(`firewall input for ${input.clusterName ?? 'cluster'}`, problems);

  const nodes = [...input.nodes].sort((a, b) => byCodePoint(a.name, b.name));
  const all = nodes.map((n) => n.name);
  const controlPlane = nodes.filter((n) => n.roles.includes(NodeRole.CONTROL_PLANE));
  const cpNames = controlPlane.map((n) => n.name);
  const ingressNames = nodes.filter((n) => n.ingress !== false).map((n) => n.name);
  const nodeAddresses = sortedUnique(nodes.map((n) => n.address));
  const cpAddresses = sortedUnique(controlPlane.map((n) => n.address));
  const pods = input.podCidr ? [input.podCidr] : [];
  const lb = input.loadBalancerSources ?? [];
  const apiPort = input.apiServerPort ?? 6443;

  const rules: FirewallRule[] = [];
  const omitted: OmittedPort[] = [];
  const add = (r: Omit<FirewallRule, 'sources'> & { sources: Iterable<string> }) => rules.push({ ...r, sources: sortedUnique(r.sources) });

  add({
    port: 22,
    protocol: 'tcp',
    purpose: 'SSH from the management network',
    sources: input.managementSources,
    appliesTo: all,
    reason: 'operators and configuration management reach the nodes over SSH',
  });
  add({
    port: apiPort,
    protocol: 'tcp',
    purpose: 'Kubernetes API from the load balancer and the nodes',
    sources: [...lb, ...nodeAddresses, ...pods],
    appliesTo: cpNames,
    reason:
      'the API server (and k3s supervisor) runs on the control plane; agents and kubelets connect from the nodes' +
      (lb.length ? ', the load balancer forwards the API VIP' : '') +
      (pods.length ? ', pods reach it through the kubernetes Service' : ''),
  });
  if (lb.length > 0) {
    add({
      port: 80,
      protocol: 'tcp',
      purpose: 'HTTP ingress from the load balancer',
      sources: lb,
      appliesTo: ingressNames,
      reason: 'the load balancer forwards HTTP to the ingress nodes',
    });
    add({
      port: 443,
      protocol: 'tcp',
      purpose: 'HTTPS ingress from the load balancer',
      sources: lb,
      appliesTo: ingressNames,
      reason: 'the load balancer passes TLS through to the ingress nodes',
    });
  } else {
    omitted.push({
      port: 443,
      protocol: 'tcp',
      purpose: 'HTTP/HTTPS ingress from the load balancer',
      reason: 'no loadBalancerSources given',
    });
  }
  if (input.routingMode === 'vxlan') {
    add({
      port: VXLAN_PORT,
      protocol: 'udp',
      purpose: 'Cilium VXLAN between nodes',
      sources: nodeAddresses,
      appliesTo: all,
      reason: 'routingMode vxlan encapsulates pod traffic in VXLAN on UDP 8472',
    });
  } else {
    omitted.push({
      port: VXLAN_PORT,
      protocol: 'udp',
      purpose: 'Cilium VXLAN',
      reason: `routingMode is ${input.routingMode}`,
    });
  }
  if (input.routingMode === 'geneve') {
    add({
      port: GENEVE_PORT,
      protocol: 'udp',
      purpose: 'Cilium Geneve between nodes',
      sources: nodeAddresses,
      appliesTo: all,
      reason: 'routingMode geneve encapsulates pod traffic in Geneve on UDP 6081',
    });
  } else {
    omitted.push({
      port: GENEVE_PORT,
      protocol: 'udp',
      purpose: 'Cilium Geneve',
      reason: `routingMode is ${input.routingMode}`,
    });
  }
  if ((input.encryption ?? 'none') === 'wireguard') {
    add({
      port: WIREGUARD_PORT,
      protocol: 'udp',
      purpose: 'Cilium WireGuard between nodes',
      sources: nodeAddresses,
      appliesTo: all,
      reason: 'WireGuard transparent encryption tunnels between nodes on UDP 51871',
    });
  } else {
    omitted.push({ port: WIREGUARD_PORT, protocol: 'udp', purpose: 'Cilium WireGuard', reason: 'encryption is off' });
  }
  add({
    port: CILIUM_HEALTH_PORT,
    protocol: 'tcp',
    purpose: 'Cilium health checks between nodes',
    sources: [...nodeAddresses, ...pods],
    appliesTo: all,
    reason: 'cilium-health probes every node (and its health endpoint) on TCP 4240',
  });
  if (input.hubble) {
    add({
      port: HUBBLE_PORT,
      protocol: 'tcp',
      purpose: 'Hubble server, queried by Hubble relay',
      sources: [...nodeAddresses, ...pods],
      appliesTo: all,
      reason: 'Hubble is on: relay (a pod) connects to every node on TCP 4244',
    });
  } else {
    omitted.push({ port: HUBBLE_PORT, protocol: 'tcp', purpose: 'Hubble server', reason: 'Hubble is off' });
  }
  if (input.embeddedEtcd) {
    add({
      port: { from: 2379, to: 2380 },
      protocol: 'tcp',
      purpose: 'etcd client and peer between control-plane nodes',
      sources: cpAddresses,
      appliesTo: cpNames,
      reason: 'embedded etcd: members talk to each other on 2380 and the API servers use 2379',
    });
  } else {
    omitted.push({
      port: { from: 2379, to: 2380 },
      protocol: 'tcp',
      purpose: 'etcd',
      reason: 'no embedded etcd',
    });
  }
  add({
    port: 10250,
    protocol: 'tcp',
    purpose: 'kubelet API',
    sources: [...nodeAddresses, ...pods],
    appliesTo: all,
    reason: 'the API server reaches kubelets for logs/exec/port-forward; metrics-server scrapes them',
  });
  if (input.nodeExporter) {
    add({
      port: 9100,
      protocol: 'tcp',
      purpose: 'node-exporter scraped by Prometheus',
      sources: input.nodeExporter.scrapeSources ?? [...nodeAddresses, ...pods],
      appliesTo: all,
      reason: 'nodes are monitored: Prometheus scrapes node-exporter (host network) on TCP 9100',
    });
  } else {
    omitted.push({ port: 9100, protocol: 'tcp', purpose: 'node-exporter', reason: 'nodes are not monitored' });
  }
  if (input.metricsServer ?? true) {
    omitted.push({
      port: 4443,
      protocol: 'tcp',
      purpose: 'metrics-server',
      reason: 'metrics-server is a pod reached through the pod network, not a node port; it scrapes kubelets on 10250, already open',
    });
  }
  return { rules, omitted };
}

/** `8472` or `2379-2380` (nftables form). */
export function portText(port: PortSpec, rangeSeparator = '-'): string {
  return typeof port === 'number' ? String(port) : `${port.from}${rangeSeparator}${port.to}`;
}

/** Options of the firewall renderers. */
export interface FirewallRenderOptions {
  /**
   * Render the file for this node only (rows whose `appliesTo` contains it).
   *
   * @default - every row, for a cluster whose nodes share one file
   */
  readonly forNode?: string;
}

function selectRules(table: FirewallTable, input: FirewallInput, options: FirewallRenderOptions): FirewallRule[] {
  if (options.forNode === undefined) return [...table.rules];
  if (!input.nodes.some((n) => n.name === options.forNode)) {
    throw new EdgeInputError('firewall render', [
      {
        id: 'EDGE-FW4',
        message: 'forNode names no node of the cluster',
        value: options.forNode,
        expected: `one of ${input.nodes.map((n) => n.name).join(', ')}`,
        fix: 'Pass the name of a node.',
      },
    ]);
  }
  return table.rules.filter((r) => r.appliesTo.includes(options.forNode!));
}

function headerLines(input: FirewallInput, table: FirewallTable, options: FirewallRenderOptions): string[] {
  const scope = options.forNode ? `node ${options.forNode}` : 'every node';
  return [
    `# Node firewall for cluster ${input.clusterName ?? 'cluster'} (${scope}), rendered by cdk8s-netkit.`,
    '# Edit the cluster description and render again rather than editing this file.',
    `# Cilium routing mode: ${input.routingMode}; encryption: ${input.encryption ?? 'none'}; hubble: ${input.hubble ? 'on' : 'off'}.`,
    ...table.omitted.map((o) => `# not opened: ${portText(o.port)}/${o.protocol} ${o.purpose}: ${o.reason}`),
  ];
}

function nftComment(text: string): string {
  // nft comments are limited to 128 bytes and cannot contain double quotes.
  return text.replace(/"/g, "'").slice(0, 128);
}

/** The nftables table the node firewall owns; nothing else in the ruleset is touched. */
export const NFT_TABLE = 'netkit';

/** Ports kube-proxy (ServiceLB's hostPorts, Services) DNATs to pods before the input hook, when served. */
const WEB_PORTS = [80, 443] as const;

/** Where the nftables file is installed on a node, and the systemd unit that loads it. */
export const NFT_INSTALL_PATH = '/etc/netkit/firewall.nft';
export const NFT_UNIT_NAME = 'netkit-firewall.service';

function nftSet(values: readonly (string | number)[]): string {
  return values.length === 1 ? String(values[0]) : `{ ${values.join(', ')} }`;
}

/**
 * The chain that filters 80/443 before kube-proxy's DNAT. Traffic to a hostPort or a Service on the node is
 * rewritten to a pod address in the nat prerouting hook (priority dstnat, -100) and then forwarded: it never
 * reaches the input hook, so input rules do not restrict it. This chain runs just before (dstnat - 10), on packets
 * still addressed to the node itself (`fib daddr type local`; pod and forwarded traffic is left alone), and drops
 * what the table does not open: 80/443 from anything but the load balancer, or from everything on a node that
 * serves no ingress. IPv6 gets no web row (the load balancer sources are IPv4).
 */
function beforeDnatChain(rules: readonly FirewallRule[]): string[] {
  const bySources = new Map<string, { sources: readonly string[]; ports: number[] }>();
  const closed: number[] = [];
  for (const port of WEB_PORTS) {
    const sources = sortedUnique(rules.filter((r) => r.protocol === 'tcp' && r.port === port).flatMap((r) => r.sources));
    if (!sources.length) {
      closed.push(port);
      continue;
    }
    const key = sources.join(',');
    const entry = bySources.get(key) ?? { sources, ports: [] };
    entry.ports.push(port);
    bySources.set(key, entry);
  }
  const lines = ['\tchain before_dnat {', '\t\ttype filter hook prerouting priority dstnat - 10; policy accept;'];
  for (const { sources, ports } of bySources.values()) {
    lines.push(
      `\t\tfib daddr type local ip saddr != ${nftSet(sources)} tcp dport ${nftSet(ports)} drop comment "${nftComment(`${ports.join('/')} to the node only from the load balancer, before kube-proxy's DNAT`)}"`,
    );
  }
  if (closed.length) {
    lines.push(
      `\t\tfib daddr type local meta nfproto ipv4 tcp dport ${nftSet(closed)} drop comment "${nftComment(`${closed.join('/')} not opened on this node, not even through kube-proxy's DNAT`)}"`,
    );
  }
  lines.push(
    `\t\tfib daddr type local meta nfproto ipv6 tcp dport ${nftSet([...WEB_PORTS])} drop comment "no web ingress over IPv6, not even through kube-proxy's DNAT"`,
  );
  lines.push('\t}');
  return lines;
}

/**
 * Renders the node firewall as an nftables script (`nft -f`): its own table `inet netkit`, with a chain `input`
 * (policy drop; established/related, loopback and ICMP accepted, then one rule per table row) and a chain
 * `before_dnat` that restricts 80/443 before kube-proxy's DNAT can route them around the input hook.
 *
 * ICMP stays open: PMTU discovery needs "fragmentation needed" / "packet too big" (seed 004), and Cilium's health
 * checks ping nodes. Forwarded pod traffic is untouched.
 *
 * The script replaces its own table, and only it, in one transaction (`table`, `delete table`, then the table): it
 * can be applied again, and kube-proxy's and Cilium's tables survive. It never says `flush ruleset`, and must not be
 * loaded from a file that does (Debian's /etc/nftables.conf starts with `flush ruleset`: reloading nftables.service
 * would delete kube-proxy's and Cilium's rules): {@link renderFirewallUnit} loads it on its own.
 *
 * @see https://wiki.nftables.org/wiki-nftables/index.php/Simple_ruleset_for_a_server
 * @see https://wiki.nftables.org/wiki-nftables/index.php/Netfilter_hooks
 */
export function renderNftables(input: FirewallInput, options: FirewallRenderOptions = {}): string {
  const table = firewallPorts(input);
  const rules = selectRules(table, input, options);
  const lines = [
    '#!/usr/sbin/nft -f',
    ...headerLines(input, table, options),
    `# Loaded by ${NFT_UNIT_NAME} (nft -f ${NFT_INSTALL_PATH}); never include it from a file that flushes the ruleset.`,
    '# 80/443: kube-proxy DNATs them to pods before the input hook, so chain before_dnat restricts them first.',
    '# not filtered here: NodePorts 30000-32767, which kube-proxy DNATs the same way (this table opens none).',
    ...(input.kubeProxyReplacement
      ? [
          '# kube-proxy replacement is on: Cilium answers NodePort/LoadBalancer traffic in eBPF before netfilter, and no chain here sees it; restrict it with a Cilium host policy.',
        ]
      : []),
    '',
    `# Replace this table, and only it, in one transaction: safe to apply again; kube-proxy's and Cilium's tables stay.`,
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    '',
    `table inet ${NFT_TABLE} {`,
    ...beforeDnatChain(rules),
    '',
    '\tchain input {',
    '\t\ttype filter hook input priority filter; policy drop;',
    '\t\tct state established,related accept comment "replies to connections the node opened"',
    '\t\tct state invalid drop',
    '\t\tiif "lo" accept comment "loopback"',
    '\t\tmeta l4proto icmp accept comment "ICMP: ping, unreachable and fragmentation-needed for PMTUD"',
    '\t\tmeta l4proto ipv6-icmp accept comment "ICMPv6: neighbour discovery, packet-too-big"',
  ];
  for (const r of rules) {
    const addrs = r.sources.length === 1 ? r.sources[0] : `{ ${r.sources.join(', ')} }`;
    lines.push(`\t\tip saddr ${addrs} ${r.protocol} dport ${portText(r.port)} accept comment "${nftComment(r.purpose)}"`);
  }
  lines.push('\t}', '}', '');
  return lines.join('\n');
}

/**
 * The systemd unit that loads the node firewall on its own: `nft -f` of the rendered file at boot and on reload, and
 * on stop deletes table `inet netkit` only (Debian's nftables.service stops with `flush ruleset`, which would take
 * kube-proxy's and Cilium's rules with it).
 *
 * @see https://manpages.debian.org/bookworm/systemd/systemd.service.5.en.html
 */
export function renderFirewallUnit(): string {
  return [
    '# Rendered by cdk8s-netkit: loads the node firewall (nftables table inet netkit) and nothing else.',
    `# Install as /etc/systemd/system/${NFT_UNIT_NAME}, the node's firewall file as ${NFT_INSTALL_PATH}, then`,
    `# systemctl daemon-reload && systemctl enable --now ${NFT_UNIT_NAME}`,
    '[Unit]',
    'Description=cdk8s-netkit node firewall (nftables table inet netkit)',
    'Wants=network-pre.target',
    'Before=network-pre.target shutdown.target',
    'Conflicts=shutdown.target',
    'DefaultDependencies=no',
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `ExecStart=/usr/sbin/nft -f ${NFT_INSTALL_PATH}`,
    `ExecReload=/usr/sbin/nft -f ${NFT_INSTALL_PATH}`,
    `ExecStop=/usr/sbin/nft delete table inet ${NFT_TABLE}`,
    '',
    '[Install]',
    'WantedBy=sysinit.target',
    '',
  ].join('\n');
}

/**
 * Renders the node firewall as a shell script of `ufw allow` lines, one per row and source.
 *
 * The script only adds rules; the operator sets the default policy and enables UFW (commands in the
 * header), after checking that SSH from the management network is allowed.
 *
 * @see https://manpages.debian.org/bookworm/ufw/ufw.8.en.html
 */
export function renderUfw(input: FirewallInput, options: FirewallRenderOptions = {}): string {
  const table = firewallPorts(input);
  const rules = selectRules(table, input, options);
  const lines = [
    '#!/bin/sh',
    ...headerLines(input, table, options),
    '# After the rules: ufw default deny incoming && ufw default allow outgoing && ufw enable',
    "# UFW filters the input hook only: 80/443 reach pods through kube-proxy's DNAT before it, so the 80/443 lines below",
    `# admit only host-network listeners and restrict nothing else. The nftables file (chain before_dnat) restricts them.`,
    'set -eu',
    '',
  ];
  for (const r of rules) {
    for (const source of r.sources) {
      lines.push(`ufw allow from ${source} to any port ${portText(r.port, ':')} proto ${r.protocol} comment '${r.purpose.replace(/'/g, '')}'`);
    }
  }
  lines.push('');
  return lines.join('\n');
}
