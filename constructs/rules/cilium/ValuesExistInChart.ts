import { checkCiliumValues, summarizeValueProblem } from '../../cilium/chart-keys/index.js';
import { defineRule } from '../rule.js';
import { renderedCilium } from './model.js';

/** Agent flags a typed CiliumRelease prop renders (conntrackTimeouts), by the key the chart-key check suggests. */
const TYPED_PROPS: Record<string, string> = {
  'extraConfig.bpf-ct-timeout-regular-tcp': 'regularTcpSeconds',
  'extraConfig.bpf-ct-timeout-regular-any': 'regularAnySeconds',
};

/** The given value as whole seconds for the typed prop, or a placeholder. */
function seconds(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? String(value) : '<seconds>';
}

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
    // a version without a pinned chart is reported by the CiliumRelease itself (Findings.of), which renders the newest
    for (const p of checkCiliumValues(r.chartVersion, r.values)) {
      const typed = p.suggestion !== undefined ? TYPED_PROPS[p.suggestion] : undefined;
      const hints = [
        p.suggestion !== undefined ? `Did you mean ${p.suggestion}?` : undefined,
        p.hint,
        typed !== undefined ? `CiliumRelease renders it for you: props conntrackTimeouts: { ${typed}: ${seconds(p.value)} }.` : undefined,
      ].filter((s) => s !== undefined);
      yield {
        at: r.release,
        // The value, the expectation and the fix go in their own fields: the message says only what is wrong.
        message: summarizeValueProblem(r.chartVersion, p),
        value: { [p.path]: p.value },
        expected: p.expected,
        ...(hints.length ? { fix: hints.join(' ') } : {}),
      };
    }
  },
});
