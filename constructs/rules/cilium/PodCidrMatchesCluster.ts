import { CHART_IPAM_DEFAULTS } from '../../cilium/defaults.js';
import { AddressRange } from '../../cluster/address.js';
import { defineRule } from '../rule.js';
import { at, renderedCilium } from './model.js';

const LIST = 'ipam.operator.clusterPoolIPv4PodCIDRList';

/** The IPv4 pool cluster-pool IPAM allocates from, as the chart resolves the values. */
interface ClusterPool {
  /** The CIDRs, one per entry. */
  readonly cidrs: readonly string[];
  /** The value as rendered (the chart default when `from` is 'chart default'). */
  readonly value: unknown;
  /** Where the list comes from: the values, the chart default (key not rendered), or nowhere (a null value). */
  readonly from: 'values' | 'chart default' | 'null';
}

/**
 * The pool: the rendered list, or the chart default when the key is absent. Helm drops a null value together with the
 * chart default, and the configmap template then renders `cluster-pool-ipv4-cidr` empty. The schema also allows one
 * string; the list reaches the operator joined by spaces.
 */
function clusterPool(values: Record<string, unknown>): ClusterPool {
  let node: unknown = values;
  for (const key of LIST.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) {
      return { cidrs: [...CHART_IPAM_DEFAULTS.clusterPoolIPv4PodCIDRList], value: [...CHART_IPAM_DEFAULTS.clusterPoolIPv4PodCIDRList], from: 'chart default' };
    }
    node = (node as Record<string, unknown>)[key];
    if (node === null) return { cidrs: [], value: null, from: 'null' };
  }
  const cidrs = Array.isArray(node) ? node.map(String) : typeof node === 'string' ? node.split(/\s+/).filter(Boolean) : [String(node)];
  return { cidrs, value: node, from: 'values' };
}

/** The range of a CIDR, or undefined when it is not one (the operator rejects it; the message says so). */
function rangeOf(cidr: string): AddressRange | undefined {
  try {
    return AddressRange.cidr(cidr);
  } catch {
    return undefined;
  }
}

/** NET-CIL20: cluster-pool IPAM allocates pod addresses from exactly the Cluster's pod CIDR. */
export const PodCidrMatchesCluster = defineRule({
  id: 'NET-CIL20',
  level: 'error',
  title: "Cluster-pool IPAM allocates from exactly the Cluster's pod CIDR",
  lesson:
    "Under cluster-pool IPAM (the chart's default mode) cilium-operator hands out node pod CIDRs from " +
    "ipam.operator.clusterPoolIPv4PodCIDRList, whose chart default is 10.0.0.0/8: it overlaps k3s's service CIDR and many " +
    "LANs. Everything else is derived from the Cluster's podCidr (native-routing CIDR, k3s cluster-cidr, node firewall, " +
    'the address plan that keeps L2 pools clear of pods), so pods given addresses from another pool fall outside all of ' +
    'it. A null or empty list leaves the operator without a pool: it refuses to start and no node gets a pod CIDR.',
  source:
    'Cilium chart values.yaml 1.18.12/1.19.6/1.20.0 (ipam.mode cluster-pool, clusterPoolIPv4PodCIDRList ["10.0.0.0/8"]); ' +
    'cilium-operator cluster-pool allocator ("cluster-pool-ipv4-cidr must be provided when using ClusterPool"); ' +
    'https://docs.cilium.io/en/stable/network/concepts/ipam/cluster-pool/',
  fix:
    'Leave IPAM to CiliumRelease: remove ipam.mode and ipam.operator.clusterPoolIPv4PodCIDRList from extraValues (choose the ' +
    "mode with the ipamMode prop); it renders the Cluster's podCidr as the pool. For another pod range change the " +
    "Cluster's podCidr, never on a live cluster (NET-CIL11).",
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r) return;
    // The configmap template: `coalesce .Values.ipam.mode "cluster-pool"`, and ENI mode overrides any ipam.mode.
    if (at(r.values, 'eni.enabled') === true) return;
    const mode = at(r.values, 'ipam.mode');
    if ((typeof mode === 'string' && mode !== '' ? mode : CHART_IPAM_DEFAULTS.mode) !== 'cluster-pool') return;
    // Without IPv4 the chart renders no IPv4 pool at all.
    if (at(r.values, 'ipv4.enabled') === false) return;

    const cluster = ctx.cluster;
    const pod = cluster.podCidr;
    const podRange = rangeOf(pod);
    if (!podRange) return; // the cluster rules report a bad pod CIDR
    const expected = `[${JSON.stringify(pod)}] (the Cluster's podCidr)`;
    const pool = clusterPool(r.values);

    if (pool.cidrs.length === 0) {
      const why = pool.from === 'null' ? `${LIST} is null, and Helm drops a null value together with the chart default` : `${LIST} is empty`;
      yield {
        at: r.release,
        message:
          `cluster-pool IPAM has no IPv4 pod CIDR to allocate from (${why}): cilium-operator refuses to start ` +
          '("cluster-pool-ipv4-cidr must be provided when using ClusterPool") and no node gets a pod CIDR',
        value: pool.value,
        expected,
      };
      return;
    }

    const ranges = pool.cidrs.map((c) => ({ cidr: c, range: rangeOf(c) }));
    // the pod CIDR itself, or split into CIDRs that cover it exactly (inside it, not overlapping, the same size)
    const parts = ranges.map((r) => r.range);
    if (
      parts.every((p): p is AddressRange => p !== undefined && p.first >= podRange.first && p.last <= podRange.last) &&
      parts.every((p, i) => parts.every((q, j) => i === j || !p.overlaps(q))) &&
      parts.reduce((n, p) => n + p.size, 0n) === podRange.size
    ) {
      return;
    }

    const notes: string[] = [];
    const service = rangeOf(cluster.serviceCidr);
    const nodes = rangeOf(cluster.nodeSubnet);
    for (const { cidr, range } of ranges) {
      if (!range) {
        notes.push(`"${cidr}" is not a CIDR`);
        continue;
      }
      if (service && range.overlaps(service)) notes.push(`${cidr} overlaps the service CIDR ${cluster.serviceCidr}: pod and Service addresses collide`);
      if (nodes && range.overlaps(nodes)) notes.push(`${cidr} overlaps the node subnet ${cluster.nodeSubnet}: pods take addresses of the node LAN`);
    }
    const origin = pool.from === 'chart default' ? ` (the chart default: ${LIST} is not rendered)` : '';
    yield {
      at: r.release,
      message:
        `cluster-pool IPAM allocates pod addresses from ${pool.cidrs.join(', ')}${origin}, not from the Cluster's pod CIDR ${pod}: ` +
        "the native-routing CIDR, the distribution's cluster-cidr, the node firewall and the address plan all assume " +
        `${pod}` +
        (notes.length ? `; ${notes.join('; ')}` : ''),
      value: pool.value,
      expected,
    };
  },
});
