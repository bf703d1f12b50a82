import { AddressRange } from '../../cluster/address.js';
import { defineRule, type RuleResult } from '../rule.js';

/** NET-CLU1: the node subnet, pod CIDR and service CIDR are well-formed and share no address. */
export const ClusterCidrsDisjoint = defineRule({
  id: 'NET-CLU1',
  level: 'error',
  title: 'Node subnet, pod CIDR and service CIDR are valid CIDRs and do not overlap',
  lesson:
    'Pod and service CIDRs that overlap the LAN make routes ambiguous: traffic to a node or a LAN host is sent into the overlay instead. ' +
    'Seed 003 routes 10.42.0.0/16, 10.43.0.0/16 and the node LAN through a WARP tunnel side by side, which only works while they are disjoint.',
  source: 'seed 003 (WARP split tunnel), Kubernetes cluster networking',
  fix: 'Pick non-overlapping private ranges, e.g. pods 10.42.0.0/16, services 10.43.0.0/16, nodes on the LAN.',
  *check({ cluster }) {
    const named: [string, string][] = [
      ['nodeSubnet', cluster.nodeSubnet],
      ['podCidr', cluster.podCidr],
      ['serviceCidr', cluster.serviceCidr],
    ];
    const parsed: [string, AddressRange][] = [];
    for (const [prop, value] of named) {
      try {
        parsed.push([prop, AddressRange.cidr(value)]);
      } catch {
        const dualStack = value.includes(',');
        yield {
          at: cluster,
          message: dualStack ? `${prop} lists several CIDRs; dual-stack clusters are not modelled` : `${prop} is not a CIDR`,
          value,
          expected: 'one address and prefix length such as 10.42.0.0/16',
          ...(dualStack ? { fix: 'Give one CIDR of one address family; the constructs render single-stack clusters only.' } : {}),
        } satisfies RuleResult;
      }
    }
    for (let i = 0; i < parsed.length; i++) {
      for (let j = i + 1; j < parsed.length; j++) {
        const [pa, a] = parsed[i];
        const [pb, b] = parsed[j];
        if (a.overlaps(b)) {
          yield { at: cluster, message: `${pa} ${a} overlaps ${pb} ${b}`, value: `${a} ∩ ${b}`, expected: 'disjoint ranges' };
        }
      }
    }
  },
});
