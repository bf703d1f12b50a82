import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EdgeInputError,
  type FirewallInput,
  type FirewallRule,
  firewallPorts,
  NFT_INSTALL_PATH,
  portText,
  renderFirewallUnit,
  renderNftables,
  renderUfw,
} from '../../constructs/edge/index.js';
import { homelabNodes, oceanidNodes } from './scenarios.js';
import { HAVE_NFT, nftCheck } from './tools.js';

/** Seed 001's homelab: k3s, embedded etcd, VXLAN, Hubble on, node-exporter scraped. */
const homelab: FirewallInput = {
  clusterName: 'homelab',
  nodes: homelabNodes,
  managementSources: ['192.168.0.0/24'],
  loadBalancerSources: ['192.168.0.45', '192.168.0.46'],
  podCidr: '10.42.0.0/16',
  routingMode: 'vxlan',
  hubble: true,
  embeddedEtcd: true,
  nodeExporter: {},
};

const find = (rules: readonly FirewallRule[], port: string, proto: string) => rules.find((r) => portText(r.port) === port && r.protocol === proto);

const arbInput = fc.record({
  routingMode: fc.constantFrom('vxlan', 'geneve', 'native') as fc.Arbitrary<FirewallInput['routingMode']>,
  encryption: fc.constantFrom('none', 'wireguard') as fc.Arbitrary<'none' | 'wireguard'>,
  hubble: fc.boolean(),
  embeddedEtcd: fc.boolean(),
  monitored: fc.boolean(),
  withLb: fc.boolean(),
});

describe('firewallPorts', () => {
  it('opens each optional port exactly when the configuration needs it', () => {
    fc.assert(
      fc.property(arbInput, (o) => {
        const input: FirewallInput = {
          nodes: oceanidNodes,
          managementSources: ['10.27.27.0/24'],
          routingMode: o.routingMode,
          encryption: o.encryption,
          hubble: o.hubble,
          embeddedEtcd: o.embeddedEtcd,
          ...(o.monitored ? { nodeExporter: {} } : {}),
          ...(o.withLb ? { loadBalancerSources: ['10.27.27.2'] } : {}),
        };
        const { rules } = firewallPorts(input);
        expect(!!find(rules, '8472', 'udp')).toBe(o.routingMode === 'vxlan');
        expect(!!find(rules, '6081', 'udp')).toBe(o.routingMode === 'geneve');
        expect(!!find(rules, '51871', 'udp')).toBe(o.encryption === 'wireguard');
        expect(!!find(rules, '4244', 'tcp')).toBe(o.hubble);
        expect(!!find(rules, '2379-2380', 'tcp')).toBe(o.embeddedEtcd);
        expect(!!find(rules, '9100', 'tcp')).toBe(o.monitored);
        expect(!!find(rules, '80', 'tcp')).toBe(o.withLb);
        expect(!!find(rules, '443', 'tcp')).toBe(o.withLb);
        for (const always of [
          ['22', 'tcp'],
          ['6443', 'tcp'],
          ['4240', 'tcp'],
          ['10250', 'tcp'],
        ]) {
          expect(find(rules, always[0]!, always[1]!), always.join('/')).toBeDefined();
        }
        expect(find(rules, '4443', 'tcp')).toBeUndefined();
      }),
    );
  });

  it('limits sources: SSH from management, etcd between control-plane nodes, web from the load balancer', () => {
    const { rules, omitted } = firewallPorts(homelab);
    expect(find(rules, '22', 'tcp')!.sources).toEqual(homelab.managementSources);
    const cp = homelab.nodes.filter((n) => n.roles.includes('control-plane'));
    expect(find(rules, '2379-2380', 'tcp')!.sources).toEqual(cp.map((n) => n.address).sort());
    expect(find(rules, '2379-2380', 'tcp')!.appliesTo).toEqual(cp.map((n) => n.name).sort());
    expect(find(rules, '443', 'tcp')!.sources).toEqual([...homelab.loadBalancerSources!].sort());
    const api = find(rules, '6443', 'tcp')!;
    for (const s of [...homelab.loadBalancerSources!, ...homelab.nodes.map((n) => n.address)]) expect(api.sources).toContain(s);
    expect(omitted.find((o) => o.port === 4443)?.reason).toMatch(/pod/);
  });

  it('opens etcd and the API on control-plane nodes only', () => {
    const { rules } = firewallPorts({ ...homelab, nodes: oceanidNodes });
    expect(find(rules, '2379-2380', 'tcp')!.appliesTo).toEqual(['cp1']);
    expect(find(rules, '6443', 'tcp')!.appliesTo).toEqual(['cp1']);
    expect(find(rules, '443', 'tcp')!.appliesTo).toEqual(['worker1', 'worker2']);
    const workerFile = renderNftables({ ...homelab, nodes: oceanidNodes }, { forNode: 'worker1' });
    expect(workerFile).not.toMatch(/dport 2379-2380/);
    expect(workerFile).not.toMatch(/dport 6443/);
    expect(workerFile).toMatch(/dport 8472/);
  });

  it('fails when SSH would be locked out or an address is malformed', () => {
    expect(() => firewallPorts({ ...homelab, managementSources: [] })).toThrow(/EDGE-FW2/);
    expect(() => firewallPorts({ ...homelab, podCidr: '10.42.0.1/16' })).toThrow(EdgeInputError);
    expect(() => renderNftables(homelab, { forNode: 'nope' })).toThrow(/EDGE-FW4/);
  });
});

describe('renderNftables / renderUfw', () => {
  it('renders policy drop, established, loopback, icmp and one commented rule per row', () => {
    const text = renderNftables(homelab);
    expect(text).toContain('table inet netkit {');
    expect(text).toMatch(/type filter hook input priority filter; policy drop;/);
    expect(text).toMatch(/ct state established,related accept/);
    expect(text).toMatch(/iif "lo" accept/);
    expect(text).toMatch(/meta l4proto icmp accept/);
    const { rules } = firewallPorts(homelab);
    const input = text.slice(text.indexOf('\tchain input {'));
    const ruleLines = input.split('\n').filter((l) => /dport/.test(l));
    expect(ruleLines).toHaveLength(rules.length);
    for (const r of rules) {
      expect(ruleLines.some((l) => l.includes(`${r.protocol} dport ${portText(r.port)} `) && l.includes(`comment "${r.purpose}"`))).toBe(true);
    }
  });

  it("replaces its own table in one transaction and never flushes the ruleset (kube-proxy's and Cilium's rules stay)", () => {
    const text = renderNftables(homelab);
    expect(text).not.toMatch(/flush ruleset/);
    expect(text.indexOf('table inet netkit\ndelete table inet netkit\n')).toBeGreaterThan(0);
    expect(text.match(/^table /gm)).toEqual(['table ', 'table ']);
    const unit = renderFirewallUnit();
    expect(unit).toContain(`ExecStart=/usr/sbin/nft -f ${NFT_INSTALL_PATH}`);
    expect(unit).toContain('ExecStop=/usr/sbin/nft delete table inet netkit');
    expect(unit).not.toMatch(/flush/);
  });

  it("restricts 80/443 before kube-proxy's DNAT: from the load balancer only, never over IPv6, closed on nodes without ingress", () => {
    const chain = (text: string) => text.slice(text.indexOf('\tchain before_dnat {'), text.indexOf('\tchain input {'));
    const ingress = chain(renderNftables(homelab, { forNode: 'worker2' }));
    expect(ingress).toContain('type filter hook prerouting priority dstnat - 10; policy accept;');
    expect(ingress).toContain('fib daddr type local ip saddr != { 192.168.0.45, 192.168.0.46 } tcp dport { 80, 443 } drop');
    expect(ingress).toContain('fib daddr type local meta nfproto ipv6 tcp dport { 80, 443 } drop');
    // oceanid's control plane serves no ingress; a cluster without a load balancer opens 80/443 nowhere
    const cp = chain(renderNftables({ ...homelab, nodes: oceanidNodes }, { forNode: 'cp1' }));
    expect(cp).toContain('fib daddr type local meta nfproto ipv4 tcp dport { 80, 443 } drop');
    expect(cp).not.toContain('ip saddr !=');
    const noLb = chain(renderNftables({ ...homelab, loadBalancerSources: undefined }, { forNode: 'worker2' }));
    expect(noLb).toContain('fib daddr type local meta nfproto ipv4 tcp dport { 80, 443 } drop');
  });

  it('says where nothing here filters: NodePorts, and everything Cilium answers in eBPF under kube-proxy replacement', () => {
    expect(renderNftables(homelab)).toContain('# not filtered here: NodePorts 30000-32767');
    expect(renderNftables(homelab)).not.toContain('kube-proxy replacement is on');
    expect(renderNftables({ ...homelab, kubeProxyReplacement: true })).toContain(
      '# kube-proxy replacement is on: Cilium answers NodePort/LoadBalancer traffic in eBPF before netfilter',
    );
    expect(renderUfw(homelab)).toContain("# UFW filters the input hook only: 80/443 reach pods through kube-proxy's DNAT before it");
  });

  it('renders one ufw line per row and source, ranges with a colon', () => {
    const text = renderUfw(homelab);
    const { rules } = firewallPorts(homelab);
    const lines = text.split('\n').filter((l) => l.startsWith('ufw allow'));
    expect(lines).toHaveLength(rules.reduce((n, r) => n + r.sources.length, 0));
    expect(lines).toContain(`ufw allow from 192.168.0.0/24 to any port 22 proto tcp comment 'SSH from the management network'`);
    expect(lines.some((l) => l.includes('port 2379:2380 proto tcp'))).toBe(true);
  });

  it('is deterministic whatever the node order', () => {
    expect(renderNftables({ ...homelab, nodes: [...homelab.nodes].reverse() })).toBe(renderNftables(homelab));
  });

  const variants: [string, FirewallInput, string | undefined][] = [
    ['homelab, every node', homelab, undefined],
    ['homelab, one node', homelab, 'worker2'],
    ['geneve + wireguard, no lb', { ...homelab, routingMode: 'geneve', encryption: 'wireguard', loadBalancerSources: undefined }, undefined],
    ['native routing, minimal', { nodes: oceanidNodes, managementSources: ['10.27.27.0/24'], routingMode: 'native' }, 'cp1'],
    ['kube-proxy replacement, a worker without ingress', { ...homelab, nodes: oceanidNodes, kubeProxyReplacement: true }, 'worker1'],
  ];
  it.skipIf(!HAVE_NFT).each(variants)('nft -c accepts %s', (_n, input, forNode) => {
    const r = nftCheck(renderNftables(input, forNode ? { forNode } : {}));
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });

  it.skipIf(!HAVE_NFT)('the checker is honest: nft -c rejects a broken ruleset', () => {
    expect(nftCheck(renderNftables(homelab).replace('policy drop', 'policy dropp')).ok).toBe(false);
  });
});
