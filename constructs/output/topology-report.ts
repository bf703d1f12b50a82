/**
 * reports/topology.md: pictures of a cluster for the reviewer of a change, as Mermaid flowcharts (GitHub renders
 * them): how the internet and the LAN reach the services, which nodes announce which LoadBalancer addresses, and who
 * may reach each database.
 *
 * Drawn from the model the rest of the output uses: the DualGateway's exposures, listeners and split-DNS records (as
 * reports/exposure.md), the rendered pools, announcement policies and LoadBalancers with the node selection the L2
 * rules compute, and the reachability evaluator over the rendered policies with the probe pods rule NET-DB4 asks
 * about. A cluster without one of these says so in a sentence instead of an empty diagram.
 */
import type { Cluster } from '../cluster.js';
import { DualGateway, type Backend, type HostExposure, type TcpListener } from '../dual-gateway.js';
import { ExternalDatabase } from '../external-database.js';
import { IsolatedDatabase, POSTGRES_PORT } from '../isolated-database.js';
import { TunnelMode } from '../cloudflared.js';
import { SplitDnsMode } from '../gateway/split-dns.js';
import { ARGOCD_INSTALL_DIR, ARGOCD_SERVICES } from '../gitops/argocd-install.js';
import { GitOpsFlavour } from '../gitops/gitops.js';
import { compareText } from '../core/order.js';
import { NetworkModel, ReachabilityError, type Workload } from '../reachability/index.js';
import { PROBE_NAMESPACE, probeNamespaces, probes } from '../rules/database/DatabaseReachableOnlyFromClients.js';
import { ipPools, l2Policies, loadBalancers, matches, poolBlocks, selectedNodes, type LoadBalancerView } from '../rules/l2/model.js';
import type { RenderedObject } from '../rules/rule.js';
import { Flowchart, mermaidBlock } from './mermaid.js';

export const TOPOLOGY_REPORT = 'reports/topology.md';

const byText =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    compareText(key(a), key(b));

/** The report's text for the cluster and its rendered objects. */
export function topologyReport(cluster: Cluster, objects: readonly RenderedObject[]): string {
  const gateways = DualGateway.ofCluster(cluster)
    .filter((g) => g.shadowedBy === undefined)
    .sort(byText((g) => `${g.namespace}/${g.externalName}`));
  const lines = [
    `# Topology — cluster ${cluster.clusterName}`,
    '',
    'Rendered by cdk8s-netkit from the cluster model and its rendered objects; do not edit. The diagrams are Mermaid',
    '(GitHub shows them as pictures); the same facts in words are in `exposure.md` and `address-plan.md` beside this',
    `file, and \`npm run reachability -- ${cluster.clusterName}\` prints the full reachability matrix.`,
    '',
  ];
  lines.push('## From the internet', '', ...internetSection(cluster, gateways), '');
  lines.push('## From the LAN', '', ...lanSection(cluster, gateways), '');
  lines.push('## LoadBalancer addresses and the nodes that announce them', '', ...poolSection(cluster, objects), '');
  lines.push('## Who may reach each database', '', ...databaseSection(cluster, objects));
  return `${lines.join('\n').trimEnd()}\n`;
}

// ---- gateways -------------------------------------------------------------------------------------------------

/** The exposures of one side, one per host and backend, sorted by host. */
function exposuresOf(gw: DualGateway, side: 'internal' | 'external'): HostExposure[] {
  const seen = new Set<string>();
  return gw
    .exposures()
    .filter((e) => e.sides.includes(side))
    .filter((e) => {
      const k = `${e.host}\n${e.backend.displayName}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort(byText((e) => `${e.host}\n${e.backend.displayName}`));
}

/** A backend Service as a node in its namespace's subgraph; returns the node key. */
function backendNode(chart: Flowchart, cluster: Cluster, backend: Backend): string {
  const ns = chart.subgraph(`ns:${backend.namespace}`, `namespace ${backend.namespace}`);
  const port = backend.port ?? `${backend.portName} (no such port)`;
  const engine =
    cluster.gitops.flavour === GitOpsFlavour.ARGOCD && backend.namespace === cluster.gitops.namespace && ARGOCD_SERVICES.some((s) => s.name === backend.name);
  const note = backend.declaredExternal
    ? [`outside this tree${backend.installedBy ? `: ${backend.installedBy}` : ''}`]
    : engine
      ? [`installed with Argo CD (${ARGOCD_INSTALL_DIR}/)`]
      : backend.workload
        ? [`Deployment ${backend.workload.name}`]
        : [];
  const key = chart.node(`svc:${backend.namespace}/${backend.name}:${port}`, [`Service ${backend.name}:${port}`, ...note]);
  chart.place(ns, key);
  return key;
}

/** The gateway of one side as a subgraph holding the gateway node; returns the gateway node key. */
function gatewayNode(chart: Flowchart, gw: DualGateway, side: 'internal' | 'external'): { node: string; group: string } {
  const name = gw.nameOf(side);
  const address = (side === 'internal' ? gw.internalAddress : gw.externalAddress) ?? 'no address (its pool had none left)';
  const group = chart.subgraph(`gw:${gw.namespace}/${name}`, `Gateway ${gw.namespace}/${name}`);
  const node = chart.node(`gwnode:${gw.namespace}/${name}`, [`${name}`, `${address} :443`], 'stadium');
  chart.place(group, node);
  return { node, group };
}

/** Routes (host names) of one side inside the gateway's subgraph, each to its backend Service. */
function routes(chart: Flowchart, cluster: Cluster, gw: DualGateway, side: 'internal' | 'external', exposures: readonly HostExposure[]) {
  const { node, group } = gatewayNode(chart, gw, side);
  for (const e of exposures) {
    const route = chart.node(`route:${gw.namespace}/${gw.nameOf(side)}/${e.host}`, e.host, 'round');
    chart.place(group, route);
    chart.edge(node, route);
    chart.edge(route, backendNode(chart, cluster, e.backend));
  }
  return node;
}

function internetSection(cluster: Cluster, gateways: readonly DualGateway[]): string[] {
  if (!gateways.length) return ['No DualGateway in this cluster: nothing routes traffic from the internet to a service (no tunnel, no external gateway).'];
  const out: string[] = [];
  for (const gw of gateways) {
    const exposures = exposuresOf(gw, 'external');
    if (!exposures.length) {
      out.push(`Nothing is exposed to the internet: no host of the DualGateway in namespace ${gw.namespace} is exposed externally.`, '');
      continue;
    }
    const chart = new Flowchart('LR');
    const internet = chart.node('internet', 'internet', 'circle');
    // the way in first, so that it is drawn on the left
    let connector: string | undefined;
    if (gw.tunnel && gw.cloudflared) {
      const mode =
        gw.tunnel.mode === TunnelMode.LOCALLY_MANAGED ? `locally managed, tunnel ${gw.tunnel.tunnelId}` : 'remotely managed: ingress rules set in Cloudflare';
      const edge = chart.node('cloudflare', ['Cloudflare edge', mode], 'hexagon');
      const ns = chart.subgraph(`ns:${gw.cloudflared.namespace}`, `namespace ${gw.cloudflared.namespace}`);
      connector = chart.node(`cloudflared:${gw.cloudflared.namespace}`, ['cloudflared', `${gw.cloudflared.replicas} replicas`]);
      chart.place(ns, connector);
      chart.edge(internet, edge, 'HTTPS');
      chart.edge(edge, connector, 'tunnel');
    }
    const gateway = routes(chart, cluster, gw, 'external', exposures);
    if (connector) chart.edge(connector, gateway, `https://${gw.serviceHostOf('external')}`);
    else chart.edge(internet, gateway, 'only through a port forward on the router (none rendered)', { dotted: true });
    if (!gw.tunnel) out.push(`No Cloudflare tunnel: the external hosts are served at the external gateway's address only.`, '');
    out.push(mermaidBlock(chart), '');
  }
  return trimEnd(out);
}

function lanSection(cluster: Cluster, gateways: readonly DualGateway[]): string[] {
  if (!gateways.length) return ['No DualGateway in this cluster: no split DNS and no internal gateway.'];
  const out: string[] = [];
  for (const gw of gateways) {
    const exposures = exposuresOf(gw, 'internal');
    const listeners = [...gw.tcpListeners()].sort(byText((l: TcpListener) => l.name));
    if (!exposures.length && !listeners.length) {
      out.push(`Nothing is served on the LAN: the internal gateway in namespace ${gw.namespace} has no host and no TCP or TLS listener.`, '');
      continue;
    }
    const chart = new Flowchart('LR');
    const lan = chart.node('lan', 'LAN clients', 'circle');
    const gateway = routes(chart, cluster, gw, 'internal', exposures);
    if (exposures.length) {
      const records = gw.dnsRecords();
      const form =
        gw.splitDnsMode === SplitDnsMode.WILDCARD
          ? `wildcard: ${gw.domains.map((d) => `*.${d}`).join(', ')}`
          : `per host: ${records.length} ${records.length === 1 ? 'name' : 'names'}`;
      const dns = chart.node('dns', ['split DNS', form, 'edge/dns/split-dns.dnsmasq.conf'], 'hexagon');
      chart.edge(lan, dns, 'resolve');
      chart.edge(dns, gateway, gw.internalAddress ?? 'no address');
      if (gw.coreDnsRendered) {
        const pods = chart.node('pods', 'pods', 'circle');
        const coreDns = chart.node('coredns', ['CoreDNS', 'kube-system/coredns-custom'], 'hexagon');
        chart.edge(pods, coreDns, 'resolve');
        chart.edge(coreDns, gateway, gw.internalAddress ?? 'no address');
      }
    }
    if (listeners.length) {
      const group = `gw:${gw.namespace}/${gw.internalName}`;
      for (const l of listeners) {
        const listener = chart.node(`listener:${gw.namespace}/${gw.internalName}/${l.name}`, [`${l.protocol} :${l.port} ${l.name}`, l.routeKind], 'round');
        chart.place(group, listener);
        chart.edge(lan, listener, `${gw.internalAddress ?? 'no address'}:${l.port}`);
        chart.edge(listener, backendNode(chart, cluster, l.backend));
      }
    }
    out.push(mermaidBlock(chart), '');
  }
  return trimEnd(out);
}

// ---- pools ----------------------------------------------------------------------------------------------------

function poolSection(cluster: Cluster, objects: readonly RenderedObject[]): string[] {
  const pools = ipPools(objects).sort(byText((p) => String(p.name)));
  if (!pools.length) return ['No LoadBalancer address pool (CiliumLoadBalancerIPPool) in this cluster: nothing is announced on the LAN by Cilium.'];
  const policies = l2Policies(objects).sort(byText((p) => String(p.name)));
  const lbs = loadBalancers(objects).sort(byText((l) => l.displayName));
  const chart = new Flowchart('LR');
  const notes: string[] = [];
  // the pools first, then the nodes: drawn left to right in that order
  for (const pool of pools) chart.subgraph(`pool:${pool.name}`, `CiliumLoadBalancerIPPool ${pool.name}`);
  chart.subgraph('nodes', 'nodes');
  for (const pool of pools) {
    const group = `pool:${pool.name}`;
    for (const b of poolBlocks(pool))
      chart.place(group, chart.node(`block:${pool.name}/${b.text}`, [`block ${b.text}`, b.range ? `${b.range.size} addresses` : 'malformed'], 'box'));
    const served = lbs.filter((lb) => matches(pool.json.spec?.serviceSelector, lb.labels));
    // one node per address the pool serves, with every LoadBalancer that holds it
    const byAddress = new Map<string, LoadBalancerView[]>();
    for (const lb of served) for (const a of lb.pinned.length ? lb.pinned : ['unpinned']) byAddress.set(a, [...(byAddress.get(a) ?? []), lb]);
    for (const [address, holders] of [...byAddress].sort(([a], [b]) => compareText(a, b))) {
      const key = chart.node(`address:${pool.name}/${address}`, [address, ...holders.map((h) => h.displayName)], 'stadium');
      chart.place(group, key);
      const announcing = policies.filter((p) => holders.some((h) => matches(p.json.spec?.serviceSelector, h.labels)));
      for (const p of announcing) chart.edge(key, policyNode(chart, cluster, p), 'announced by');
      if (!announcing.length)
        notes.push(`${address} (pool ${pool.name}) is not announced: no CiliumL2AnnouncementPolicy selects ${holders.map((h) => h.displayName).join(', ')}.`);
    }
    if (!served.length) notes.push(`Pool ${pool.name} serves no LoadBalancer of this tree yet.`);
  }
  const out = [mermaidBlock(chart)];
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  return out;
}

/** An announcement policy with its interfaces, and an edge to every node it selects; returns its key. */
function policyNode(chart: Flowchart, cluster: Cluster, policy: RenderedObject): string {
  const interfaces: string[] = Array.isArray(policy.json.spec?.interfaces) ? policy.json.spec.interfaces.map(String) : [];
  const key = `policy:${policy.name}`;
  chart.node(key, [`CiliumL2AnnouncementPolicy ${policy.name}`, interfaces.length ? `interfaces ${interfaces.join(', ')}` : 'every interface'], 'hexagon');
  const nodes = [...selectedNodes(cluster, policy.json.spec?.nodeSelector)].sort(byText((n) => n.name));
  const group = chart.subgraph('nodes', 'nodes');
  for (const n of nodes) {
    const node = chart.node(`node:${n.name}`, [n.name, n.address]);
    chart.place(group, node);
    chart.edge(key, node, 'ARP');
  }
  if (!nodes.length) {
    const none = chart.node(`nonode:${policy.name}`, 'no node matches its nodeSelector');
    chart.place(group, none);
    chart.edge(key, none, 'ARP', { dotted: true });
  }
  return key;
}

// ---- databases ------------------------------------------------------------------------------------------------

/** A source pod as the diagram names it: the probes of NET-DB4 as what they stand for. */
function sourceLabel(w: Workload): string[] {
  if (w.kind === 'Hypothetical' && w.name === 'stranger')
    return w.namespace === PROBE_NAMESPACE ? ['any pod of another namespace'] : ['any other pod', `of namespace ${w.namespace}`];
  if (w.kind === 'Hypothetical' && w.name === 'cnpg-operator') return ['CloudNativePG operator'];
  if (w.kind === 'Hypothetical') return [w.name];
  if (w.kind === 'Cluster') return [`instances of CloudNativePG ${w.name}`];
  return [`${w.kind} ${w.name}`];
}

function sourceNode(chart: Flowchart, w: Workload): string {
  const ns = chart.subgraph(
    `ns:${w.namespace === PROBE_NAMESPACE ? '*' : w.namespace}`,
    w.namespace === PROBE_NAMESPACE ? 'other namespaces' : `namespace ${w.namespace}`,
  );
  const key = chart.node(`pod:${w.id}`, sourceLabel(w));
  chart.place(ns, key);
  return key;
}

function databaseSection(cluster: Cluster, objects: readonly RenderedObject[]): string[] {
  const dbs = cluster.constructsOf(IsolatedDatabase).sort(byText((d) => `${d.namespace}/${d.name}`));
  const externals = cluster.constructsOf(ExternalDatabase).sort(byText((d) => d.name));
  if (!dbs.length && !externals.length) return ['No database in this cluster (no IsolatedDatabase, no ExternalDatabase).'];
  let model: NetworkModel;
  try {
    model = new NetworkModel(
      objects.map((o) => o.json),
      { workloads: probes(probeNamespaces(dbs, externals), dbs.length > 0) },
    );
  } catch (e) {
    const why = e instanceof ReachabilityError ? e.problems.join('; ') : String(e);
    return [`The rendered network policies cannot be evaluated, so no picture of who reaches the databases is drawn (rule NET-DB4 reports it): ${why}`];
  }
  // by namespace (a pod of another namespace last), the rendered pods before the probes of their namespace
  const sources = [...model.workloads()].sort(
    byText((w) => `${w.namespace === PROBE_NAMESPACE ? '\uffff' : w.namespace}/${w.kind === 'Hypothetical' ? '\uffff' : ''}${w.id}`),
  );
  const out: string[] = [
    'Every pod the rendered objects create, and the probe pods rule NET-DB4 asks about (any other pod of a namespace that',
    'matters, a pod of another namespace, the CloudNativePG operator), judged by the reachability evaluator over the',
    'rendered NetworkPolicies and CiliumNetworkPolicies. An arrow is a connection the policies allow.',
    '',
  ];
  for (const db of dbs) {
    out.push(`### ${db.namespace}/${db.name} (CloudNativePG)`, '');
    const target = model.workloads().find((w) => w.kind === 'Cluster' && w.namespace === db.namespace && w.name === db.name);
    if (!target) {
      out.push('Its CloudNativePG Cluster is not among the rendered objects, so nothing can be asked about it.', '');
      continue;
    }
    const chart = new Flowchart('LR');
    const dbNode = chart.node(`db:${db.namespace}/${db.name}`, [`${db.name}`, `CloudNativePG, namespace ${db.namespace}`], 'cylinder');
    const denied: string[] = [];
    for (const w of sources) {
      if (w === target) continue;
      const v = model.canReach(w, target, POSTGRES_PORT);
      if (v.allowed) chart.edge(sourceNode(chart, w), dbNode, String(POSTGRES_PORT));
      else denied.push(sourceLabel(w).join(' '));
    }
    out.push(...diagramOrSentence(chart, `Nothing may reach it on ${POSTGRES_PORT}.`), '');
    if (denied.length) out.push(`Denied on ${POSTGRES_PORT}: ${denied.join('; ')}.`, '');
  }
  for (const ext of externals) {
    out.push(`### ${ext.name} (outside the cluster)`, '');
    const destination = ext.destination;
    if (!destination) {
      out.push(`Its egress is pinned to the block ${ext.cidr}, which has no one address to ask about.`, '');
      continue;
    }
    const chart = new Flowchart('LR');
    const where = [...(ext.address !== undefined ? [ext.address] : []), ...(ext.host !== undefined ? [ext.host] : [])];
    const dbNode = chart.node(`external:${ext.name}`, [ext.name, ...where, `port ${ext.port}`], 'cylinder');
    const denied: string[] = [];
    let unanswerable: string | undefined;
    for (const w of sources) {
      let allowed: boolean;
      try {
        allowed = model.canReach(w, destination, ext.port).allowed;
      } catch (e) {
        unanswerable = e instanceof ReachabilityError ? e.problems.join('; ') : String(e);
        break;
      }
      if (allowed) chart.edge(sourceNode(chart, w), dbNode, String(ext.port));
      else denied.push(sourceLabel(w).join(' '));
    }
    if (unanswerable !== undefined) {
      out.push(`Who reaches it cannot be asked (rule NET-DB6 reports why): ${unanswerable}`, '');
      continue;
    }
    out.push(...diagramOrSentence(chart, `No pod may reach it on ${ext.port}.`), '');
    out.push(
      'Only its declared clients get an egress policy to it: NetworkPolicy cannot deny, so every pod whose egress no policy isolates is drawn too. Its own firewall and the nodes’ decide the rest.',
      '',
    );
    if (denied.length) out.push(`Denied on ${ext.port}: ${denied.join('; ')}.`, '');
  }
  return trimEnd(out);
}

/** The diagram, or the sentence when no edge reaches the database. */
function diagramOrSentence(chart: Flowchart, sentence: string): string[] {
  return chart.hasEdges ? [mermaidBlock(chart)] : [sentence];
}

function trimEnd(lines: string[]): string[] {
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
