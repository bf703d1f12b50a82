/**
 * The node firewall of a k3s/Talos + Cilium cluster, computed from the cluster's configuration (seed 001's
 * UFW port table, corrected), and rendered as nftables or as a UFW script.
 */
import {
  byCodePoint,
  EdgeInputError,
  type EdgeNode,
  type EdgeProblem,
  isIPv4,
  isIPv4AddressOrCidr,
  isIPv4Cidr,
  NodeRole,
} from './types.js';

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
  check('a node address', input.nodes.map((n) => n.address), isIPv4, 'an IPv4 address');
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
  const add = (r: Omit<FirewallRule, 'sources'> & { sources: Iterable<string> }) =>
    rules.push({ ...r, sources: sortedUnique(r.sources) });

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
      reason:
        'metrics-server is a pod reached through the pod network, not a node port; it scrapes kubelets on 10250, already open',
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

/**
 * Renders the node firewall as an nftables script (`nft -f`): table `inet netkit_node`, chain `input`
 * with policy drop, established/related, loopback and ICMP accepted, then one rule per table row.
 *
 * ICMP stays open: PMTU discovery needs "fragmentation needed" / "packet too big" (seed 004), and
 * Cilium's health checks ping nodes. Only the input hook is filtered; forwarded pod traffic is untouched.
 * The script deletes and recreates its own table, so it can be applied again.
 *
 * @see https://wiki.nftables.org/wiki-nftables/index.php/Simple_ruleset_for_a_server
 */
export function renderNftables(input: FirewallInput, options: FirewallRenderOptions = {}): string {
  const table = firewallPorts(input);
  const rules = selectRules(table, input, options);
  const lines = [
    '#!/usr/sbin/nft -f',
    ...headerLines(input, table, options),
    '',
    '# Recreate the table so the script can be applied again.',
    'table inet netkit_node',
    'delete table inet netkit_node',
    '',
    'table inet netkit_node {',
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
    lines.push(
      `\t\tip saddr ${addrs} ${r.protocol} dport ${portText(r.port)} accept comment "${nftComment(r.purpose)}"`,
    );
  }
  lines.push('\t}', '}', '');
  return lines.join('\n');
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
    'set -eu',
    '',
  ];
  for (const r of rules) {
    for (const source of r.sources) {
      lines.push(
        `ufw allow from ${source} to any port ${portText(r.port, ':')} proto ${r.protocol} comment '${r.purpose.replace(/'/g, '')}'`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
