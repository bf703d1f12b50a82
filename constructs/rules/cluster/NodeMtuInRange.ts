import { defineRule } from '../rule.js';

/** NET-CLU4: the node MTU is a plausible Ethernet MTU. */
export const NodeMtuInRange = defineRule({
  id: 'NET-CLU4',
  level: 'error',
  title: 'The node MTU lies between 1280 and 9216',
  lesson:
    "The node MTU drives Cilium's MTU and the MSS clamp. Seed 004 lowered it to 1400 to get past a path that dropped large " +
    'packets; a value below 1280 breaks IPv6 and one above 9216 exceeds what common NICs accept.',
  source: 'seed 004 (MTU 1400), RFC 8200 (IPv6 minimum MTU 1280)',
  fix: 'Set nodeMtu to the MTU the node interfaces really use (1500 on plain Ethernet, 1400 as in seed 004 behind a lossy path).',
  *check({ cluster }) {
    const mtu = cluster.nodeMtu;
    if (!Number.isInteger(mtu) || mtu < 1280 || mtu > 9216) {
      yield { at: cluster, message: 'nodeMtu is out of range', value: mtu, expected: 'an integer from 1280 to 9216' };
    }
  },
});
