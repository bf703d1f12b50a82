import { Distribution } from '../../cluster.js';
import { checkFirewallInput } from '../../edge/firewall.js';
import { NodeFirewall } from '../../node-firewall.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/** NET-EDGE7: the node firewall can express the cluster's datapath and keeps SSH open. */
export const NodeFirewallCoversDatapath = defineRule({
  id: 'NET-EDGE7',
  level: 'error',
  title: "The node firewall is derived from well-formed cluster input and can express Cilium's datapath",
  lesson:
    "Seed 001's hand-kept UFW table still opened Flannel's VXLAN port after the move to Cilium and a metrics-server port " +
    'nothing listens on. The rows are computed from the cluster and its Cilium values instead; that needs the nodes, a ' +
    'management network for SSH (a drop policy without it locks the operator out), and a datapath the table knows: ' +
    'IPsec (ESP, IP protocol 50) has no row.',
  source: 'seed 001 (UFW port reference); Cilium system requirements (firewall rules)',
  fix: 'Correct the value named in the finding; for IPsec, use WireGuard or acknowledge and add an ESP rule on the hosts.',
  *check({ cluster }) {
    for (const fw of cluster.constructsOf(NodeFirewall)) {
      yield* resultsOf(checkFirewallInput(fw.firewallInput()), ['EDGE-FW1', 'EDGE-FW2', 'EDGE-FW3'], fw);
      if (cluster.distribution === Distribution.TALOS) {
        yield {
          at: fw,
          level: 'warning',
          message: 'Talos nodes have no shell to load nftables or UFW files, and a drop policy without apid (50000) would lock talosctl out',
          value: cluster.distribution,
          expected: 'a k3s or generic cluster',
          fix: 'Express the rows as Talos NetworkRuleConfig documents (keep 50000/tcp for talosctl), and remove the NodeFirewall.',
        };
      }
      const dp = fw.datapath();
      if (dp.encryption === 'ipsec') {
        yield {
          at: fw,
          message: 'Cilium encrypts with IPsec, and the node firewall has no row for ESP between nodes',
          value: dp.encryption,
          expected: "encryption 'none' or 'wireguard'",
        };
      }
    }
  },
});
