/**
 * TCP MSS clamping on the router/firewall in front of the node subnet (seed 004, phase 2), derived from the
 * cluster's node MTU: the same number drives Cilium's MTU and this clamp.
 */
import { Construct } from 'constructs';
import { Cluster } from './cluster.js';
import { EdgeFolder, notRendered } from './edge-folder.js';
import { checkMssClampInput, type MssClampInput, renderMssClamp } from './edge/mss.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

export interface MssClampProps {
  /**
   * The path MTU that works end to end; the MSS is derived from it (IPv4: MTU − 40).
   *
   * @default - the cluster's nodeMtu
   */
  readonly pathMtu?: number;
  /**
   * The subnet whose forwarded TCP connections are clamped.
   *
   * @default - the cluster's nodeSubnet
   */
  readonly subnet?: string;
}

/**
 * Writes `edge/router/mss-clamp.nft`, an nftables table for the router that forwards the node subnet: TCP SYNs
 * to and from the subnet get their MSS lowered to what the path MTU carries.
 *
 * @see https://wiki.nftables.org/wiki-nftables/index.php/Mangling_packet_headers
 */
export class MssClamp extends Construct {
  /** Every MssClamp of a cluster, in construct order. */
  public static allOf(cluster: Cluster): MssClamp[] {
    return cluster.constructsOf(MssClamp);
  }

  /**
   * @deprecated Use {@link MssClamp.allOf}, which this calls: `X.of(scope)` finds the one X of a scope, and a
   *   cluster may have several clamps.
   */
  public static of(cluster: Cluster): MssClamp[] {
    return MssClamp.allOf(cluster);
  }

  private readonly cluster: Cluster;
  private readonly props: MssClampProps;

  public constructor(scope: Construct, id: string, given: MssClampProps = {}) {
    super(scope, id);
    const props = checkProps<MssClampProps>(this, p.object({ pathMtu: p.optional(p.number()), subnet: p.optional(p.cidr()) }), given, {});
    this.cluster = Cluster.of(this);
    this.props = props;
    EdgeFolder.ensure(this).addFile(
      {
        path: 'edge/router/mss-clamp.nft',
        destination: `the router/firewall that forwards ${props.subnet ?? this.cluster.nodeSubnet}${this.cluster.router ? ` (${this.cluster.router})` : ''}, e.g. /etc/nftables.d/netkit-mss.nft`,
        apply:
          'Check with `nft -c -f /etc/nftables.d/netkit-mss.nft`, load with `nft -f /etc/nftables.d/netkit-mss.nft`, then run the egress probes again and compare.',
      },
      () => {
        const input = this.clampInput();
        const problems = checkMssClampInput(input);
        return problems.length ? notRendered('The MSS clamp', problems) : renderMssClamp(input);
      },
      this,
    );
  }

  /** The path MTU the clamp is derived from. */
  public get pathMtu(): number {
    return this.props.pathMtu ?? this.cluster.nodeMtu;
  }

  /** The renderer input this construct derives from the Cluster. */
  public clampInput(): MssClampInput {
    return { clusterName: this.cluster.clusterName, subnet: this.props.subnet ?? this.cluster.nodeSubnet, pathMtu: this.pathMtu };
  }
}
