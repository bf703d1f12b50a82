/**
 * The subset of CiliumNetworkPolicy (`cilium.io/v2`) the product may render, parsed into an
 * {@link EvaluablePolicy}.
 *
 * Modelled: `spec` or `specs[]`; `endpointSelector`; ingress `fromEndpoints`, `fromCIDR`, `fromCIDRSet`,
 * `fromEntities`; egress `toEndpoints`, `toCIDR`, `toCIDRSet`, `toEntities`, `toFQDNs` (`matchName`,
 * `matchPattern`); `toPorts[].ports[]` with `port` (number, numeric string, `"0"` for all, or a name), `endPort` and
 * `protocol` (default ANY), and `toPorts[].rules.dns` (the DNS proxy's L7 rules); `enableDefaultDeny`. An endpoint selected by a rule with an `ingress` (`egress`) section becomes default-deny in
 * that direction, and all allow rules of all policies union, together with Kubernetes NetworkPolicies.
 *
 * Conservative choices, so that a DENIED verdict can be trusted as a proof of isolation:
 * - entities other than `world`, `cluster` and `all` (e.g. `kube-apiserver`, `host`, `remote-node`) match every
 *   external endpoint, since the model cannot tell which address is the API server or a node;
 * - deny rules (`ingressDeny`, `egressDeny`) are ignored: the model may report ALLOWED where Cilium denies;
 * - L7 rules are ignored (the L4 part still allows);
 * - a `toFQDNs` peer matches a destination known by a name it selects, and only when Cilium's DNS proxy sees the
 *   source's lookups of that name (an egress rule of a policy selecting the source with `rules.dns` on port 53 that
 *   matches it): Cilium allows a name's addresses only after its proxy saw them resolved. A destination known only by
 *   address never matches it (the model cannot tell which names resolve to it);
 * - `toServices`, `toGroups`, `toRequires`/`fromRequires` peers match nothing: such a rule allows only through its
 *   other peers.
 *
 * @see https://docs.cilium.io/en/stable/security/policy/language/
 */
import { type FqdnSelector, describeFqdn, fqdnMatches } from './dns.js';
import { type Cidr, parseCidr } from './ip.js';
import { endpointLabel } from './network-policy.js';
import type { Connection, Direction, EvaluablePolicy, PolicyOutcome } from './policy.js';
import { type Selector, describeSelector, parseSelector, selectorMatches } from './selectors.js';
import { type Endpoint, type KubeObject, type Labels, type Protocol, type Workload, PROTOCOLS } from './types.js';
import { namespaceOf } from './workloads.js';

/** The label Cilium gives every endpoint with its namespace. */
export const CILIUM_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const NS_LABEL_PREFIX = 'io.cilium.k8s.namespace.labels.';

type CiliumProtocol = Protocol | 'ANY';

interface CiliumPort {
  readonly port: number | string; // 0 = all
  readonly endPort?: number;
  readonly protocol: CiliumProtocol;
  /** The DNS L7 rules of the `toPorts` entry this port belongs to (Cilium's DNS proxy answers these lookups). */
  readonly dns?: readonly FqdnSelector[];
}

interface CiliumRule {
  readonly endpoints?: readonly Selector[];
  readonly cidrs?: readonly { readonly cidr: Cidr; readonly except: readonly Cidr[] }[];
  readonly entities?: readonly string[];
  readonly fqdns?: readonly FqdnSelector[];
  readonly opaque: boolean; // has peer kinds the model cannot evaluate
  readonly ports?: readonly CiliumPort[];
}

interface CiliumSpec {
  readonly endpointSelector: Selector;
  readonly ingress?: readonly CiliumRule[];
  readonly egress?: readonly CiliumRule[];
  readonly defaultDenyIngress: boolean;
  readonly defaultDenyEgress: boolean;
}

/** Removes Cilium's label source prefix (`k8s:`, `any:`) from a key. */
function stripSource(key: string): string {
  const m = /^(k8s|any|reserved|container|unspec):(.*)$/.exec(key);
  return m ? m[2]! : key;
}

function stripSelector(sel: Selector): Selector {
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel.matchLabels)) matchLabels[stripSource(k)] = v;
  return { matchLabels, matchExpressions: sel.matchExpressions.map((e) => ({ ...e, key: stripSource(e.key) })) };
}

function mentionsNamespace(sel: Selector): boolean {
  return CILIUM_NAMESPACE_LABEL in sel.matchLabels || sel.matchExpressions.some((e) => e.key === CILIUM_NAMESPACE_LABEL);
}

/** The labels Cilium sees on a pod: its own, its namespace, and its namespace's labels. */
function ciliumLabels(pod: Workload, nsLabels: Labels): Labels {
  const out: Record<string, string> = { ...pod.labels, [CILIUM_NAMESPACE_LABEL]: pod.namespace };
  for (const [k, v] of Object.entries(nsLabels)) out[`${NS_LABEL_PREFIX}${k}`] = v;
  return out;
}

/** The labels an endpointSelector sees: the pod's own and its namespace. */
function selfLabels(pod: Workload): Labels {
  return { ...pod.labels, [CILIUM_NAMESPACE_LABEL]: pod.namespace };
}

const PEER_FIELDS = {
  Ingress: {
    endpoints: 'fromEndpoints',
    cidr: 'fromCIDR',
    cidrSet: 'fromCIDRSet',
    entities: 'fromEntities',
    opaque: ['fromRequires', 'fromGroups', 'fromNodes'],
  },
  Egress: {
    endpoints: 'toEndpoints',
    cidr: 'toCIDR',
    cidrSet: 'toCIDRSet',
    entities: 'toEntities',
    opaque: ['toServices', 'toGroups', 'toRequires', 'toNodes'],
  },
} as const;

/** A CiliumNetworkPolicy ready to evaluate. See the module documentation for what is modelled. */
export class CiliumPolicy implements EvaluablePolicy {
  /**
   * Parses `obj` if it is a `cilium.io/v2` CiliumNetworkPolicy, pushing malformed parts onto `problems`.
   *
   * @returns undefined for other kinds.
   */
  public static parse(obj: KubeObject, defaultNamespace: string, problems: string[]): CiliumPolicy | undefined {
    if (obj.kind !== 'CiliumNetworkPolicy' || obj.apiVersion !== 'cilium.io/v2') return undefined;
    const namespace = namespaceOf(obj, defaultNamespace);
    const id = `CiliumNetworkPolicy ${namespace}/${obj.metadata?.name ?? '<no name>'}`;
    const raw = obj as any;
    const specs: any[] = [...(raw.spec ? [raw.spec] : []), ...(Array.isArray(raw.specs) ? raw.specs : [])];
    const before = problems.length;
    const parsed = specs.map((s, i) => parseSpec(s, `${id} ${raw.spec && i === 0 ? 'spec' : `specs[${raw.spec ? i - 1 : i}]`}`, problems));
    if (specs.length === 0) problems.push(`${id} has neither spec nor specs; expected at least one rule.`);
    return problems.length === before ? new CiliumPolicy(id, namespace, parsed) : undefined;
  }

  private constructor(
    public readonly id: string,
    public readonly namespace: string,
    private readonly specs: readonly CiliumSpec[],
  ) {}

  public explainTypes(): string {
    return `${this.id} selects ${this.specs.map((s) => describeSelector(s.endpointSelector)).join(' | ')}; default-deny for each direction it has a section for`;
  }

  public isolates(pod: Workload, direction: Direction): boolean {
    return pod.namespace === this.namespace && this.specs.some((s) => this.specIsolates(s, direction) && selectorMatches(s.endpointSelector, selfLabels(pod)));
  }

  public evaluate(direction: Direction, c: Connection): PolicyOutcome {
    const self = (direction === 'Ingress' ? c.dst : c.src) as Workload;
    const other = direction === 'Ingress' ? c.src : c.dst;
    const field = direction === 'Ingress' ? 'ingress' : 'egress';
    const misses: string[] = [];
    this.specs.forEach((s, si) => {
      if (!selectorMatches(s.endpointSelector, selfLabels(self))) return;
      const rules = (direction === 'Ingress' ? s.ingress : s.egress) ?? [];
      rules.forEach((r, ri) => {
        const where = `spec${this.specs.length > 1 ? `s[${si}]` : ''}.${field}[${ri}]`;
        const peerMiss = this.peerMiss(r, other, c, direction);
        const portMiss = portMissOf(r.ports, c);
        if (!peerMiss && !portMiss) misses.push(`ALLOW ${where}`);
        else misses.push(`${where}: ${[peerMiss, portMiss].filter(Boolean).join('; ')}`);
      });
    });
    const hit = misses.find((m) => m.startsWith('ALLOW '));
    if (hit) return { allowed: true, rule: hit.slice(6), misses: [] };
    return { allowed: false, misses: misses.length ? misses : [`${field}: no rules (denies all ${field})`] };
  }

  /**
   * Does Cilium's DNS proxy see `pod`'s lookups of `host`? True when a spec selecting the pod has an egress rule on
   * port 53 (or all ports) with a `rules.dns` entry matching the name.
   */
  public proxiesDns(pod: Workload, host: string): boolean {
    if (pod.namespace !== this.namespace) return false;
    return this.specs.some(
      (s) =>
        selectorMatches(s.endpointSelector, selfLabels(pod)) &&
        (s.egress ?? []).some((r) => (r.ports ?? []).some((p) => (p.port === 53 || p.port === 0) && (p.dns ?? []).some((d) => fqdnMatches(d, host)))),
    );
  }

  private specIsolates(s: CiliumSpec, direction: Direction): boolean {
    return direction === 'Ingress' ? s.ingress !== undefined && s.defaultDenyIngress : s.egress !== undefined && s.defaultDenyEgress;
  }

  private peerMiss(r: CiliumRule, other: Endpoint, c: Connection, direction: Direction): string | undefined {
    const hasPeer = r.endpoints !== undefined || r.cidrs !== undefined || r.entities !== undefined || r.fqdns !== undefined || r.opaque;
    if (!hasPeer) return undefined; // L4-only rule: any peer.
    if (other.type === 'workload') {
      const labels = ciliumLabels(other, c.namespaceLabels(other.namespace));
      for (const sel of r.endpoints ?? []) {
        const nsOk = mentionsNamespace(sel) || other.namespace === this.namespace;
        if (nsOk && selectorMatches(sel, labels)) return undefined;
      }
      if ((r.entities ?? []).some((e) => e === 'cluster' || e === 'all')) return undefined;
    } else {
      const ip = other.ip;
      if (ip !== undefined) for (const b of r.cidrs ?? []) if (b.cidr.contains(ip) && !b.except.some((e) => e.contains(ip))) return undefined;
      if ((r.entities ?? []).some((e) => e !== 'cluster')) return undefined;
      const host = other.host;
      const named = host !== undefined && direction === 'Egress' ? (r.fqdns ?? []).find((f) => fqdnMatches(f, host)) : undefined;
      if (named && host !== undefined) {
        if (c.src.type === 'workload' && c.dnsProxied?.(c.src, host)) return undefined;
        return `destination ${endpointLabel(other)} matches toFQDNs ${describeFqdn(named)}, but no DNS rule (toPorts rules.dns on port 53) lets Cilium's DNS proxy see the lookups of ${host}, so Cilium never learns its addresses`;
      }
    }
    const role = direction === 'Ingress' ? 'source' : 'destination';
    const parts = [
      ...(r.endpoints ?? []).map((s) => `endpoints ${describeSelector(s)}`),
      ...(r.cidrs ?? []).map((b) => `CIDR ${b.cidr.text}${b.except.length ? ` except ${b.except.map((e) => e.text).join(',')}` : ''}`),
      ...(r.entities ?? []).map((e) => `entity ${e}`),
      ...(r.fqdns ?? []).map((f) => `FQDN ${describeFqdn(f)}`),
      ...(r.opaque ? ['peers not modelled (service/group)'] : []),
    ];
    return `${role} ${endpointLabel(other)} matches none of [${parts.join(' | ')}]`;
  }
}

function portMissOf(ports: readonly CiliumPort[] | undefined, c: Connection): string | undefined {
  if (ports === undefined) return undefined;
  for (const p of ports) {
    if (p.protocol !== 'ANY' && p.protocol !== c.protocol) continue;
    if (p.port === 0) return undefined;
    if (typeof p.port === 'number') {
      if (c.port >= p.port && c.port <= (p.endPort ?? p.port)) return undefined;
      continue;
    }
    const dst = c.dst;
    const named = dst.type === 'workload' ? dst.ports.find((cp) => cp.name === p.port && (p.protocol === 'ANY' || cp.protocol === p.protocol)) : undefined;
    if (named?.containerPort === c.port) return undefined;
  }
  return `${c.port}/${c.protocol} not in toPorts [${ports.map((p) => `${p.port === 0 ? 'all' : p.port}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol}`).join(', ')}]`;
}

function parseSpec(s: any, where: string, problems: string[]): CiliumSpec {
  if (s?.nodeSelector !== undefined) problems.push(`${where} uses nodeSelector (host policy); this model covers only endpointSelector policies.`);
  const endpointSelector = stripSelector(parseSelector(s?.endpointSelector ?? {}, `${where}.endpointSelector`, problems));
  const rules = (dir: Direction): CiliumRule[] | undefined => {
    const key = dir === 'Ingress' ? 'ingress' : 'egress';
    const list = s?.[key];
    if (list === undefined || list === null) return undefined;
    if (!Array.isArray(list)) {
      problems.push(`${where}.${key} is ${JSON.stringify(list)}; expected a list of rules.`);
      return [];
    }
    const f = PEER_FIELDS[dir];
    return list.map((r: any, i: number) => {
      const at = `${where}.${key}[${i}]`;
      const endpoints = Array.isArray(r?.[f.endpoints])
        ? r[f.endpoints].map((e: unknown, j: number) => stripSelector(parseSelector(e, `${at}.${f.endpoints}[${j}]`, problems)))
        : undefined;
      const cidrs: { cidr: Cidr; except: Cidr[] }[] = [];
      for (const c of Array.isArray(r?.[f.cidr]) ? r[f.cidr] : []) {
        const p = parseCidr(c);
        if (p) cidrs.push({ cidr: p, except: [] });
        else problems.push(`${at}.${f.cidr} has ${JSON.stringify(c)}; expected a CIDR such as 10.0.0.0/8.`);
      }
      for (const c of Array.isArray(r?.[f.cidrSet]) ? r[f.cidrSet] : []) {
        const p = parseCidr(c?.cidr);
        if (!p) {
          problems.push(`${at}.${f.cidrSet} has cidr ${JSON.stringify(c?.cidr)}; expected a CIDR (cidrGroupRef is not modelled).`);
          continue;
        }
        const except = (Array.isArray(c.except) ? c.except : []).map((e: string) => parseCidr(e)).filter((e: Cidr | undefined): e is Cidr => !!e);
        cidrs.push({ cidr: p, except });
      }
      const entities = Array.isArray(r?.[f.entities]) ? r[f.entities].map(String) : undefined;
      const fqdns = dir === 'Egress' && r?.toFQDNs !== undefined ? parseFqdns(r.toFQDNs, `${at}.toFQDNs`, problems) : undefined;
      const opaque = f.opaque.some((k) => r?.[k] !== undefined);
      let ports: CiliumPort[] | undefined;
      if (Array.isArray(r?.toPorts)) {
        ports = [];
        for (const [j, tp] of r.toPorts.entries()) {
          const list = Array.isArray(tp?.ports) ? tp.ports : [];
          const dns = tp?.rules?.dns !== undefined ? parseFqdns(tp.rules.dns, `${at}.toPorts[${j}].rules.dns`, problems) : undefined;
          const l7 = dns ? { dns } : {};
          if (list.length === 0) ports.push({ port: 0, protocol: 'ANY', ...l7 });
          for (const p of list) {
            const protocol = (p?.protocol ?? 'ANY') as CiliumProtocol;
            if (protocol !== 'ANY' && !PROTOCOLS.includes(protocol)) {
              problems.push(`${at}.toPorts[${j}] protocol is ${JSON.stringify(p?.protocol)}; expected TCP, UDP, SCTP or ANY.`);
              continue;
            }
            const raw = p?.port ?? '0';
            const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : String(raw);
            if (typeof n === 'number' && (n < 0 || n > 65535)) {
              problems.push(`${at}.toPorts[${j}] port is ${JSON.stringify(raw)}; expected 0-65535 or a port name.`);
              continue;
            }
            ports.push({ port: n, protocol, ...(typeof p?.endPort === 'number' ? { endPort: p.endPort } : {}), ...l7 });
          }
        }
      }
      return {
        ...(endpoints ? { endpoints } : {}),
        ...(cidrs.length || r?.[f.cidr] !== undefined || r?.[f.cidrSet] !== undefined ? { cidrs } : {}),
        ...(entities ? { entities } : {}),
        ...(fqdns ? { fqdns } : {}),
        opaque,
        ...(ports ? { ports } : {}),
      };
    });
  };
  const ingress = rules('Ingress');
  const egress = rules('Egress');
  return {
    endpointSelector,
    ...(ingress ? { ingress } : {}),
    ...(egress ? { egress } : {}),
    defaultDenyIngress: s?.enableDefaultDeny?.ingress !== false,
    defaultDenyEgress: s?.enableDefaultDeny?.egress !== false,
  };
}

/** `toFQDNs` or `rules.dns`: a list of `{ matchName }` / `{ matchPattern }`. */
function parseFqdns(raw: unknown, where: string, problems: string[]): FqdnSelector[] {
  if (!Array.isArray(raw)) {
    problems.push(`${where} is ${JSON.stringify(raw)}; expected a list of { matchName } or { matchPattern }.`);
    return [];
  }
  const out: FqdnSelector[] = [];
  raw.forEach((e: any, i: number) => {
    if (typeof e?.matchName === 'string' && e.matchName) out.push({ matchName: e.matchName });
    else if (typeof e?.matchPattern === 'string' && e.matchPattern) out.push({ matchPattern: e.matchPattern });
    else problems.push(`${where}[${i}] is ${JSON.stringify(e)}; expected { matchName: "db.example.com" } or { matchPattern: "*.example.com" }.`);
  });
  return out;
}
