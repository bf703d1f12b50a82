import type { IConstruct } from 'constructs';
import { coveredPath, isUnder, NOT_ACKNOWLEDGEABLE } from '../../acknowledgements.js';
import { defineRule } from '../rule.js';
import { descendants } from '../../core/tree.js';

/**
 * NET-ACK1: an acknowledgement names a real rule, gives a real reason, and covers a real path inside a cluster.
 * Runs once for the app: an acknowledgement made outside every cluster belongs to none of them.
 */
export const AcknowledgementsValid = defineRule({
  id: 'NET-ACK1',
  level: 'error',
  phase: 'app',
  title: 'Acknowledgements name a known rule that can be acknowledged, give a reason of 10+ characters, and cover an existing path',
  lesson:
    'An acknowledgement silences a lesson. One with a typo in the rule id or the path silences nothing and gives false comfort; ' +
    'one without a reason leaves the next reader unable to judge it.',
  source: 'cdk-nag suppressions',
  fix: 'Use a rule id from RULES.md, a path that exists (see the finding\'s "at" line), and say why the finding is acceptable.',
  *check({ root, clusters, acknowledgements, ruleIds }) {
    let paths: Set<string> | undefined;
    for (const ack of acknowledgements) {
      if (!clusters.some((c) => isUnder(ack.scopePath, c.node.path))) {
        yield {
          at: ack.scopePath || '(app root)',
          message: `acknowledgement of ${ack.ruleId} is made outside every Cluster and covers nothing`,
          value: ack.ruleId,
          expected: 'an acknowledgement on a Cluster or a construct inside one',
          fix: 'Call Acknowledgements.of(...) on the cluster or on the construct the finding is about.',
        };
        continue;
      }
      if (!ruleIds.has(ack.ruleId)) {
        yield { at: ack.scopePath, message: 'acknowledgement of an unknown rule id', value: ack.ruleId, expected: 'an id listed in RULES.md' };
      }
      const never = NOT_ACKNOWLEDGEABLE.get(ack.ruleId);
      if (never !== undefined) {
        yield {
          at: ack.scopePath,
          message: `${ack.ruleId} cannot be acknowledged: ${never}`,
          value: ack.ruleId,
          expected: 'a rule that can be acknowledged',
          fix: `Remove the acknowledgement and fix what ${ack.ruleId} reports.`,
        };
      }
      if (ack.reason.trim().length < 10) {
        yield {
          at: ack.scopePath,
          message: `acknowledgement of ${ack.ruleId} has no real reason`,
          value: ack.reason,
          expected: 'a reason of at least 10 characters',
        };
      }
      const covered = coveredPath(ack);
      paths ??= new Set(descendants(root).map((c: IConstruct) => c.node.path));
      if (!paths.has(covered)) {
        yield {
          at: ack.scopePath,
          message: `acknowledgement of ${ack.ruleId} covers a path that matches no construct`,
          value: covered,
          expected: 'the path of an existing construct',
        };
      }
    }
  },
});
