/**
 * Who may connect to a database, in the style of aws-cdk `Connections`: `db.connections.allowFrom(app)` records
 * the client, and the database writes the policy on both sides (its own ingress, the client's egress).
 */
import type { Construct } from 'constructs';
import type { IPeer } from '../workload.js';
import { PolicyPeer, Port, renderPolicy, type PolicyEngine, type PolicyRule } from './policy.js';

/** Something other workloads connect to through its {@link Connections}. */
export interface IConnectable {
  readonly connections: Connections;
}

/** Options of {@link Connections.allowFrom}. */
export interface AllowFromOptions {
  /**
   * Also write the client's egress policy (to the database and to cluster DNS).
   *
   * Egress policy isolates the client for egress: from then on it reaches only what some egress policy allows.
   * Turn this off for a client whose egress is managed elsewhere.
   *
   * @default true
   */
  readonly egress?: boolean;
}

/** A client recorded by {@link Connections.allowFrom}. */
export interface AllowedPeer {
  readonly peer: IPeer;
  readonly egress: boolean;
}

/** The clients of one database and the port they use. */
export class Connections {
  private readonly allowed: AllowedPeer[] = [];

  public constructor(
    /** The port clients connect to. */
    public readonly defaultPort: Port,
    private readonly onAllow: (allowed: AllowedPeer) => void = () => {},
  ) {}

  /**
   * Allow `peer` (a {@link Workload} or any {@link IPeer}) to connect on {@link defaultPort}.
   *
   * Allowing the same peer twice (same namespace and selector) is a no-op.
   */
  public allowFrom(peer: IPeer, options: AllowFromOptions = {}): void {
    if (this.allowed.some((a) => samePeer(a.peer, peer))) return;
    const entry = { peer, egress: options.egress ?? true };
    this.allowed.push(entry);
    this.onAllow(entry);
  }

  /** The peers allowed so far, in the order they were allowed. */
  public get peers(): readonly IPeer[] {
    return this.allowed.map((a) => a.peer);
  }

  /** The peers with their options. */
  public get entries(): readonly AllowedPeer[] {
    return [...this.allowed];
  }
}

function samePeer(a: IPeer, b: IPeer): boolean {
  if (a.namespace !== b.namespace) return false;
  const ka = Object.keys(a.selector).sort();
  const kb = Object.keys(b.selector).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.selector[k] === b.selector[k]);
}

/** A DNS-1123 name for a peer, for the names of the policies written for it. */
export function peerName(peer: IPeer): string {
  // a name that is not a string is input that bypassed the types: fall back as if none was given
  const base = typeof peer.name === 'string' && peer.name ? peer.name : (peer.selector.app ?? peer.displayName);
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'client'
  );
}

/**
 * Write the egress policy `<client>-egress-<database>` of one allowed client, in the client's namespace: the
 * client may reach `database` (the rule `to` produces, at synth time) and cluster DNS. When the database is allowed
 * by DNS name, the DNS rule sends the lookups through Cilium's DNS proxy, which `toFQDNs` needs to learn the name's
 * addresses. Nothing is written when the client was allowed with `egress: false`.
 */
export function renderClientEgress(
  scope: Construct,
  allowed: AllowedPeer,
  options: { readonly engine: PolicyEngine; readonly databaseName: string; readonly to: () => PolicyRule },
): void {
  if (!allowed.egress) return;
  const client = peerName(allowed.peer);
  renderPolicy(scope, `Client-${allowed.peer.namespace}-${client}`, options.engine, {
    name: `${client}-egress-${options.databaseName}`,
    namespace: allowed.peer.namespace,
    podSelector: allowed.peer.selector,
    egress: () => {
      const database = options.to();
      const byName = database.peers.some((p) => p.spec.type === 'fqdn');
      return [database, { peers: [PolicyPeer.kubeDns()], ports: [Port.udp(53), Port.tcp(53)], ...(byName ? { dnsProxy: true } : {}) }];
    },
  });
}
