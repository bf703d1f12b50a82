import { coveredPath, unusedAcknowledgements } from '../../acknowledgements.js';
import { defineRule } from '../rule.js';

/** NET-ACK2: an acknowledgement that silenced nothing is stale. Runs in the review phase, over the cluster's findings. */
export const AcknowledgementsUsed = defineRule({
  id: 'NET-ACK2',
  level: 'warning',
  phase: 'review',
  title: 'Every acknowledgement silences at least one finding',
  lesson: 'A stale acknowledgement outlives the problem it excused and would silently excuse the next one of the same kind.',
  source: 'cdk-nag suppressions',
  fix: 'Remove the acknowledgement.',
  *check({ findings, acknowledgements }) {
    for (const ack of unusedAcknowledgements(findings, acknowledgements)) {
      yield { at: ack.scopePath, message: `acknowledgement of ${ack.ruleId} silenced no finding`, value: coveredPath(ack) };
    }
  },
});
