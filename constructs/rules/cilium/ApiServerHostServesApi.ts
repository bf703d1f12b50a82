import { Distribution, type Cluster } from '../../cluster.js';
import { KUBEPRISM } from '../../cilium/defaults.js';
import { canonicalIp, isIpLiteral, isLoopbackHost } from '../../cluster/address.js';
import { defineRule } from '../rule.js';
import { renderedCilium } from './model.js';

/** An address the Cluster model says serves the API server, and what it is. */
interface ApiAddress {
  readonly address: string;
  readonly what: string;
  /** The ports it serves the API server on. */
  readonly ports: readonly number[];
}

/** The API server's own port on a control-plane node (kube-apiserver --secure-port on k3s, Talos and kubeadm). */
const NODE_API_PORT = 6443;

/**
 * The addresses that serve the API server, as far as the Cluster model knows: its apiEndpoint, every control-plane
 * node, and the external load balancer's VIP (HAProxy binds its API frontend there, not on the host's own address).
 */
function apiAddresses(cluster: Cluster): ApiAddress[] {
  const out: ApiAddress[] = [];
  const add = (address: string | undefined, what: string, ports: readonly number[]) => {
    if (address === undefined || !isIpLiteral(address)) return;
    if (out.some((a) => canonicalIp(a.address) === canonicalIp(address))) return;
    out.push({ address, what, ports: [...new Set(ports)] });
  };
  const apiPort = cluster.apiEndpoint.port;
  add(cluster.apiEndpoint.host, `the Cluster's apiEndpoint (${cluster.apiEndpoint.kind})`, [apiPort]);
  // a node serves on its own port; a VIP or load balancer in front may use another one (the apiEndpoint's)
  for (const n of cluster.controlPlaneNodes) add(n.address, `control-plane node ${n.name}`, [NODE_API_PORT, apiPort]);
  add(cluster.externalLoadBalancer?.address, 'the external load balancer', [apiPort]);
  return out;
}

/** k8sServicePort as a number, when it is one ("6443" counts); undefined when unset or not a port. */
function portOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** NET-CIL19: an IP-literal k8sServiceHost is an address that serves the API server, on the port it serves it on. */
export const ApiServerHostServesApi = defineRule({
  id: 'NET-CIL19',
  level: 'error',
  title: "k8sServiceHost is an address that serves the API server, with that address's port",
  lesson:
    'An IP address in k8sServiceHost breaks the DNS deadlock only if the API server answers there: the API VIP, a ' +
    "control-plane node or the load balancer in front of them. A worker's address or a typo leaves every agent unable to " +
    'start, and with it the pod network. The port must be the one that address serves the API on; 7445 is Talos ' +
    "KubePrism's, which listens on each node's localhost only and exists on no other distribution.",
  source:
    'https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/; ' +
    'https://docs.siderolabs.com/talos/v1.14/reference/configuration/kubernetes/kubeprismconfig (KubePrism on 127.0.0.1)',
  fix: 'Leave k8sServiceHost and k8sServicePort to CiliumRelease (Talos: localhost:7445; otherwise the Cluster apiEndpoint), or give one of the expected addresses with its port.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r) return;
    const host = r.values.k8sServiceHost;
    // Host names, localhost, loopback and unset hosts are NET-CIL1's.
    if (typeof host !== 'string' || !isIpLiteral(host) || isLoopbackHost(host)) return;
    const cluster = ctx.cluster;
    const talos = cluster.distribution === Distribution.TALOS;
    const serving = apiAddresses(cluster);
    const spelt = (a: ApiAddress) => `${a.address}:${a.ports.join(' or ')} (${a.what})`;
    const match = serving.find((a) => canonicalIp(a.address) === canonicalIp(host));
    if (!match) {
      const worker = cluster.nodes.find((n) => isIpLiteral(n.address) && canonicalIp(n.address) === canonicalIp(host));
      const lbHost = cluster.externalLoadBalancer?.hostAddress;
      const why = worker
        ? `is the address of worker node ${worker.name}, which runs no API server`
        : lbHost !== undefined && isIpLiteral(lbHost) && canonicalIp(lbHost) === canonicalIp(host)
          ? "is the external load balancer host's own address; its API frontend listens on the VIP"
          : 'is not an address that serves the API server';
      yield {
        at: r.release,
        message: `k8sServiceHost ${why}: the agents cannot reach the API server there`,
        value: host,
        expected:
          serving.length || talos
            ? `one of ${[...(talos ? [`localhost:${KUBEPRISM.port} (KubePrism, what CiliumRelease renders on Talos)`] : []), ...serving.map(spelt)].join(', ')}`
            : 'an address of the API server (the Cluster declares none as an IP address)',
      };
      return;
    }
    const port = portOf(r.values.k8sServicePort);
    if (port === undefined || match.ports.includes(port)) return;
    const ports = match.ports.join(' or ');
    if (port === KUBEPRISM.port) {
      yield {
        at: r.release,
        message: talos
          ? `k8sServicePort is ${KUBEPRISM.port}, KubePrism's port, but KubePrism listens on each node's localhost only, not on ${match.what}`
          : `k8sServicePort is ${KUBEPRISM.port}, Talos KubePrism's port, but ${cluster.distribution} has no KubePrism`,
        value: port,
        expected: talos ? `${ports} (the API port of ${host}), or k8sServiceHost localhost with port ${KUBEPRISM.port}` : `${ports} (the API port of ${host})`,
      };
      return;
    }
    yield {
      at: r.release,
      message: `k8sServicePort is not the port ${match.what} serves the API server on`,
      value: port,
      expected: `${ports} (the API port of ${match.what})`,
    };
  },
});
