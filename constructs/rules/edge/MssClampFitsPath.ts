import { checkMssClampInput } from '../../edge/mss.js';
import { MssClamp } from '../../mss-clamp.js';
import { defineRule } from '../rule.js';
import { resultsOf } from './model.js';

/** NET-EDGE10: the MSS clamp is derived from a valid path MTU no larger than the nodes'. */
export const MssClampFitsPath = defineRule({
  id: 'NET-EDGE10',
  level: 'error',
  title: "The MSS clamp is derived from a valid path MTU on the cluster's subnet, no larger than the node MTU",
  lesson:
    'Seed 004 lowered the node MTU to 1400 and still saw TLS handshakes time out: large segments from upstream were lost ' +
    'where PMTU discovery failed. Clamping the MSS at the router to path MTU − 40 fixes both directions; a clamp above ' +
    'the node MTU clamps nothing.',
  source: 'seed 004 (phase 2: TCP MSS clamping); RFC 879',
  fix: 'Leave pathMtu unset (the node MTU) or set it to the MTU measured with tracepath.',
  *check({ cluster }) {
    for (const clamp of cluster.constructsOf(MssClamp)) {
      yield* resultsOf(checkMssClampInput(clamp.clampInput()), ['EDGE-MSS1', 'EDGE-MSS2', 'EDGE-MSS3'], clamp);
      if (Number.isInteger(clamp.pathMtu) && clamp.pathMtu > cluster.nodeMtu) {
        yield {
          at: clamp,
          level: 'warning',
          message: `the clamp's path MTU ${clamp.pathMtu} is larger than the node MTU ${cluster.nodeMtu}, so it clamps nothing the nodes do not already advertise`,
          value: clamp.pathMtu,
          expected: `at most ${cluster.nodeMtu}`,
        };
      }
    }
  },
});
