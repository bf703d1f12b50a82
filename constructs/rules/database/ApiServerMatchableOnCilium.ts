import { CiliumRelease } from '../../cilium-release.js';
import { PolicyEngine } from '../../database/policy.js';
import { IsolatedDatabase } from '../../isolated-database.js';
import { defineRule } from '../rule.js';

/**
 * NET-DB5: a database whose NetworkPolicy allows the API server by ipBlock runs on a Cilium that lets CIDR
 * selectors match node addresses.
 */
export const ApiServerMatchableOnCilium = defineRule({
  id: 'NET-DB5',
  level: 'error',
  title: 'On Cilium, NetworkPolicy ipBlock rules for the API server need policyCIDRMatchMode: nodes',
  lesson:
    'The API server listens on the control-plane nodes. Cilium gives node addresses the host/remote-node (or kube-apiserver) ' +
    'identity, and CIDR selectors — NetworkPolicy ipBlock included — do not match them unless the agent runs with ' +
    'policyCIDRMatchMode: [nodes]. Without it, the database instances cannot reach the API server and CloudNativePG stops ' +
    'managing them, although the policy reads as allowed.',
  source: 'Cilium docs and cilium#28421 (policy-cidr-match-mode=nodes); cilium#14724 (matching the API server)',
  fix: 'Set policyEngine: PolicyEngine.CILIUM on the database (it uses the kube-apiserver entity), or add policyCIDRMatchMode: ["nodes"] to the Cilium release (cilium.addExtraValues({ policyCIDRMatchMode: ["nodes"] })).',
  *check({ cluster }) {
    const cilium = CiliumRelease.of(cluster);
    if (!cilium) return;
    const mode = cilium.values().policyCIDRMatchMode;
    const nodes = Array.isArray(mode) ? mode.includes('nodes') : mode === 'nodes';
    if (nodes) return;
    for (const db of cluster.constructsOf(IsolatedDatabase)) {
      if (db.policyEngine !== PolicyEngine.KUBERNETES) continue;
      yield {
        at: db,
        message: `database ${db.namespace}/${db.name} allows the API server by ipBlock, which Cilium does not match against node addresses`,
        value: { policyEngine: db.policyEngine, policyCIDRMatchMode: mode ?? null },
        expected: 'policyCIDRMatchMode including "nodes", or policyEngine CILIUM',
      };
    }
  },
});
