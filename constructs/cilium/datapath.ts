/**
 * What Cilium's rendered values say about its datapath, for the constructs that configure the nodes around it
 * (TalosMachineConfig). Reads the values as the chart and the agent read them.
 */

/** The value at a dotted path (`bpf.masquerade`). */
function at(values: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), values);
}

/** kubeProxyReplacement as the agent reads it: true, "true" (and the legacy "strict") enable it. */
export function kubeProxyReplaced(values: Record<string, unknown>): boolean {
  const v = values.kubeProxyReplacement;
  return v === true || v === 'true' || v === 'strict';
}

/**
 * Whether the agent runs eBPF host routing: kube-proxy replacement, eBPF masquerading wherever it masquerades, no IPsec
 * and no `bpf.hostLegacyRouting`. Otherwise it falls back to legacy host routing through the host's stack.
 *
 * @see https://docs.cilium.io/en/stable/operations/performance/tuning/#ebpf-host-routing
 */
export function ebpfHostRouting(values: Record<string, unknown>): boolean {
  if (!kubeProxyReplaced(values)) return false;
  const masquerading = values.enableIPv4Masquerade !== false || values.enableIPv6Masquerade === true;
  if (masquerading && at(values, 'bpf.masquerade') !== true) return false;
  if (at(values, 'encryption.enabled') === true && at(values, 'encryption.type') === 'ipsec') return false;
  return at(values, 'bpf.hostLegacyRouting') !== true;
}
