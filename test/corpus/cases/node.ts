/** Node configuration mistakes (NET-NODE): the API VIP nothing holds (seed 001), Talos patches without a version. */
import { ApiEndpoint, CiliumRelease, Distribution, K3sServerConfig, TalosMachineConfig, VipHolder } from '../../../constructs/index.js';
import type { ClusterProps } from '../../../constructs/index.js';
import { testCluster } from '../../helpers.js';
import type { CorpusArea } from '../case.js';

/** The good tree's cluster (k3s, Cilium, K3sServerConfig) with other cluster props. */
function k3s(props: Partial<ClusterProps>) {
  const { app, cluster } = testCluster(props);
  new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
  new K3sServerConfig(cluster, 'K3sServerConfig');
  return app;
}

export const NODE: CorpusArea = {
  area: 'node',
  cases: [
    {
      name: 'an API VIP on the node subnet that nothing holds',
      from: 'seed 001 (k8sServiceHost 192.168.55.10 while HAProxy listened on 192.168.0.45: Cilium crash-looped)',
      expect: 'NET-NODE1',
      says: 'nothing holds the API VIP 192.168.1.10: no holder is named and it is not the external load',
      value: '192.168.1.10',
      build: () => k3s({ apiEndpoint: ApiEndpoint.vip('192.168.1.10') }),
    },
    {
      name: 'kube-vip and the external load balancer both answering ARP for the API VIP',
      from: 'kube-vip.io/docs/usage/k3s (one holder per address)',
      expect: 'NET-NODE1',
      says: "the API VIP 192.168.1.10 is the external load balancer's address and is also held by kube-vip: two",
      value: { vip: '192.168.1.10', holder: 'kube-vip', externalLoadBalancer: '192.168.1.10' },
      build: () =>
        k3s({
          apiEndpoint: ApiEndpoint.vip('192.168.1.10', { holder: VipHolder.kubeVip({ interface: 'eth0' }) }),
          externalLoadBalancer: { address: '192.168.1.10' },
        }),
    },
    {
      name: 'Talos machine-config patches without the Talos version that decides their format',
      from: 'upstream Talos 1.12 (network settings moved into documents; the 1.12 schema lacks machine.network.interfaces)',
      expect: 'NET-NODE2',
      says: 'this Talos cluster renders machine-config patches (TalosMachineConfig) but names no Talos version,',
      value: 'talosVersion unset',
      build: () => {
        const { app, cluster } = testCluster({ distribution: Distribution.TALOS, talosVersion: undefined });
        new CiliumRelease(cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true });
        new TalosMachineConfig(cluster, 'TalosMachineConfig');
        return app;
      },
    },
    {
      name: 'Cilium on Talos with nothing saying flannel and kube-proxy are off and which subnets to use',
      from: 'talos.dev deploying-cilium (cni none, proxy disabled; Talos defaults to 10.96.0.0/12)',
      expect: 'NET-NODE3',
      says: 'this Talos cluster installs Cilium, but nothing renders the machine configuration that needs: cni',
      value: 'no TalosMachineConfig',
      build: () => {
        const { app, cluster } = testCluster({ distribution: Distribution.TALOS });
        new CiliumRelease(cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true });
        return app;
      },
    },
    {
      name: 'Talos machine-config patches for a k3s cluster',
      from: 'talos.dev talos-guides/configuration/patching',
      expect: 'NET-NODE4',
      says: 'Talos machine-config patches render for Talos clusters only, and this cluster is k3s: no file was written',
      value: 'k3s',
      build: () => {
        const app = k3s({});
        const cluster = app.node.findChild('test');
        new TalosMachineConfig(cluster, 'TalosMachineConfig');
        return app;
      },
    },
  ],
};
