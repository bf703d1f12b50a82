import { Distribution } from '../../cluster.js';
import { K3sServerConfig, runsCilium } from '../../k3s-server-config.js';
import { defineRule } from '../rule.js';

/** NET-EDGE13: a k3s cluster that runs Cilium says how k3s is started for it. */
export const CiliumK3sDeclaresServerConfig = defineRule({
  id: 'NET-EDGE13',
  level: 'warning',
  title: 'A k3s cluster that runs Cilium declares the k3s server configuration Cilium needs',
  lesson:
    'k3s starts flannel, its network policy controller and kube-proxy unless told otherwise. Seed 001 had to restart every ' +
    'server with --flannel-backend=none --disable-network-policy before Cilium could take over; a Cilium installed next to ' +
    "a running flannel leaves two CNIs fighting over the pods' routes, and nothing in the rendered manifests shows it.",
  source: 'seed 001 (step 4: update k3s.service flags); docs.cilium.io installation/k3s',
  fix:
    "Add `new K3sServerConfig(cluster, 'K3sServerConfig')`: it renders the k3s configuration from the cluster and its Cilium. If the " +
    'nodes are configured by other means, acknowledge NET-EDGE13 on the cluster and say where.',
  *check({ cluster }) {
    if (cluster.distribution !== Distribution.K3S || cluster.constructsOf(K3sServerConfig).length > 0) return;
    if (!runsCilium(cluster)) return;
    yield {
      at: cluster,
      message: 'this k3s cluster installs Cilium, but nothing says k3s is started without flannel and its network policy controller',
      value: 'no K3sServerConfig',
      expected: 'a K3sServerConfig in the cluster (flannel-backend: none, disable-network-policy: true)',
    };
  },
});
