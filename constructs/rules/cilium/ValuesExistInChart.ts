import { checkCiliumValues, describeValueProblem } from '../../cilium/chart-keys/index.js';
import { defineRule } from '../rule.js';
import { renderedCilium } from './rendered.js';

/** NET-CIL2: every Cilium value key exists in the pinned chart, with the type its schema allows. */
export const ValuesExistInChart = defineRule({
  id: 'NET-CIL2',
  level: 'error',
  title: 'Every Cilium value exists in the pinned chart',
  lesson:
    "Cilium's values.schema.json checks types only, so Helm silently ignores a misspelled or invented key. Seed 002 " +
    'shipped gatewayAPI.sessionAffinity, gatewayAPI.sessionAffinityTimeoutSeconds and bpf.ctTcpTimeout/ctAnyTimeout, ' +
    'none of which the chart has: the "fix" never took effect.',
  source: 'seed 002; Cilium chart values.schema.json (no additionalProperties)',
  fix: 'Use the key the message suggests, or remove the value; agent flags without a chart value go under extraConfig.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r) return;
    let problems;
    try {
      problems = checkCiliumValues(r.chartVersion, r.values);
    } catch (e) {
      yield { at: r.release, message: (e as Error).message, value: r.chartVersion, expected: 'a pinned chart version' };
      return;
    }
    for (const p of problems) {
      const hints = [p.suggestion !== undefined ? `Did you mean ${p.suggestion}?` : undefined, p.hint].filter((s) => s !== undefined);
      yield {
        at: r.release,
        message: describeValueProblem(r.chartVersion, p),
        value: { [p.path]: p.value },
        expected: p.expected,
        ...(hints.length ? { fix: hints.join(' ') } : {}),
      };
    }
  },
});
