import { defineRule } from '../rule.js';

/**
 * NET-ACK2: an acknowledgement that silenced nothing is stale.
 *
 * Only the synthesizer sees every finding of a synth, so it evaluates this rule after all others (see
 * output/synth.ts); `check` yields nothing on its own.
 */
export const AcknowledgementsUsed = defineRule({
  id: 'NET-ACK2',
  level: 'warning',
  title: 'Every acknowledgement silences at least one finding',
  lesson: 'A stale acknowledgement outlives the problem it excused and would silently excuse the next one of the same kind.',
  source: 'cdk-nag suppressions',
  fix: 'Remove the acknowledgement.',
  check: () => [],
});
