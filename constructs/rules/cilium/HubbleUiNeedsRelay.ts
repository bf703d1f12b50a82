import { defineRule } from '../rule.js';
import { at, renderedCilium } from './model.js';

/** NET-CIL6: the Hubble UI needs Hubble relay. */
export const HubbleUiNeedsRelay = defineRule({
  id: 'NET-CIL6',
  level: 'error',
  title: 'The Hubble UI needs Hubble relay',
  lesson: 'The Hubble UI reads flows from hubble-relay; the chart fails to render hubble.ui.enabled without hubble.relay.enabled.',
  source: 'Cilium chart templates (validate.yaml); https://docs.cilium.io/en/stable/observability/hubble/hubble-ui/',
  fix: 'Pass hubble: { relay: true, ui: true }.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'hubble.ui.enabled') !== true) return;
    if (at(r.values, 'hubble.relay.enabled') !== true) {
      yield {
        at: r.release,
        message: 'the Hubble UI is enabled without Hubble relay; the chart refuses to render',
        value: { 'hubble.relay.enabled': at(r.values, 'hubble.relay.enabled') ?? false },
        expected: 'hubble.relay.enabled: true',
      };
    }
    if (at(r.values, 'hubble.enabled') === false) {
      yield {
        at: r.release,
        message: 'the Hubble UI is enabled while Hubble itself is off',
        value: { 'hubble.enabled': false },
        expected: 'hubble.enabled: true',
      };
    }
  },
});
