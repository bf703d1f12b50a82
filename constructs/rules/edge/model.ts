/** Shared by the edge rules: turn a renderer's problems (EDGE-*) into rule results. */
import type { IConstruct } from 'constructs';
import type { EdgeProblem } from '../../edge/types.js';
import type { RuleResult } from '../rule.js';

/** The problems whose id is in `ids`, as results at `at`; the renderer's id is kept in the message. */
export function* resultsOf(problems: readonly EdgeProblem[], ids: readonly string[], at: IConstruct): Iterable<RuleResult> {
  for (const p of problems) {
    if (!ids.includes(p.id)) continue;
    yield { at, message: `${p.message} [${p.id}]`, value: p.value, expected: p.expected, fix: p.fix };
  }
}
