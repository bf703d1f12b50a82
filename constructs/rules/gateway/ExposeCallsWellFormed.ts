import { defineRule } from '../rule.js';

/**
 * NET-GW10: every expose() call names its host(s) one way: `host` or `hosts`, never both, never none.
 *
 * Reported by the DualGateway itself (phase `model`): `expose()` records the finding and renders nothing for the call.
 */
export const ExposeCallsWellFormed = defineRule({
  id: 'NET-GW10',
  level: 'error',
  phase: 'model',
  title: 'Each expose() call names its hosts with exactly one of host and hosts',
  lesson:
    'A call that names no host exposes nothing, and one that names both leaves it unclear which names the service should ' +
    'answer to. Either way the service someone meant to publish is silently missing from the gateways and the exposure ' +
    'report; the call renders nothing and is reported here instead.',
  source: 'DualGateway.expose (issue: exposing a workload, one call per service with its host names)',
  fix: "Pass host: 'photos' for one name, or hosts: ['photos', 'immich'] to expose the service under several names.",
});
