/**
 * Split DNS for a DualGateway: LAN clients (and pods) resolve the hosts the internal gateway serves to its address,
 * so LAN traffic never leaves through Cloudflare. Rendered in the forms people use:
 * - in-cluster: a CoreDNS server block per domain in the `coredns-custom` ConfigMap (kube-system), which k3s'
 *   bundled CoreDNS imports (`import /etc/coredns/custom/*.server`); other distributions need the same block added
 *   to their Corefile (the exposure report says so);
 * - for a LAN resolver: a dnsmasq file (`address=/host/ip`, also Pi-hole, Firewalla, OpenWrt) and a hosts file.
 */
import { compareText } from '../core/order.js';

/** How LAN names are pointed at the internal gateway. */
export enum SplitDnsMode {
  /**
   * One record per internally served host; every other name of the domain resolves publicly (through Cloudflare for
   * external hosts).
   */
  PER_HOST = 'per-host',
  /**
   * The whole domain (`*.domain`) points at the internal gateway, as in seed 002's router override. Every
   * external-only host then breaks on the LAN (the internal gateway has no route for it): rule NET-GW5.
   */
  WILDCARD = 'wildcard',
}

/** One split-DNS answer. */
export interface DnsRecord {
  /** A host name, or a domain when `wildcard`. */
  readonly name: string;
  readonly address: string;
  /** True for a domain-wide answer (the domain and every name below it). */
  readonly wildcard: boolean;
}

/** The zone a name belongs to: the longest matching domain, or the name itself. */
export function zoneOf(name: string, domains: readonly string[]): string {
  const matches = domains.filter((d) => name === d || name.endsWith(`.${d}`)).sort((a, b) => b.length - a.length);
  return matches[0] ?? name;
}

/** CoreDNS server blocks, one per zone, answering the records and forwarding everything else. */
export function coreDnsServerBlocks(records: readonly DnsRecord[], domains: readonly string[]): Map<string, string> {
  const byZone = new Map<string, DnsRecord[]>();
  for (const r of records) {
    const zone = zoneOf(r.name, domains);
    byZone.set(zone, [...(byZone.get(zone) ?? []), r]);
  }
  const out = new Map<string, string>();
  for (const zone of [...byZone.keys()].sort()) {
    const rs = byZone.get(zone)!;
    const lines = [`# Split DNS rendered by cdk8s-netkit: names of ${zone} served on the LAN answer with the internal gateway.`, `${zone}:53 {`, '    errors'];
    const wild = rs.filter((r) => r.wildcard);
    const hosts = rs.filter((r) => !r.wildcard).sort((a, b) => compareText(a.name, b.name));
    if (hosts.length) {
      lines.push('    hosts {');
      for (const h of hosts) lines.push(`        ${h.address} ${h.name}`);
      lines.push('        ttl 60', '        fallthrough', '    }');
    }
    for (const w of wild) {
      const regex = `(^|\\.)${w.name.replace(/\./g, '\\.')}\\.$`;
      lines.push(
        `    template IN A ${w.name} {`,
        `        match "${regex}"`,
        `        answer "{{ .Name }} 60 IN A ${w.address}"`,
        '        fallthrough',
        '    }',
      );
    }
    lines.push('    forward . /etc/resolv.conf', '    cache 30', '}');
    out.set(`${zone.replace(/\./g, '-')}.server`, lines.join('\n') + '\n');
  }
  return out;
}

/** A dnsmasq snippet (`address=/name/ip` also answers every name below `name`). */
export function dnsmasqConfig(records: readonly DnsRecord[], clusterName: string): string {
  const lines = [
    `# Split DNS for cluster ${clusterName}, rendered by cdk8s-netkit. Load into the LAN resolver (dnsmasq, Pi-hole,`,
    '# Firewalla, OpenWrt): these names answer with the internal gateway; every other name resolves publicly.',
  ];
  for (const r of [...records].sort((a, b) => compareText(a.name, b.name))) lines.push(`address=/${r.name}/${r.address}`);
  return lines.join('\n') + '\n';
}

/** A hosts-file snippet (exact names only: a wildcard record cannot be written as hosts). */
export function hostsFile(records: readonly DnsRecord[], clusterName: string): string {
  const lines = [`# Split DNS for cluster ${clusterName}, rendered by cdk8s-netkit (hosts format; exact names only).`];
  for (const r of [...records].sort((a, b) => compareText(a.name, b.name))) {
    lines.push(r.wildcard ? `# ${r.name} and every name below it -> ${r.address} (not expressible in hosts format)` : `${r.address} ${r.name}`);
  }
  return lines.join('\n') + '\n';
}
