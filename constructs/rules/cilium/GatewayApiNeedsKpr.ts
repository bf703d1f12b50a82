import { defineRule } from '../rule.js';
import { at, bpfNodePortEnabled, hasNodePortSwitch, renderedCilium } from './model.js';

/** The Envoy-backed features with the same prerequisites, each named in its own findings. */
const FEATURES = [
  { switch: 'gatewayAPI.enabled', name: 'the Gateway API', services: 'gateway Services' },
  { switch: 'ingressController.enabled', name: 'the Ingress controller', services: 'Ingress Services' },
] as const;

/** NET-CIL5: the Gateway API and the Ingress controller need the eBPF NodePort datapath and the L7 proxy. */
export const GatewayApiNeedsKpr = defineRule({
  id: 'NET-CIL5',
  level: 'error',
  title: 'The Gateway API and the Ingress controller need kube-proxy replacement (or, on 1.18, NodePort) and the L7 proxy',
  lesson:
    "Cilium's gateways and its Ingress controller are Envoy listeners reached through the eBPF service datapath: every " +
    'supported version (1.18 to 1.20) requires kubeProxyReplacement=true, and the L7 proxy. The 1.18 chart also accepts ' +
    'nodePort.enabled=true instead; the 1.19 and 1.20 charts no longer have that value (Helm drops it). The chart itself ' +
    'refuses l7Proxy: false or kubeProxyReplacement: "disabled" with gatewayAPI.enabled or ingressController.enabled; ' +
    'other combinations install and then route nothing.',
  source:
    'https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/#prerequisites; ' +
    'https://docs.cilium.io/en/stable/network/servicemesh/ingress/ (prerequisites); cilium#22698; ' +
    'Cilium chart templates (validate.yaml); nodePort.enabled in the 1.18.12 chart values only',
  fix: 'Set kubeProxyReplacement: true on the CiliumRelease, and keep l7Proxy at its default (true).',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r) return;
    const nodePort = hasNodePortSwitch(r.chartVersion);
    for (const f of FEATURES) {
      if (at(r.values, f.switch) !== true) continue;
      if (r.values.l7Proxy === false) {
        yield {
          at: r.release,
          message: `${f.name} is enabled but the L7 proxy is off; the chart refuses to render`,
          value: { l7Proxy: false },
          expected: 'l7Proxy: true (the default)',
        };
      }
      if (!bpfNodePortEnabled(r.values, r.chartVersion)) {
        yield {
          at: r.release,
          message: nodePort
            ? `${f.name} is enabled without kube-proxy replacement or NodePort: ${f.services} would get no eBPF datapath`
            : `${f.name} is enabled without kube-proxy replacement: ${f.services} would get no eBPF datapath (chart ${r.chartVersion} has no other switch for it)`,
          value: { kubeProxyReplacement: r.values.kubeProxyReplacement ?? null },
          expected: nodePort ? 'kubeProxyReplacement: true (or nodePort.enabled: true)' : 'kubeProxyReplacement: true',
        };
      }
    }
  },
});
