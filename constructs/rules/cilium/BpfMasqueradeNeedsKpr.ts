import { defineRule } from '../rule.js';
import { at, bpfNodePortEnabled, renderedCilium } from './model.js';

/** NET-CIL14: eBPF masquerading needs the eBPF NodePort datapath (kube-proxy replacement) and masquerading on. */
export const BpfMasqueradeNeedsKpr = defineRule({
  id: 'NET-CIL14',
  level: 'error',
  title: 'bpf.masquerade needs kube-proxy replacement and masquerading',
  lesson:
    "eBPF masquerading runs in Cilium's eBPF NodePort datapath. The chart renders bpf.masquerade: true without a word, but " +
    'the agent then refuses to start ("BPF masquerade requires NodePort"; with enableIPv4Masquerade: false, "BPF ' +
    'masquerade requires --enable-ipv4-masquerade"): every node loses pod networking at once.',
  source: 'cilium daemon/cmd kube-proxy replacement init (BPF masquerade checks); https://docs.cilium.io/en/stable/network/concepts/masquerading/#ebpf-based',
  fix: 'Set kubeProxyReplacement: true on the CiliumRelease (and disable kube-proxy), or drop bpfMasquerade to keep iptables masquerading.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'bpf.masquerade') !== true) return;
    if (!bpfNodePortEnabled(r.values, r.chartVersion)) {
      yield {
        at: r.release,
        message: 'bpf.masquerade is on without kube-proxy replacement: the agent refuses to start (BPF masquerade requires NodePort)',
        value: { 'bpf.masquerade': true, kubeProxyReplacement: r.values.kubeProxyReplacement ?? null },
        expected: 'kubeProxyReplacement: true, or bpf.masquerade unset',
      };
    }
    if (r.values.enableIPv4Masquerade === false && r.values.enableIPv6Masquerade !== true) {
      yield {
        at: r.release,
        message: 'bpf.masquerade is on while masquerading is off: the agent refuses to start (BPF masquerade requires enable-ipv4-masquerade)',
        value: { 'bpf.masquerade': true, enableIPv4Masquerade: false },
        expected: 'enableIPv4Masquerade: true (the default), or bpf.masquerade unset',
      };
    }
  },
});
