/**
 * Network policy as intent — which pods, which peers, which ports — rendered either as Kubernetes NetworkPolicy
 * (`networking.k8s.io/v1`, the default) or as CiliumNetworkPolicy (`cilium.io/v2`).
 *
 * The database constructs describe their rules once in this small model; the engine decides the YAML.
 */
import { ApiObject } from 'cdk8s';
import { CoreNetworkPolicy } from '../../imports/core.js';
import type { Construct } from 'constructs';
import type { ICiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy';
import { CiliumNetworkPolicy } from '../../imports/cilium.js';
import { compareText } from '../core/order.js';
import { lazy } from '../core/lazy.js';

/** The label the API server sets on every namespace with the namespace's own name (Kubernetes ≥ 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The label Cilium gives every endpoint with its namespace (used in CiliumNetworkPolicy selectors). */
const CILIUM_NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';

/** Which policy kind the constructs render. */
export enum PolicyEngine {
  /**
   * Kubernetes NetworkPolicy (`networking.k8s.io/v1`): portable, enforced by Cilium and by most CNIs.
   *
   * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
   */
  KUBERNETES = 'kubernetes',
  /**
   * CiliumNetworkPolicy (`cilium.io/v2`): the API server is matched by the `kube-apiserver` entity instead of
   * node addresses. Namespace-wide default-deny stays a NetworkPolicy (Cilium enforces both kinds, as a union).
   *
   * @see https://docs.cilium.io/en/stable/security/policy/language/
   */
  CILIUM = 'cilium',
}

/** A transport port a policy allows. */
export class Port {
  /** A TCP port, e.g. `Port.tcp(5432)`. */
  public static tcp(port: number): Port {
    return new Port('TCP', port);
  }

  /** A UDP port, e.g. `Port.udp(53)`. */
  public static udp(port: number): Port {
    return new Port('UDP', port);
  }

  private constructor(
    public readonly protocol: 'TCP' | 'UDP',
    public readonly port: number,
  ) {}

  public toString(): string {
    return `${this.port}/${this.protocol}`;
  }
}

/** The other side of a policy rule. */
export class PolicyPeer {
  /** Pods with `labels` in `namespace`. */
  public static pods(namespace: string, labels: Readonly<Record<string, string>>): PolicyPeer {
    return new PolicyPeer({ type: 'pods', namespace, labels: { ...labels } });
  }

  /** Every pod of a namespace. */
  public static namespace(namespace: string): PolicyPeer {
    return new PolicyPeer({ type: 'namespace', namespace });
  }

  /** An address block outside the cluster (`ipBlock` / `toCIDR`), e.g. `18.116.211.217/32`. */
  public static cidr(cidr: string): PolicyPeer {
    return new PolicyPeer({ type: 'cidr', cidrs: [cidr] });
  }

  /**
   * The Kubernetes API server, at the addresses its endpoints really have.
   *
   * NetworkPolicy renders one `ipBlock` per address (the control-plane nodes and the API endpoint); Cilium
   * renders the `kube-apiserver` entity. Pods dial the `kubernetes` Service VIP (e.g. 10.43.0.1:443), but the
   * VIP is translated to an endpoint (a control-plane node on 6443) before policy applies, so an allow rule for
   * the VIP and port 443 would never match: allow the endpoints' addresses and port instead.
   *
   * On Cilium, CIDR selectors (ipBlock included) do not match node addresses unless the agent runs with
   * `policyCIDRMatchMode: [nodes]`; rule NET-DB5 checks this for NetworkPolicy-engine databases.
   *
   * @see https://docs.cilium.io/en/stable/security/policy/language/#selecting-nodes-with-cidr-ipblock
   */
  public static apiServer(addresses: readonly string[]): PolicyPeer {
    return new PolicyPeer({ type: 'api-server', cidrs: [...new Set(addresses)].map((a) => (a.includes('/') ? a : `${a}/32`)) });
  }

  /**
   * A destination by DNS name, e.g. a managed database's `p.xyz.db.postgresbridge.com`. Only Cilium can allow it
   * (`toFQDNs`: the agent allows the addresses its DNS proxy saw the name resolve to, so the rule follows the provider
   * when the address moves); the policy that holds it must also send the pods' DNS lookups through the proxy
   * ({@link PolicyRule.dnsProxy}). NetworkPolicy has no such peer: the Kubernetes engine renders nothing for it, and
   * rule NET-DB6 reports the construct that asked.
   *
   * @see https://docs.cilium.io/en/stable/security/policy/language/#dns-based
   */
  public static fqdn(name: string): PolicyPeer {
    return new PolicyPeer({ type: 'fqdn', names: [name] });
  }

  /** Cluster DNS: the `k8s-app: kube-dns` pods (CoreDNS) in kube-system. */
  public static kubeDns(): PolicyPeer {
    return PolicyPeer.pods('kube-system', { 'k8s-app': 'kube-dns' });
  }

  private constructor(public readonly spec: PeerSpec) {}
}

/** The data of a {@link PolicyPeer}. */
export type PeerSpec =
  | { readonly type: 'pods'; readonly namespace: string; readonly labels: Readonly<Record<string, string>> }
  | { readonly type: 'namespace'; readonly namespace: string }
  | { readonly type: 'cidr' | 'api-server'; readonly cidrs: readonly string[] }
  | { readonly type: 'fqdn'; readonly names: readonly string[] };

/** One rule: any of the peers, on any of the ports. */
export interface PolicyRule {
  readonly peers: readonly PolicyPeer[];
  readonly ports: readonly Port[];
  /**
   * Cilium: send this rule's traffic (DNS lookups, on port 53) through Cilium's DNS proxy, allowing every name
   * (`rules.dns: [{ matchPattern: "*" }]`), so that `toFQDNs` peers of the same pods learn the addresses their names
   * resolve to. Ignored by the Kubernetes engine.
   *
   * @default false
   * @see https://docs.cilium.io/en/stable/security/dns/
   */
  readonly dnsProxy?: boolean;
}

/** The DNS L7 rule of a {@link PolicyRule.dnsProxy} rule: the proxy sees every lookup and refuses none. */
export const DNS_PROXY_ALL = [{ matchPattern: '*' }] as const;

/** What a policy says, independent of the engine. */
export interface PolicyIntent {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the pods the policy applies to; `{}` selects every pod of the namespace. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Ingress rules, produced at synth time; omit to leave ingress alone. An empty list denies all ingress. */
  readonly ingress?: () => readonly PolicyRule[];
  /** Egress rules, produced at synth time; omit to leave egress alone. An empty list denies all egress. */
  readonly egress?: () => readonly PolicyRule[];
}

/** Render a policy with the given engine. */
export function renderPolicy(scope: Construct, id: string, engine: PolicyEngine, intent: PolicyIntent): ApiObject {
  return engine === PolicyEngine.CILIUM ? renderCilium(scope, id, intent) : renderKubernetes(scope, id, intent);
}

function byName(a: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(a).sort(([x], [y]) => compareText(x, y)));
}

function renderKubernetes(scope: Construct, id: string, intent: PolicyIntent): ApiObject {
  const types = [...(intent.ingress ? ['Ingress' as const] : []), ...(intent.egress ? ['Egress' as const] : [])];
  const peer = (p: PolicyPeer): Record<string, unknown>[] => {
    const s = p.spec;
    switch (s.type) {
      case 'pods':
        return [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: s.namespace } }, podSelector: { matchLabels: byName(s.labels) } }];
      case 'namespace':
        return [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: s.namespace } } }];
      case 'fqdn':
        return []; // NetworkPolicy cannot match a name (NET-DB6)
      default:
        return s.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    }
  };
  const rules = (list: readonly PolicyRule[], key: 'from' | 'to') =>
    list
      .map((r) => ({ peers: r.peers.flatMap(peer), ports: r.ports }))
      // an empty peer list would mean "everyone": a rule whose peers NetworkPolicy cannot express (a DNS name) is dropped
      .filter((r) => r.peers.length > 0)
      .map((r) => ({
        [key]: r.peers,
        ...(r.ports.length ? { ports: r.ports.map((p) => ({ protocol: p.protocol, port: p.port })) } : {}),
      }));
  return new CoreNetworkPolicy(scope, id, {
    metadata: { name: intent.name, namespace: intent.namespace },
    spec: {
      podSelector: Object.keys(intent.podSelector).length ? { matchLabels: byName(intent.podSelector) } : {},
      policyTypes: types,
      ...(intent.ingress ? { ingress: lazy(() => rules(intent.ingress!(), 'from')) } : {}),
      ...(intent.egress ? { egress: lazy(() => rules(intent.egress!(), 'to')) } : {}),
    },
  });
}

/** One CiliumNetworkPolicy rule before it is given a direction: one kind of peer, with the ports. */
interface CiliumPeerRule {
  readonly peer: { readonly endpoints: Record<string, unknown>[] } | { readonly cidrs: string[] } | { readonly names: string[] } | { readonly apiServer: true };
  readonly toPorts?: { ports: { port: string; protocol: string }[]; rules?: { dns: { matchPattern: string }[] } }[];
}

type CiliumSpec = NonNullable<ICiliumNetworkPolicy['spec']>;
type CiliumIngressRule = NonNullable<CiliumSpec['ingress']>[number];
type CiliumEgressRule = NonNullable<CiliumSpec['egress']>[number];

function renderCilium(scope: Construct, id: string, intent: PolicyIntent): ApiObject {
  // One rule per peer kind, so each reads as one statement.
  const rules = (list: readonly PolicyRule[], dir: 'from' | 'to'): CiliumPeerRule[] => {
    const out: CiliumPeerRule[] = [];
    for (const r of list) {
      const l7 = r.dnsProxy && dir === 'to' ? { rules: { dns: DNS_PROXY_ALL.map((d) => ({ ...d })) } } : {};
      const toPorts = r.ports.length ? [{ ports: r.ports.map((p) => ({ port: String(p.port), protocol: p.protocol })), ...l7 }] : undefined;
      const endpoints: Record<string, unknown>[] = [];
      const cidrs: string[] = [];
      const names: string[] = [];
      let apiServer = false;
      for (const p of r.peers) {
        const s = p.spec;
        if (s.type === 'pods') endpoints.push({ matchLabels: { [CILIUM_NAMESPACE_LABEL]: s.namespace, ...byName(s.labels) } });
        else if (s.type === 'namespace') endpoints.push({ matchLabels: { [CILIUM_NAMESPACE_LABEL]: s.namespace } });
        else if (s.type === 'cidr') cidrs.push(...s.cidrs);
        else if (s.type === 'fqdn') names.push(...s.names);
        else apiServer = true;
      }
      const push = (peer: CiliumPeerRule['peer']) => out.push({ peer, ...(toPorts ? { toPorts } : {}) });
      if (endpoints.length) push({ endpoints });
      if (cidrs.length) push({ cidrs });
      if (names.length && dir === 'to') push({ names });
      if (apiServer) push({ apiServer: true });
    }
    return out;
  };
  const ingress = (list: readonly PolicyRule[]): CiliumIngressRule[] =>
    rules(list, 'from').map(({ peer, toPorts }) => ({
      ...('endpoints' in peer ? { fromEndpoints: peer.endpoints } : 'cidrs' in peer ? { fromCIDR: peer.cidrs } : { fromEntities: ['kube-apiserver' as const] }),
      ...(toPorts ? { toPorts } : {}),
    }));
  const egress = (list: readonly PolicyRule[]): CiliumEgressRule[] =>
    rules(list, 'to').map(({ peer, toPorts }) => ({
      ...('endpoints' in peer
        ? { toEndpoints: peer.endpoints }
        : 'cidrs' in peer
          ? { toCIDR: peer.cidrs }
          : 'names' in peer
            ? { toFQDNs: peer.names.map((matchName) => ({ matchName })) }
            : { toEntities: ['kube-apiserver' as const] }),
      ...(toPorts ? { toPorts } : {}),
    }));
  const endpointSelector: CiliumSpec['endpointSelector'] = Object.keys(intent.podSelector).length ? { matchLabels: byName(intent.podSelector) } : {};
  return new CiliumNetworkPolicy(scope, id, {
    metadata: { name: intent.name, namespace: intent.namespace },
    spec: {
      endpointSelector,
      ...(intent.ingress ? { ingress: lazy(() => ingress(intent.ingress!())) } : {}),
      ...(intent.egress ? { egress: lazy(() => egress(intent.egress!())) } : {}),
      // The model's type requires ingress or egress, which every caller gives; each field is still checked here.
    } satisfies Partial<CiliumSpec> as CiliumSpec,
  });
}
