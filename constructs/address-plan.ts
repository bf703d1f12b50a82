/**
 * The address plan of a cluster: who holds which address on the node LAN and in the cluster's own ranges, sorted by
 * address, rendered as `reports/address-plan.md` beside the manifests.
 */
import { Construct } from 'constructs';
import type { Cluster } from './cluster.js';
import { AddressRange } from './cluster/address.js';
import { compareText } from './core/order.js';

/** What a pool contributes to the plan (implemented by L2Pool). */
export interface PlannedPool {
  readonly poolName: string;
  readonly blocks: readonly { readonly text: string; readonly range: AddressRange | undefined }[];
  allocations(): readonly { owner: string; address: string; sharingKey?: string }[];
}

/** One line of the plan. */
export interface PlanEntry {
  /** The address or range as written in the plan (canonical form). */
  readonly addresses: string;
  /** The parsed range; undefined when the input was malformed. */
  readonly range?: AddressRange;
  /** Who holds it. */
  readonly holder: string;
  /** Where it comes from: `node`, `router`, `api`, `external-lb`, `dhcp`, `pool`, `allocation`, `pods`, `services`, `subnet`. */
  readonly kind: PlanKind;
}

export type PlanKind = 'subnet' | 'node' | 'router' | 'api' | 'external-lb' | 'dhcp' | 'pool' | 'allocation' | 'pods' | 'services';

const PLAN_ID = 'AddressPlan';

/**
 * The cluster's address plan. One per cluster (`AddressPlan.ensure(cluster)`); L2Pools register themselves with it.
 * Call `AddressPlan.ensure(cluster)` for a cluster without pools to get its plan rendered too.
 */
export class AddressPlan extends Construct {
  /** The plan of `cluster`, created (and its report file registered) on first use. */
  public static ensure(cluster: Cluster): AddressPlan {
    const found = cluster.node.tryFindChild(PLAN_ID);
    return found instanceof AddressPlan ? found : new AddressPlan(cluster);
  }

  /**
   * @deprecated Use {@link AddressPlan.ensure}, which this calls: `X.of(scope)` finds what exists and never creates; `X.ensure(scope)` creates on first use.
   */
  public static of(cluster: Cluster): AddressPlan {
    return AddressPlan.ensure(cluster);
  }

  private readonly pools: PlannedPool[] = [];

  private constructor(private readonly cluster: Cluster) {
    super(cluster, PLAN_ID);
    cluster.addFile('reports/address-plan.md', () => renderAddressPlan(cluster.clusterName, this.entries()), this);
  }

  /** Add a pool's blocks and allocations to the plan. */
  public addPool(pool: PlannedPool): void {
    if (!this.pools.includes(pool)) this.pools.push(pool);
  }

  /** Every entry, sorted by address (IPv4 first, then IPv6, malformed last), then by kind and holder. */
  public entries(): PlanEntry[] {
    return planEntries(this.cluster, this.pools);
  }
}

/** The plan's entries for a cluster and its pools. */
export function planEntries(cluster: Cluster, pools: readonly PlannedPool[]): PlanEntry[] {
  const out: PlanEntry[] = [];
  const add = (text: string | undefined, holder: string, kind: PlanKind) => {
    if (text === undefined) return;
    let range: AddressRange | undefined;
    try {
      range = AddressRange.parse(text);
    } catch {
      range = undefined;
    }
    out.push({ addresses: range ? range.toString() : text, ...(range ? { range } : {}), holder, kind });
  };
  add(cluster.nodeSubnet, 'node subnet (L2 segment)', 'subnet');
  for (const n of cluster.nodes) add(n.address, `node ${n.name} (${n.roles.join(', ')})`, 'node');
  add(cluster.router, 'router / default gateway', 'router');
  add(
    cluster.apiEndpoint.host === 'localhost' ? undefined : cluster.apiEndpoint.host,
    `Kubernetes API (${cluster.apiEndpoint.kind}, port ${cluster.apiEndpoint.port})`,
    'api',
  );
  if (cluster.externalLoadBalancer) {
    add(cluster.externalLoadBalancer.address, 'external load balancer VIP', 'external-lb');
    add(cluster.externalLoadBalancer.hostAddress, 'external load balancer host', 'external-lb');
  }
  add(cluster.dhcpRange, 'LAN DHCP range', 'dhcp');
  for (const p of pools) {
    for (const b of p.blocks) add(b.text, `pool ${p.poolName}`, 'pool');
    for (const a of p.allocations()) {
      add(a.address, `${a.owner} (pool ${p.poolName}${a.sharingKey !== undefined ? `, sharing key ${a.sharingKey}` : ''})`, 'allocation');
    }
  }
  add(cluster.podCidr, 'pods (cluster-pool IPAM)', 'pods');
  add(cluster.serviceCidr, 'services (ClusterIP)', 'services');
  const order: PlanKind[] = ['subnet', 'pods', 'services', 'dhcp', 'pool', 'router', 'api', 'external-lb', 'node', 'allocation'];
  return out.sort((a, b) => {
    if (a.range && b.range) {
      if (a.range.family !== b.range.family) return a.range.family - b.range.family;
      if (a.range.first !== b.range.first) return a.range.first < b.range.first ? -1 : 1;
      if (a.range.last !== b.range.last) return a.range.last > b.range.last ? -1 : 1; // wider ranges first
    } else if (a.range || b.range) {
      return a.range ? -1 : 1;
    }
    return order.indexOf(a.kind) - order.indexOf(b.kind) || compareText(a.holder, b.holder);
  });
}

/** The plan as Markdown. */
export function renderAddressPlan(clusterName: string, entries: readonly PlanEntry[]): string {
  const lines = [
    `# Address plan: ${clusterName}`,
    '',
    'Rendered by cdk8s-netkit from the cluster model, its L2 pools and their allocations; sorted by address.',
    'Rules NET-L2P1 to NET-L2P13 check that pools stay inside the node subnet and clear of everything else listed here.',
    '',
    '| Addresses | Count | Holder | Kind |',
    '| --- | ---: | --- | --- |',
  ];
  for (const e of entries) {
    lines.push(`| ${e.addresses} | ${e.range ? e.range.size.toString() : '?'} | ${e.holder.replace(/\|/g, '\\|')} | ${e.kind} |`);
  }
  return `${lines.join('\n')}\n`;
}
