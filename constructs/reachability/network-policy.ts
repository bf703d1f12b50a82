/**
 * Kubernetes NetworkPolicy (`networking.k8s.io/v1`) parsed into an {@link EvaluablePolicy}, with the semantics
 * the Kubernetes API defines.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * @see https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 */
import { type Cidr, parseCidr } from './ip.js';
import type { Connection, Direction, EvaluablePolicy, PolicyOutcome } from './policy.js';
import { type Selector, describeSelector, parseSelector, selectorMatches } from './selectors.js';
import { type Endpoint, type KubeObject, type Protocol, type Workload, PROTOCOLS } from './types.js';
import { namespaceOf } from './workloads.js';

/** One parsed `from`/`to` peer. */
interface Peer {
  readonly podSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly ipBlock?: { readonly cidr: Cidr; readonly except: readonly Cidr[] };
}

/** One parsed `ports` entry; protocol already defaulted. */
interface PortSpec {
  readonly protocol: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** One parsed rule. Empty `peers` = all peers; empty `ports` = all ports. */
interface Rule {
  readonly peers: readonly Peer[];
  readonly ports: readonly PortSpec[];
}

/** Renders an endpoint for messages. */
export function endpointLabel(e: Endpoint): string {
  if (e.type !== 'external') return e.id;
  const where = [e.host, e.ip].filter((x): x is string => x !== undefined && x !== e.id);
  return where.length ? `${e.id} (${where.join(' ')})` : e.id;
}

function describePort(p: PortSpec): string {
  if (p.port === undefined) return `all/${p.protocol}`;
  if (p.endPort !== undefined) return `${p.port}-${p.endPort}/${p.protocol}`;
  return `${p.port}/${p.protocol}`;
}

/**
 * A Kubernetes NetworkPolicy ready to evaluate.
 *
 * Semantics: the policy selects pods in its own namespace by `spec.podSelector` (`{}` = all). It isolates them
 * for each direction in `policyTypes`; omitted (or empty) `policyTypes` means Ingress, plus Egress if `egress`
 * has at least one rule. Within a rule, the peer list is an OR; a peer with both `namespaceSelector` and
 * `podSelector` is an AND; `podSelector` alone means the policy's namespace; an omitted or empty peer list or port
 * list matches everything. `ipBlock` peers match only external endpoints: pod IPs are not known offline, and
 * whether an implementation applies ipBlock to pod traffic is left open by Kubernetes. Named ports resolve against
 * the destination pod's container ports, in both directions.
 */
export class KubeNetworkPolicy implements EvaluablePolicy {
  /**
   * Parses `obj` if it is a NetworkPolicy, pushing any malformed part onto `problems`.
   *
   * @returns undefined for other kinds.
   */
  public static parse(obj: KubeObject, defaultNamespace: string, problems: string[]): KubeNetworkPolicy | undefined {
    if (obj.kind !== 'NetworkPolicy' || !(obj.apiVersion ?? '').startsWith('networking.k8s.io/')) return undefined;
    const namespace = namespaceOf(obj, defaultNamespace);
    const name = obj.metadata?.name ?? '<no name>';
    const id = `NetworkPolicy ${namespace}/${name}`;
    const spec = obj.spec ?? {};
    const before = problems.length;
    const podSelector = parseSelector(spec.podSelector ?? {}, `${id} spec.podSelector`, problems);
    const types = spec.policyTypes;
    let ingress = false;
    let egress = false;
    let typesWhy: string;
    if (Array.isArray(types) && types.length > 0) {
      for (const t of types) {
        if (t === 'Ingress') ingress = true;
        else if (t === 'Egress') egress = true;
        else problems.push(`${id} spec.policyTypes contains ${JSON.stringify(t)}; expected "Ingress" or "Egress".`);
      }
      typesWhy = `policyTypes [${types.join(', ')}]`;
    } else {
      ingress = true;
      egress = Array.isArray(spec.egress) && spec.egress.length > 0;
      typesWhy = egress ? 'policyTypes omitted, has egress rules → Ingress and Egress' : 'policyTypes omitted, no egress rules → Ingress only';
    }
    const parseRules = (list: unknown, field: 'ingress' | 'egress'): Rule[] => {
      if (list === undefined || list === null) return [];
      if (!Array.isArray(list)) {
        problems.push(`${id} spec.${field} is ${JSON.stringify(list)}; expected a list of rules.`);
        return [];
      }
      const peerField = field === 'ingress' ? 'from' : 'to';
      return list.map((r: any, i: number) => ({
        peers: parsePeers(r?.[peerField], `${id} spec.${field}[${i}].${peerField}`, problems),
        ports: parsePorts(r?.ports, `${id} spec.${field}[${i}].ports`, problems),
      }));
    };
    const policy = new KubeNetworkPolicy(
      id,
      namespace,
      podSelector,
      ingress,
      egress,
      typesWhy,
      parseRules(spec.ingress, 'ingress'),
      parseRules(spec.egress, 'egress'),
    );
    return problems.length === before ? policy : undefined;
  }

  private constructor(
    public readonly id: string,
    public readonly namespace: string,
    private readonly podSelector: Selector,
    private readonly ingress: boolean,
    private readonly egress: boolean,
    private readonly typesWhy: string,
    private readonly ingressRules: readonly Rule[],
    private readonly egressRules: readonly Rule[],
  ) {}

  public isolates(pod: Workload, direction: Direction): boolean {
    const typed = direction === 'Ingress' ? this.ingress : this.egress;
    return typed && pod.namespace === this.namespace && selectorMatches(this.podSelector, pod.labels);
  }

  public explainTypes(): string {
    return `${this.id} selects ${describeSelector(this.podSelector)}; ${this.typesWhy}`;
  }

  public evaluate(direction: Direction, c: Connection): PolicyOutcome {
    const rules = direction === 'Ingress' ? this.ingressRules : this.egressRules;
    const field = direction === 'Ingress' ? 'ingress' : 'egress';
    const other = direction === 'Ingress' ? c.src : c.dst;
    const misses: string[] = [];
    if (rules.length === 0) misses.push(`${field}: no rules (denies all ${field})`);
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const portMiss = this.portMiss(rule.ports, c);
      const peerMiss = this.peerMiss(rule.peers, other, c, direction);
      if (!portMiss && !peerMiss) return { allowed: true, rule: `${field}[${i}]`, misses };
      misses.push(`${field}[${i}]: ${[peerMiss, portMiss].filter(Boolean).join('; ')}`);
    }
    return { allowed: false, misses };
  }

  private portMiss(ports: readonly PortSpec[], c: Connection): string | undefined {
    if (ports.length === 0) return undefined;
    const notes: string[] = [];
    for (const p of ports) {
      if (p.protocol !== c.protocol) continue;
      if (p.port === undefined) return undefined;
      if (typeof p.port === 'number') {
        const end = p.endPort ?? p.port;
        if (c.port >= p.port && c.port <= end) return undefined;
        continue;
      }
      // Named port: resolves against the destination pod's container ports.
      const dst = c.dst;
      const resolved = dst.type === 'workload' ? dst.ports.find((cp) => cp.name === p.port && cp.protocol === p.protocol) : undefined;
      if (resolved?.containerPort === c.port) return undefined;
      notes.push(
        resolved
          ? `named port "${p.port}" is ${resolved.containerPort}/${p.protocol} on ${endpointLabel(dst)}`
          : `named port "${p.port}" is not a ${p.protocol} container port of ${endpointLabel(dst)}`,
      );
    }
    const base = `${c.port}/${c.protocol} not in ports [${ports.map(describePort).join(', ')}]`;
    return notes.length ? `${base} (${notes.join('; ')})` : base;
  }

  private peerMiss(peers: readonly Peer[], other: Endpoint, c: Connection, direction: Direction): string | undefined {
    if (peers.length === 0) return undefined;
    for (const peer of peers) if (this.peerMatches(peer, other, c)) return undefined;
    const role = direction === 'Ingress' ? 'source' : 'destination';
    return `${role} ${endpointLabel(other)} matches none of ${direction === 'Ingress' ? 'from' : 'to'} [${peers.map((p) => this.describePeer(p)).join(' | ')}]`;
  }

  private peerMatches(peer: Peer, other: Endpoint, c: Connection): boolean {
    if (peer.ipBlock) {
      // a destination known only by name has no address an ipBlock could hold
      if (other.type !== 'external' || other.ip === undefined) return false;
      const ip = other.ip;
      return peer.ipBlock.cidr.contains(ip) && !peer.ipBlock.except.some((e) => e.contains(ip));
    }
    if (other.type !== 'workload') return false;
    const nsOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, c.namespaceLabels(other.namespace)) : other.namespace === this.namespace;
    if (!nsOk) return false;
    return peer.podSelector ? selectorMatches(peer.podSelector, other.labels) : true;
  }

  private describePeer(p: Peer): string {
    if (p.ipBlock) {
      const ex = p.ipBlock.except.length ? ` except ${p.ipBlock.except.map((e) => e.text).join(',')}` : '';
      return `ipBlock ${p.ipBlock.cidr.text}${ex}`;
    }
    const ns = p.namespaceSelector ? `namespaces ${describeSelector(p.namespaceSelector)}` : `namespace ${this.namespace}`;
    const pods = p.podSelector ? `pods ${describeSelector(p.podSelector)}` : 'all pods';
    return `${pods} in ${ns}`;
  }
}

function parsePeers(raw: unknown, where: string, problems: string[]): Peer[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${where} is ${JSON.stringify(raw)}; expected a list of peers.`);
    return [];
  }
  const out: Peer[] = [];
  raw.forEach((p: any, i: number) => {
    const at = `${where}[${i}]`;
    const hasSel = p?.podSelector != null || p?.namespaceSelector != null;
    if (p?.ipBlock != null) {
      if (hasSel) {
        problems.push(`${at} sets ipBlock together with a selector; Kubernetes allows ipBlock only alone. Split it into two peers.`);
        return;
      }
      const cidr = parseCidr(p.ipBlock.cidr);
      if (!cidr) {
        problems.push(`${at}.ipBlock.cidr is ${JSON.stringify(p.ipBlock.cidr)}; expected a CIDR such as 10.0.0.0/8.`);
        return;
      }
      const except: Cidr[] = [];
      for (const e of Array.isArray(p.ipBlock.except) ? p.ipBlock.except : []) {
        const ec = parseCidr(e);
        if (!ec) problems.push(`${at}.ipBlock.except has ${JSON.stringify(e)}; expected a CIDR inside ${p.ipBlock.cidr}.`);
        else except.push(ec);
      }
      out.push({ ipBlock: { cidr, except } });
      return;
    }
    if (!hasSel) {
      problems.push(
        `${at} is ${JSON.stringify(p)}; a peer needs podSelector, namespaceSelector or ipBlock. Use podSelector: {} for all pods of the namespace.`,
      );
      return;
    }
    out.push({
      ...(p.podSelector != null ? { podSelector: parseSelector(p.podSelector, `${at}.podSelector`, problems) } : {}),
      ...(p.namespaceSelector != null ? { namespaceSelector: parseSelector(p.namespaceSelector, `${at}.namespaceSelector`, problems) } : {}),
    });
  });
  return out;
}

function parsePorts(raw: unknown, where: string, problems: string[]): PortSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${where} is ${JSON.stringify(raw)}; expected a list of { protocol, port, endPort }.`);
    return [];
  }
  const out: PortSpec[] = [];
  raw.forEach((p: any, i: number) => {
    const at = `${where}[${i}]`;
    const protocol = (p?.protocol ?? 'TCP') as Protocol;
    if (!PROTOCOLS.includes(protocol)) {
      problems.push(`${at}.protocol is ${JSON.stringify(p?.protocol)}; expected one of ${PROTOCOLS.join(', ')}.`);
      return;
    }
    const port = p?.port;
    if (port === undefined || port === null) {
      if (p?.endPort !== undefined) problems.push(`${at} sets endPort ${p.endPort} without port; Kubernetes requires port with endPort.`);
      else out.push({ protocol });
      return;
    }
    if (typeof port === 'number') {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        problems.push(`${at}.port is ${port}; expected an integer 1-65535 or a port name.`);
        return;
      }
      if (p.endPort !== undefined && p.endPort !== null) {
        if (!Number.isInteger(p.endPort) || p.endPort < port || p.endPort > 65535) {
          problems.push(`${at}.endPort is ${JSON.stringify(p.endPort)}; expected an integer from port (${port}) to 65535.`);
          return;
        }
        out.push({ protocol, port, endPort: p.endPort });
      } else {
        out.push({ protocol, port });
      }
      return;
    }
    if (typeof port === 'string' && port.length > 0) {
      if (p.endPort !== undefined && p.endPort !== null) {
        problems.push(`${at} sets endPort with the named port "${port}"; Kubernetes allows endPort only with a numeric port.`);
        return;
      }
      out.push({ protocol, port });
      return;
    }
    problems.push(`${at}.port is ${JSON.stringify(port)}; expected an integer 1-65535 or a port name.`);
  });
  return out;
}
