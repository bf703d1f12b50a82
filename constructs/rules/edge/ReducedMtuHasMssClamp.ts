import { MssClamp } from '../../mss-clamp.js';
import { defineRule } from '../rule.js';

/** NET-EDGE11: a cluster run below 1500 bytes has an MSS clamp at its router. */
export const ReducedMtuHasMssClamp = defineRule({
  id: 'NET-EDGE11',
  level: 'warning',
  title: 'A node MTU below 1500 comes with an MSS clamp for the router',
  lesson:
    'A node MTU below 1500 says the path carries less than Ethernet. Seed 004 lowered it to 1400, which helped but did ' +
    'not end the TLS handshake timeouts: connections crossing the router still negotiated segments the path dropped. ' +
    'The router needs a TCP MSS clamp derived from the same MTU.',
  source: 'seed 004 (phase 2)',
  fix: "Add `new MssClamp(cluster, 'MssClamp')` and load edge/router/mss-clamp.nft on the router.",
  *check({ cluster }) {
    if (cluster.nodeMtu < 1500 && MssClamp.allOf(cluster).length === 0) {
      yield {
        at: cluster,
        message: `the node MTU is ${cluster.nodeMtu} and no MSS clamp is rendered`,
        value: cluster.nodeMtu,
        expected: 'an MssClamp in the cluster',
      };
    }
  },
});
