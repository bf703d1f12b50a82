import { Distribution } from '../../cluster.js';
import { checkRegistryMirrorInput } from '../../edge/registry-mirror.js';
import { RegistryMirror } from '../../registry-mirror.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/** NET-EDGE8: every mirrored registry has a pull-through cache endpoint, in a file the distribution reads. */
export const RegistryMirrorPointsAtCache = defineRule({
  id: 'NET-EDGE8',
  level: 'error',
  title: 'Every mirrored registry points at a pull-through cache endpoint, in a file the distribution reads',
  lesson:
    'Seed 004 saw pulls from GHCR, Docker Hub, Quay and registry.k8s.io time out from the nodes and planned a cache on the ' +
    'private network as the primary path, upstream as fallback. A registry without an endpoint, a malformed URL or the ' +
    'registry itself as its mirror leaves the pulls on the flaky path.',
  source: 'seed 004 (phase 3: local registry mirror)',
  fix: 'Give every registry a cache endpoint such as http://10.27.27.5:5000.',
  *check({ cluster }) {
    for (const m of cluster.constructsOf(RegistryMirror)) {
      yield* resultsOf(checkRegistryMirrorInput(m.mirrorInput()), ['EDGE-REG1', 'EDGE-REG2', 'EDGE-REG3', 'EDGE-REG4', 'EDGE-REG5'], m);
      if (cluster.distribution !== Distribution.K3S && cluster.distribution !== Distribution.TALOS) {
        yield {
          at: m,
          message: 'the registry mirror renders files for k3s and Talos only, and this cluster is neither',
          value: cluster.distribution,
          expected: 'a k3s or Talos cluster',
          fix: "Configure the container runtime's mirrors by hand (containerd hosts.toml) and remove the RegistryMirror.",
        };
      }
    }
  },
});
