import { defineRule } from '../rule.js';

/**
 * NET-IN1: every public construct's props have the types, values and ranges it declares.
 *
 * Reported by the constructs themselves (phase `model`, constructs/core/props.ts): each checks its props when it is
 * created, records what is wrong, and goes on without it.
 */
export const PropsMatchTypes = defineRule({
  id: 'NET-IN1',
  level: 'error',
  phase: 'model',
  title: "Every construct's props have the declared types, values and ranges",
  lesson:
    'TypeScript checks props only where it runs: a consumer on plain JavaScript, a script run without type-checking or a value ' +
    'read from a configuration file reaches a construct unchecked, and used to end in a stack trace far from the cause or in a ' +
    'schema error about something derived from it. Each construct checks its props at the boundary and names the prop, the ' +
    'value given and what it expected; the findings its other checks then make about the same construct are collapsed under it.',
  source: 'issue 18 (bad input from a consumer project: an unsupported Cilium version read from configuration crashed a construct)',
  fix: "Give the prop a value of the type in the construct's props documentation (README.md, the .d.ts of the package).",
});
