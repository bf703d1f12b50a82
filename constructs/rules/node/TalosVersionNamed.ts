import { Distribution } from '../../cluster.js';
import { RegistryMirror } from '../../registry-mirror.js';
import { TalosMachineConfig } from '../../talos-machine-config.js';
import { defineRule } from '../rule.js';

/** NET-NODE2: a Talos cluster whose machine configuration is rendered names its Talos version. */
export const TalosVersionNamed = defineRule({
  id: 'NET-NODE2',
  level: 'error',
  title: 'A Talos cluster whose machine-config patches are rendered names its Talos version',
  lesson:
    'Talos 1.12 moved network and registry settings out of machine.network and machine.registries into documents of their own ' +
    '(Layer2VIPConfig, RegistryMirrorConfig); its schema no longer has the old fields, and Talos 1.11 does not know the new ' +
    'documents. A patch in the wrong format for the nodes is rejected by talosctl, or silently relies on deprecated fields.',
  source: 'siderolabs/talos v1.12.0 release notes (network configuration); Talos v1.11 and v1.12 config.schema.json',
  fix: 'Set talosVersion on the Cluster (TalosVersion.V1_11 or TalosVersion.V1_12) to the minor your nodes run.',
  *check({ cluster }) {
    const renderers = [...cluster.constructsOf(TalosMachineConfig), ...cluster.constructsOf(RegistryMirror)];
    if (cluster.distribution === Distribution.TALOS) {
      if (cluster.talosVersion || renderers.length === 0) return;
      yield {
        at: cluster,
        message: `this Talos cluster renders machine-config patches (${renderers.map((r) => r.node.id).join(', ')}) but names no Talos version, and their format depends on it`,
        value: 'talosVersion unset',
        expected: 'talosVersion: TalosVersion.V1_11 or TalosVersion.V1_12',
      };
    } else if (cluster.talosVersion) {
      yield {
        at: cluster,
        level: 'warning',
        message: `talosVersion is set on a ${cluster.distribution} cluster, where nothing reads it: is the distribution right?`,
        value: cluster.talosVersion,
        expected: 'talosVersion on Talos clusters only',
        fix: 'Remove talosVersion, or set distribution: Distribution.TALOS if the nodes run Talos.',
      };
    }
  },
});
