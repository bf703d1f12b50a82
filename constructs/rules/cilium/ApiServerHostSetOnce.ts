import { defineRule } from '../rule.js';
import { renderedCilium } from './model.js';

/** A value as a Helm template's `if` reads it: absent, null, "", 0 and false are unset. */
function given(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && v !== 0 && v !== false;
}

/** NET-CIL18: the API server address is given once, as k8sServiceHost or as k8sServiceHostRef, never both. */
export const ApiServerHostSetOnce = defineRule({
  id: 'NET-CIL18',
  level: 'error',
  title: 'The API server address is given once: k8sServiceHost or k8sServiceHostRef, not both',
  lesson:
    'The chart takes the address the agent and operator use for the API server either literally (k8sServiceHost) or from a ' +
    'ConfigMap key (k8sServiceHostRef.name and .key); the two are mutually exclusive, and the chart refuses to render when ' +
    'both are given. CiliumRelease always renders k8sServiceHost, so a k8sServiceHostRef added through extraValues fails ' +
    'the install. The templates read a ref only when it has both a name and a key: a half ref is dead configuration.',
  source: 'Cilium chart templates (validate.yaml: "Both k8sServiceHostRef and k8sServiceHost are set"); values.yaml k8sServiceHostRef',
  fix:
    'Remove k8sServiceHostRef from extraValues: CiliumRelease sets k8sServiceHost from the Cluster (Talos: localhost:7445). ' +
    'To read the address from a ConfigMap instead, also set k8sServiceHost: null in extraValues, and acknowledge NET-CIL1, ' +
    'which cannot check an address it does not see.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r) return;
    const host = r.values.k8sServiceHost;
    const ref = r.values.k8sServiceHostRef;
    if (!given(host) || ref === null || typeof ref !== 'object' || Array.isArray(ref)) return;
    const name = given(ref.name);
    const key = given(ref.key);
    if (!name && !key) return;
    const value = { k8sServiceHost: host, k8sServiceHostRef: { name: ref.name ?? null, key: ref.key ?? null } };
    if (name && key) {
      yield {
        at: r.release,
        message: 'k8sServiceHost and k8sServiceHostRef are both set; the chart refuses to render',
        value,
        expected: 'either k8sServiceHost or k8sServiceHostRef (name and key), not both',
      };
      return;
    }
    yield {
      at: r.release,
      level: 'warning',
      message: `k8sServiceHostRef has a ${name ? 'name but no key' : 'key but no name'}: the chart ignores it and uses k8sServiceHost`,
      value,
      expected: 'no k8sServiceHostRef beside k8sServiceHost',
    };
  },
});
