/**
 * L2Pool: a Cilium LoadBalancer address pool with exactly one L2 announcement policy, and the allocation of its
 * addresses to the gateways and services of the cluster.
 *
 * The pool renders a `CiliumLoadBalancerIPPool` and one `CiliumL2AnnouncementPolicy`, both scoped to the services that
 * carry the pool's {@link L2Pool.selectorLabels}. Other constructs ask the pool for an address by owner name
 * ({@link L2Pool.allocate}); every LoadBalancer the cluster renders gets a pinned address, so no unpinned service can
 * take an address another one relies on. The rules in `rules/l2/` check the plan.
 */
import { Construct } from 'constructs';
import { CiliumL2AnnouncementPolicy, CiliumLoadBalancerIpPool } from '../imports/cilium.js';
import { Cluster } from './cluster.js';
import { AddressPlan, type PlannedPool } from './address-plan.js';
import { Component, Layer } from './component.js';
import { AddressRange, canonicalIp, ipFamily, type IpFamily } from './cluster/address.js';
import { lazy } from './core/lazy.js';
import { checkProps, Findings, idAsName } from './findings.js';
import * as p from './core/props.js';

/** Label every service served by a pool carries; its value is the pool name. */
export const POOL_LABEL = 'netkit/pool';
/** Annotation a plain Service uses to ask Cilium LB-IPAM for specific addresses. */
export const LBIPAM_IPS_ANNOTATION = 'lbipam.cilium.io/ips';
/** Annotation that lets services with the same key share one address (on different ports). */
export const LBIPAM_SHARING_KEY_ANNOTATION = 'lbipam.cilium.io/sharing-key';
/** Namespaces a Service shares its address with (comma-separated, `*` for all); both sides must allow it. */
export const LBIPAM_SHARING_NAMESPACES_ANNOTATION = 'lbipam.cilium.io/sharing-cross-namespace';

/**
 * One block of a pool: a CIDR or an inclusive start–stop range.
 *
 * Create with {@link AddressBlock.cidr} or {@link AddressBlock.range}. The factories never throw: a malformed block is
 * kept as written and reported by rule NET-L2P1 together with every other finding.
 *
 * @see https://docs.cilium.io/en/stable/network/lb-ipam/#pools
 */
export class AddressBlock {
  /** A CIDR block, e.g. `AddressBlock.cidr('192.168.10.48/29')`. Every address of it is allocatable. */
  public static cidr(cidr: string): AddressBlock {
    return new AddressBlock({ cidr });
  }

  /** An inclusive range, e.g. `AddressBlock.range('192.168.10.49', '192.168.10.50')`. */
  public static range(start: string, stop: string): AddressBlock {
    return new AddressBlock({ start, stop });
  }

  private constructor(private readonly spec: { cidr: string } | { start: string; stop: string }) {}

  /** The block as written: `a/n` or `a-b`. */
  public get text(): string {
    return 'cidr' in this.spec ? this.spec.cidr : `${this.spec.start}-${this.spec.stop}`;
  }

  /** The block as a pool `spec.blocks[]` entry. */
  public toSpec(): { cidr: string } | { start: string; stop: string } {
    return { ...this.spec };
  }

  /** The parsed range, or the reason it cannot be parsed. */
  public parse(): { range: AddressRange; error?: undefined } | { range?: undefined; error: string } {
    // from plain JavaScript or a configuration file the parts may be anything: say so rather than pass on a TypeError
    const parts = 'cidr' in this.spec ? { cidr: this.spec.cidr } : { start: this.spec.start, stop: this.spec.stop };
    const wrong = Object.entries(parts).filter(([, v]) => typeof v !== 'string');
    if (wrong.length) return { error: wrong.map(([k, v]) => `${k} is ${v === null ? 'null' : typeof v}, not an address string`).join('; ') };
    try {
      const range = 'cidr' in this.spec ? AddressRange.cidr(this.spec.cidr) : AddressRange.fromTo(this.spec.start, this.spec.stop);
      return { range };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  /** The parsed range, or undefined when the block is malformed. */
  public get range(): AddressRange | undefined {
    return this.parse().range;
  }

  public toString(): string {
    return this.text;
  }
}

/** Options of {@link IAddressPool.allocate}. */
export interface AllocateOptions {
  /**
   * A fixed address inside the pool.
   *
   * @default - the lowest free address of the pool (IPv4 blocks first)
   */
  readonly address?: string;
  /**
   * Services with the same sharing key share one address on different ports (`lbipam.cilium.io/sharing-key`). An
   * allocation without a fixed address joins the address of an earlier allocation with the same key.
   *
   * @default - the address is not shared
   * @see https://docs.cilium.io/en/stable/network/lb-ipam/#sharing-keys
   */
  readonly sharingKey?: string;
  /**
   * Namespaces whose services may share the address (`lbipam.cilium.io/sharing-cross-namespace`, `*` for all; only
   * on plain Services, {@link L2Pool.loadBalancerServiceMetadata}). LB-IPAM shares across namespaces only when every
   * service involved allows the other's namespace, and only with a sharing key (rule NET-L2P14).
   *
   * @default - services of the same namespace only
   */
  readonly sharingNamespaces?: readonly string[];
}

/** One address handed out by a pool. */
export interface Allocation {
  /** Who holds the address (a gateway or service name, unique in the pool). */
  readonly owner: string;
  /** The address. */
  readonly address: string;
  readonly sharingKey?: string;
  /** Namespaces whose services may share the address ({@link AllocateOptions.sharingNamespaces}). */
  readonly sharingNamespaces?: readonly string[];
  /** True when the owner asked for this address. */
  readonly fixed: boolean;
}

/** Something that hands out LoadBalancer addresses: what gateways and services reference. */
export interface IAddressPool {
  /** The pool's name (`metadata.name` of the CiliumLoadBalancerIPPool). */
  readonly poolName: string;
  /** Labels a Service (or a Gateway's `spec.infrastructure.labels`) carries to be served by this pool. */
  readonly selectorLabels: Record<string, string>;
  /**
   * Reserve an address for `owner`. Deterministic: the same calls in the same order give the same addresses; calling
   * again with the same owner returns its address.
   *
   * @returns the address, or undefined when the pool has none left for the owner: the pool then records a finding
   *   (rule NET-L2P6) and the owner renders without a pinned address.
   */
  allocate(owner: string, options?: AllocateOptions): string | undefined;
}

/** Which nodes answer ARP for the pool's addresses. */
export class NodeSelection {
  /**
   * Nodes without the control-plane role (`node-role.kubernetes.io/control-plane` DoesNotExist): keeps announcement
   * traffic off the control plane.
   */
  public static workers(): NodeSelection {
    return new NodeSelection({ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] });
  }

  /** Every node (clusters where every node is a control plane, like seed 001's three-server k3s). */
  public static all(): NodeSelection {
    return new NodeSelection({});
  }

  /** Nodes that carry all these labels. */
  public static labels(labels: Record<string, string>): NodeSelection {
    return new NodeSelection({ matchLabels: { ...labels } });
  }

  /** Any label selector. */
  public static selector(selector: LabelSelector): NodeSelection {
    return new NodeSelection(selector);
  }

  private constructor(public readonly selector: LabelSelector) {}
}

/** A selector as the typed models take it (mutable lists), keys in the order given. */
function selectorSpec(selector: LabelSelector): {
  matchLabels?: Record<string, string>;
  matchExpressions?: NonNullable<LabelSelector['matchExpressions']>[number][];
} {
  const { matchExpressions, ...rest } = selector;
  return matchExpressions ? { ...selector, matchExpressions: [...matchExpressions] } : rest;
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface L2PoolProps {
  /**
   * Name of the CiliumLoadBalancerIPPool and of its L2 announcement policy, and the value of the `netkit/pool` label.
   *
   * @default - the construct id, lower-cased
   */
  readonly poolName?: string;
  /**
   * The pool's address blocks. IPv4 blocks must lie inside the node subnet (L2 reaches only the local segment);
   * IPv6 blocks are allocated but never announced (ARP is IPv4 only).
   *
   * @see https://docs.cilium.io/en/stable/network/lb-ipam/#pools
   */
  readonly blocks: readonly AddressBlock[];
  /**
   * Interfaces (Go regular expressions) the policy announces on. They must be among the devices Cilium manages.
   *
   * The default matches the kernel's predictable names (`enp1s0`, `ens18`, `eno1`) and classic `eth0`, and never the
   * virtual ones (`veth*`, `lxc*`, `cilium_*`, `wg*`).
   *
   * @default ['^(eth|en)']
   * @see https://docs.cilium.io/en/stable/network/l2-announcements/#policies
   */
  readonly interfaces?: readonly string[];
  /**
   * Nodes that may announce the pool's addresses.
   *
   * @default NodeSelection.workers()
   */
  readonly nodeSelection?: NodeSelection;
  /**
   * Lease duration of an announcement: how long a node may hold an address after it stops renewing.
   * Feeds CiliumRelease's `l2announcements.leaseDuration`.
   *
   * @default 15
   * @see https://docs.cilium.io/en/stable/network/l2-announcements/#leader-election
   */
  readonly leaseDurationSeconds?: number;
  /**
   * How long the holder keeps trying to renew before it gives the lease up. Must exceed the retry period by 20% and
   * stay below the duration. Feeds `l2announcements.leaseRenewDeadline` and the client rate limit sizing.
   *
   * @default 5
   */
  readonly leaseRenewDeadlineSeconds?: number;
  /**
   * Wait between renewal attempts. Feeds `l2announcements.leaseRetryPeriod`.
   *
   * @default 2
   */
  readonly leaseRetryPeriodSeconds?: number;
}

/**
 * A LoadBalancer address pool announced on the node LAN by exactly one CiliumL2AnnouncementPolicy.
 *
 * ```ts
 * const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.10.49', '192.168.10.50')] });
 * pool.allocate('gateway-internal', { address: '192.168.10.50' });
 * ```
 *
 * @see https://docs.cilium.io/en/stable/network/lb-ipam/
 * @see https://docs.cilium.io/en/stable/network/l2-announcements/
 */
/** What an L2Pool accepts (NET-IN1, NET-IN2). */
const L2_POOL_SPEC = p.object({
  poolName: p.optional(p.name('label', { landsAs: 'the CiliumLoadBalancerIPPool name' })),
  blocks: p.withFallback(p.array(p.instance(AddressBlock, 'an AddressBlock from AddressBlock.cidr() or AddressBlock.range()')), () => []),
  interfaces: p.optional(p.array(p.string({ maxLength: 256 }))),
  nodeSelection: p.optional(p.instance(NodeSelection, 'a NodeSelection from NodeSelection.workers(), .all(), .labels() or .selector()')),
  leaseDurationSeconds: p.optional(p.positiveNumber(3600)),
  leaseRenewDeadlineSeconds: p.optional(p.positiveNumber(3600)),
  leaseRetryPeriodSeconds: p.optional(p.positiveNumber(3600)),
});

export class L2Pool extends Component implements IAddressPool, PlannedPool {
  /** Every L2Pool of a cluster, in construct order. */
  public static allOf(cluster: Cluster): L2Pool[] {
    return cluster.constructsOf(L2Pool);
  }

  /**
   * @deprecated Use {@link L2Pool.allOf}, which this calls: `X.of(scope)` finds the one X of a scope, and a cluster
   *   may have several pools.
   */
  public static of(cluster: Cluster): L2Pool[] {
    return L2Pool.allOf(cluster);
  }

  public readonly poolName: string;
  public readonly leaseDurationSeconds: number;
  public readonly leaseRenewDeadlineSeconds: number;
  public readonly leaseRetryPeriodSeconds: number;
  public readonly nodeSelection: NodeSelection;
  /** The rendered pool object. */
  public readonly resource: CiliumLoadBalancerIpPool;
  /** The rendered announcement policy. */
  public readonly policy: CiliumL2AnnouncementPolicy;

  private readonly _blocks: AddressBlock[] = [];
  private readonly _interfaces: string[] = [];
  private readonly _allocations: Allocation[] = [];
  /** Owners the pool had no address left for (each reported once, NET-L2P6). */
  private readonly _unserved = new Set<string>();

  public constructor(scope: Construct, id: string, given: L2PoolProps) {
    super(scope, id, { layer: Layer.NETWORKING, folder: 'l2-pool' });
    const props = checkProps<L2PoolProps>(this, L2_POOL_SPEC, given, { blocks: [] });
    // the default name is the id lower-cased, as documented: only a name that is still invalid then is reported
    this.poolName = props.poolName ?? idAsName(this, id, 'label', 'the CiliumLoadBalancerIPPool name');
    this.leaseDurationSeconds = props.leaseDurationSeconds ?? 15;
    this.leaseRenewDeadlineSeconds = props.leaseRenewDeadlineSeconds ?? 5;
    this.leaseRetryPeriodSeconds = props.leaseRetryPeriodSeconds ?? 2;
    this.nodeSelection = props.nodeSelection ?? NodeSelection.workers();
    for (const b of props.blocks) this.addBlock(b);
    for (const i of props.interfaces ?? ['^(eth|en)']) this.addInterface(i);

    const serviceSelector = { matchLabels: this.selectorLabels };
    this.resource = new CiliumLoadBalancerIpPool(this, 'Resource', {
      metadata: { name: this.poolName },
      spec: {
        blocks: lazy(() => this._blocks.map((b) => b.toSpec())),
        serviceSelector,
      },
    });
    this.policy = new CiliumL2AnnouncementPolicy(this, 'Announcement', {
      metadata: { name: this.poolName },
      spec: {
        interfaces: lazy(() => [...this._interfaces]),
        loadBalancerIPs: true,
        nodeSelector: selectorSpec(this.nodeSelection.selector),
        serviceSelector,
      },
    });
    AddressPlan.ensure(Cluster.of(this)).addPool(this);
  }

  /** Labels a Service or a Gateway's infrastructure carries to be served and announced by this pool. */
  public get selectorLabels(): Record<string, string> {
    return { [POOL_LABEL]: this.poolName };
  }

  /** The pool's blocks, as added. */
  public get blocks(): readonly AddressBlock[] {
    return [...this._blocks];
  }

  /** The interface regexes the policy announces on. */
  public get interfaces(): readonly string[] {
    return [...this._interfaces];
  }

  /** Add an address block. */
  public addBlock(block: AddressBlock): this {
    this._blocks.push(block);
    return this;
  }

  /** Announce on one more interface (a Go regular expression). */
  public addInterface(regex: string): this {
    if (!this._interfaces.includes(regex)) this._interfaces.push(regex);
    return this;
  }

  /** Every allocation, in the order made. */
  public allocations(): Allocation[] {
    return this._allocations.map((a) => ({ ...a }));
  }

  /** The address held by `owner`, if it has one. */
  public addressOf(owner: string): string | undefined {
    return this._allocations.find((a) => a.owner === owner)?.address;
  }

  /**
   * Reserve an address for `owner` (see {@link IAddressPool.allocate}). When no address is left, the pool records a
   * NET-L2P6 finding on itself and returns undefined; asking again for the same owner returns undefined again.
   */
  public allocate(owner: string, options: AllocateOptions = {}): string | undefined {
    const wanted = options.address !== undefined && ipFamily(options.address) ? canonicalIp(options.address) : options.address;
    const existing = this._allocations.find((a) => a.owner === owner);
    if (existing && (wanted === undefined || wanted === existing.address) && (options.sharingKey ?? existing.sharingKey) === existing.sharingKey) {
      return existing.address;
    }
    if (!existing && wanted === undefined && this._unserved.has(owner)) return undefined;
    // A second, different request for the same owner is recorded: rule NET-L2P5 reports it.
    let address = wanted;
    if (address === undefined) {
      const shared = options.sharingKey !== undefined ? this._allocations.find((a) => a.sharingKey === options.sharingKey) : undefined;
      address = shared ? shared.address : this.firstFree();
    }
    if (address === undefined) {
      this._unserved.add(owner);
      const size = this._blocks.reduce((n, b) => n + (b.range?.size ?? 0n), 0n);
      Findings.of(this).addError('NET-L2P6', {
        message: `pool ${this.poolName} has no free address left for ${owner}`,
        value: `${this._allocations.length} allocations, ${size} addresses`,
        expected: 'a free address for every owner',
      });
      return undefined;
    }
    this._allocations.push({
      owner,
      address,
      fixed: wanted !== undefined,
      ...(options.sharingKey !== undefined ? { sharingKey: options.sharingKey } : {}),
      ...(options.sharingNamespaces !== undefined ? { sharingNamespaces: [...options.sharingNamespaces] } : {}),
    });
    return address;
  }

  /**
   * Metadata for a plain LoadBalancer Service that `owner` exposes from this pool: the pool's labels and the
   * `lbipam.cilium.io/ips` annotation (plus the sharing key and the namespaces it shares with). Allocates an address
   * when the owner has none yet; without one (the pool is exhausted, NET-L2P6) the annotation is left out.
   *
   * @see https://docs.cilium.io/en/stable/network/lb-ipam/#requesting-ips
   */
  public loadBalancerServiceMetadata(owner: string, options: AllocateOptions = {}): { labels: Record<string, string>; annotations: Record<string, string> } {
    const address = this.allocate(owner, options);
    const allocation = address === undefined ? undefined : [...this._allocations].reverse().find((a) => a.owner === owner && a.address === address);
    const sharingKey = options.sharingKey ?? allocation?.sharingKey;
    const sharingNamespaces = options.sharingNamespaces ?? allocation?.sharingNamespaces;
    return {
      labels: this.selectorLabels,
      annotations: {
        ...(address !== undefined ? { [LBIPAM_IPS_ANNOTATION]: address } : {}),
        ...(sharingKey !== undefined ? { [LBIPAM_SHARING_KEY_ANNOTATION]: sharingKey } : {}),
        ...(sharingNamespaces?.length ? { [LBIPAM_SHARING_NAMESPACES_ANNOTATION]: sharingNamespaces.join(',') } : {}),
      },
    };
  }

  /** The lowest address of the pool not yet held, IPv4 blocks first; undefined when none is left. */
  private firstFree(): string | undefined {
    const held = new Set(this._allocations.map((a) => a.address));
    const ranges = this._blocks.map((b) => b.range).filter((r): r is AddressRange => r !== undefined);
    for (const family of [4, 6] as IpFamily[]) {
      for (const r of ranges.filter((x) => x.family === family)) {
        // Bounded: a pool holds few allocations, so at most held.size + 1 steps per block.
        const limit = r.size < BigInt(held.size + 1) ? r.size : BigInt(held.size + 1);
        for (let i = 0n; i < limit; i++) {
          const a = r.at(i);
          if (!held.has(a)) return a;
        }
      }
    }
    return undefined;
  }
}
