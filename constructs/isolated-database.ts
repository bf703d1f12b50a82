/**
 * A PostgreSQL cluster (CloudNativePG) that only its declared clients can reach — seed 001's `clients-db`, with
 * the isolation written on both sides and proved offline by the reachability rule (NET-DB4).
 */
import type { Construct } from 'constructs';
import { PostgresCluster } from '../imports/cloudnative-pg.js';
import { Cluster } from './cluster.js';
import { CNPG_NAMESPACE, CNPG_OPERATOR_LABELS, CnpgOperator } from './cnpg-operator.js';
import { Connections, renderClientEgress, type IConnectable } from './database/connections.js';
import { PolicyEngine, PolicyPeer, Port, renderPolicy, type PolicyRule } from './database/policy.js';
import { Component, Layer } from './component.js';
import { isIpLiteral } from './cluster/address.js';
import type { IPeer } from './workload.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** The PostgreSQL port of every CloudNativePG instance. */
export const POSTGRES_PORT = 5432;
/** The instance manager's status port, which the operator polls. */
export const CNPG_STATUS_PORT = 8000;
/** The instance's Prometheus exporter port. */
export const CNPG_METRICS_PORT = 9187;
/**
 * The ports the operator and the other instances of the same database use: PostgreSQL (replication, the
 * operator's own connections) and the instance manager's status API. CloudNativePG asks that the operator reach
 * every instance on both, and that the instances reach each other; since 1.27 a primary that cannot reach the API
 * server asks the other instances' status API before shutting itself down (primary isolation check).
 *
 * @see https://cloudnative-pg.io/documentation/current/networking/
 * @see https://cloudnative-pg.io/documentation/current/instance_manager/#primary-isolation
 */
export const INSTANCE_PORTS: readonly number[] = [POSTGRES_PORT, CNPG_STATUS_PORT];

/** Where the database ships its backups (object store, Barman endpoint), outside the cluster. */
export interface BackupEndpoint {
  /** The endpoint's address block, e.g. `192.168.55.30/32`. */
  readonly cidr: string;
  /**
   * The endpoint's TCP port.
   *
   * @default 443
   */
  readonly port?: number;
}

export interface IsolatedDatabaseProps {
  /** The namespace of the database (and of its namespace-wide default-deny ingress policy). */
  readonly namespace: string;
  /**
   * Name of the CloudNativePG Cluster; its pods carry `cnpg.io/cluster: <name>`, its services are `<name>-rw`,
   * `<name>-ro`, `<name>-r`.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Number of PostgreSQL instances (one primary, the rest streaming replicas).
   *
   * @default 2
   * @see https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/#postgresql-cnpg-io-v1-ClusterSpec
   */
  readonly instances?: number;
  /**
   * Size of each instance's volume.
   *
   * @default '1Gi'
   */
  readonly storageSize?: string;
  /**
   * Storage class of the volumes.
   *
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;
  /**
   * Application database created by `initdb`.
   *
   * @default 'app'
   */
  readonly database?: string;
  /**
   * Owner of the application database; CloudNativePG writes its credentials to the Secret `<name>-app`.
   *
   * @default 'app'
   */
  readonly owner?: string;
  /**
   * The workloads allowed to connect on 5432. Each goes through {@link Connections.allowFrom}.
   *
   * @default - none: add clients with `db.connections.allowFrom(app)` (a database without any is NET-DB3)
   */
  readonly clients?: readonly IPeer[];
  /**
   * Namespace allowed to scrape the instances' metrics on 9187 (Prometheus).
   *
   * @default - metrics are not reachable
   */
  readonly metricsNamespace?: string;
  /**
   * Backup endpoint the instances may reach by egress.
   *
   * @default - no backup egress
   */
  readonly backup?: BackupEndpoint;
  /**
   * Policy kind to render. On Cilium, the default NetworkPolicy reaches the API server by ipBlock, which Cilium
   * matches against node addresses only with `policyCIDRMatchMode: ['nodes']` on the CiliumRelease (rule NET-DB5);
   * {@link PolicyEngine.CILIUM} needs no such setting.
   *
   * @default PolicyEngine.KUBERNETES
   */
  readonly policyEngine?: PolicyEngine;
  /**
   * Install the CloudNativePG operator release in the cluster (once, shared by every database).
   *
   * @default true
   */
  readonly installOperator?: boolean;
}

const defaultDenied = new WeakMap<Cluster, Set<string>>();

/**
 * A CloudNativePG `Cluster` with the NetworkPolicies that make it reachable only from its declared clients.
 *
 * Rendered, in the apps layer (folder = the database name):
 * - the `postgresql.cnpg.io/v1` Cluster;
 * - `default-deny-ingress` for the namespace (once per namespace; always a NetworkPolicy);
 * - `<name>-ingress` on the instances (`cnpg.io/cluster: <name>`): 5432 from the clients; 5432 and 8000 from the
 *   other instances and from the operator in `cnpg-system` ({@link INSTANCE_PORTS}); 9187 from
 *   {@link IsolatedDatabaseProps.metricsNamespace};
 * - `<name>-egress` on the instances: DNS (kube-system kube-dns, 53 UDP/TCP), the API server (its endpoints'
 *   addresses on 6443 — not the `kubernetes` Service VIP, see {@link PolicyPeer.apiServer}), the other instances
 *   on 5432 and 8000, and the backup endpoint;
 * - per client, `<client>-egress-<name>` in the client's namespace: the client may reach the instances on 5432
 *   and DNS.
 *
 * And in the services layer, the operator release ({@link CnpgOperator}).
 *
 * @example
 * const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
 * db.connections.allowFrom(api); // api: a Workload
 * // On Cilium, let NetworkPolicy ipBlock rules match the API server's node addresses (rule NET-DB5):
 * CiliumRelease.of(cluster)?.addExtraValues({ policyCIDRMatchMode: ['nodes'] });
 *
 * @see https://cloudnative-pg.io/documentation/current/security/#exposed-ports
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
/** What an IsolatedDatabase accepts (NET-IN1 to NET-IN4). */
const ISOLATED_DATABASE_SPEC = p.object({
  namespace: p.withFallback(p.name('label', { landsAs: 'a namespace' }), () => 'default'),
  name: p.optional(p.name('label', { landsAs: 'the CloudNativePG Cluster name' })),
  instances: p.optional(p.integer({ min: 1, max: 99 })),
  storageSize: p.optional(
    p.string({ maxLength: 32, pattern: /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, expected: 'a Kubernetes quantity such as 5Gi' }),
  ),
  storageClass: p.optional(p.name('subdomain', { landsAs: 'a StorageClass name' })),
  database: p.optional(p.string({ maxLength: 63, pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, expected: 'a PostgreSQL identifier (letters, digits, _)' })),
  owner: p.optional(p.string({ maxLength: 63, pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, expected: 'a PostgreSQL role name (letters, digits, _)' })),
  clients: p.optional(
    p.array(
      p.shaped(
        'a Workload (or another IPeer: an object with namespace and selector)',
        (v) => typeof v.namespace === 'string' && typeof v.selector === 'object' && v.selector !== null,
      ),
    ),
  ),
  metricsNamespace: p.optional(p.name('label', { landsAs: 'a namespace' })),
  backup: p.optional(p.object({ cidr: p.cidr(), port: p.optional(p.port()) })),
  policyEngine: p.optional(p.oneOf(Object.values(PolicyEngine))),
  installOperator: p.optional(p.boolean()),
});

export class IsolatedDatabase extends Component implements IConnectable {
  public readonly name: string;
  public readonly namespace: string;
  public readonly policyEngine: PolicyEngine;
  /** Labels of the instance pods. */
  public readonly selector: Readonly<Record<string, string>>;
  /** Clients: `connections.allowFrom(peer)`. */
  public readonly connections: Connections;
  public readonly metricsNamespace?: string;
  public readonly backup?: BackupEndpoint;
  /** The CloudNativePG Cluster object. */
  public readonly resource: PostgresCluster;
  /** The operator release, when installed. */
  public readonly operator?: CnpgOperator;

  public constructor(scope: Construct, id: string, given: IsolatedDatabaseProps) {
    const given_ = given as { name?: unknown } | undefined;
    const name = typeof given_?.name === 'string' ? given_.name : id;
    super(scope, id, { layer: Layer.APPS, folder: name });
    const props = checkProps<IsolatedDatabaseProps>(this, ISOLATED_DATABASE_SPEC, given, { namespace: 'default' });
    this.name = name;
    this.namespace = props.namespace;
    this.policyEngine = props.policyEngine ?? PolicyEngine.KUBERNETES;
    this.selector = { 'cnpg.io/cluster': name };
    this.metricsNamespace = props.metricsNamespace;
    this.backup = props.backup;
    this.connections = new Connections(Port.tcp(POSTGRES_PORT), (a) =>
      renderClientEgress(this, a, {
        engine: this.policyEngine,
        databaseName: name,
        to: () => ({ peers: [this.instancesPeer()], ports: [Port.tcp(POSTGRES_PORT)] }),
      }),
    );
    if (props.installOperator ?? true) this.operator = CnpgOperator.ensure(this);

    this.resource = new PostgresCluster(this, 'Resource', {
      metadata: { name, namespace: this.namespace },
      spec: {
        instances: props.instances ?? 2,
        storage: { size: props.storageSize ?? '1Gi', ...(props.storageClass ? { storageClass: props.storageClass } : {}) },
        bootstrap: { initdb: { database: props.database ?? 'app', owner: props.owner ?? 'app' } },
      },
    });

    const cluster = Cluster.of(this);
    const denied = defaultDenied.get(cluster) ?? new Set<string>();
    defaultDenied.set(cluster, denied);
    if (!denied.has(this.namespace)) {
      denied.add(this.namespace);
      renderPolicy(this, 'DefaultDenyIngress', PolicyEngine.KUBERNETES, {
        name: 'default-deny-ingress',
        namespace: this.namespace,
        podSelector: {},
        ingress: () => [],
      });
    }

    renderPolicy(this, 'Ingress', this.policyEngine, {
      name: `${name}-ingress`,
      namespace: this.namespace,
      podSelector: this.selector,
      ingress: () => this.ingressRules(),
    });
    renderPolicy(this, 'Egress', this.policyEngine, {
      name: `${name}-egress`,
      namespace: this.namespace,
      podSelector: this.selector,
      egress: () => this.egressRules(),
    });

    for (const c of props.clients ?? []) this.connections.allowFrom(c);
  }

  /** The read-write service's host name inside the cluster. */
  public get host(): string {
    return `${this.name}-rw.${this.namespace}.svc`;
  }

  /** The Secret CloudNativePG writes the application credentials to (reference it; never copy its values). */
  public get appSecretName(): string {
    return `${this.name}-app`;
  }

  /** The declared clients. */
  public get clients(): readonly IPeer[] {
    return this.connections.peers;
  }

  /** The ingress rules of the instances, as rendered. */
  public ingressRules(): PolicyRule[] {
    const clients = this.connections.peers.map((p) => PolicyPeer.pods(p.namespace, p.selector));
    const operator = this.operator ?? CnpgOperator.of(Cluster.of(this));
    const operatorPeer = PolicyPeer.pods(operator?.namespace ?? CNPG_NAMESPACE, operator?.podLabels ?? CNPG_OPERATOR_LABELS);
    const rules: PolicyRule[] = [
      { peers: clients, ports: [Port.tcp(POSTGRES_PORT)] },
      // The operator and the other instances on both ports: replication and the operator's SQL on 5432, the
      // status API on 8000 (polled by the operator, and by a primary's isolation check in its liveness probe).
      { peers: [this.instancesPeer(), operatorPeer], ports: INSTANCE_PORTS.map((p) => Port.tcp(p)) },
    ];
    if (this.metricsNamespace) rules.push({ peers: [PolicyPeer.namespace(this.metricsNamespace)], ports: [Port.tcp(CNPG_METRICS_PORT)] });
    return rules;
  }

  /** The egress rules of the instances, as rendered. */
  public egressRules(): PolicyRule[] {
    const cluster = Cluster.of(this);
    const api = [...cluster.controlPlaneNodes.map((n) => n.address), ...(isIpLiteral(cluster.apiEndpoint.host) ? [cluster.apiEndpoint.host] : [])];
    const apiPorts = [...new Set([6443, cluster.apiEndpoint.port])].sort((a, b) => a - b).map((p) => Port.tcp(p));
    const rules: PolicyRule[] = [
      { peers: [PolicyPeer.kubeDns()], ports: [Port.udp(53), Port.tcp(53)] },
      { peers: [PolicyPeer.apiServer(api)], ports: apiPorts },
      { peers: [this.instancesPeer()], ports: INSTANCE_PORTS.map((p) => Port.tcp(p)) },
    ];
    if (this.backup) rules.push({ peers: [PolicyPeer.cidr(this.backup.cidr)], ports: [Port.tcp(this.backup.port ?? 443)] });
    return rules;
  }

  /** The instances of this database, as a policy peer. */
  private instancesPeer(): PolicyPeer {
    return PolicyPeer.pods(this.namespace, this.selector);
  }
}
