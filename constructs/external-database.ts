/**
 * A database outside the cluster (seed 003's Crunchy Bridge PostgreSQL): only the declared clients get an egress
 * policy to it — by its DNS name on Cilium, or to an address the user pins.
 */
import type { Construct } from 'constructs';
import { Component, Layer } from './component.js';
import type { IPeer } from './workload.js';
import { Connections, renderClientEgress, type IConnectable } from './database/connections.js';
import { PolicyEngine, PolicyPeer, Port } from './database/policy.js';
import * as p from './core/props.js';
import { checkProps, idAsName } from './findings.js';

export interface ExternalDatabaseProps {
  /**
   * The database's DNS name, as its clients dial it.
   *
   * Without an `address` or `cidr` pin the clients' egress allows this name: a CiliumNetworkPolicy `toFQDNs` rule,
   * plus a DNS rule that sends the clients' lookups through Cilium's DNS proxy, from which the agent learns the
   * addresses the name resolves to. The rule follows the provider when it moves the database (fail-over,
   * maintenance), where an address pin would cut the clients off.
   *
   * @default - none: give `address` or `cidr`
   * @see https://docs.cilium.io/en/stable/security/policy/language/#dns-based
   */
  readonly host?: string;
  /**
   * Pin the egress to this IP address (`<address>/32`) instead of the host name. Only for an address the provider
   * guarantees (a static IP): managed databases move theirs.
   *
   * @default - not pinned: the egress allows `host`
   */
  readonly address?: string;
  /**
   * Pin the egress to this address block instead of the host name, when the database has several addresses the
   * provider guarantees. Give at most one of `address` and `cidr`.
   *
   * @default - not pinned: the egress allows `host`
   */
  readonly cidr?: string;
  /**
   * The database's TCP port.
   *
   * @default 5432
   */
  readonly port?: number;
  /**
   * Workloads allowed to reach it (each goes through {@link Connections.allowFrom}).
   *
   * @default - none: add them with `connections.allowFrom(app)`
   */
  readonly clients?: readonly IPeer[];
  /**
   * Policy kind to render. A host name can only be allowed by Cilium (NetworkPolicy has no DNS peer): rule NET-DB6
   * refuses a host-name egress with the Kubernetes engine, or on a cluster without Cilium.
   *
   * @default - PolicyEngine.CILIUM for an egress by host name, PolicyEngine.KUBERNETES for a pinned address
   */
  readonly policyEngine?: PolicyEngine;
}

/**
 * A database outside the cluster, reached by the declared clients through egress policy: to its host name on the
 * database port (Cilium `toFQDNs`), or to the address the user pins (`ipBlock`), plus cluster DNS to resolve the name.
 *
 * The egress policy is one half. Seed 003's label-studio could reach its database only from the control-plane
 * node: the worker nodes' own firewall/NAT dropped the traffic to the database, and the workaround pinned the app to
 * the one node that worked (a nodeSelector). Policy allows the packet to leave the pod; every node the client may run
 * on must also let it out — open the nodes' egress (the edge firewall) instead of pinning pods to nodes. This
 * construct never renders a node pin.
 *
 * Only clients are made egress-isolated: other pods of the cluster are not restricted by this construct (give
 * their namespaces an egress policy to restrict them), and the database's own firewall stays the last word.
 */
/** What an ExternalDatabase accepts (NET-IN1 to NET-IN4). */
const EXTERNAL_DATABASE_SPEC = p.object({
  host: p.optional(p.name('subdomain', { landsAs: 'a host name' })),
  address: p.optional(p.ip()),
  cidr: p.optional(p.cidr()),
  port: p.optional(p.port()),
  clients: p.optional(
    p.array(
      p.shaped(
        'a Workload (or another IPeer: an object with namespace and selector)',
        (v) => typeof v.namespace === 'string' && typeof v.selector === 'object' && v.selector !== null,
      ),
    ),
  ),
  policyEngine: p.optional(p.oneOf(Object.values(PolicyEngine))),
});

export class ExternalDatabase extends Component implements IConnectable {
  public readonly name: string;
  public readonly host?: string;
  /** The pinned address block the egress rules allow, when the user pinned one. */
  public readonly cidr?: string;
  public readonly port: number;
  public readonly policyEngine: PolicyEngine;
  public readonly connections: Connections;
  /** The pins as given (for rule NET-DB6, which reports two at once). */
  public readonly givenPins: { readonly address?: string; readonly cidr?: string };

  public constructor(scope: Construct, id: string, given: ExternalDatabaseProps) {
    super(scope, id, { layer: Layer.APPS, folder: id.toLowerCase() });
    const props = checkProps<ExternalDatabaseProps>(this, EXTERNAL_DATABASE_SPEC, given, {});
    this.name = idAsName(this, id, 'label', 'the name of its policies');
    this.host = props.host;
    this.givenPins = { ...(props.address !== undefined ? { address: props.address } : {}), ...(props.cidr !== undefined ? { cidr: props.cidr } : {}) };
    const pin = props.cidr ?? props.address;
    this.cidr = pin === undefined ? undefined : pin.includes('/') ? pin : `${pin}/32`;
    this.port = props.port ?? 5432;
    this.policyEngine = props.policyEngine ?? (this.cidr === undefined && this.host !== undefined ? PolicyEngine.CILIUM : PolicyEngine.KUBERNETES);
    this.connections = new Connections(Port.tcp(this.port), (a) =>
      renderClientEgress(this, a, {
        engine: this.policyEngine,
        databaseName: this.name,
        to: () => ({ peers: this.egressPeers(), ports: [Port.tcp(this.port)] }),
      }),
    );
    for (const c of props.clients ?? []) this.connections.allowFrom(c);
  }

  /** True when the egress is pinned to an address (`address` or `cidr`); false when it allows the host name. */
  public get pinned(): boolean {
    return this.cidr !== undefined;
  }

  /** The single address, when the pin is a /32 (used by the reachability check). */
  public get address(): string | undefined {
    return this.cidr?.endsWith('/32') ? this.cidr.slice(0, -3) : undefined;
  }

  /**
   * What the reachability evaluator is asked about: the pinned address, or (when the egress allows the name) the host
   * name; undefined for a pin to a block, which has no one address to ask about.
   */
  public get destination(): { readonly ip: string; readonly name: string } | { readonly host: string; readonly name: string } | undefined {
    if (this.pinned) return this.address !== undefined ? { ip: this.address, name: this.name } : undefined;
    return this.host !== undefined ? { host: this.host, name: this.name } : undefined;
  }

  /** The declared clients. */
  public get clients(): readonly IPeer[] {
    return this.connections.peers;
  }

  private egressPeers(): PolicyPeer[] {
    if (this.cidr !== undefined) return [PolicyPeer.cidr(this.cidr)];
    return this.host !== undefined ? [PolicyPeer.fqdn(this.host)] : [];
  }
}
