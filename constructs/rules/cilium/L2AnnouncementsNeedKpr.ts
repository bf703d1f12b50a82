import { defineRule } from '../rule.js';
import { at, kprEnabled, renderedCilium } from './model.js';

/** NET-CIL4: L2 announcements need kube-proxy replacement. */
export const L2AnnouncementsNeedKpr = defineRule({
  id: 'NET-CIL4',
  level: 'error',
  title: 'L2 announcements need kube-proxy replacement',
  lesson:
    "L2 announcements answer ARP for LoadBalancer addresses from Cilium's eBPF service datapath. Without kube-proxy " +
    'replacement the agent rejects l2announcements.enabled and no address on the LAN ever answers.',
  source: 'https://docs.cilium.io/en/stable/network/l2-announcements/#prerequisites',
  fix: 'Set kubeProxyReplacement: true on the CiliumRelease (and disable kube-proxy: k3s --disable-kube-proxy, Talos cluster.proxy.disabled).',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || at(r.values, 'l2announcements.enabled') !== true || kprEnabled(r.values)) return;
    // With announcement policies in the tree, NET-L2P8 reports the same gap from the pool's side.
    if (ctx.objects.some((o) => o.kind === 'CiliumL2AnnouncementPolicy')) return;
    yield {
      at: r.release,
      message: 'L2 announcements are enabled but kube-proxy replacement is off',
      value: { kubeProxyReplacement: r.values.kubeProxyReplacement ?? null },
      expected: 'kubeProxyReplacement: true',
    };
  },
});
