import { AddressRange } from '../../cluster/address.js';
import { defineRule } from '../rule.js';
import { renderedCilium } from './model.js';

/** NET-CIL3: native routing has an ipv4NativeRoutingCIDR, and it contains the pod CIDR. */
export const NativeRoutingCidr = defineRule({
  id: 'NET-CIL3',
  level: 'error',
  title: 'Native routing has a native-routing CIDR that contains the pod CIDR',
  lesson:
    'In native routing mode Cilium masquerades every destination outside ipv4NativeRoutingCIDR. Without it the agent ' +
    'refuses to start; with one that misses part of the pod CIDR, pod-to-pod traffic to those pods is SNATed and ' +
    'network policies see the node instead of the pod.',
  source: 'https://docs.cilium.io/en/stable/network/concepts/routing/#native-routing',
  fix: 'Use Routing.native() (defaults to the Cluster pod CIDR) or pass ipv4NativeRoutingCidr covering the pod CIDR.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || r.values.routingMode !== 'native') return;
    const cidr = r.values.ipv4NativeRoutingCIDR;
    const pod = ctx.cluster.podCidr;
    if (typeof cidr !== 'string' || cidr === '') {
      yield {
        at: r.release,
        message: 'routingMode is native but ipv4NativeRoutingCIDR is not set; the agent will not start',
        value: cidr ?? null,
        expected: `a CIDR containing the pod CIDR ${pod}`,
      };
      return;
    }
    let range: AddressRange;
    try {
      range = AddressRange.cidr(cidr);
    } catch (e) {
      yield { at: r.release, message: `ipv4NativeRoutingCIDR is not a CIDR: ${(e as Error).message}`, value: cidr, expected: `a CIDR containing ${pod}` };
      return;
    }
    let podRange: AddressRange;
    try {
      podRange = AddressRange.cidr(pod);
    } catch {
      return; // the cluster rules report a bad pod CIDR
    }
    if (!range.contains(podRange)) {
      yield {
        at: r.release,
        message: `ipv4NativeRoutingCIDR does not contain the pod CIDR ${pod}: traffic to pods outside it would be masqueraded`,
        value: cidr,
        expected: `a CIDR containing ${pod}`,
      };
    }
  },
});
