/**
 * The reachability model: workloads, namespaces and policies from rendered objects, and the verdicts on
 * "can A reach B on port P".
 */
import { CiliumPolicy } from './cilium-policy.js';
import { isDnsName } from './dns.js';
import { isIp } from './ip.js';
import { KubeNetworkPolicy, endpointLabel } from './network-policy.js';
import type { Connection, Direction, EvaluablePolicy } from './policy.js';
import { type Endpoint, type ExternalEndpoint, type KubeObject, type Labels, type Protocol, type Workload, PROTOCOLS, ReachabilityError } from './types.js';
import { type HypotheticalWorkload, NAMESPACE_NAME_LABEL, deriveNamespaces, deriveWorkloads } from './workloads.js';

/** A destination outside the cluster the caller wants to reason about: an address, a DNS name, or both. */
export interface ExternalEndpointInput {
  /** The IPv4 or IPv6 address. @default - none: give `host` */
  readonly ip?: string;
  /**
   * The DNS name clients dial (matched by Cilium `toFQDNs` peers, never by `ipBlock`).
   *
   * @default - none: give `ip`
   */
  readonly host?: string;
  /** A name for verdicts and matrices, e.g. `cloudflare`. @default - the IP, else the host */
  readonly name?: string;
  /** Ports it serves, used as default matrix columns. A bare number means TCP. @default [] */
  readonly ports?: readonly (number | { readonly port: number; readonly protocol?: Protocol })[];
}

/** Options of {@link NetworkModel}. */
export interface NetworkModelOptions {
  /**
   * Pods that no rendered object creates, e.g. a debugging pod run by hand in `clients` with `app: other`.
   *
   * @default []
   */
  readonly workloads?: readonly HypotheticalWorkload[];
  /**
   * Destinations outside the cluster: addresses (matched by `ipBlock` and CIDR peers) and DNS names (matched by
   * Cilium `toFQDNs` peers).
   *
   * @default []
   */
  readonly externals?: readonly ExternalEndpointInput[];
  /**
   * Labels of namespaces the rendered objects do not define (e.g. a `monitoring` namespace created elsewhere),
   * merged with any Namespace object. Every namespace also carries `kubernetes.io/metadata.name`.
   *
   * @default {}
   */
  readonly namespaces?: Readonly<Record<string, Labels>>;
  /**
   * The namespace of namespaced objects that name none (what `kubectl apply` would use).
   *
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Also evaluate `cilium.io/v2` CiliumNetworkPolicy objects (the subset described in `cilium-policy.ts`), unioned
   * with NetworkPolicies as Cilium enforces them.
   *
   * @default true
   * @see https://docs.cilium.io/en/stable/security/policy/language/
   */
  readonly cilium?: boolean;
}

/**
 * Something traffic can come from or go to:
 * - a string: a workload id (`clients/clients-api`, or `Deployment/clients/clients-api`), an external endpoint's
 *   name, or an IP address (an external endpoint, registered or not);
 * - `{ namespace, name }`: a workload by name;
 * - `{ namespace, labels, ports? }`: an ad-hoc pod not registered with the model;
 * - `{ ip }`, `{ host }` or both: a destination outside the cluster by address, by DNS name, or both;
 * - an {@link Endpoint} returned by the model.
 */
export type Peer =
  | string
  | Endpoint
  | { readonly namespace: string; readonly name: string }
  | HypotheticalWorkload
  | { readonly ip?: string; readonly host?: string; readonly name?: string };

/** What one side (the source's egress, or the destination's ingress) says about a connection. */
export interface SideVerdict {
  /** `Egress` for the source side, `Ingress` for the destination side. */
  readonly direction: Direction;
  /** The endpoint on this side. */
  readonly endpoint: string;
  /** False when the endpoint is outside the cluster, where no policy applies. */
  readonly inCluster: boolean;
  /** Is the endpoint isolated in this direction (selected by a policy of this type)? */
  readonly isolated: boolean;
  /** The policies that isolate it, each with why (its selector and policy types). */
  readonly isolatedBy: readonly string[];
  /** Does this side allow the connection? */
  readonly allowed: boolean;
  /** The policy and rule that allowed it, e.g. `NetworkPolicy clients/x ingress[0]`. */
  readonly allowedBy?: string;
  /** When denied: each isolating policy's rules and why none matched. */
  readonly misses: readonly string[];
  /** One readable sentence. */
  readonly summary: string;
}

/** The answer to "can `from` reach `to` on `port`". */
export interface Verdict {
  /** Do both the source's egress and the destination's ingress allow it? */
  readonly allowed: boolean;
  /** The source, as a readable id. */
  readonly from: string;
  /** The destination, as a readable id. */
  readonly to: string;
  /** The destination port number. */
  readonly port: number;
  /** The port's name on the destination, when the question named it. */
  readonly portName?: string;
  /** The protocol. */
  readonly protocol: Protocol;
  /** The source's egress side. */
  readonly egress: SideVerdict;
  /** The destination's ingress side. */
  readonly ingress: SideVerdict;
  /** A multi-line explanation: the headline, then both sides with their reasons. */
  readonly explanation: string;
}

/** One column of a matrix: a destination and a port. */
export interface MatrixTarget {
  /** The destination. */
  readonly peer: Peer;
  /** Port number, or a name resolved against the destination's container ports. */
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: Protocol;
}

/** Options of {@link NetworkModel.matrix}. */
export interface MatrixOptions {
  /** Rows. @default - every workload, then every external endpoint */
  readonly sources?: readonly Peer[];
  /** Columns. @default - every declared port of every workload, then of every external endpoint */
  readonly targets?: readonly MatrixTarget[];
}

/** A reachability matrix: `cells[row][column]`. */
export interface ReachabilityMatrix {
  /** Row labels (sources). */
  readonly sources: readonly string[];
  /** Column labels (`destination:port`, with `/UDP` or `/SCTP` when not TCP). */
  readonly targets: readonly string[];
  /** The verdicts, one per source and target. */
  readonly cells: readonly (readonly Verdict[])[];
}

/**
 * An offline model of a cluster's network policy, built from rendered objects.
 *
 * It derives workloads (pods) from Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Pods and
 * CloudNativePG Clusters, and evaluates NetworkPolicy objects as Kubernetes defines them: a connection is allowed
 * when the source's egress and the destination's ingress both allow it, where a pod that no policy isolates in a
 * direction allows everything in that direction and an isolated pod allows the union of its policies' rules.
 *
 * Construction checks every policy and throws one {@link ReachabilityError} listing all malformed parts.
 *
 * @example
 * const model = new NetworkModel(objects, { workloads: [{ namespace: 'clients', labels: { app: 'other' } }] });
 * model.canReach('clients/clients-api', 'clients/clients-db', 5432).allowed; // true
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class NetworkModel {
  private readonly workloadList: readonly Workload[];
  private readonly externalList: readonly ExternalEndpoint[];
  private readonly namespaceMap: Map<string, Labels>;
  private readonly policyList: readonly EvaluablePolicy[];

  constructor(objects: readonly KubeObject[], options: NetworkModelOptions = {}) {
    const problems: string[] = [];
    if (!Array.isArray(objects)) {
      throw new ReachabilityError([`objects is ${typeof objects}; expected an array of Kubernetes objects.`]);
    }
    const defaultNamespace = options.defaultNamespace ?? 'default';
    this.workloadList = deriveWorkloads(objects, options.workloads ?? [], defaultNamespace, problems);
    this.externalList = (options.externals ?? []).flatMap((e, i) => {
      const problem = externalProblem(e, `externals[${i}]`);
      if (problem) {
        problems.push(problem);
        return [];
      }
      const ports = (e.ports ?? []).map((p) =>
        typeof p === 'number' ? { port: p, protocol: 'TCP' as Protocol } : { port: p.port, protocol: p.protocol ?? 'TCP' },
      );
      return [externalEndpoint(e, ports)];
    });
    const policies: EvaluablePolicy[] = [];
    for (const obj of objects) {
      const p =
        KubeNetworkPolicy.parse(obj, defaultNamespace, problems) ??
        (options.cilium === false ? undefined : CiliumPolicy.parse(obj, defaultNamespace, problems));
      if (p) policies.push(p);
    }
    this.policyList = policies;
    const extraNs: Record<string, Labels> = { ...(options.namespaces ?? {}) };
    for (const p of policies) extraNs[p.namespace] = { ...(extraNs[p.namespace] ?? {}) };
    this.namespaceMap = deriveNamespaces(objects, this.workloadList, extraNs, defaultNamespace);
    if (problems.length > 0) throw new ReachabilityError(problems);
  }

  /** Every workload, rendered ones first in input order, then the hypothetical ones. */
  public workloads(): readonly Workload[] {
    return this.workloadList;
  }

  /** Every external endpoint given in the options. */
  public externals(): readonly ExternalEndpoint[] {
    return this.externalList;
  }

  /** Every known namespace (sorted) with its labels, including `kubernetes.io/metadata.name`. */
  public namespaces(): ReadonlyMap<string, Labels> {
    return this.namespaceMap;
  }

  /** The ids of the policies the model evaluates, e.g. `NetworkPolicy clients/clients-db-allow-only-api`. */
  public policies(): readonly string[] {
    return this.policyList.map((p) => p.id);
  }

  /**
   * Resolves a {@link Peer} to an endpoint.
   *
   * @throws ReachabilityError when a named workload does not exist (the message lists the known ids).
   */
  public resolve(peer: Peer): Endpoint {
    if (typeof peer === 'string') {
      const byId = this.workloadList.filter((w) => w.id === peer || `${w.kind}/${w.namespace}/${w.name}` === peer);
      if (byId.length === 1) return byId[0]!;
      const byShort = this.workloadList.filter((w) => `${w.namespace}/${w.name}` === peer);
      if (byShort.length > 1) {
        throw new ReachabilityError([
          `"${peer}" names ${byShort.length} workloads; expected one. Use one of: ${byShort.map((w) => `${w.kind}/${peer}`).join(', ')}.`,
        ]);
      }
      const ext = this.externalList.find((e) => e.id === peer || e.ip === peer);
      if (ext) return ext;
      if (isIp(peer)) return { type: 'external', id: peer, ip: peer, ports: [] };
      throw this.unknown(peer);
    }
    if ('type' in peer && (peer.type === 'workload' || peer.type === 'external')) return peer as Endpoint;
    if ('ip' in peer || 'host' in peer) {
      const p = peer as { ip?: string; host?: string; name?: string };
      const problem = externalProblem(p, 'peer');
      if (problem) throw new ReachabilityError([problem]);
      const known = this.externalList.find((e) => e.ip === p.ip && e.host === p.host);
      return known ?? externalEndpoint(p, []);
    }
    if ('labels' in peer || !('name' in peer) || peer.name === undefined) {
      const h = peer as HypotheticalWorkload;
      const [w] = deriveWorkloads([], [h], h.namespace, []);
      if (!w) throw new ReachabilityError([`ad-hoc pod ${JSON.stringify(peer)} has no namespace; expected { namespace, labels }.`]);
      return w;
    }
    const named = peer as { readonly namespace: string; readonly name: string };
    return this.resolve(`${named.namespace}/${named.name}`);
  }

  /**
   * Can `from` open a connection to `to` on `port`?
   *
   * @param port a number, or a port name resolved against the destination's container ports.
   * @param protocol @default 'TCP'
   * @throws ReachabilityError for an unknown peer, a bad port, or a port name the destination does not declare.
   */
  public canReach(from: Peer, to: Peer, port: number | string, protocol: Protocol = 'TCP'): Verdict {
    if (!PROTOCOLS.includes(protocol)) {
      throw new ReachabilityError([`protocol is ${JSON.stringify(protocol)}; expected one of ${PROTOCOLS.join(', ')}.`]);
    }
    const src = this.resolve(from);
    const dst = this.resolve(to);
    let portNumber: number;
    let portName: string | undefined;
    if (typeof port === 'string') {
      const declared = dst.type === 'workload' ? dst.ports : [];
      const hit = declared.find((p) => p.name === port && p.protocol === protocol);
      if (!hit) {
        const list = declared.map((p) => `${p.name ?? '(unnamed)'}=${p.containerPort}/${p.protocol}`).join(', ') || 'none';
        throw new ReachabilityError([
          `${endpointLabel(dst)} declares no ${protocol} port named "${port}" (its ports: ${list}). Ask with a port number or one of those names.`,
        ]);
      }
      portNumber = hit.containerPort;
      portName = port;
    } else {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new ReachabilityError([`port is ${port}; expected an integer 1-65535 or a port name.`]);
      }
      portNumber = port;
    }
    const connection: Connection = {
      src,
      dst,
      port: portNumber,
      protocol,
      namespaceLabels: (ns) => this.namespaceMap.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns },
      dnsProxied: (pod, host) => this.policyList.some((p) => p instanceof CiliumPolicy && p.proxiesDns(pod, host)),
    };
    const egress = this.side('Egress', src, connection);
    const ingress = this.side('Ingress', dst, connection);
    const allowed = egress.allowed && ingress.allowed;
    const portText = `${portName ? `${portName} (${portNumber})` : portNumber}/${protocol}`;
    const headline = `${allowed ? 'ALLOWED' : 'DENIED'}: ${endpointLabel(src)} → ${endpointLabel(dst)} on ${portText}`;
    const explain = (s: SideVerdict): string[] => [
      `  ${s.direction.toLowerCase()} of ${s.endpoint}: ${s.summary}`,
      ...s.isolatedBy.map((p) => `    isolated by ${p}`),
      ...(s.allowed ? [] : s.misses.map((m) => `    ${m}`)),
    ];
    return {
      allowed,
      from: endpointLabel(src),
      to: endpointLabel(dst),
      port: portNumber,
      ...(portName ? { portName } : {}),
      protocol,
      egress,
      ingress,
      explanation: [headline, ...explain(egress), ...explain(ingress)].join('\n'),
    };
  }

  /**
   * Judges every source against every target.
   *
   * @see MatrixOptions for the defaults.
   */
  public matrix(options: MatrixOptions = {}): ReachabilityMatrix {
    const sources = (options.sources ?? [...this.workloadList, ...this.externalList]).map((p) => this.resolve(p));
    const targets: MatrixTarget[] = options.targets
      ? [...options.targets]
      : [
          ...this.workloadList.flatMap((w) => w.ports.map((p) => ({ peer: w as Peer, port: p.containerPort, protocol: p.protocol }))),
          ...this.externalList.flatMap((e) => e.ports.map((p) => ({ peer: e as Peer, port: p.port, protocol: p.protocol }))),
        ];
    const cells = sources.map((s) => targets.map((t) => this.canReach(s, t.peer, t.port, t.protocol ?? 'TCP')));
    const targetLabels = targets.map((t, i) => {
      const v = cells[0]?.[i];
      const dst = v?.to ?? endpointLabel(this.resolve(t.peer));
      const proto = (t.protocol ?? 'TCP') === 'TCP' ? '' : `/${t.protocol}`;
      return `${dst}:${t.port}${proto}`;
    });
    return { sources: sources.map(endpointLabel), targets: targetLabels, cells };
  }

  private side(direction: Direction, endpoint: Endpoint, c: Connection): SideVerdict {
    const label = endpointLabel(endpoint);
    if (endpoint.type === 'external') {
      return {
        direction,
        endpoint: label,
        inCluster: false,
        isolated: false,
        isolatedBy: [],
        allowed: true,
        misses: [],
        summary: 'outside the cluster, no policy applies',
      };
    }
    const isolating = this.policyList.filter((p) => p.isolates(endpoint, direction));
    if (isolating.length === 0) {
      return {
        direction,
        endpoint: label,
        inCluster: true,
        isolated: false,
        isolatedBy: [],
        allowed: true,
        misses: [],
        summary: `not isolated (no policy selects it for ${direction}), all allowed`,
      };
    }
    const isolated = { direction, endpoint: label, inCluster: true, isolated: true, isolatedBy: isolating.map((q) => q.explainTypes()) };
    const misses: string[] = [];
    for (const p of isolating) {
      const out = p.evaluate(direction, c);
      if (out.allowed) return { ...isolated, allowed: true, allowedBy: `${p.id} ${out.rule}`, misses: [], summary: `allowed by ${p.id} ${out.rule}` };
      misses.push(...out.misses.map((m) => `${p.id} ${m}`));
    }
    return {
      ...isolated,
      allowed: false,
      misses,
      summary: `denied: isolated by ${isolating.length} ${isolating.length === 1 ? 'policy' : 'policies'}, no rule allows it`,
    };
  }

  private unknown(peer: string): ReachabilityError {
    const known = [...this.workloadList.map((w) => w.id), ...this.externalList.map((e) => e.id)];
    return new ReachabilityError([
      `no workload or external endpoint "${peer}"; expected a workload id (namespace/name), an external name or an IP. Known: ${known.join(', ') || 'none'}.`,
    ]);
  }
}

/** What is wrong with an external destination's address or name, if anything. */
function externalProblem(e: { readonly ip?: string; readonly host?: string }, where: string): string | undefined {
  if (e.ip === undefined && e.host === undefined)
    return `${where} has neither ip nor host; expected an address such as 18.116.211.217, a DNS name such as db.example.com, or both.`;
  if (e.ip !== undefined && !isIp(e.ip)) return `${where}.ip is ${JSON.stringify(e.ip)}; expected an IPv4 or IPv6 address such as 18.116.211.217.`;
  if (e.host !== undefined && !isDnsName(e.host))
    return `${where}.host is ${JSON.stringify(e.host)}; expected a DNS name such as db.example.com (give an address as ip).`;
  return undefined;
}

function externalEndpoint(
  e: { readonly ip?: string; readonly host?: string; readonly name?: string },
  ports: readonly { readonly port: number; readonly protocol: Protocol }[],
): ExternalEndpoint {
  return {
    type: 'external',
    id: e.name ?? e.ip ?? e.host!,
    ...(e.ip !== undefined ? { ip: e.ip } : {}),
    ...(e.host !== undefined ? { host: e.host } : {}),
    ports,
  };
}
