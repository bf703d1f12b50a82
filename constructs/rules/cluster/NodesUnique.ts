import { canonicalIp } from '../../cluster/address.js';
import { defineRule } from '../rule.js';

/** NET-CLU3: node names and addresses are unique, and there is at least one control-plane node. */
export const NodesUnique = defineRule({
  id: 'NET-CLU3',
  level: 'error',
  title: 'Node names and addresses are unique; the cluster has a control-plane node',
  lesson:
    'Two nodes with one address fight over ARP and break the API endpoint and every pool computed from the node list; two ' +
    'nodes with one name collapse into one in node selectors and the HAProxy backends.',
  source: 'seed 001 (three-node HA), seed 002 (node table)',
  fix: 'Give every node its own name and address, and mark the API-server nodes with NodeRole.CONTROL_PLANE.',
  *check({ cluster }) {
    const byName = new Map<string, number>();
    const byAddress = new Map<string, string[]>();
    for (const n of cluster.nodes) {
      byName.set(n.name, (byName.get(n.name) ?? 0) + 1);
      const key = canonicalIp(n.address);
      byAddress.set(key, [...(byAddress.get(key) ?? []), n.name]);
    }
    for (const [name, count] of byName) {
      if (count > 1) yield { at: cluster, message: `node name ${name} is used by ${count} nodes`, value: name, expected: 'unique node names' };
    }
    for (const [address, names] of byAddress) {
      if (names.length > 1) yield { at: cluster, message: `nodes ${names.join(', ')} share one address`, value: address, expected: 'one address per node' };
    }
    if (!cluster.nodes.length) {
      yield { at: cluster, message: 'the cluster has no nodes', value: [], expected: 'at least one node' };
    } else if (!cluster.controlPlaneNodes.length) {
      yield {
        at: cluster,
        message: 'no node has the control-plane role',
        value: cluster.nodes.map((n) => n.name),
        expected: 'at least one NodeRole.CONTROL_PLANE node',
      };
    }
  },
});
