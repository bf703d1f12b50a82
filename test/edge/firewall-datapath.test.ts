/**
 * The node firewall against kube-proxy's DNAT, in network namespaces: 80/443 traffic is rewritten to a pod before the
 * input hook, so only the before_dnat chain restricts it; reloading the file replaces table inet netkit and leaves
 * kube-proxy's table alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNftables, type FirewallInput } from '../../constructs/edge/index.js';
import { DnatLab, HAVE_NETNS } from './netns.js';

const input: FirewallInput = {
  clusterName: 'lab',
  nodes: [{ name: 'n1', address: '192.168.0.1', roles: ['control-plane', 'worker'] }],
  managementSources: ['192.168.0.0/24'],
  loadBalancerSources: ['192.168.0.45'],
  routingMode: 'vxlan',
};
const rendered = renderNftables(input, { forNode: 'n1' });
/** The same file without its before_dnat chain: what an input-only firewall does. */
const inputOnly = rendered.replace(/\tchain before_dnat \{[\s\S]*?\n\t\}\n/, '');

describe.skipIf(!HAVE_NETNS)('node firewall datapath (network namespaces)', () => {
  const lab = new DnatLab();
  beforeAll(() => lab.start(), 30_000);
  afterAll(() => lab.stop());

  it('without a firewall, kube-proxy DNATs port 80 to the pod for anyone', () => {
    expect([lab.reachesPod('lb'), lab.reachesPod('stranger')]).toEqual([true, true]);
  });

  it('input rules alone do not restrict it: the DNATed packets never reach the input hook', () => {
    expect(inputOnly).not.toContain('chain before_dnat {');
    lab.load(inputOnly);
    expect([lab.reachesPod('lb'), lab.reachesPod('stranger')]).toEqual([true, true]);
  });

  it("the rendered file restricts it to the load balancer, and reloading it keeps kube-proxy's table", () => {
    lab.load(rendered);
    lab.load(rendered);
    expect([lab.reachesPod('lb'), lab.reachesPod('stranger')]).toEqual([true, false]);
    expect(lab.tables()).toEqual(['table ip kube-proxy-standin', 'table inet netkit']);
  });
});
