/**
 * A database outside the cluster (seed 003's Crunchy Bridge PostgreSQL at 18.116.211.217:5432): only the declared
 * clients get an egress policy to it.
 */
import type { Construct } from 'constructs';
import { Component, Layer } from './component.js';
import { Findings } from './findings.js';
import type { IPeer } from './workload.js';
import { Connections, renderClientEgress, type IConnectable } from './database/connections.js';
import { PolicyEngine, PolicyPeer, Port } from './database/policy.js';

export interface ExternalDatabaseProps {
  /**
   * The database's host name, for the clients' configuration and for messages. Policy cannot match a host name:
   * the address below is what the egress rule allows.
   *
   * @default - none
   */
  readonly host?: string;
  /**
   * The database's IP address; rendered as an `ipBlock` of `<address>/32`. Give this or {@link cidr}.
   *
   * @default - from cidr
   */
  readonly address?: string;
  /**
   * The database's address block, when it has several addresses. Give this or {@link address}.
   *
   * @default - `<address>/32`
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
   * Policy kind to render.
   *
   * @default PolicyEngine.KUBERNETES
   */
  readonly policyEngine?: PolicyEngine;
}

/**
 * A database outside the cluster, reached by the declared clients through egress policy (`ipBlock` /32 on the
 * database port, plus cluster DNS to resolve its host name).
 *
 * The egress policy is one half. Seed 003's label-studio could reach its database only from the control-plane
 * node: the worker nodes' own firewall/NAT dropped the traffic to 18.116.211.217:5432, and the workaround pinned
 * the app to the one node that worked (a nodeSelector). Policy allows the packet to leave the pod; every node the
 * client may run on must also let it out — open the nodes' egress (the edge firewall) instead of pinning pods to
 * nodes. This construct never renders a node pin.
 *
 * Only clients are made egress-isolated: other pods of the cluster are not restricted by this construct (give
 * their namespaces an egress policy to restrict them), and the database's own firewall stays the last word.
 */
export class ExternalDatabase extends Component implements IConnectable {
  public readonly name: string;
  public readonly host?: string;
  /** The address block the egress rules allow; undefined when neither address nor cidr was given (NET-DB4). */
  public readonly cidr: string | undefined;
  public readonly port: number;
  public readonly policyEngine: PolicyEngine;
  public readonly connections: Connections;

  public constructor(scope: Construct, id: string, props: ExternalDatabaseProps) {
    super(scope, id, { layer: Layer.APPS, folder: id.toLowerCase() });
    this.name = id.toLowerCase();
    this.host = props.host;
    this.cidr = props.cidr ?? (props.address !== undefined ? (props.address.includes('/') ? props.address : `${props.address}/32`) : undefined);
    if (this.cidr === undefined) {
      // the clients' egress policies still render, allowing nothing to it but DNS: no client can reach the database
      Findings.of(this).addError('NET-DB4', {
        message: `external database ${this.name} has no address: no declared client can be allowed out to it`,
        value: { host: props.host, address: props.address, cidr: props.cidr },
        expected: 'address (rendered as <address>/32) or cidr',
        fix: `Give the database's IP address (address: '18.116.211.217') or its address block (cidr); a host name alone cannot be matched by policy.`,
      });
    }
    this.port = props.port ?? 5432;
    this.policyEngine = props.policyEngine ?? PolicyEngine.KUBERNETES;
    this.connections = new Connections(Port.tcp(this.port), (a) =>
      renderClientEgress(this, a, {
        engine: this.policyEngine,
        databaseName: this.name,
        to: () => ({ peers: this.cidr !== undefined ? [PolicyPeer.cidr(this.cidr)] : [], ports: [Port.tcp(this.port)] }),
      }),
    );
    for (const c of props.clients ?? []) this.connections.allowFrom(c);
  }

  /** The single address, when the block is a /32 (used by the reachability check). */
  public get address(): string | undefined {
    return this.cidr?.endsWith('/32') ? this.cidr.slice(0, -3) : undefined;
  }

  /** The declared clients. */
  public get clients(): readonly IPeer[] {
    return this.connections.peers;
  }
}
