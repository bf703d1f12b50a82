import { defineRule } from '../rule.js';
import { at, bpfNodePortEnabled, renderedCilium } from './model.js';

/** NET-CIL15: BBR for pods needs the Bandwidth Manager and eBPF host routing. */
export const BbrNeedsBpfHostRouting = defineRule({
  id: 'NET-CIL15',
  level: 'error',
  title: 'BBR needs the Bandwidth Manager and eBPF host routing',
  lesson:
    'BBR for pods keeps the socket of each packet up to the physical device, which only eBPF host routing does. The agent ' +
    'falls back to legacy host routing without kube-proxy replacement, with iptables masquerading (bpf.masquerade off), ' +
    'with IPsec or with bpf.hostLegacyRouting, and then refuses to start ("BBR setup requires BPF host routing"). BBR ' +
    'without the Bandwidth Manager is refused too. Kernel 5.18 or newer is needed on every node.',
  source: 'https://docs.cilium.io/en/stable/network/kubernetes/bandwidth-manager/#bbr-for-pods; cilium pkg/datapath/linux/bandwidth (BBR checks)',
  fix: 'Enable kubeProxyReplacement and bpfMasquerade (no IPsec) with the Bandwidth Manager, or drop bbr.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'bandwidthManager.bbr') !== true) return;
    if (at(r.values, 'bandwidthManager.bbrHostNamespaceOnly') === true) return;
    const missing: string[] = [];
    if (at(r.values, 'bandwidthManager.enabled') !== true) missing.push('bandwidthManager.enabled: true');
    if (!bpfNodePortEnabled(r.values, r.chartVersion)) missing.push('kubeProxyReplacement: true');
    const masquerading = r.values.enableIPv4Masquerade !== false || r.values.enableIPv6Masquerade === true;
    if (masquerading && at(r.values, 'bpf.masquerade') !== true) missing.push('bpf.masquerade: true');
    if (at(r.values, 'encryption.enabled') === true && at(r.values, 'encryption.type') === 'ipsec') missing.push('no IPsec encryption');
    if (at(r.values, 'bpf.hostLegacyRouting') === true) missing.push('bpf.hostLegacyRouting unset');
    if (!missing.length) return;
    yield {
      at: r.release,
      message: `bandwidthManager.bbr is on but eBPF host routing or the Bandwidth Manager is missing (${missing.join(', ')}): the agent refuses to start`,
      value: {
        'bandwidthManager.enabled': at(r.values, 'bandwidthManager.enabled') ?? null,
        kubeProxyReplacement: r.values.kubeProxyReplacement ?? null,
        'bpf.masquerade': at(r.values, 'bpf.masquerade') ?? null,
      },
      expected: missing.join(', '),
    };
  },
});
