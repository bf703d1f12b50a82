import { Distribution } from '../../cluster.js';
import { runsCilium } from '../../k3s-server-config.js';
import { TalosMachineConfig } from '../../talos-machine-config.js';
import { VipHolderKind } from '../../vip-holder.js';
import { defineRule } from '../rule.js';

/** Talos' service subnet when no patch sets one. */
const TALOS_DEFAULT_SERVICE_SUBNET = '10.96.0.0/12';

/** NET-NODE3: a Talos cluster that runs Cilium, or holds its VIP by Talos, declares its machine configuration. */
export const TalosDeclaresMachineConfig = defineRule({
  id: 'NET-NODE3',
  level: 'warning',
  title: 'A Talos cluster that runs Cilium or holds its API VIP declares the Talos machine configuration they need',
  lesson:
    'A default Talos install runs flannel and kube-proxy and gives Services 10.96.0.0/12. Cilium next to flannel leaves two CNIs ' +
    "fighting over the pods' routes, kube-proxy next to kube-proxy replacement programs every Service twice, and a service " +
    'CIDR other than the one the tree was planned for breaks the address plan. Nothing in the rendered manifests shows it.',
  source: 'talos.dev kubernetes-guides/network/deploying-cilium; Talos config defaults (pkg/machinery/constants)',
  fix:
    "Add `new TalosMachineConfig(cluster, 'TalosMachineConfig')`: it renders the patches from the cluster and its Cilium. If the " +
    'machine configuration is written by other means, acknowledge NET-NODE3 on the cluster and say where.',
  *check({ cluster }) {
    if (cluster.distribution !== Distribution.TALOS || cluster.constructsOf(TalosMachineConfig).length > 0) return;
    const cilium = runsCilium(cluster);
    const vip = cluster.apiEndpoint.kind === 'vip' && cluster.apiEndpoint.holder?.kind === VipHolderKind.TALOS;
    if (!cilium && !vip) return;
    const needs = [
      ...(cilium
        ? ['cni none (Cilium is the CNI)', `the Cluster's subnets (service CIDR ${cluster.serviceCidr}; Talos defaults to ${TALOS_DEFAULT_SERVICE_SUBNET})`]
        : []),
      ...(vip ? [`the API VIP ${cluster.apiEndpoint.host}`] : []),
    ];
    yield {
      at: cluster,
      message: `this Talos cluster ${cilium ? 'installs Cilium' : 'holds its API VIP by Talos'}, but nothing renders the machine configuration that needs: ${needs.join('; ')}`,
      value: 'no TalosMachineConfig',
      expected: 'a TalosMachineConfig in the cluster',
    };
  },
});
