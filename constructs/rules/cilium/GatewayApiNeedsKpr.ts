import { defineRule } from '../rule.js';
import { at, bpfNodePortEnabled, hasNodePortSwitch, renderedCilium } from './rendered.js';

/** NET-CIL5: the Gateway API needs the eBPF NodePort datapath and the L7 proxy. */
export const GatewayApiNeedsKpr = defineRule({
  id: 'NET-CIL5',
  level: 'error',
  title: 'The Gateway API needs kube-proxy replacement (or, on 1.18, NodePort) and the L7 proxy',
  lesson:
    "Cilium's gateways are Envoy listeners reached through the eBPF service datapath: every supported version (1.18 to " +
    '1.20) requires kubeProxyReplacement=true, and the L7 proxy. The 1.18 chart also accepts nodePort.enabled=true ' +
    'instead; the 1.19 and 1.20 charts no longer have that value (Helm drops it). The chart itself refuses ' +
    'l7Proxy: false or kubeProxyReplacement: "disabled"; other combinations install and then route nothing.',
  source:
    'https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/#prerequisites; cilium#22698; ' +
    'nodePort.enabled in the 1.18.12 chart values only',
  fix: 'Set kubeProxyReplacement: true on the CiliumRelease, and keep l7Proxy at its default (true).',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'gatewayAPI.enabled') !== true) return;
    if (r.values.l7Proxy === false) {
      yield { at: r.release, message: 'the Gateway API is enabled but the L7 proxy is off; the chart refuses to render', value: { l7Proxy: false }, expected: 'l7Proxy: true (the default)' };
    }
    if (!bpfNodePortEnabled(r.values, r.chartVersion)) {
      const nodePort = hasNodePortSwitch(r.chartVersion);
      yield {
        at: r.release,
        message: nodePort
          ? 'the Gateway API is enabled without kube-proxy replacement or NodePort: gateway Services would get no eBPF datapath'
          : `the Gateway API is enabled without kube-proxy replacement: gateway Services would get no eBPF datapath (chart ${r.chartVersion} has no other switch for it)`,
        value: { kubeProxyReplacement: r.values.kubeProxyReplacement ?? null },
        expected: nodePort ? 'kubeProxyReplacement: true (or nodePort.enabled: true)' : 'kubeProxyReplacement: true',
      };
    }
  },
});
