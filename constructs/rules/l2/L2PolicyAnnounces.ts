import { l2Policies, selectedNodes } from './model.js';
import { defineRule } from '../rule.js';

/** NET-L2P13: an L2 announcement policy announces something, on some interface, from at least one node. */
export const L2PolicyAnnounces = defineRule({
  id: 'NET-L2P13',
  level: 'error',
  title: 'L2 announcement policies announce LoadBalancer IPs on valid interfaces from at least one node',
  lesson:
    'loadBalancerIPs and externalIPs both default to false, so a policy without them announces nothing. A nodeSelector that matches no ' +
    'node (all nodes are control planes, as in seed 001, with the default worker selection) leaves every address silent.',
  source: 'Cilium CiliumL2AnnouncementPolicy reference',
  fix: "Set loadBalancerIPs: true, give interface regexes that match the nodes' LAN interfaces, and select nodes that exist (NodeSelection.all() when every node is a control plane).",
  *check({ cluster, objects }) {
    for (const p of l2Policies(objects)) {
      const spec = p.json.spec ?? {};
      if (spec.loadBalancerIPs !== true && spec.externalIPs !== true) {
        yield {
          at: p.path,
          message: `L2 policy ${p.name} announces neither loadBalancerIPs nor externalIPs: it announces nothing`,
          value: { loadBalancerIPs: spec.loadBalancerIPs, externalIPs: spec.externalIPs },
          expected: 'loadBalancerIPs: true',
        };
      }
      const interfaces: unknown[] = Array.isArray(spec.interfaces) ? spec.interfaces : [];
      for (const i of interfaces) {
        try {
          new RegExp(String(i));
        } catch (e) {
          yield {
            at: p.path,
            message: `L2 policy ${p.name} has an invalid interface regex: ${(e as Error).message}`,
            value: i,
            expected: 'a regular expression such as ^(eth|en)',
          };
        }
      }
      if (Array.isArray(spec.interfaces) && !interfaces.length) {
        yield {
          at: p.path,
          message: `L2 policy ${p.name} lists an empty interfaces array`,
          value: [],
          expected: 'at least one interface regex, or no interfaces field (all Cilium devices)',
        };
      }
      const nodes = selectedNodes(cluster, spec.nodeSelector);
      if (!nodes.length) {
        yield {
          at: p.path,
          message: `L2 policy ${p.name} selects no node of the cluster: no node will announce its addresses`,
          value: spec.nodeSelector ?? {},
          expected: `a nodeSelector matching some of ${cluster.nodes.map((n) => n.name).join(', ')}`,
        };
      }
    }
  },
});
