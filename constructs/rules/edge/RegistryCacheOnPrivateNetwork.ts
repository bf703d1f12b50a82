import { isIPv4 } from '../../edge/types.js';
import { RegistryMirror } from '../../registry-mirror.js';
import { AddressRange } from '../../cluster/address.js';
import { defineRule } from '../rule.js';

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => AddressRange.cidr(c));

/** NET-EDGE9: the pull-through cache is on the private network. */
export const RegistryCacheOnPrivateNetwork = defineRule({
  id: 'NET-EDGE9',
  level: 'warning',
  title: 'The pull-through cache is addressed on the private network',
  lesson:
    "Seed 004's pulls failed on the egress path from the VM subnet; a cache only helps when the nodes reach it without " +
    'crossing that path. Its plan: run the mirror close to the cluster, reachable from 10.27.27.0/24.',
  source: 'seed 004 (phase 3)',
  fix: 'Run the cache on a host of the private network and point the endpoints at its private address.',
  *check({ cluster }) {
    for (const m of cluster.constructsOf(RegistryMirror)) {
      for (const [registry, url] of Object.entries(m.endpoints())) {
        if (!URL.canParse(url)) continue; // NET-EDGE8 reports it
        const host = new URL(url).hostname;
        if (!isIPv4(host)) continue; // a host name: where it resolves is not known here
        if (!PRIVATE.some((r) => r.contains(host))) {
          yield {
            at: m,
            message: `the cache endpoint of ${registry} is a public address, reached over the same egress path the cache should avoid`,
            value: url,
            expected: `an address of a private network (for this cluster, e.g. in ${cluster.nodeSubnet})`,
          };
        }
      }
    }
  },
});
