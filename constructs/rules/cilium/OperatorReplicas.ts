import { defineRule } from '../rule.js';
import { at, renderedCilium } from './model.js';

/** NET-CIL9: the operator runs 2 replicas on a multi-node cluster, never more than there are nodes. */
export const OperatorReplicas = defineRule({
  id: 'NET-CIL9',
  level: 'error',
  title: 'cilium-operator replicas fit the cluster',
  lesson:
    'A single operator replica is a single point of failure for IPAM, LB-IPAM and gateway reconciliation (seed 002 ' +
    'ran one; seed 001 installed with operator.replicas=1 on three nodes). The chart spreads replicas with a required ' +
    'anti-affinity on the hostname, so more replicas than nodes leave one Pending and the Helm upgrade never becomes ready.',
  source: 'seeds 001 and 002; Cilium chart operator.affinity default',
  fix: 'Leave operatorReplicas at its default (2, or 1 on a single-node cluster).',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r) return;
    const replicas = at(r.values, 'operator.replicas') ?? 2;
    const nodes = ctx.cluster.nodes.length;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1) {
      yield { at: r.release, message: 'operator.replicas is not a positive integer', value: replicas, expected: 'an integer ≥ 1' };
      return;
    }
    if (replicas === 1 && nodes > 1) {
      yield {
        at: r.release,
        level: 'warning',
        message: `cilium-operator runs a single replica on a ${nodes}-node cluster: a node loss stops IPAM and LB-IPAM until it is rescheduled`,
        value: replicas,
        expected: '2 replicas',
        fix: 'Remove operatorReplicas (default 2), or acknowledge NET-CIL9 with the reason.',
      };
    }
    const affinity = at(r.values, 'operator.affinity');
    // The chart's default affinity is the required one-per-node anti-affinity.
    const antiAffinity = affinity === undefined || JSON.stringify(affinity).includes('requiredDuringScheduling');
    if (replicas > nodes && antiAffinity) {
      yield {
        at: r.release,
        message: `cilium-operator asks for ${replicas} replicas with one per node, but the cluster has ${nodes} node${nodes === 1 ? '' : 's'}: the extra replica stays Pending and the release never becomes ready`,
        value: replicas,
        expected: `at most ${nodes}`,
      };
    }
  },
});
