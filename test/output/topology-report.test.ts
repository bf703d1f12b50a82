/**
 * reports/topology.md: every diagram of the example fleet and of clusters with odd names parses with Mermaid's own
 * parser (what GitHub would show as an error fails here), the pictures hold what the model holds, and a cluster
 * without a feature says so in words.
 */
import { App } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { Backend, DualGateway, Exposure, ListenerProtocol } from '../../constructs/dual-gateway.js';
import { Tunnel } from '../../constructs/cloudflared.js';
import { SecretSource } from '../../constructs/secret-source.js';
import { SplitDnsMode } from '../../constructs/gateway/split-dns.js';
import { Cluster, NodeRole } from '../../constructs/cluster.js';
import { Workload } from '../../constructs/workload.js';
import { IsolatedDatabase } from '../../constructs/isolated-database.js';
import { ExternalDatabase } from '../../constructs/external-database.js';
import { AddressBlock, L2Pool, NodeSelection } from '../../constructs/l2-pool.js';
import { CiliumRelease } from '../../constructs/cilium-release.js';
import { K3sServerConfig } from '../../constructs/k3s-server-config.js';
import { Acknowledgements } from '../../constructs/acknowledgements.js';
import { LoadBalancerService } from '../../constructs/load-balancer-service.js';
import { Flowchart, mermaidBlock, mermaidLabel } from '../../constructs/output/mermaid.js';
import { TOPOLOGY_REPORT } from '../../constructs/output/topology-report.js';
import { ipPools, l2Policies, poolBlocks, selectedNodes } from '../../constructs/rules/l2/model.js';
import { run, testCluster, type Outcome } from '../helpers.js';
import { ACME } from '../gateway/fixture.js';
import { loadMermaid, mermaidBlocks, parseError } from './mermaid-parser.js';

/** The text of one `## ` section of a report. */
function section(report: string, heading: string): string {
  const start = report.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}" in:\n${report}`);
  const next = report.indexOf('\n## ', start + 4);
  return report.slice(start, next < 0 ? undefined : next);
}

function topologyOf(outcome: Outcome, cluster: string): string {
  const c = outcome.result!.clusters.find((x) => x.name === cluster)!;
  const text = c.files.get(TOPOLOGY_REPORT);
  if (text === undefined) throw new Error(`${cluster} has no ${TOPOLOGY_REPORT}`);
  return text;
}

/** Every diagram of a report that Mermaid rejects, with its error. */
async function broken(report: string): Promise<string[]> {
  const out: string[] = [];
  for (const block of mermaidBlocks(report)) {
    const error = await parseError(block);
    if (error !== undefined) out.push(`${error}\n--- in ---\n${block}`);
  }
  return out;
}

/** A route node's label as the report writes it: `("host")`. */
const routeNode = (host: string) => `("${mermaidLabel(host)}")`;

beforeAll(async () => {
  await loadMermaid();
});

describe("Mermaid's parser, as the tests use it", () => {
  it('accepts a diagram of the shapes and labels the report uses', async () => {
    const chart = new Flowchart('LR');
    const a = chart.node('a', ['argocd.example.com', '192.168.10.49 :443'], 'stadium');
    const g = chart.subgraph('ns:x', 'namespace x');
    const b = chart.node('b', 'Service x/y:80', 'cylinder');
    chart.place(g, b);
    chart.edge(a, b, 'https://x.y.svc.cluster.local', { dotted: true });
    expect(await parseError(chart.render())).toBeUndefined();
  });

  it('fails on diagrams GitHub would show as errors', async () => {
    const bad = [
      'flowchart LR\n  a["unterminated] --> b',
      'flowchart LR\n  subgraph s["open"]\n    a\n',
      'flowchart LR\n  end --> b',
      'flowchart LR\n  a[x.y/z]] --> b',
      'flowchrt LR\n  a --> b',
    ];
    for (const source of bad) expect(await parseError(source), source).toBeTypeOf('string');
  });

  it('fails on a label written without the escaping, and parses the same label escaped', async () => {
    const text = 'the "DBA" team';
    expect(await parseError(`flowchart LR\n  a["${text}"] --> b`)).toBeTypeOf('string');
    expect(await parseError(`flowchart LR\n  a["${mermaidLabel(text)}"] --> b`)).toBeUndefined();
  });
});

describe('Flowchart', () => {
  it('escapes what would end or change a quoted label, and joins lines with <br/>', () => {
    expect(mermaidLabel('a "b" #1 <c> | `d`')).toBe('a #quot;b#quot; #35;1 #lt;c#gt; #124; #96;d#96;');
    expect(mermaidLabel(['x\ny', 'z'])).toBe('x y<br/>z');
  });

  it('gives keys that sanitize to one id a hash each, whatever the order they were added in', () => {
    const render = (keys: string[]) => {
      const chart = new Flowchart();
      for (const k of keys) chart.node(k, k);
      return chart.render();
    };
    const one = render(['route:a-b.example.lan', 'route:a.b.example.lan', 'route:end']);
    const other = render(['route:end', 'route:a.b.example.lan', 'route:a-b.example.lan']);
    const ids = (s: string) => [...s.matchAll(/^ {2}(\S+)\[/gm)].map((m) => m[1]).sort();
    expect(ids(one)).toEqual(ids(other));
    expect(ids(one).filter((i) => i.startsWith('n_route_a_b_example_lan_'))).toHaveLength(2);
    expect(ids(one)).toContain('n_route_end');
  });

  it('leaves out a subgraph nothing was placed in', () => {
    const chart = new Flowchart();
    chart.subgraph('empty', 'empty');
    chart.place(chart.subgraph('full', 'full'), chart.node('a', 'a'));
    expect(chart.render()).toBe('flowchart LR\n  subgraph g_full["full"]\n    n_a["a"]\n  end');
  });

  it('fails when an edge names a node that was never added', () => {
    const chart = new Flowchart();
    chart.node('a', 'a');
    chart.edge('a', 'b');
    expect(() => mermaidBlock(chart)).toThrow(/no node or subgraph b/);
  });
});

describe('the example fleet', () => {
  let fleet: Outcome;
  let app: App;
  beforeAll(async () => {
    app = buildFleet(new App());
    fleet = await run(app);
    expect(fleet.ok, fleet.findings.map((f) => `${f.ruleId} ${f.message}`).join('\n')).toBe(true);
  });

  it('renders a topology report for every cluster, and every diagram in it parses', async () => {
    const clusters = fleet.result!.clusters;
    expect(clusters.length).toBeGreaterThan(0);
    let diagrams = 0;
    for (const c of clusters) {
      const report = topologyOf(fleet, c.name);
      diagrams += mermaidBlocks(report).length;
      expect(await broken(report), c.name).toEqual([]);
    }
    // talos alone has the internet, the LAN and the pool diagrams; homelab and oceanid have a database each
    expect(diagrams).toBeGreaterThanOrEqual(5);
  });

  it("draws every host of each cluster's gateways as a route node, on the side it is exposed", () => {
    let checked = 0;
    for (const cluster of app.node.findAll().filter((c): c is Cluster => c instanceof Cluster)) {
      const report = topologyOf(fleet, cluster.clusterName);
      for (const gw of DualGateway.ofCluster(cluster)) {
        const internet = section(report, 'From the internet');
        const lan = section(report, 'From the LAN');
        for (const e of gw.exposures()) {
          checked++;
          expect(internet.includes(routeNode(e.host)), `${e.host} on the internet side`).toBe(e.sides.includes('external'));
          expect(lan.includes(routeNode(e.host)), `${e.host} on the LAN side`).toBe(e.sides.includes('internal'));
        }
        for (const l of gw.tcpListeners()) expect(lan).toContain(`${l.protocol} :${l.port} ${l.name}`);
        expect(internet).toContain(`${gw.externalAddress} :443`);
        expect(lan).toContain(`${gw.internalAddress} :443`);
        if (gw.tunnel?.tunnelId) expect(internet).toContain(gw.tunnel.tunnelId);
      }
    }
    expect(checked, 'the fleet exposes hosts').toBeGreaterThan(0);
  });

  it('draws every pool block and allocation, and exactly the nodes each announcement policy selects', () => {
    let checked = 0;
    for (const c of fleet.result!.clusters) {
      const cluster = app.node
        .findAll()
        .filter((x): x is Cluster => x instanceof Cluster)
        .find((x) => x.clusterName === c.name)!;
      const pools = section(topologyOf(fleet, c.name), 'LoadBalancer addresses and the nodes that announce them');
      for (const pool of ipPools(c.objects)) for (const b of poolBlocks(pool)) expect(pools).toContain(`"block ${b.text}<br/>`);
      for (const pool of L2Pool.allOf(cluster)) for (const a of pool.allocations()) expect(pools).toContain(`(["${a.address}<br/>`);
      for (const policy of l2Policies(c.objects)) {
        const selected = new Set(selectedNodes(cluster, policy.json.spec?.nodeSelector).map((n) => n.name));
        for (const n of cluster.nodes) {
          checked++;
          expect(pools.includes(`["${mermaidLabel(n.name)}<br/>${n.address}"]`), `${c.name}: node ${n.name}`).toBe(selected.has(n.name));
        }
      }
    }
    expect(checked, 'the fleet has an announcement policy').toBeGreaterThan(0);
  });

  it('draws the declared clients of each database with an arrow, and lists the pods it keeps out', () => {
    const homelab = section(topologyOf(fleet, 'homelab'), 'Who may reach each database');
    expect(homelab).toMatch(/n_pod_clients_clients_api -->\|"5432"\| n_db_clients_clients_db/);
    expect(homelab).toMatch(/n_pod_cnpg_system_cnpg_operator -->\|"5432"\| n_db_clients_clients_db/);
    expect(homelab).not.toMatch(/n_pod_clients_stranger -->/);
    expect(homelab).toContain('Denied on 5432: any other pod of namespace clients;');
    const oceanid = section(topologyOf(fleet, 'oceanid'), 'Who may reach each database');
    expect(oceanid).toMatch(/n_pod_apps_label_studio -->\|"5432"\| n_external_labelfish_db/);
    expect(oceanid).toContain('18.116.211.217');
  });

  it('says in a sentence what a cluster does not have, instead of an empty diagram', () => {
    const homelab = topologyOf(fleet, 'homelab');
    for (const heading of ['From the internet', 'From the LAN', 'LoadBalancer addresses and the nodes that announce them']) {
      expect(mermaidBlocks(section(homelab, heading)), heading).toEqual([]);
    }
    expect(section(homelab, 'From the internet')).toContain('No DualGateway in this cluster');
    expect(section(homelab, 'LoadBalancer addresses and the nodes that announce them')).toContain('No LoadBalancer address pool');
    expect(section(topologyOf(fleet, 'talos'), 'Who may reach each database')).toContain('No database in this cluster');
  });
});

/**
 * A cluster whose names are what Mermaid has keywords and syntax for: nodes, namespaces, pools and hosts named `end`,
 * `graph`, `subgraph`, `style`, `class`; host names that sanitize to the same id; free text with quotes, `#`, `<>`, `|`
 * and backticks; a remotely-managed tunnel, wildcard split DNS, a TLS listener, a database and an external one.
 */
function oddCluster(reverse = false): App {
  const { app, cluster } = testCluster({
    nodes: [
      { name: 'end', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
      { name: 'graph', address: '192.168.1.21', roles: [NodeRole.WORKER] },
      { name: 'subgraph', address: '192.168.1.22', roles: [NodeRole.WORKER], labels: { 'example.com/lb': 'yes' } },
    ],
  });
  const cilium = new CiliumRelease(cluster, 'Cilium', {
    version: '1.20',
    kubeProxyReplacement: true,
    l2Announcements: true,
    gatewayApi: { enableAlpn: true, externalTrafficPolicy: 'Cluster' },
  });
  cilium.addExtraValues({ policyCIDRMatchMode: ['nodes'] });
  new K3sServerConfig(cluster, 'K3sServerConfig');
  const pool = new L2Pool(cluster, 'end', {
    blocks: [AddressBlock.range('192.168.1.240', '192.168.1.241'), AddressBlock.cidr('192.168.1.248/30')],
    nodeSelection: NodeSelection.labels({ 'example.com/lb': 'yes' }),
    interfaces: ['^(eth|en)', 'bond0'],
  });
  const style = new Workload(cluster, 'style', { namespace: 'end', image: 'example/style:1.0.0', ports: [{ name: 'http', port: 8080 }] });
  const klass = new Workload(cluster, 'class', { namespace: 'subgraph', image: 'example/class:1.0.0', ports: [{ name: 'http', port: 80 }] });
  const gateways = new DualGateway(cluster, 'Gateways', {
    pool,
    acme: ACME,
    domains: ['example.lan', 'b.example.lan', 'o-x.example'],
    tunnel: Tunnel.remotelyManaged({
      tokenSecret: {
        name: 'tunnel-token',
        key: 'token',
        source: SecretSource.outOfBand({ command: 'kubectl -n cloudflared create secret generic tunnel-token --from-literal=token="$TUNNEL_TOKEN"' }),
      },
    }),
    splitDns: { mode: SplitDnsMode.WILDCARD },
  });
  const exposes: (() => void)[] = [
    () => gateways.expose({ host: 'a-b', backend: Backend.workload(style, 'http'), exposure: Exposure.BOTH }),
    () => gateways.expose({ host: 'a', domain: 'b.example.lan', backend: Backend.workload(klass, 'http'), exposure: Exposure.BOTH }),
    () => gateways.expose({ hosts: ['end', 'graph'], backend: Backend.workload(klass, 'http'), domain: 'o-x.example', exposure: Exposure.BOTH }),
  ];
  for (const e of reverse ? [...exposes].reverse() : exposes) e();
  gateways.addTcpListener({
    name: 'subgraph',
    port: 8443,
    protocol: ListenerProtocol.TLS,
    hostnames: ['tls.example.lan'],
    backend: Backend.external('end', 'style-tls', 8443, { installedBy: 'the "DBA" team <ops> #1 | `a;b`' }),
  });
  const db = new IsolatedDatabase(cluster, 'graph', { namespace: 'end' });
  db.connections.allowFrom(style);
  new ExternalDatabase(cluster, 'end-db', { host: 'db.example.com', address: '203.0.113.7', port: 5432, clients: [klass] });
  return app;
}

describe('a cluster with odd names', () => {
  let odd: Outcome;
  beforeAll(async () => {
    odd = await run(oddCluster());
    expect(odd.ok, odd.findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`).join('\n')).toBe(true);
  });

  it('renders diagrams that all parse', async () => {
    const report = topologyOf(odd, 'test');
    expect(mermaidBlocks(report).length).toBe(5);
    expect(await broken(report)).toEqual([]);
  });

  it('matches the reviewed golden file', async () => {
    await expect(topologyOf(odd, 'test')).toMatchFileSnapshot('./__snapshots__/topology-odd-names.md');
  });

  it('is the same whatever order the hosts were exposed in', async () => {
    const again = await run(oddCluster(true));
    expect(topologyOf(again, 'test')).toBe(topologyOf(odd, 'test'));
  });
});

/**
 * A cluster with less: a gateway without a tunnel and with LAN-only hosts, a second pool whose policy selects no node
 * and which serves a plain LoadBalancer Service, and an external database known only by an address block.
 */
function sparseCluster(): App {
  const { app, cluster } = testCluster();
  new CiliumRelease(cluster, 'Cilium', {
    version: '1.20',
    kubeProxyReplacement: true,
    l2Announcements: true,
    gatewayApi: { enableAlpn: true, externalTrafficPolicy: 'Cluster' },
  });
  new K3sServerConfig(cluster, 'K3sServerConfig');
  const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.240', '192.168.1.241')] });
  const spare = new L2Pool(cluster, 'Spare', {
    blocks: [AddressBlock.cidr('192.168.1.248/30')],
    nodeSelection: NodeSelection.labels({ 'example.com/nobody': 'here' }),
  });
  Acknowledgements.of(spare).add('NET-L2P13', 'the announcing nodes get their label after the cluster is up');
  const web = new Workload(cluster, 'web', { namespace: 'web', image: 'example/web:1.0.0', ports: [{ name: 'http', port: 8080 }] });
  new LoadBalancerService(cluster, 'Dns', {
    pool: spare,
    namespace: 'web',
    name: 'dns',
    selector: { app: 'web' },
    ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
  });
  const gateways = new DualGateway(cluster, 'Gateways', { pool, acme: ACME });
  gateways.expose({ host: 'web', backend: Backend.workload(web, 'http') });
  new ExternalDatabase(cluster, 'warehouse', { cidr: '203.0.113.0/28', port: 5432, clients: [web] });
  return app;
}

describe('a cluster with less', () => {
  let sparse: Outcome;
  let report: string;
  beforeAll(async () => {
    sparse = await run(sparseCluster());
    expect(sparse.result, sparse.findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`).join('\n')).toBeDefined();
    report = topologyOf(sparse, 'test');
  });

  it('renders diagrams that all parse', async () => {
    expect(mermaidBlocks(report).length).toBe(2);
    expect(await broken(report)).toEqual([]);
  });

  it('says so where the internet reaches nothing and a database has no one address', () => {
    expect(section(report, 'From the internet')).toContain('Nothing is exposed to the internet');
    expect(mermaidBlocks(section(report, 'From the internet'))).toEqual([]);
    expect(section(report, 'Who may reach each database')).toContain('pinned to the block 203.0.113.0/28');
  });

  it('draws a policy that selects no node, and the plain LoadBalancer Service its pool serves', () => {
    const pools = section(report, 'LoadBalancer addresses and the nodes that announce them');
    expect(pools).toContain('"no node matches its nodeSelector"');
    expect(pools).toMatch(/\(\["192\.168\.1\.248<br\/>Service web\/dns"\]\)/);
    expect(pools).toContain('"block 192.168.1.248/30<br/>4 addresses"');
  });
});
