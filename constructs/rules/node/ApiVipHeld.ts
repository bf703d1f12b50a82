import { AddressRange, isIpLiteral } from '../../cluster/address.js';
import { Distribution } from '../../cluster.js';
import { K3S_API_PORT } from '../../node/kube-vip.js';
import { VipHolderKind } from '../../vip-holder.js';
import { defineRule, type RuleResult } from '../rule.js';
import { LINK_NAME, vipAtLoadBalancer } from './model.js';

/** The holder a distribution renders, as the fix names it. */
const HOLDER_FOR: Partial<Record<Distribution, string>> = {
  [Distribution.K3S]: 'VipHolder.kubeVip({ interface: "<the servers\' NIC on the node subnet>" })',
  [Distribution.TALOS]: 'VipHolder.talos({ interface: "<the control-plane nodes\' link on the node subnet>" })',
};

/** NET-NODE1: an API VIP is held by exactly one thing the model names, one that can hold it there. */
export const ApiVipHeld = defineRule({
  id: 'NET-NODE1',
  level: 'error',
  title: "The API VIP is held by exactly one holder the model names: kube-vip, Talos' VIP, or the external load balancer",
  lesson:
    "A VIP is only an address until something answers ARP for it. Seed 001 pointed Cilium's k8sServiceHost at the VIP " +
    '192.168.55.10 while HAProxy listened on 192.168.0.45: the agents crash-looped, and the nodes lost their network. kube-vip ' +
    "(k3s) and Talos announce the VIP from one control-plane node at a time on the node subnet, on the API server's own port; " +
    'two holders of one address fight over ARP.',
  source: 'seed 001 (Cilium crash loop, VIP 192.168.55.10 beside HAProxy 192.168.0.45); kube-vip.io/docs/usage/k3s; talos.dev talos-guides/network/vip',
  fix: 'Name the holder: ApiEndpoint.vip("<VIP>", { holder: VipHolder.kubeVip({ interface }) }) on k3s, VipHolder.talos({ interface }) on Talos, or use the external load balancer\'s address as the VIP.',
  *check({ cluster }) {
    const api = cluster.apiEndpoint;
    if (api.kind !== 'vip') return;
    const holder = api.holder;
    const atLb = vipAtLoadBalancer(cluster);
    if (!holder) {
      if (atLb) return;
      const named = HOLDER_FOR[cluster.distribution];
      yield {
        at: cluster,
        message: `nothing holds the API VIP ${api.host}: no holder is named and it is not the external load balancer's address, so clients, joining nodes and Cilium's agents reach nothing there`,
        value: api.host,
        expected: `a holder: ${named ?? "kube-vip or Talos' VIP (k3s, Talos)"}, or externalLoadBalancer.address`,
        fix: named
          ? `Use ApiEndpoint.vip("${api.host}", { holder: ${named} }), or make the VIP the external load balancer's address.`
          : `Use the external load balancer's address as the VIP, or ApiEndpoint.node(...) for one control-plane node; if keepalived or similar holds ${api.host}, acknowledge NET-NODE1 on the cluster and say where it is configured.`,
      };
      return;
    }
    const problems: RuleResult[] = [];
    const what = holder.kind === VipHolderKind.KUBE_VIP ? 'kube-vip' : "Talos' VIP";
    if (atLb) {
      problems.push({
        at: cluster,
        message: `the API VIP ${api.host} is the external load balancer's address and is also held by ${what}: two hosts answer ARP for it`,
        value: { vip: api.host, holder: holder.kind, externalLoadBalancer: cluster.externalLoadBalancer?.address },
        expected: 'one holder',
        fix: 'Drop the holder (the load balancer holds its address), or give the VIP an address of its own on the node subnet.',
      });
    }
    const fits = holder.kind === VipHolderKind.KUBE_VIP ? Distribution.K3S : Distribution.TALOS;
    if (cluster.distribution !== fits) {
      const other = HOLDER_FOR[cluster.distribution];
      problems.push({
        at: cluster,
        message: `${what} holds the API VIP, but it is rendered for ${fits} clusters and this cluster is ${cluster.distribution}: nothing would hold ${api.host}`,
        value: holder.kind,
        expected: other ? `the ${cluster.distribution} holder: ${other}` : `a ${fits} cluster`,
        fix: other ? `Use ${other}.` : 'Hold the VIP by the external load balancer, or acknowledge NET-NODE1 and say what holds it.',
      });
    }
    if (!LINK_NAME.test(holder.interface)) {
      problems.push({
        at: cluster,
        message: `the VIP's interface "${holder.interface}" is not a network link name`,
        value: holder.interface,
        expected: 'a Linux link name: 1-15 letters, digits, ".", "_" or "-" (e.g. eth0, enp1s0)',
        fix: 'Give the link the nodes have on the node subnet, as `ip -br link` names it (an alias such as eth0:0 is not a link).',
      });
    }
    if (isIpLiteral(api.host)) {
      let inSubnet: boolean | undefined;
      try {
        inSubnet = AddressRange.cidr(cluster.nodeSubnet).contains(api.host);
      } catch {
        inSubnet = undefined; // NET-CLU1 reports the subnet
      }
      if (inSubnet === false) {
        problems.push({
          at: cluster,
          message: `${what} announces the VIP ${api.host} by ARP on the node subnet ${cluster.nodeSubnet}, but the VIP is outside it: nobody outside the nodes' segment would route to it`,
          value: api.host,
          expected: `an unused address in ${cluster.nodeSubnet}`,
          fix: 'Pick a free address on the node subnet for the VIP.',
        });
      }
    }
    if (api.port !== K3S_API_PORT) {
      problems.push({
        at: cluster,
        message: `${what} moves the address, not the port: the API server answers on ${K3S_API_PORT} at the VIP, not on ${api.port}`,
        value: api.port,
        expected: String(K3S_API_PORT),
        fix: `Use ApiEndpoint.vip("${api.host}", { port: ${K3S_API_PORT}, holder }), or put a load balancer that listens on ${api.port} in front.`,
      });
    }
    yield* problems;
  },
});
