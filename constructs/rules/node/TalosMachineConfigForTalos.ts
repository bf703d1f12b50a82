import { Distribution } from '../../cluster.js';
import { TalosMachineConfig } from '../../talos-machine-config.js';
import { defineRule } from '../rule.js';

/** NET-NODE4: Talos machine-config patches are added to Talos clusters only. */
export const TalosMachineConfigForTalos = defineRule({
  id: 'NET-NODE4',
  level: 'error',
  title: 'Talos machine-config patches are rendered for Talos clusters only',
  lesson:
    'Talos machine configuration means nothing to k3s or another distribution: the settings it carries (no CNI, no ' +
    "kube-proxy, the subnets, the VIP) would have to be made there by that distribution's own means, and a patch that is " +
    'never applied hides that they are not.',
  source: 'talos.dev talos-guides/configuration/patching',
  fix: 'Remove the TalosMachineConfig; on k3s add a K3sServerConfig, which renders the k3s server configuration (and kube-vip for a VIP).',
  *check({ cluster }) {
    if (cluster.distribution === Distribution.TALOS) return;
    for (const t of cluster.constructsOf(TalosMachineConfig)) {
      yield {
        at: t,
        message: `Talos machine-config patches render for Talos clusters only, and this cluster is ${cluster.distribution}: no file was written`,
        value: cluster.distribution,
        expected: 'a Talos cluster',
        ...(cluster.distribution === Distribution.K3S
          ? {}
          : { fix: "Remove the TalosMachineConfig and configure the distribution's CNI, kube-proxy and VIP by its own means." }),
      };
    }
  },
});
