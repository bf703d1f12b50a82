/**
 * DualGateway: an internal and an external Gateway API gateway on Cilium, the Cloudflare tunnel in front of the
 * external one, split DNS pointing the LAN at the internal one, and TLS from cert-manager — with one
 * `expose()` call per service, so what the internet reaches and what only the LAN reaches reads at a glance
 * (reports/exposure.md).
 *
 * Design:
 * - Both gateways live in one namespace (default `gateway`) and accept routes from that namespace only
 *   (`allowedRoutes.namespaces.from: Same`): every route of the cluster is rendered here, next to its gateway, and
 *   nothing else can attach a host to the external gateway. Backends in other namespaces are reached through one
 *   ReferenceGrant per backend namespace (from the gateway namespace's routes to the named Services).
 * - Listeners: HTTP 80 and HTTPS 443 per domain (`*.<domain>`), TLS terminated with a cert-manager wildcard
 *   certificate per domain. Port 80 only redirects to HTTPS.
 * - QUIC is fixed at its cause: nothing here speaks HTTP/3, the gateways offer h2 and http/1.1 (Cilium's
 *   `gatewayAPI.enableAlpn`, rule NET-GW8), and internal routes answer `Alt-Svc: clear` so browsers forget the h3
 *   endpoint they learned from Cloudflare (seed 002's ERR_QUIC_PROTOCOL_ERROR). Listeners have no ALPN field.
 */
import { CoreConfigMap } from '../imports/core.js';
import { Construct } from 'constructs';
import { Gateway, HttpRoute, ReferenceGrant, TcpRoute, TcpRouteV1, TlsRouteV1, TlsRouteV1Alpha2 } from '../imports/gateway-api.js';
import { Acknowledgements } from './acknowledgements.js';
import { checkArgs, checkProps, Findings } from './findings.js';
import * as p from './core/props.js';
import { Cluster, Distribution } from './cluster.js';
import { EdgeFolder } from './edge-folder.js';
import { AcmeServer, CERT_MANAGER_SPEC, CertManagerRelease, type CertManagerReleaseProps } from './cert-manager-release.js';
import { CloudflareClusterIssuer, type CloudflareAcmeOptions } from './cloudflare-cluster-issuer.js';
import { wildcardCertificate, wildcardSecretName } from './gateway/certificate.js';
import { GATEWAY_API_GROUP as GATEWAY_GROUP } from './gateway/api-group.js';
import { ciliumView } from './gateway/cilium-view.js';
import { Cloudflared, TUNNEL_SPEC, TunnelMode, type Tunnel, type TunnelIngressRule } from './cloudflared.js';
import { renderExposureReport } from './gateway/exposure-report.js';
import { DEFAULT_MINOR, renderedRouteApiVersion, type L4Protocol } from './gateway/route-support.js';
import { coreDnsServerBlocks, dnsmasqConfig, hostsFile, SplitDnsMode, type DnsRecord } from './gateway/split-dns.js';
import { Component, Layer } from './component.js';
import type { IAddressPool } from './l2-pool.js';
import type { Workload } from './workload.js';
import { lazy } from './core/lazy.js';
import { SECRET_KEY_REF_SPEC } from './secret-source.js';
import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';

/** Who reaches an exposed service. */
export enum Exposure {
  /** The LAN only, through the internal gateway (split DNS). The default: nothing is public unless said so. */
  INTERNAL = 'internal',
  /** The internet only, through the Cloudflare tunnel and the external gateway. */
  EXTERNAL = 'external',
  /** Both: the internet through Cloudflare, the LAN directly through the internal gateway. */
  BOTH = 'both',
}

/** Which of the two gateways. */
export type GatewaySide = 'internal' | 'external';

/** Options of {@link Backend.external}. */
export interface ExternalBackendOptions {
  /**
   * Who installs the Service, for the exposure report (e.g. `the database team's CloudNativePG cluster`).
   *
   * @default - the report says only that it is outside this tree
   */
  readonly installedBy?: string;
}

/** The Service a route sends traffic to. */
export class Backend {
  /**
   * A Workload's Service, by port name. A name the workload has no port for leaves the backend without a port: each
   * route to it records a NET-GW3 finding and renders without one.
   */
  public static workload(workload: Workload, portName: string): Backend {
    const port = workload.ports.find((p) => p.name === portName);
    return new Backend(workload.namespace, workload.name, port ? (port.servicePort ?? port.port) : undefined, undefined, portName, workload);
  }

  /**
   * A Service the cluster has by name: rendered by this tree (a Service object, or the `-rw`/`-ro`/`-r` Services of a
   * rendered CloudNativePG cluster), or installed with the cluster's GitOps engine (Argo CD's `argocd-server`).
   * Rule NET-GW3 fails the synth when nothing the tree knows provides it: declare a Service installed by other means
   * with {@link Backend.external}.
   */
  public static service(namespace: string, name: string, port: number): Backend {
    return new Backend(namespace, name, port, undefined, undefined, undefined);
  }

  /**
   * A Service installed outside this tree (another repository, a Helm release applied by hand): the routes are
   * rendered, nothing checks that the Service exists, and the exposure report says so.
   */
  public static external(namespace: string, name: string, port: number, options: ExternalBackendOptions = {}): Backend {
    return new Backend(namespace, name, port, { installedBy: options.installedBy?.trim() || undefined }, undefined, undefined);
  }

  private constructor(
    public readonly namespace: string,
    public readonly name: string,
    /** Service port; undefined when a workload has no port of the requested name (rule NET-GW3 reports it). */
    public readonly port: number | undefined,
    /** Set for {@link Backend.external}. */
    private readonly external: { readonly installedBy?: string } | undefined,
    /** The port name asked for, for workloads. */
    public readonly portName: string | undefined,
    public readonly workload: Workload | undefined,
  ) {}

  /** True for {@link Backend.external}: the Service exists outside this tree, and nothing checks it. */
  public get declaredExternal(): boolean {
    return this.external !== undefined;
  }

  /** Who installs a {@link Backend.external} Service, when the declaration says. */
  public get installedBy(): string | undefined {
    return this.external?.installedBy;
  }

  /** `namespace/name:port` (the port name, for a workload port that does not exist). */
  public get displayName(): string {
    return `${this.namespace}/${this.name}:${this.port ?? this.portName}`;
  }
}

export interface ExposeOptions {
  /**
   * Host name: a single label (`llama` → `llama.<domain>`) or a fully-qualified name (anything with a dot).
   *
   * Give exactly one of `host` and `hosts`.
   *
   * @default - none: `hosts` names the service
   */
  readonly host?: string;
  /**
   * Several host names for one service (e.g. `['photos', 'immich']`), each read like `host`. Each name gets its own
   * routes, split-DNS record, tunnel ingress rule and exposure-report line, exactly as one `expose()` call per name.
   *
   * Give exactly one of `host` and `hosts`.
   *
   * @default - none: `host` names the service
   */
  readonly hosts?: readonly string[];
  readonly backend: Backend;
  /**
   * @default Exposure.INTERNAL
   */
  readonly exposure?: Exposure;
  /**
   * The domain a single-label host joins.
   *
   * @default - the gateway's first domain
   */
  readonly domain?: string;
}

/** Protocol of an extra listener on the internal gateway. */
export enum ListenerProtocol {
  /** Plain TCP (e.g. PostgreSQL): a TCPRoute v1 (Cilium 1.20+). */
  TCP = 'TCP',
  /** TLS passthrough, routed by SNI: a TLSRoute. */
  TLS = 'TLS',
}

export interface TcpListenerOptions {
  /** Listener name (also the route's name), e.g. `postgres`. */
  readonly name: string;
  readonly port: number;
  readonly backend: Backend;
  /**
   * @default ListenerProtocol.TCP
   */
  readonly protocol?: ListenerProtocol;
  /**
   * SNI host names a TLS passthrough route matches.
   *
   * @default - every name (TCP ignores it)
   */
  readonly hostnames?: readonly string[];
}

export interface SplitDnsOptions {
  /**
   * @default SplitDnsMode.PER_HOST
   */
  readonly mode?: SplitDnsMode;
  /**
   * Render the CoreDNS `coredns-custom` ConfigMap (kube-system) so pods resolve the same way as the LAN.
   *
   * @default - true on k3s (its CoreDNS imports coredns-custom), false elsewhere
   * @see https://docs.k3s.io/networking/networking-services#coredns
   */
  readonly coreDns?: boolean;
}

export interface DualGatewayProps {
  /** The pool both gateways take their LoadBalancer addresses from (an L2Pool). */
  readonly pool: IAddressPool;
  /** How certificates are issued: ACME DNS-01 through Cloudflare, API token by Secret reference. */
  readonly acme: CloudflareAcmeOptions;
  /**
   * Namespace of the gateways, their routes and certificates.
   *
   * @default 'gateway'
   */
  readonly namespace?: string;
  /**
   * Domains served; each gets HTTP/HTTPS listeners for `*.<domain>` and a wildcard certificate.
   *
   * @default - [cluster.domain]
   */
  readonly domains?: readonly string[];
  /**
   * Address of the external gateway, inside the pool.
   *
   * @default - the pool's next free address
   */
  readonly externalAddress?: string;
  /**
   * Address of the internal gateway, inside the pool.
   *
   * @default - the pool's next free address
   */
  readonly internalAddress?: string;
  /**
   * Gateway names (their Services are `cilium-gateway-<name>`).
   *
   * @default { internal: 'gateway-internal', external: 'gateway-external' }
   */
  readonly names?: { readonly internal: string; readonly external: string };
  /**
   * The Cloudflare tunnel in front of the external gateway.
   *
   * @default - no tunnel: external hosts are only reachable at the external gateway's LAN address
   */
  readonly tunnel?: Tunnel;
  /**
   * cloudflared connector replicas.
   *
   * @default 2
   */
  readonly tunnelReplicas?: number;
  /**
   * @default - per-host records; CoreDNS config on k3s
   */
  readonly splitDns?: SplitDnsOptions;
  /**
   * The cert-manager release: props for the one this construct adds, or false when the cluster installs cert-manager
   * otherwise. A CertManagerRelease already in the cluster is reused.
   *
   * @default {}
   */
  readonly certManager?: CertManagerReleaseProps | false;
}

/** One exposed host, resolved. */
export interface HostExposure {
  /** Fully-qualified host name. */
  readonly host: string;
  readonly backend: Backend;
  readonly exposure: Exposure;
  /** Gateways serving it. */
  readonly sides: readonly GatewaySide[];
}

/** One extra listener of the internal gateway. */
export interface TcpListener {
  readonly name: string;
  readonly port: number;
  readonly protocol: ListenerProtocol;
  readonly backend: Backend;
  readonly hostnames: readonly string[];
  /** apiVersion and kind of the route rendered for it. */
  readonly routeApiVersion: string;
  readonly routeKind: 'TCPRoute' | 'TLSRoute';
}

/** One listener of a rendered Gateway. */
type GatewayListener = IGateway['spec']['listeners'][number];

/** DNS-label form of a name (dots to dashes). */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/\*/g, 'wildcard')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A route's reference to a backend Service (without a port when the backend has none, NET-GW3). */
function backendRef(backend: Backend): { group: string; kind: string; name: string; namespace: string; port?: number } {
  return { group: '', kind: 'Service', name: backend.name, namespace: backend.namespace, ...(backend.port !== undefined ? { port: backend.port } : {}) };
}

/** A route to a workload port that does not exist says so on the route (NET-GW3), which then has no port to send to. */
function reportMissingPort(route: Construct, kind: string, name: string, backend: Backend): void {
  if (backend.port !== undefined || !backend.workload) return;
  const ports = backend.workload.ports.map((p) => p.name);
  Findings.of(route).addError('NET-GW3', {
    message: `${kind} ${name} sends traffic to port "${backend.portName}" of Service ${backend.namespace}/${backend.name}, but the workload has no port of that name`,
    value: backend.displayName,
    expected: ports.length ? `one of its port names: ${ports.join(', ')}` : 'a port on the workload (it has none)',
  });
}

/**
 * An internal and an external gateway with the tunnel, split DNS and TLS around them.
 *
 * ```ts
 * const gateways = new DualGateway(cluster, 'Gateways', {
 *   pool, externalAddress: '192.168.10.49', internalAddress: '192.168.10.50',
 *   acme: { email: 'ops@example.com', apiTokenSecret: { name: 'cloudflare-api-token', key: 'api-token' } },
 *   tunnel: Tunnel.locallyManaged({ tunnelId, credentialsSecret: { name: 'tunnel-credentials', key: 'credentials.json' } }),
 * });
 * gateways.expose({ host: 'llama', backend: Backend.workload(llama, 'http') });
 * ```
 *
 * @see https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/
 */
/** A pool that has no address to give: what a DualGateway goes on with when its pool prop is wrong (NET-IN1). */
const NO_POOL: IAddressPool = { poolName: '(none)', selectorLabels: {}, allocate: () => undefined };
const FALLBACK_ACME: CloudflareAcmeOptions = { email: 'invalid@invalid.invalid', apiTokenSecret: { name: 'invalid', key: 'invalid' } };

/** What a DualGateway accepts (NET-IN1 to NET-IN3). */
const DUAL_GATEWAY_SPEC = p.object({
  pool: p.withFallback(
    p.shaped(
      'an L2Pool (or another IAddressPool)',
      (v) => typeof v.allocate === 'function' && typeof v.poolName === 'string' && typeof v.selectorLabels === 'object' && v.selectorLabels !== null,
    ),
    () => NO_POOL,
  ),
  acme: p.withFallback(
    p.object({
      email: p.string({ maxLength: 254, pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, expected: 'an e-mail address' }),
      apiTokenSecret: SECRET_KEY_REF_SPEC,
      server: p.optional(p.instance(AcmeServer, 'an AcmeServer such as AcmeServer.LETS_ENCRYPT')),
      issuerName: p.optional(p.name('subdomain', { landsAs: 'the ClusterIssuer name' })),
    }),
    () => FALLBACK_ACME,
  ),
  namespace: p.optional(p.name('label', { landsAs: 'a namespace' })),
  domains: p.optional(p.array(p.name('subdomain', { landsAs: 'a DNS domain' }))),
  externalAddress: p.optional(p.ip()),
  internalAddress: p.optional(p.ip()),
  names: p.optional(p.object({ internal: p.name('label', { landsAs: 'a Gateway name' }), external: p.name('label', { landsAs: 'a Gateway name' }) })),
  tunnel: p.optional(TUNNEL_SPEC),
  tunnelReplicas: p.optional(p.integer({ min: 1, max: 100 })),
  splitDns: p.optional(p.object({ mode: p.optional(p.oneOf(Object.values(SplitDnsMode))), coreDns: p.optional(p.boolean()) })),
  certManager: p.optional(
    p.anyOf('the props of CertManagerRelease, or false', CERT_MANAGER_SPEC, { expected: 'false', clean: (v) => (v === false ? v : p.INVALID) }),
  ),
});

const BACKEND_SPEC = p.checkedInstance(Backend, 'a Backend from Backend.service(), Backend.workload() or Backend.external()', {
  namespace: p.name('label', { landsAs: 'the backend namespace' }),
  name: p.name('label', { landsAs: 'the backend Service name' }),
  // a workload backend whose port name the workload lacks has no port: NET-GW3 says so
  port: p.optional(p.port()),
});

/** What expose() takes (NET-IN1); host and hosts are NET-GW10's. */
const EXPOSE_ARGS_SPEC = p.object(
  {
    host: p.optional(p.string({ minLength: 1, maxLength: 253 })),
    hosts: p.optional(p.array(p.string({ minLength: 1, maxLength: 253 }))),
    backend: BACKEND_SPEC,
    exposure: p.optional(p.oneOf(Object.values(Exposure))),
  },
  { unknownKeys: 'keep' },
);

/** What addTcpListener() takes (NET-IN1, NET-IN3). */
const TCP_LISTENER_ARGS_SPEC = p.object(
  {
    name: p.string({ minLength: 1, maxLength: 253 }),
    port: p.port(),
    backend: BACKEND_SPEC,
    protocol: p.optional(p.oneOf(Object.values(ListenerProtocol))),
    hostnames: p.optional(p.array(p.string({ minLength: 1, maxLength: 253 }))),
  },
  { unknownKeys: 'keep' },
);

export class DualGateway extends Component {
  /** Every DualGateway of a cluster. */
  public static ofCluster(cluster: Cluster): DualGateway[] {
    return cluster.constructsOf(DualGateway);
  }

  public readonly namespace: string;
  public readonly domains: readonly string[];
  public readonly internalName: string;
  public readonly externalName: string;
  /** The internal gateway's pinned address; undefined when the pool had none left (NET-L2P6). */
  public readonly internalAddress: string | undefined;
  /** The external gateway's pinned address; undefined when the pool had none left (NET-L2P6). */
  public readonly externalAddress: string | undefined;
  public readonly pool: IAddressPool;
  public readonly tunnel?: Tunnel;
  public readonly splitDnsMode: SplitDnsMode;
  /** True when the CoreDNS ConfigMap is rendered. */
  public readonly coreDnsRendered: boolean;
  /**
   * The cluster's first DualGateway, when this one was added after it (NET-GW11 reports it): the first one renders the
   * cluster-wide files (split DNS, CoreDNS records, the exposure report), this one none of them.
   */
  public readonly shadowedBy?: DualGateway;
  public readonly issuer: CloudflareClusterIssuer;
  public readonly internalGateway: Gateway;
  public readonly externalGateway: Gateway;
  public readonly cloudflared?: Cloudflared;
  private readonly _exposures: HostExposure[] = [];
  private readonly _tcpListeners: TcpListener[] = [];
  private readonly grants = new Map<string, Set<string>>();
  private readonly grantKinds = new Map<string, Set<string>>();
  private readonly routeNames = new Set<string>();

  public constructor(scope: Construct, id: string, given: DualGatewayProps) {
    super(scope, id, { layer: Layer.NETWORKING, folder: 'gateway' });
    const props = checkProps<DualGatewayProps>(this, DUAL_GATEWAY_SPEC, given, { pool: NO_POOL, acme: FALLBACK_ACME });
    const cluster = Cluster.of(this);
    // One DualGateway per cluster (NET-GW11): a later one renders its own objects, and leaves the cluster-wide files
    // (split DNS, the exposure report) to the first one built, so that the synth gets to report it.
    const first = DualGateway.ofCluster(cluster).find((g) => g !== this && g.shadowedBy === undefined);
    this.shadowedBy = first;
    this.namespace = props.namespace ?? 'gateway';
    this.domains = props.domains && props.domains.length ? [...props.domains] : [cluster.domain];
    this.internalName = props.names?.internal ?? 'gateway-internal';
    this.externalName = props.names?.external ?? 'gateway-external';
    this.pool = props.pool;
    this.tunnel = props.tunnel;
    this.splitDnsMode = props.splitDns?.mode ?? SplitDnsMode.PER_HOST;
    this.coreDnsRendered = !first && (props.splitDns?.coreDns ?? cluster.distribution === Distribution.K3S);
    this.externalAddress = props.pool.allocate(`${this.namespace}/${this.externalName}`, props.externalAddress ? { address: props.externalAddress } : {});
    this.internalAddress = props.pool.allocate(`${this.namespace}/${this.internalName}`, props.internalAddress ? { address: props.internalAddress } : {});

    // TLS: cert-manager (services layer), the issuer and one wildcard certificate per domain.
    if (props.certManager !== false && !CertManagerRelease.ofCluster(cluster)) {
      new CertManagerRelease(cluster, `${id}-CertManager`, props.certManager ?? {});
    }
    this.issuer = new CloudflareClusterIssuer(this, 'Issuer', { ...props.acme, zones: this.domains });
    for (const domain of this.domains) wildcardCertificate(this, domain, this.namespace, this.issuer.issuerName);

    this.externalGateway = this.gateway('External', this.externalName, this.externalAddress, 'external');
    this.internalGateway = this.gateway('Internal', this.internalName, this.internalAddress, 'internal');
    this.redirectRoute('external');
    this.redirectRoute('internal');

    if (props.tunnel) {
      this.cloudflared = new Cloudflared(this, 'Tunnel', {
        tunnel: props.tunnel,
        replicas: props.tunnelReplicas,
        ingress: () => this.tunnelIngress(),
        exposureReport: false,
      });
    }

    if (this.coreDnsRendered) {
      const dns = new Component(this, 'SplitDns', { layer: Layer.NETWORKING, folder: 'split-dns' });
      new CoreConfigMap(dns, 'CoreDnsCustom', {
        metadata: { name: 'coredns-custom', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-netkit' } },
        data: lazy(() => Object.fromEntries(coreDnsServerBlocks(this.dnsRecords(), this.domains))),
      });
    }
    if (first) return;
    // The LAN resolver's files are host files: listed with how to apply them in edge/README.md.
    const edge = EdgeFolder.ensure(this);
    edge.addFile(
      {
        path: 'edge/dns/split-dns.dnsmasq.conf',
        destination: `/etc/dnsmasq.d/netkit-${cluster.clusterName}.conf on the LAN's dnsmasq resolver (other dnsmasq-based resolvers take the same \`address=\` lines as custom settings)`,
        apply: 'Check with `dnsmasq --test`, then `systemctl restart dnsmasq`; LAN clients must use this resolver.',
      },
      () => dnsmasqConfig(this.dnsRecords(), cluster.clusterName),
      this,
    );
    edge.addFile(
      {
        path: 'edge/dns/split-dns.hosts',
        destination: '/etc/hosts of a LAN resolver that answers from it (dnsmasq does), or of a single client, when dnsmasq is not used',
        apply: 'Append it, replacing the lines of an earlier copy; exact names only.',
      },
      () => hostsFile(this.dnsRecords(), cluster.clusterName),
      this,
    );
    cluster.addFile('reports/exposure.md', () => renderExposureReport(this), this);
  }

  /**
   * Expose a Service under a host name (`host`) or several (`hosts`), on the internal gateway, the external one or
   * both.
   *
   * Renders, per host, an HTTPRoute per gateway (in the gateway namespace; the internal one answers `Alt-Svc: clear`),
   * and a ReferenceGrant in the backend's namespace. A host exposed externally gets a tunnel ingress rule. A call with
   * `hosts` renders exactly what one call per host would, and returns their exposures in the order given.
   *
   * A call giving neither `host` nor `hosts`, both, or an empty `hosts` renders no route and returns no exposure: it
   * records a NET-GW10 finding on the gateways, reported at synth with every other finding (never thrown).
   */
  public expose(options: ExposeOptions & { readonly host: string; readonly hosts?: undefined }): HostExposure;
  public expose(options: ExposeOptions & { readonly hosts: readonly string[]; readonly host?: undefined }): HostExposure[];
  public expose(given: ExposeOptions): HostExposure | HostExposure[] {
    // host and hosts are judged by NET-GW10 below; what reaches this method from plain JavaScript is checked first
    const options = checkArgs<ExposeOptions>(this, 'expose', EXPOSE_ARGS_SPEC, given);
    if (!options) return [];
    const { host, hosts } = options;
    const problem =
      host !== undefined && hosts !== undefined
        ? 'both host and hosts are given'
        : host === undefined && hosts === undefined
          ? 'neither host nor hosts is given'
          : hosts !== undefined && (!Array.isArray(hosts) || hosts.length === 0)
            ? 'hosts is empty'
            : undefined;
    if (problem) {
      Findings.of(this).addError('NET-GW10', {
        message: `expose() takes exactly one of host and hosts, but ${problem}`,
        value: { host: options.host, hosts: options.hosts, backend: options.backend?.displayName },
        expected: 'host: a single name, or hosts: one or more names',
      });
      return [];
    }
    if (hosts !== undefined) return hosts.map((h) => this.exposeHost(h, options));
    return this.exposeHost(host!, options);
  }

  private exposeHost(hostName: string, options: ExposeOptions): HostExposure {
    const exposure = options.exposure ?? Exposure.INTERNAL;
    const host = hostName.includes('.') ? hostName.toLowerCase() : `${hostName.toLowerCase()}.${options.domain ?? this.domains[0]}`;
    const sides: GatewaySide[] = exposure === Exposure.BOTH ? ['external', 'internal'] : exposure === Exposure.EXTERNAL ? ['external'] : ['internal'];
    const entry: HostExposure = { host, backend: options.backend, exposure, sides };
    this._exposures.push(entry);
    for (const side of sides) {
      // A host exposed twice on one side (rule NET-GW1) still gets distinct route names, so the rule sees both.
      const base = `${slug(host)}-${side}`;
      let name = base;
      for (let n = 2; this.routeNames.has(name); n++) name = `${base}-${n}`;
      this.routeNames.add(name);
      const filters =
        side === 'internal' ? [{ type: 'ResponseHeaderModifier' as const, responseHeaderModifier: { set: [{ name: 'Alt-Svc', value: 'clear' }] } }] : undefined;
      const route = new HttpRoute(this, `Route-${name}`, {
        metadata: { name, namespace: this.namespace, labels: { 'netkit/exposure': side } },
        spec: {
          parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', name: this.nameOf(side), sectionName: `https-${slug(this.domainOf(host))}` }],
          hostnames: [host],
          rules: [
            {
              ...(filters ? { filters } : {}),
              backendRefs: [backendRef(options.backend)],
            },
          ],
        },
      });
      reportMissingPort(route, 'HTTPRoute', `${this.namespace}/${name}`, options.backend);
    }
    this.grant(options.backend, 'HTTPRoute');
    return entry;
  }

  /**
   * Add a TCP or TLS-passthrough listener to the internal gateway (e.g. PostgreSQL on 5432) with its route.
   *
   * The route kind follows the cluster's Cilium: TCPRoute v1 on 1.20 (none before: rule NET-GW6), TLSRoute v1 on
   * 1.20 and v1alpha2 on 1.18/1.19. Create the CiliumRelease before calling this.
   */
  public addTcpListener(given: TcpListenerOptions): TcpListener | undefined {
    const options = checkArgs<TcpListenerOptions>(this, 'addTcpListener', TCP_LISTENER_ARGS_SPEC, given);
    if (!options) return undefined;
    const protocol = options.protocol ?? ListenerProtocol.TCP;
    const minor = ciliumView(Cluster.of(this))?.minor ?? DEFAULT_MINOR;
    const routeApiVersion = renderedRouteApiVersion(minor, protocol as L4Protocol);
    const routeKind = protocol === ListenerProtocol.TCP ? ('TCPRoute' as const) : ('TLSRoute' as const);
    const listener: TcpListener = {
      name: options.name,
      port: options.port,
      protocol,
      backend: options.backend,
      hostnames: [...(options.hostnames ?? [])],
      routeApiVersion,
      routeKind,
    };
    this._tcpListeners.push(listener);
    const parentRefs = [{ group: GATEWAY_GROUP, kind: 'Gateway', name: this.internalName, sectionName: options.name }];
    const backendRefs = [backendRef(options.backend)];
    const metadata = { name: options.name, namespace: this.namespace, labels: { 'netkit/exposure': 'internal' } };
    const id = `L4Route-${options.name}`;
    let route: Construct;
    if (routeKind === 'TCPRoute' && routeApiVersion.endsWith('/v1')) {
      route = new TcpRouteV1(this, id, { metadata, spec: { parentRefs, rules: [{ backendRefs }] } });
      Acknowledgements.of(route).add(
        'NET-SCH3',
        'TCPRoute v1 (Gateway API v1.6) has no typed model yet; its spec equals v1alpha2 and conformance checks it against the upstream CRD',
      );
    } else if (routeKind === 'TCPRoute') {
      route = new TcpRoute(this, id, { metadata, spec: { parentRefs, rules: [{ backendRefs }] } });
    } else if (routeApiVersion.endsWith('/v1')) {
      route = new TlsRouteV1(this, id, {
        metadata,
        spec: { parentRefs, hostnames: listener.hostnames.length ? [...listener.hostnames] : [`*.${this.domains[0]}`], rules: [{ backendRefs }] },
      });
    } else {
      route = new TlsRouteV1Alpha2(this, id, {
        metadata,
        spec: { parentRefs, ...(listener.hostnames.length ? { hostnames: [...listener.hostnames] } : {}), rules: [{ backendRefs }] },
      });
    }
    reportMissingPort(route, routeKind, `${this.namespace}/${options.name}`, options.backend);
    this.grant(options.backend, routeKind);
    return listener;
  }

  /** Every exposed host, in call order. */
  public exposures(): HostExposure[] {
    return [...this._exposures];
  }

  /** Every extra listener of the internal gateway. */
  public tcpListeners(): TcpListener[] {
    return [...this._tcpListeners];
  }

  /** Every backend declared external ({@link Backend.external}), as `namespace/name:port`. */
  public declaredExternalBackends(): { namespace: string; name: string; port: number | undefined }[] {
    const all = [...this._exposures.map((e) => e.backend), ...this._tcpListeners.map((l) => l.backend)];
    return all.filter((b) => b.declaredExternal).map((b) => ({ namespace: b.namespace, name: b.name, port: b.port }));
  }

  /** Gateway name of a side. */
  public nameOf(side: GatewaySide): string {
    return side === 'internal' ? this.internalName : this.externalName;
  }

  /** The in-cluster DNS name of a side's gateway Service (Cilium names it `cilium-gateway-<gateway>`). */
  public serviceHostOf(side: GatewaySide): string {
    return `cilium-gateway-${this.nameOf(side)}.${this.namespace}.svc.cluster.local`;
  }

  /** The domain a host belongs to (the longest matching), or the host's parent domain. */
  public domainOf(host: string): string {
    const match = this.domains.filter((d) => host === d || host.endsWith(`.${d}`)).sort((a, b) => b.length - a.length)[0];
    return match ?? host.split('.').slice(1).join('.');
  }

  /** The tunnel's ingress rules for the external hosts (without the catch-all). */
  public tunnelIngress(): TunnelIngressRule[] {
    const seen = new Set<string>();
    const out: TunnelIngressRule[] = [];
    for (const e of this._exposures) {
      if (!e.sides.includes('external') || seen.has(e.host)) continue;
      seen.add(e.host);
      out.push({ hostname: e.host, service: `https://${this.serviceHostOf('external')}:443`, originRequest: { originServerName: e.host, http2Origin: true } });
    }
    return out;
  }

  /**
   * The split-DNS answers: internally served hosts (or whole domains in wildcard mode) → internal gateway. None while
   * the internal gateway has no address (NET-L2P6).
   */
  public dnsRecords(): DnsRecord[] {
    const address = this.internalAddress;
    if (address === undefined) return [];
    if (this.splitDnsMode === SplitDnsMode.WILDCARD) {
      return this.domains.map((d) => ({ name: d, address, wildcard: true }));
    }
    const hosts = new Set<string>();
    for (const e of this._exposures) if (e.sides.includes('internal')) hosts.add(e.host);
    for (const l of this._tcpListeners) for (const h of l.hostnames) if (!h.startsWith('*')) hosts.add(h);
    return [...hosts].sort().map((name) => ({ name, address, wildcard: false }));
  }

  /** Whether the tunnel's rules are rendered for cloudflared or must be set in Cloudflare. */
  public get tunnelMode(): TunnelMode | undefined {
    return this.tunnel?.mode;
  }

  private gateway(id: string, name: string, address: string | undefined, side: GatewaySide): Gateway {
    const listeners = () => {
      const out: GatewayListener[] = [];
      for (const domain of this.domains) {
        const s = slug(domain);
        const allowedRoutes = { namespaces: { from: 'Same' as const } };
        out.push({ name: `http-${s}`, hostname: `*.${domain}`, port: 80, protocol: 'HTTP', allowedRoutes });
        out.push({
          name: `https-${s}`,
          hostname: `*.${domain}`,
          port: 443,
          protocol: 'HTTPS',
          tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: wildcardSecretName(domain) }] },
          allowedRoutes,
        });
      }
      if (side === 'internal') {
        for (const l of this._tcpListeners) {
          out.push({
            name: l.name,
            port: l.port,
            protocol: l.protocol,
            ...(l.protocol === ListenerProtocol.TLS ? { tls: { mode: 'Passthrough' } } : {}),
            allowedRoutes: { namespaces: { from: 'Same' as const }, kinds: [{ group: GATEWAY_GROUP, kind: l.routeKind }] },
          });
        }
      }
      return out;
    };
    return new Gateway(this, id, {
      metadata: { name, namespace: this.namespace, labels: { 'netkit/exposure': side } },
      spec: {
        gatewayClassName: 'cilium',
        // without an address (the pool had none left, NET-L2P6) the gateway is rendered unpinned
        ...(address !== undefined ? { addresses: [{ type: 'IPAddress', value: address }] } : {}),
        infrastructure: { labels: { ...this.pool.selectorLabels } },
        listeners: lazy(listeners),
      },
    });
  }

  private redirectRoute(side: GatewaySide): void {
    const name = `https-redirect-${side}`;
    new HttpRoute(this, `Redirect-${side}`, {
      metadata: { name, namespace: this.namespace, labels: { 'netkit/exposure': side } },
      spec: {
        parentRefs: this.domains.map((d) => ({ group: GATEWAY_GROUP, kind: 'Gateway', name: this.nameOf(side), sectionName: `http-${slug(d)}` })),
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });
  }

  private grant(backend: Backend, routeKind: string): void {
    if (backend.namespace === this.namespace) return;
    const ns = backend.namespace;
    if (!this.grants.has(ns)) {
      this.grants.set(ns, new Set());
      this.grantKinds.set(ns, new Set());
      new ReferenceGrant(this, `Grant-${ns}`, {
        metadata: { name: `from-${this.namespace}-routes`, namespace: ns },
        spec: {
          from: lazy(() => [...this.grantKinds.get(ns)!].sort().map((kind) => ({ group: GATEWAY_GROUP, kind, namespace: this.namespace }))),
          to: lazy(() => [...this.grants.get(ns)!].sort().map((name) => ({ group: '', kind: 'Service', name }))),
        },
      });
    }
    this.grants.get(ns)!.add(backend.name);
    this.grantKinds.get(ns)!.add(routeKind);
  }
}
