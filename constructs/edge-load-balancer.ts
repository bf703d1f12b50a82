/**
 * The external load balancer in front of the cluster (seed 001): HAProxy on a separate Debian host, its VIP
 * as an interface alias, both rendered from the Cluster into `edge/haproxy/`.
 */
import { Construct } from 'constructs';
import { Cluster, Distribution } from './cluster.js';
import { EdgeFolder, edgeNodesOf, notRendered } from './edge-folder.js';
import { checkHaproxyInput, type HaproxyHealthCheck, type HaproxyInput, renderHaproxy } from './edge/haproxy.js';
import { checkProps, Findings } from './findings.js';
import * as p from './core/props.js';

export interface EdgeLoadBalancerProps {
  /**
   * Names of the nodes that serve the ingress/gateway on ports 80 and 443 (HAProxy's web backends).
   *
   * @default - the cluster's workload nodes
   */
  readonly ingressNodes?: readonly string[];
  /**
   * Whether the API server answers `/readyz` to anonymous requests. With it, the API backend is checked
   * with `GET /readyz` inside TLS; without it, with a TLS handshake (k3s answers 401 to anonymous requests).
   *
   * @default - false on k3s (anonymous auth off), true on Talos and generic clusters
   * @see https://github.com/k3s-io/k3s/issues/3576
   */
  readonly apiAnonymousAuth?: boolean;
  /**
   * Health check of the API backend.
   *
   * @default - a TLS handshake, or GET /readyz over TLS with `apiAnonymousAuth`
   */
  readonly apiCheck?: HaproxyHealthCheck;
  /**
   * Health check of the HTTP (80) ingress backend.
   *
   * @default { kind: 'tcp' }
   */
  readonly httpCheck?: HaproxyHealthCheck;
  /**
   * Health check of the HTTPS (443, TLS passthrough) ingress backend.
   *
   * @default { kind: 'tcp' }
   */
  readonly httpsCheck?: HaproxyHealthCheck;
  /**
   * Ports the ingress listens on, on the nodes.
   *
   * @default { http: 80, https: 443 }
   */
  readonly ingressPorts?: { readonly http: number; readonly https: number };
}

/**
 * HAProxy in front of the cluster, bound to the cluster's `externalLoadBalancer.address`:
 * 6443 (mode tcp, TLS passthrough) across the control-plane nodes, 80 (mode http) and 443 (mode tcp, TLS
 * passthrough) across the ingress nodes.
 *
 * Writes `edge/haproxy/haproxy.cfg` and the Debian alias stanza that puts the VIP on the host's interface,
 * `edge/haproxy/interfaces.d/netkit-vip`. Problems in the input are reported by the NET-EDGE rules; on a cluster that
 * declares no `externalLoadBalancer` it writes nothing and records a NET-EDGE6 finding.
 *
 * @see https://docs.haproxy.org/2.6/configuration.html
 */
const HEALTH_CHECK = p.shaped("a health check ({ kind: 'none' | 'tcp' | 'tls' | 'http' | 'https', ... })", (v) =>
  ['none', 'tcp', 'tls', 'http', 'https'].includes(v.kind as string),
);

/** What an EdgeLoadBalancer accepts (NET-IN1 to NET-IN3). */
const EDGE_LOAD_BALANCER_SPEC = p.object({
  ingressNodes: p.optional(p.array(p.name('subdomain', { landsAs: 'a node name' }))),
  apiAnonymousAuth: p.optional(p.boolean()),
  apiCheck: p.optional(HEALTH_CHECK),
  httpCheck: p.optional(HEALTH_CHECK),
  httpsCheck: p.optional(HEALTH_CHECK),
  ingressPorts: p.optional(p.object({ http: p.port(), https: p.port() })),
});

export class EdgeLoadBalancer extends Construct {
  /** The EdgeLoadBalancer of a cluster, if one was added. */
  public static of(cluster: Cluster): EdgeLoadBalancer | undefined {
    return cluster.constructsOf(EdgeLoadBalancer)[0];
  }

  /** Names of the nodes backing 80/443, sorted. */
  public readonly ingressNodes: readonly string[];
  private readonly cluster: Cluster;
  private readonly props: EdgeLoadBalancerProps;

  public constructor(scope: Construct, id: string, given: EdgeLoadBalancerProps = {}) {
    super(scope, id);
    const props = checkProps<EdgeLoadBalancerProps>(this, EDGE_LOAD_BALANCER_SPEC, given, {});
    this.cluster = Cluster.of(this);
    this.props = props;
    this.ingressNodes = [...(props.ingressNodes ?? this.cluster.workloadNodes.map((n) => n.name))].sort();
    const lb = this.cluster.externalLoadBalancer;
    if (!lb) {
      Findings.of(this).addError('NET-EDGE6', {
        message: 'an EdgeLoadBalancer was added but the cluster declares no externalLoadBalancer',
        expected: 'externalLoadBalancer: { address, hostAddress?, interface?, prefixLength? } on the Cluster',
        fix: 'Declare the load balancer on the Cluster (seed 001: address 192.168.0.45, host 192.168.0.46, interface enp1s0).',
      });
      return;
    }
    const folder = EdgeFolder.ensure(this);
    folder.addFile(
      {
        path: 'edge/haproxy/haproxy.cfg',
        destination: '/etc/haproxy/haproxy.cfg on the load balancer host',
        apply: 'Check with `haproxy -c -f /etc/haproxy/haproxy.cfg`, then `systemctl reload haproxy`.',
      },
      () => this.render('config'),
      this,
    );
    folder.addFile(
      {
        path: 'edge/haproxy/interfaces.d/netkit-vip',
        destination:
          '/etc/network/interfaces.d/netkit-vip on the load balancer host (Debian ifupdown; /etc/network/interfaces must contain "source /etc/network/interfaces.d/*")',
        apply: `Bring it up with \`ifup ${lb.interface ?? 'eth0'}:0\`; not \`systemctl restart networking\`, which drops SSH sessions.`,
      },
      () => this.render('alias'),
      this,
    );
  }

  /**
   * The renderer input this construct derives from the Cluster; `undefined` when the cluster declares no
   * `externalLoadBalancer` (the construct then renders nothing and reports NET-EDGE6).
   */
  public haproxyInput(): HaproxyInput | undefined {
    const lb = this.cluster.externalLoadBalancer;
    if (!lb) return undefined;
    const ingress = new Set(this.ingressNodes);
    return {
      clusterName: this.cluster.clusterName,
      vip: lb.address,
      ...(lb.hostAddress !== undefined ? { hostAddress: lb.hostAddress } : {}),
      interface: { name: lb.interface ?? 'eth0', prefixLength: lb.prefixLength ?? 24 },
      nodes: edgeNodesOf(this.cluster.nodes, ingress),
      apiServerPort: this.cluster.apiEndpoint.port,
      ...(this.props.ingressPorts ? { ingressHttpPort: this.props.ingressPorts.http, ingressHttpsPort: this.props.ingressPorts.https } : {}),
      apiAnonymousAuth: this.props.apiAnonymousAuth ?? this.cluster.distribution !== Distribution.K3S,
      ...(this.props.apiCheck ? { apiCheck: this.props.apiCheck } : {}),
      ...(this.props.httpCheck ? { httpCheck: this.props.httpCheck } : {}),
      ...(this.props.httpsCheck ? { httpsCheck: this.props.httpsCheck } : {}),
    };
  }

  /** Addresses HAProxy connects to the nodes from: the host's own address and the VIP. */
  public sourceAddresses(): string[] {
    const lb = this.cluster.externalLoadBalancer;
    if (!lb) return [];
    return [...new Set([lb.address, ...(lb.hostAddress ? [lb.hostAddress] : [])])].sort();
  }

  private render(what: 'config' | 'alias'): string {
    const input = this.haproxyInput()!; // the files are only registered for a cluster with an externalLoadBalancer
    const problems = checkHaproxyInput(input);
    if (problems.length) return notRendered('HAProxy', problems);
    const out = renderHaproxy(input);
    return what === 'config' ? out.config : (out.interfaceAlias ?? '');
  }
}
