import { Distribution } from '../../cluster.js';
import { K3sServerConfig } from '../../k3s-server-config.js';
import { defineRule } from '../rule.js';

/** NET-EDGE12: the k3s server configuration is added to a k3s cluster whose CNI is Cilium. */
export const K3sConfigForCiliumCluster = defineRule({
  id: 'NET-EDGE12',
  level: 'error',
  title: 'The k3s server configuration is rendered for a k3s cluster that runs Cilium',
  lesson:
    'Seed 001 started k3s with --flannel-backend=none --disable-network-policy so that Cilium could be the CNI. Those flags ' +
    'are k3s server flags: another distribution has no such file and ignores it, and a k3s cluster started with ' +
    'flannel-backend none but without Cilium has no CNI at all, so every pod stays in ContainerCreating.',
  source: 'seed 001 (step 4: update k3s.service flags); docs.cilium.io installation/k3s',
  fix: 'Add the K3sServerConfig to a k3s cluster that has a CiliumRelease.',
  *check({ cluster }) {
    for (const k of cluster.constructsOf(K3sServerConfig)) {
      if (cluster.distribution !== Distribution.K3S) {
        yield {
          at: k,
          message: 'the k3s server configuration renders for k3s clusters only, and this cluster is not k3s: no file was written',
          value: cluster.distribution,
          expected: 'a k3s cluster',
          fix:
            cluster.distribution === Distribution.TALOS
              ? 'Remove the K3sServerConfig; on Talos set cluster.network.cni.name: none (and cluster.proxy.disabled with kube-proxy replacement) in the machine config.'
              : "Remove the K3sServerConfig and configure the distribution's CNI and kube-proxy settings by its own means.",
        };
      } else if (!k.hasCilium()) {
        yield {
          at: k,
          message: 'the k3s server configuration sets flannel-backend none, but the cluster installs no Cilium: no CNI would run',
          value: 'no CiliumRelease and no cilium chart',
          expected: 'a CiliumRelease in the cluster',
          fix: "Add `new CiliumRelease(cluster, 'Cilium', { version: ... })`, or remove the K3sServerConfig to keep k3s' flannel.",
        };
      }
    }
  },
});
