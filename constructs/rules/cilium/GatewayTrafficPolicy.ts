import { defineRule } from '../rule.js';
import { at, renderedCilium } from './model.js';

/** NET-CIL7: gatewayAPI.externalTrafficPolicy is Cluster or Local. */
export const GatewayTrafficPolicy = defineRule({
  id: 'NET-CIL7',
  level: 'error',
  title: 'gatewayAPI.externalTrafficPolicy is Cluster or Local',
  lesson: "The chart fails when the gateway Services' traffic policy is anything else. (Local with L2 announcements is " + 'a separate trap: NET-CIL16.)',
  source: 'Cilium chart templates; seed 002',
  fix: "Use gatewayApi: { externalTrafficPolicy: 'Cluster' } or 'Local'.",
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'gatewayAPI.enabled') !== true) return;
    const policy = at(r.values, 'gatewayAPI.externalTrafficPolicy');
    if (policy !== undefined && policy !== 'Cluster' && policy !== 'Local') {
      yield {
        at: r.release,
        message: 'gatewayAPI.externalTrafficPolicy is neither Cluster nor Local; the chart refuses to render',
        value: policy,
        expected: '"Cluster" or "Local"',
      };
    }
  },
});
