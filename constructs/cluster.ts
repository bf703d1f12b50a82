/**
 * One cluster: its nodes, networks, API endpoint and GitOps engine. Every other construct is added to a
 * Cluster and renders into `clusters/<name>/`.
 */
import { ApiObject, Chart } from 'cdk8s';
import { CoreNamespace } from '../imports/core.js';
import { Construct, type IConstruct } from 'constructs';
import { Component, Layer, LAYER_ORDER } from './component.js';
import { descendants } from './core/tree.js';
import { NodeRole } from './cluster/node-role.js';
import { VipHolder } from './vip-holder.js';
import * as props_ from './core/props.js';
import { checkProps, Findings } from './findings.js';
import { GitOps } from './gitops/gitops.js';

/** The review the synthesizer writes into every cluster folder after the rules ran (output/synth.ts). */
const REVIEW_FILE = 'reports/review.md';

export enum Distribution {
  K3S = 'k3s',
  TALOS = 'talos',
  GENERIC = 'generic',
}

export { NodeRole };

/** The Talos minor a Talos cluster runs: it decides the format of the rendered machine-configuration patches. */
export enum TalosVersion {
  /** Talos 1.11: network settings under `machine.network` (the VIP as `interfaces[].vip`). */
  V1_11 = '1.11',
  /** Talos 1.12: network settings as documents of their own (the VIP as a `Layer2VIPConfig`). */
  V1_12 = '1.12',
}

export interface NodeSpec {
  /** Node name, as the kubelet registers it. */
  readonly name: string;
  /** The node's address on the node subnet. */
  readonly address: string;
  /**
   * Roles of the node.
   *
   * @default [NodeRole.WORKER]
   */
  readonly roles?: readonly NodeRole[];
  /**
   * Extra node labels the constructs may select on.
   *
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface VipOptions {
  /**
   * The API port on the VIP.
   *
   * @default 6443
   */
  readonly port?: number;
  /**
   * What answers ARP for the VIP: `VipHolder.kubeVip({ interface })` on k3s, `VipHolder.talos({ interface })` on
   * Talos. Leave it out only when the VIP is the `externalLoadBalancer.address` (the load balancer holds it); any other
   * VIP without a holder fails the synth (NET-NODE1).
   *
   * @default - none: held by the external load balancer, or by nothing
   */
  readonly holder?: VipHolder;
}

/** Where clients reach the Kubernetes API server. */
export class ApiEndpoint {
  /**
   * A virtual IP in front of the control plane, and what holds it (kube-vip, Talos' VIP, or the external load balancer
   * whose address it is). The second argument is the port, or {@link VipOptions}.
   */
  public static vip(address: string, options: number | VipOptions = {}): ApiEndpoint {
    const o: VipOptions = typeof options === 'number' ? { port: options } : options;
    return new ApiEndpoint(address, o.port ?? 6443, 'vip', o.holder);
  }

  /** One control-plane node's address (single control-plane clusters). */
  public static node(address: string, port = 6443): ApiEndpoint {
    return new ApiEndpoint(address, port, 'node');
  }

  /** Any host name or address; prefer {@link ApiEndpoint.vip}: host names depend on DNS. */
  public static at(host: string, port = 6443): ApiEndpoint {
    return new ApiEndpoint(host, port, 'other');
  }

  /** @deprecated Use {@link ApiEndpoint.at}, which this calls: `X.of(scope)` looks up what a scope has. */
  public static of(host: string, port = 6443): ApiEndpoint {
    return ApiEndpoint.at(host, port);
  }

  private constructor(
    public readonly host: string,
    public readonly port: number,
    public readonly kind: 'vip' | 'node' | 'other',
    /** What holds the VIP ({@link ApiEndpoint.vip} only). */
    public readonly holder?: VipHolder,
  ) {}
}

export interface ExternalLoadBalancerSpec {
  /** The address clients use (the load balancer's VIP), e.g. seed 001's 192.168.0.45. */
  readonly address: string;
  /** The load balancer host's own address, when the VIP is an alias on it. */
  readonly hostAddress?: string;
  /**
   * Network interface the VIP is aliased on.
   *
   * @default 'eth0'
   */
  readonly interface?: string;
  /**
   * Prefix length of the load balancer's network, for the alias netmask.
   *
   * @default 24
   */
  readonly prefixLength?: number;
}

export interface ClusterProps {
  /** The Kubernetes distribution: decides API-server access for the CNI, node paths and defaults. */
  readonly distribution: Distribution;
  /** The nodes. Names and addresses must be unique and inside {@link nodeSubnet}. */
  readonly nodes: readonly NodeSpec[];
  /** The L2 segment the nodes share, as a CIDR (e.g. 192.168.10.0/24). */
  readonly nodeSubnet: string;
  /**
   * Pod CIDR (cluster-pool IPAM).
   *
   * @default '10.42.0.0/16'
   */
  readonly podCidr?: string;
  /**
   * Service CIDR.
   *
   * @default '10.43.0.0/16'
   */
  readonly serviceCidr?: string;
  /** The API server endpoint. */
  readonly apiEndpoint: ApiEndpoint;
  /**
   * MTU of the nodes' interfaces. CiliumRelease and the edge files derive theirs from it.
   *
   * @default 1500
   */
  readonly nodeMtu?: number;
  /** The cluster's DNS domain for exposed services, e.g. vanillax.me. */
  readonly domain: string;
  /** Flux or Argo CD. */
  readonly gitops: GitOps;
  /**
   * The LAN router / default gateway address; kept free of every pool.
   *
   * @default - none declared
   */
  readonly router?: string;
  /**
   * The LAN DHCP range (start-stop or CIDR); kept free of every pool.
   *
   * @default - none declared
   */
  readonly dhcpRange?: string;
  /**
   * The network administrators connect from (SSH, API), for the node firewall.
   *
   * @default - the node subnet
   */
  readonly managementCidr?: string;
  /**
   * An external load balancer in front of the cluster (seed 001's HAProxy).
   *
   * @default - none
   */
  readonly externalLoadBalancer?: ExternalLoadBalancerSpec;
  /**
   * Whether the control plane runs embedded etcd (k3s HA `--cluster-init`, Talos).
   *
   * @default - true for Talos and for k3s with more than one control-plane node
   */
  readonly embeddedEtcd?: boolean;
  /**
   * The Talos minor the nodes run (Talos clusters only). TalosMachineConfig and RegistryMirror render their machine
   * configuration patches in its format: Talos 1.12 moved network and registry settings into documents of their own.
   *
   * @default - none: a Talos cluster that renders machine configuration must name it (NET-NODE2)
   * @see https://www.talos.dev/v1.12/talos-guides/configuration/patching/
   */
  readonly talosVersion?: TalosVersion;
}

/** A node, with roles resolved. */
export interface ClusterNode {
  readonly name: string;
  readonly address: string;
  readonly roles: readonly NodeRole[];
  readonly labels: Readonly<Record<string, string>>;
}

/** What a Cluster accepts, checked when it is created (NET-IN1 to NET-IN4). */
function clusterSpec(): props_.Spec {
  const p = props_;
  const apiEndpoint: props_.Spec = {
    expected: 'an ApiEndpoint from ApiEndpoint.vip(), ApiEndpoint.node() or ApiEndpoint.at()',
    clean: (v, path, issues) => {
      const o = p.instance(ApiEndpoint, 'an ApiEndpoint from ApiEndpoint.vip(), ApiEndpoint.node() or ApiEndpoint.at()').clean(v, path, issues);
      if (o === p.INVALID) return o;
      const e = o as ApiEndpoint;
      const host = p.string({ maxLength: 253 }).clean(e.host, `${path}.host`, issues);
      const port = p.port().clean(e.port, `${path}.port`, issues);
      const holder =
        e.holder === undefined
          ? undefined
          : p.instance(VipHolder, 'a VipHolder from VipHolder.kubeVip() or VipHolder.talos()').clean(e.holder, `${path}.holder`, issues);
      return host === p.INVALID || port === p.INVALID || holder === p.INVALID ? p.INVALID : o;
    },
  };
  return p.object({
    distribution: p.withFallback(p.oneOf(Object.values(Distribution)), () => Distribution.GENERIC),
    nodes: p.withFallback(
      p.array(
        p.object({
          name: p.name('subdomain', { landsAs: 'the node name and the file names of its edge files' }),
          // address, router and the load balancer's addresses: checked by NET-CLU2/NET-CLU5, which say what they are for
          address: p.string({ maxLength: 100 }),
          roles: p.optional(p.array(p.oneOf(Object.values(NodeRole)))),
          labels: p.optional(p.record(p.string({ minLength: 0, maxLength: 63 }))),
        }),
      ),
      () => [],
    ),
    nodeSubnet: p.withFallback(p.cidr(), () => '0.0.0.0/32'),
    podCidr: p.optional(p.cidr()),
    serviceCidr: p.optional(p.cidr()),
    apiEndpoint: p.withFallback(apiEndpoint, () => ApiEndpoint.at('localhost')),
    nodeMtu: p.optional(p.number()),
    domain: p.withFallback(p.name('subdomain'), () => 'invalid.lan'),
    gitops: p.withFallback(p.instance(GitOps, 'a GitOps from GitOps.flux() or GitOps.argocd()'), () => GitOps.flux()),
    router: p.optional(p.string({ maxLength: 100 })),
    dhcpRange: p.optional(p.string({ maxLength: 100 })),
    managementCidr: p.optional(p.cidr()),
    externalLoadBalancer: p.optional(
      p.object({
        address: p.string({ maxLength: 100 }),
        hostAddress: p.optional(p.string({ maxLength: 100 })),
        interface: p.optional(p.string({ maxLength: 15, pattern: /^[A-Za-z0-9._:@-]+$/, expected: 'a network interface name (at most 15 characters)' })),
        prefixLength: p.optional(p.integer({ min: 0, max: 32 })),
      }),
    ),
    embeddedEtcd: p.optional(p.boolean()),
    talosVersion: p.optional(p.oneOf(Object.values(TalosVersion))),
  });
}

const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * A cluster. `new Cluster(app, 'homelab', {...})` renders into `clusters/homelab/`.
 *
 * The construct id is the cluster name and a public contract: it names the output folder.
 */
export class Cluster extends Chart {
  /** The Cluster a construct belongs to. Throws when `scope` is not inside one. */
  public static override of(scope: IConstruct): Cluster {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      if (c instanceof Cluster) return c as Cluster;
    }
    throw new Error(`${scope.node.path || 'the app root'} is not inside a Cluster: create constructs with a Cluster (or a construct inside one) as scope`);
  }

  public static isCluster(x: unknown): x is Cluster {
    return x instanceof Cluster;
  }

  public readonly clusterName: string;
  public readonly distribution: Distribution;
  public readonly nodes: readonly ClusterNode[];
  public readonly nodeSubnet: string;
  public readonly podCidr: string;
  public readonly serviceCidr: string;
  public readonly apiEndpoint: ApiEndpoint;
  public readonly nodeMtu: number;
  public readonly domain: string;
  public readonly gitops: GitOps;
  public readonly router?: string;
  public readonly dhcpRange?: string;
  public readonly managementCidr: string;
  public readonly externalLoadBalancer?: ExternalLoadBalancerSpec;
  public readonly embeddedEtcd: boolean;
  public readonly talosVersion?: TalosVersion;

  private readonly extraFiles = new Map<string, { source: string; produce: () => string }>();
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly namespaceLayers = new Map<string, Layer>();
  private prepared = false;

  public constructor(scope: Construct, name: string, given: ClusterProps) {
    super(scope, name, { disableResourceNameHashes: true });
    this.clusterName = name;
    const props = checkProps<ClusterProps>(this, clusterSpec(), given, {} as ClusterProps);
    const folder = props_.check(props_.name('label', { landsAs: `the folder clusters/${name}/` }), name);
    for (const i of folder.issues)
      Findings.of(this).addError('NET-IN2', {
        message: `Cluster: the cluster's id ${JSON.stringify(name)} cannot be used as its name (it becomes the folder clusters/${name}/ and GitOps object names)`,
        value: name,
        expected: i.expected,
        ...(i.fix ? { fix: i.fix } : {}),
      });
    this.distribution = props.distribution;
    this.nodes = props.nodes.map((n) => ({
      name: n.name,
      address: n.address,
      roles: n.roles && n.roles.length ? [...n.roles] : [NodeRole.WORKER],
      labels: { ...(n.labels ?? {}) },
    }));
    this.nodeSubnet = props.nodeSubnet;
    this.podCidr = props.podCidr ?? '10.42.0.0/16';
    this.serviceCidr = props.serviceCidr ?? '10.43.0.0/16';
    this.apiEndpoint = props.apiEndpoint;
    this.nodeMtu = props.nodeMtu ?? 1500;
    this.domain = props.domain;
    this.gitops = props.gitops;
    this.router = props.router;
    this.dhcpRange = props.dhcpRange;
    this.managementCidr = props.managementCidr ?? props.nodeSubnet;
    this.externalLoadBalancer = props.externalLoadBalancer;
    const controlPlanes = this.nodes.filter((n) => n.roles.includes(NodeRole.CONTROL_PLANE)).length;
    this.embeddedEtcd = props.embeddedEtcd ?? (props.distribution === Distribution.TALOS || (props.distribution === Distribution.K3S && controlPlanes > 1));
    this.talosVersion = props.talosVersion;
  }

  public get controlPlaneNodes(): readonly ClusterNode[] {
    return this.nodes.filter((n) => n.roles.includes(NodeRole.CONTROL_PLANE));
  }

  /** Nodes that run workloads: the workers, or every node when there is no dedicated worker. */
  public get workloadNodes(): readonly ClusterNode[] {
    const workers = this.nodes.filter((n) => n.roles.includes(NodeRole.WORKER));
    return workers.length ? workers : this.nodes;
  }

  /**
   * Declare a namespace the cluster needs, with labels (e.g. for NetworkPolicy namespaceSelectors).
   *
   * Namespaces of rendered objects are created automatically; call this for labels, or to create a namespace
   * no object lives in yet (a Helm release's target).
   */
  public addNamespace(name: string, options: { labels?: Record<string, string>; layer?: Layer } = {}): void {
    if (this.prepared) throw new Error(`addNamespace("${name}") called after ${this.node.path} was synthesized`);
    const labels = { ...(this.namespaceLabels.get(name) ?? {}), ...(options.labels ?? {}) };
    this.namespaceLabels.set(name, labels);
    if (options.layer) this.useLayer(name, options.layer);
  }

  /** Labels declared for a namespace (always including `kubernetes.io/metadata.name`). */
  public namespaceLabelsOf(name: string): Record<string, string> {
    return { 'kubernetes.io/metadata.name': name, ...(this.namespaceLabels.get(name) ?? {}) };
  }

  /** Every ApiObject inside this cluster, at any depth (cdk8s' Chart lists direct children only). */
  public override get apiObjects(): ApiObject[] {
    return descendants(this).filter((c): c is ApiObject => c instanceof ApiObject);
  }

  /** Every construct of a given class inside this cluster. */
  public constructsOf<T extends IConstruct>(type: abstract new (...args: never[]) => T): T[] {
    return descendants(this).filter((c): c is T => c instanceof type);
  }

  /**
   * Called once by the synthesizer before rendering: creates the Namespace objects the tree needs, each in
   * the earliest layer that uses it.
   */
  public prepare(): void {
    if (this.prepared) return;
    for (const obj of this.apiObjects) {
      const ns = obj.metadata.namespace;
      if (ns) this.useLayer(ns, Component.enclosing(obj)?.layer ?? Layer.APPS);
    }
    for (const ns of this.namespaceLabels.keys()) if (!this.namespaceLayers.has(ns)) this.useLayer(ns, Layer.APPS);
    const existing = new Set(this.apiObjects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    const skip = new Set([...BUILTIN_NAMESPACES, this.gitops.namespace]);
    const byLayer = new Map<Layer, string[]>();
    for (const [ns, layer] of this.namespaceLayers) {
      if (skip.has(ns) || existing.has(ns)) continue;
      byLayer.set(layer, [...(byLayer.get(layer) ?? []), ns]);
    }
    for (const layer of LAYER_ORDER) {
      const names = (byLayer.get(layer) ?? []).sort();
      if (!names.length) continue;
      const scope = new Component(this, `Namespaces-${layer}`, { layer, folder: 'namespaces' });
      for (const name of names) {
        const labels = this.namespaceLabelsOf(name);
        delete labels['kubernetes.io/metadata.name'];
        new CoreNamespace(scope, name, { metadata: { name, ...(Object.keys(labels).length ? { labels } : {}) } });
      }
    }
    this.prepared = true;
  }

  /**
   * Add a file that is not a Kubernetes object (a report, a host config for the edge, the bootstrap script) at
   * `path` under `clusters/<cluster>/`. Produced at synth time. Such files must live outside every folder Flux or
   * Argo CD applies: under `reports/`, `edge/` or `bootstrap/` (run by hand before the engine exists; no YAML there,
   * which would read as a manifest). `reports/review.md` is the synthesizer's own (written after the rules run) and
   * is refused, in any letter case (a case-insensitive file system would make the two one file).
   */
  public addFile(path: string, produce: () => string, source?: IConstruct): void {
    if (
      !/^(reports|edge|bootstrap)\/[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(path) ||
      path.includes('..') ||
      (path.startsWith('bootstrap/') && /\.ya?ml$/i.test(path))
    ) {
      throw new Error(
        `addFile("${path}"): extra files go under reports/, edge/ or bootstrap/ (no .yaml there), named with letters, digits, '.', '_', '-' (at ${source?.node.path ?? this.node.path})`,
      );
    }
    if (path.toLowerCase() === REVIEW_FILE) {
      throw new Error(
        `addFile("${path}") at ${source?.node.path ?? this.node.path}: ${REVIEW_FILE} is reserved for the review the synthesizer ` +
          'writes after the rules run, which would replace this file; use another name under reports/, e.g. reports/notes.md',
      );
    }
    if (this.extraFiles.has(path)) {
      throw new Error(`addFile("${path}") twice: first from ${this.extraFiles.get(path)!.source}, again from ${source?.node.path ?? this.node.path}`);
    }
    this.extraFiles.set(path, { source: source?.node.path ?? this.node.path, produce });
  }

  /**
   * The extra files, produced now; keyed by path: those added with {@link addFile}, then the files of the
   * components' folders ({@link Component.addFile}).
   */
  public renderExtraFiles(): Map<string, string> {
    const out = new Map([...this.extraFiles].map(([path, f]) => [path, f.produce()]));
    for (const component of this.constructsOf(Component)) {
      for (const f of component.files) {
        const path = component.filePath(f.name);
        if (out.has(path)) throw new Error(`${component.node.path} adds ${path}, which another construct of ${this.node.path} already adds`);
        out.set(path, f.produce());
      }
    }
    return out;
  }

  /** Record that `namespace` is needed by `layer` (kept at the earliest layer). */
  public useLayer(namespace: string, layer: Layer): void {
    const current = this.namespaceLayers.get(namespace);
    if (current === undefined || LAYER_ORDER.indexOf(layer) < LAYER_ORDER.indexOf(current)) this.namespaceLayers.set(namespace, layer);
  }
}
