/** Scenario inputs from the seeds, shared by the edge tests. */
import type { EdgeNode } from '../../constructs/edge/types.js';
import type { HaproxyInput } from '../../constructs/edge/haproxy.js';

/**
 * Seed 001's homelab: three k3s servers with embedded etcd (all three are control-plane and serve
 * Traefik through ServiceLB), API VIP 192.168.55.10 on the cluster network, HAProxy on a Debian host.
 * Node addresses are plausible choices in 192.168.55.0/24; the seed does not give them.
 */
export const homelabNodes: EdgeNode[] = [
  { name: 'master', address: '192.168.55.11', roles: ['control-plane'] },
  { name: 'worker1', address: '192.168.55.12', roles: ['control-plane'] },
  { name: 'worker2', address: '192.168.55.13', roles: ['control-plane'] },
];

export const homelabHaproxy: HaproxyInput = {
  clusterName: 'homelab',
  vip: '192.168.0.45',
  hostAddress: '192.168.0.46',
  interface: { name: 'enp1s0', prefixLength: 24 },
  nodes: homelabNodes,
};

/** Seed 004's oceanid: one control plane and two workers on 10.27.27.0/24, node MTU 1400. */
export const oceanidNodes: EdgeNode[] = [
  { name: 'cp1', address: '10.27.27.11', roles: ['control-plane'], ingress: false },
  { name: 'worker1', address: '10.27.27.21', roles: ['worker'] },
  { name: 'worker2', address: '10.27.27.22', roles: ['worker'] },
];
