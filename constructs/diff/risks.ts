/**
 * The risk checks: each looks at one cluster's diff (and both sides of it) and raises flags of the catalogue.
 */
import { NetworkModel, ReachabilityError, type HypotheticalWorkload, type KubeObject } from '../reachability/index.js';
import { parse } from 'yaml';
import { TUNNEL_ROUTES_FILE, WARP_INCLUDE_FILE } from '../cloudflared.js';
import { GATEWAY_API_GROUP } from '../gateway/api-group.js';
import { LAYERS, docLabel, groupOf, type ClusterDiff, type Doc } from './model.js';

/** A raised risk: the catalogue id, the cluster, one line, and the specifics. */
export interface RiskFlag {
  readonly id: string;
  readonly cluster: string;
  readonly summary: string;
  readonly details: readonly string[];
}

/** Marks a literal (an object, a host, a value) in flag text: inline code in Markdown, highlighted on a terminal. */
export function code(value: unknown): string {
  return `\uE000${typeof value === 'string' ? value : JSON.stringify(value)}\uE001`;
}

/** The text of a flag line with marks replaced by `mark(literal)`. */
export function unmark(text: string, mark: (literal: string) => string): string {
  return text.replace(/\uE000([^\uE001]*)\uE001/g, (_, l: string) => mark(l));
}

type Side = readonly Doc[];

function objects(docs: Side, kind: string, group?: string): Doc[] {
  return docs.filter((d) => d.kind === kind && (group === undefined || groupOf(d.apiVersion) === group));
}

function isApplied(d: Doc): boolean {
  return (LAYERS as readonly string[]).includes(d.section) || d.section === 'gitops';
}

function at(value: unknown, path: string): any {
  return path.split('.').reduce<any>((v, k) => (v && typeof v === 'object' ? v[k] : undefined), value);
}

// ---------------------------------------------------------------------------------------------------------------
// Cilium: values, version, datapath, MTU

/** Cilium's Helm values: the rendered values file, else the HelmRelease's inline values. */
function ciliumValues(docs: Side): Record<string, any> | undefined {
  const file = docs.find((d) => d.file === 'cni/cilium/values.json' && !d.kind);
  if (file && file.value && typeof file.value === 'object') return file.value as Record<string, any>;
  const hr = objects(docs, 'HelmRelease').find((d) => d.name === 'cilium');
  return (hr?.value as any)?.spec?.values;
}

/** The Cilium chart version: the HelmRelease's (or its OCIRepository's tag), or the Argo CD Application's revision. */
function ciliumVersion(docs: Side): string | undefined {
  const hr = objects(docs, 'HelmRelease').find((d) => d.name === 'cilium');
  if (hr) {
    const spec = (hr.value as any).spec ?? {};
    if (spec.chart?.spec?.version) return String(spec.chart.spec.version);
    const ref = spec.chartRef;
    if (ref?.kind === 'OCIRepository') {
      const oci = objects(docs, 'OCIRepository').find((d) => d.name === ref.name);
      const tag = (oci?.value as any)?.spec?.ref?.tag;
      if (tag) return String(tag);
    }
  }
  for (const app of objects(docs, 'Application', 'argoproj.io')) {
    const spec = (app.value as any).spec ?? {};
    for (const s of [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])])
      if (s?.chart === 'cilium' && s.targetRevision) return String(s.targetRevision);
  }
  return undefined;
}

function minor(version: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The datapath settings the agents read at start, normalized as Cilium reads them (chart defaults filled in). */
function datapath(values: Record<string, any>): Record<string, string> {
  const routing = values.routingMode === 'native' ? 'native' : 'tunnel';
  const ipam = at(values, 'ipam.mode') || 'cluster-pool';
  const kpr = values.kubeProxyReplacement;
  return {
    routingMode: routing,
    tunnelProtocol: routing === 'tunnel' ? values.tunnelProtocol || 'vxlan' : '-',
    kubeProxyReplacement: String(kpr === true || kpr === 'true' || kpr === 'strict'),
    'ipam.mode': ipam,
    'ipam.operator.clusterPoolIPv4PodCIDRList':
      ipam === 'cluster-pool' ? ([] as string[]).concat(at(values, 'ipam.operator.clusterPoolIPv4PodCIDRList') ?? ['10.0.0.0/8']).join(',') : '-',
  };
}

function ciliumFlags(c: ClusterDiff): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const before = ciliumValues(c.beforeDocs);
  const after = ciliumValues(c.afterDocs);
  if (before && after) {
    const b = datapath(before);
    const a = datapath(after);
    const changed = Object.keys(a).filter((k) => a[k] !== b[k] && a[k] !== '-' && b[k] !== '-');
    if (changed.length) {
      flags.push({
        id: 'RISK-1',
        cluster: c.cluster,
        summary: `Cilium's datapath changes: ${changed.map((k) => code(k)).join(', ')}`,
        details: changed.map((k) => `${code(k)}: ${code(b[k])} → ${code(a[k])}`),
      });
    }
    const mtu = (v: Record<string, any>) => (v.MTU === undefined || v.MTU === 0 ? 'auto (detected from the node interface)' : String(v.MTU));
    if (mtu(before) !== mtu(after)) {
      flags.push({ id: 'RISK-2', cluster: c.cluster, summary: `the MTU changes: ${code(mtu(before))} → ${code(mtu(after))}`, details: [] });
    }
  }
  const vb = ciliumVersion(c.beforeDocs);
  const va = ciliumVersion(c.afterDocs);
  if (vb && va && minor(vb) !== minor(va)) {
    const down = minor(va)!.localeCompare(minor(vb)!, 'en', { numeric: true }) < 0;
    flags.push({
      id: 'RISK-3',
      cluster: c.cluster,
      summary: `Cilium ${down ? 'goes back' : 'moves'} from ${code(vb)} to ${code(va)}${down ? ' (a downgrade)' : ''}`,
      details: [],
    });
  }
  return flags;
}

/** The Gateway API CRD bundle: its tag and channel, from the Argo CD Application or the Flux GitRepository and Kustomization. */
function gatewayApi(docs: Side): string | undefined {
  for (const app of objects(docs, 'Application', 'argoproj.io')) {
    const s = (app.value as any).spec?.source;
    if (typeof s?.repoURL === 'string' && s.repoURL.includes('kubernetes-sigs/gateway-api'))
      return `${s.targetRevision} (${String(s.path ?? '')
        .split('/')
        .pop()})`;
  }
  for (const repo of objects(docs, 'GitRepository')) {
    const spec = (repo.value as any).spec ?? {};
    if (typeof spec.url !== 'string' || !spec.url.includes('kubernetes-sigs/gateway-api')) continue;
    const ks = objects(docs, 'Kustomization', 'kustomize.toolkit.fluxcd.io').find((k) => (k.value as any).spec?.sourceRef?.name === repo.name);
    const channel = String((ks?.value as any)?.spec?.path ?? '')
      .split('/')
      .pop();
    return `${spec.ref?.tag ?? spec.ref?.branch ?? '?'}${channel ? ` (${channel})` : ''}`;
  }
  return undefined;
}

function gatewayApiFlags(c: ClusterDiff): RiskFlag[] {
  const b = gatewayApi(c.beforeDocs);
  const a = gatewayApi(c.afterDocs);
  if (!b || !a || a === b) return [];
  return [{ id: 'RISK-4', cluster: c.cluster, summary: `the Gateway API CRDs change from ${code(b)} to ${code(a)}`, details: [] }];
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses

/** Every address something outside the cluster may name, by what holds it. */
function addresses(docs: Side): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of objects(docs, 'CiliumLoadBalancerIPPool')) {
    const blocks = ((p.value as any).spec?.blocks ?? (p.value as any).spec?.cidrs ?? []).map((b: any) => b.cidr ?? `${b.start}-${b.stop ?? b.start}`);
    out.set(`LoadBalancer pool ${p.name}`, blocks.join(', '));
  }
  for (const g of objects(docs, 'Gateway', GATEWAY_API_GROUP)) {
    const addrs = ((g.value as any).spec?.addresses ?? []).map((a: any) => a.value);
    if (addrs.length) out.set(`Gateway ${g.namespace}/${g.name}`, addrs.join(', '));
  }
  for (const s of objects(docs, 'Service', '')) {
    const v = s.value as any;
    if (v.spec?.type !== 'LoadBalancer') continue;
    const ip = v.metadata?.annotations?.['lbipam.cilium.io/ips'] ?? v.spec?.loadBalancerIP;
    if (ip) out.set(`LoadBalancer Service ${s.namespace ?? 'default'}/${s.name}`, String(ip));
  }
  const values = ciliumValues(docs);
  if (values?.k8sServiceHost) out.set("API endpoint (Cilium's k8sServiceHost)", `${values.k8sServiceHost}:${values.k8sServicePort ?? 443}`);
  for (const ds of objects(docs, 'DaemonSet').filter((d) => d.name === 'kube-vip')) {
    const env = ((ds.value as any).spec?.template?.spec?.containers ?? []).flatMap((c: any) => c.env ?? []);
    const address = env.find((e: any) => e.name === 'address')?.value;
    if (address) out.set('API VIP (kube-vip)', String(address));
  }
  for (const d of docs.filter((x) => x.section === 'edge')) {
    const v = d.value as any;
    if (v?.kind === 'Layer2VIPConfig' && v.name) out.set(`API VIP (Talos, ${d.file})`, String(v.name));
    for (const i of v?.machine?.network?.interfaces ?? []) if (i?.vip?.ip) out.set(`API VIP (Talos, ${d.file})`, String(i.vip.ip));
  }
  return out;
}

function addressFlags(c: ClusterDiff): RiskFlag[] {
  const b = addresses(c.beforeDocs);
  const a = addresses(c.afterDocs);
  const details: string[] = [];
  for (const [what, old] of b) {
    const neu = a.get(what);
    if (neu === undefined) {
      if (what.startsWith('LoadBalancer pool')) details.push(`${what} is removed (it served ${code(old)})`);
    } else if (neu !== old) details.push(`${what}: ${code(old)} → ${code(neu)}`);
  }
  if (!details.length) return [];
  return [{ id: 'RISK-5', cluster: c.cluster, summary: `${details.length === 1 ? 'an address moves' : `${details.length} addresses move`}`, details }];
}

// ---------------------------------------------------------------------------------------------------------------
// Exposure

/** The hosts reachable from the internet, each with how: a route on an external gateway, or a tunnel ingress rule. */
function publicHosts(docs: Side): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (host: string, how: string) => out.set(host, [...(out.get(host) ?? []), how]);
  const external = new Set(
    objects(docs, 'Gateway', GATEWAY_API_GROUP)
      .filter((g) => (g.value as any).metadata?.labels?.['netkit/exposure'] === 'external')
      .map((g) => `${g.namespace}/${g.name}`),
  );
  for (const r of docs.filter((d) => d.kind?.endsWith('Route') && groupOf(d.apiVersion) === GATEWAY_API_GROUP)) {
    const spec = (r.value as any).spec ?? {};
    const refs: any[] = spec.parentRefs ?? [];
    const gw = refs.find((p) => (p.kind ?? 'Gateway') === 'Gateway' && external.has(`${p.namespace ?? r.namespace}/${p.name}`));
    if (!gw) continue;
    for (const h of spec.hostnames ?? []) add(String(h), `${docLabel(r)} on Gateway ${gw.namespace ?? r.namespace}/${gw.name}`);
  }
  for (const cm of objects(docs, 'ConfigMap', '')) {
    for (const [key, text] of Object.entries(((cm.value as any).data ?? {}) as Record<string, unknown>)) {
      if (typeof text !== 'string' || !text.includes('ingress')) continue;
      let config: any;
      try {
        config = parse(text);
      } catch {
        continue;
      }
      for (const rule of Array.isArray(config?.ingress) ? config.ingress : []) {
        if (typeof rule?.hostname === 'string') add(rule.hostname, `tunnel ingress rule in ${docLabel(cm)} (${key})`);
      }
    }
  }
  return out;
}

function exposureFlags(c: ClusterDiff): RiskFlag[] {
  const b = publicHosts(c.beforeDocs);
  const a = publicHosts(c.afterDocs);
  const fresh = [...a.keys()].filter((h) => !b.has(h)).sort();
  if (!fresh.length) return [];
  return [
    {
      id: 'RISK-6',
      cluster: c.cluster,
      summary: `${fresh.map((h) => code(h)).join(', ')} ${fresh.length === 1 ? 'becomes' : 'become'} reachable from the internet`,
      details: fresh.map(
        (h) =>
          `${code(h)}: ${a
            .get(h)!
            .map((how) => how)
            .join('; ')}`,
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Private access over WARP

/** The files that open networks to WARP devices, and the field of an entry that holds its CIDR (constructs/cloudflared.ts). */
const PRIVATE_ACCESS_FILES: readonly (readonly [string, string, string])[] = [
  [TUNNEL_ROUTES_FILE, 'network', 'comment'],
  [WARP_INCLUDE_FILE, 'address', 'description'],
];

/** The networks each file opens, with the entry's own description. */
function privateNetworks(docs: Side, file: string, field: string, note: string): Map<string, string> {
  const out = new Map<string, string>();
  const doc = docs.find((d) => d.file === file && !d.kind);
  for (const entry of Array.isArray(doc?.value) ? (doc.value as unknown[]) : []) {
    const network = (entry as any)?.[field];
    if (typeof network === 'string') out.set(network, typeof (entry as any)[note] === 'string' ? (entry as any)[note] : '');
  }
  return out;
}

function privateAccessFlags(c: ClusterDiff): RiskFlag[] {
  const details: string[] = [];
  for (const [file, field, note] of PRIVATE_ACCESS_FILES) {
    const before = privateNetworks(c.beforeDocs, file, field, note);
    const after = privateNetworks(c.afterDocs, file, field, note);
    for (const [network, text] of after) {
      if (!before.has(network)) details.push(`${code(network)} added to ${code(file)}${text ? ` (${text})` : ''}`);
    }
  }
  if (!details.length) return [];
  const networks = [...new Set(details.map((d) => d.slice(0, d.indexOf(' added'))))];
  return [
    {
      id: 'RISK-11',
      cluster: c.cluster,
      summary: `private access widened: ${networks.join(', ')} ${networks.length === 1 ? 'becomes' : 'become'} reachable from WARP devices`,
      details,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Policy: client → database pairs before and after

/** The port every CloudNativePG instance serves PostgreSQL on. */
const POSTGRES = 5432;

/** Who reaches each database on 5432: `source → database` pairs, or the problem that kept the evaluator from answering. */
export function databasePairs(docs: Side): { pairs: Set<string>; problem?: string } {
  const kube = docs.filter((d) => d.kind && isApplied(d)).map((d) => d.value as KubeObject);
  const namespaces = new Set<string>();
  for (const d of docs.filter((x) => x.kind && isApplied(x))) {
    if (d.kind === 'Namespace') namespaces.add(d.name!);
    else if (d.namespace) namespaces.add(d.namespace);
  }
  // a stranger pod (kubectl run) in every namespace the tree knows, as rule NET-DB4 asks
  const strangers: HypotheticalWorkload[] = [...namespaces]
    .sort()
    .map((ns) => ({ name: `any pod in ${ns}`, namespace: ns, labels: { 'netkit/probe': 'stranger' } }));
  let model: NetworkModel;
  try {
    model = new NetworkModel(kube, { workloads: strangers });
  } catch (e) {
    if (e instanceof ReachabilityError) return { pairs: new Set(), problem: e.problems.join('; ') };
    throw e;
  }
  const pairs = new Set<string>();
  const dbs = model.workloads().filter((w) => w.kind === 'Cluster');
  for (const db of dbs) {
    for (const src of model.workloads()) {
      if (src === db) continue;
      if (model.canReach(src, db, POSTGRES).allowed)
        pairs.add(`${src.kind === 'Hypothetical' ? src.name : `${src.kind} ${src.namespace}/${src.name}`} → ${db.namespace}/${db.name}:${POSTGRES}`);
    }
  }
  return { pairs };
}

function policyFlags(c: ClusterDiff, notes: string[]): RiskFlag[] {
  const touchesPolicy = [...c.docs].some((d) => isApplied((d.after ?? d.before)!) && (d.after ?? d.before)!.kind);
  if (!touchesPolicy) return [];
  const b = databasePairs(c.beforeDocs);
  const a = databasePairs(c.afterDocs);
  for (const [side, r] of [
    ['before', b],
    ['after', a],
  ] as const) {
    if (r.problem) notes.push(`${c.cluster}: reachability could not be evaluated ${side} the change, so policy flags are incomplete: ${r.problem}`);
  }
  if (b.problem || a.problem) return [];
  const added = [...a.pairs].filter((p) => !b.pairs.has(p)).sort();
  const removed = [...b.pairs].filter((p) => !a.pairs.has(p)).sort();
  const flags: RiskFlag[] = [];
  if (added.length) {
    flags.push({
      id: 'RISK-7',
      cluster: c.cluster,
      summary: `${added.length} new client → database ${added.length === 1 ? 'pair' : 'pairs'}`,
      details: added.map((p) => code(p)),
    });
  }
  if (removed.length) {
    flags.push({
      id: 'RISK-8',
      cluster: c.cluster,
      summary: `${removed.length} client → database ${removed.length === 1 ? 'pair' : 'pairs'} removed`,
      details: removed.map((p) => code(p)),
    });
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------------------------
// Data and pruning

function isDatabase(d: Doc): boolean {
  return d.kind === 'Cluster' && groupOf(d.apiVersion) === 'postgresql.cnpg.io';
}

function dataFlags(c: ClusterDiff): RiskFlag[] {
  const details: string[] = [];
  const gone = c.docs.filter((d) => (d.status === 'removed' || d.status === 'renamed') && d.before!.kind && isApplied(d.before!));
  for (const d of gone) {
    const old = d.before!;
    const what = d.status === 'renamed' ? `renamed to ${code(docLabel(d.after!))}` : 'deleted';
    if (isDatabase(old) || old.kind === 'PersistentVolumeClaim') details.push(`${code(docLabel(old))} is ${what}`);
    else if (old.kind === 'Namespace') {
      const held = c.beforeDocs.filter((x) => isApplied(x) && x.namespace === old.name && (isDatabase(x) || x.kind === 'PersistentVolumeClaim'));
      if (held.length) details.push(`${code(docLabel(old))} is ${what}; it holds ${held.map((h) => code(docLabel(h))).join(', ')}`);
    }
  }
  if (!details.length) return [];
  return [{ id: 'RISK-9', cluster: c.cluster, summary: `data at risk: ${details.length} ${details.length === 1 ? 'object' : 'objects'}`, details }];
}

/** Who applies a document of `section` and whether it prunes: the layer's Flux Kustomization or Argo CD Application. */
function owner(docs: Side, section: string): { label: string; prunes: boolean } | undefined {
  if (section === 'gitops') {
    const root = docs.find((d) => d.kind === 'Application' && d.section === 'bootstrap');
    if (root) return { label: docLabel(root), prunes: at(root.value, 'spec.syncPolicy.automated.prune') === true };
    if (docs.some((d) => d.section === 'gitops' && d.kind === 'Kustomization' && groupOf(d.apiVersion) === 'kustomize.toolkit.fluxcd.io')) {
      return { label: 'Kustomization flux-system/flux-system (prune: true, as flux bootstrap sets it)', prunes: true };
    }
    return undefined;
  }
  for (const d of docs.filter((x) => x.section === 'gitops' && x.kind)) {
    const v = d.value as any;
    if (
      d.kind === 'Kustomization' &&
      groupOf(d.apiVersion) === 'kustomize.toolkit.fluxcd.io' &&
      String(v.spec?.path ?? '')
        .replace(/\/$/, '')
        .endsWith(`/${section}`)
    ) {
      return { label: docLabel(d), prunes: v.spec?.prune === true };
    }
    if (
      d.kind === 'Application' &&
      String(v.spec?.source?.path ?? '')
        .replace(/\/$/, '')
        .endsWith(`/${section}`)
    ) {
      return { label: docLabel(d), prunes: at(v, 'spec.syncPolicy.automated.prune') === true };
    }
  }
  return undefined;
}

function pruneExempt(d: Doc): boolean {
  const annotations = (d.value as any)?.metadata?.annotations ?? {};
  return (
    annotations['kustomize.toolkit.fluxcd.io/prune'] === 'disabled' ||
    /(^|,)\s*Prune=false\b/.test(String(annotations['argocd.argoproj.io/sync-options'] ?? ''))
  );
}

function pruneFlags(c: ClusterDiff): RiskFlag[] {
  const details: string[] = [];
  for (const d of c.docs) {
    if (d.status !== 'removed' && d.status !== 'renamed') continue;
    const old = d.before!;
    // kustomize's own kustomization.yaml lists files; it is no object in the cluster
    if (!old.kind || !isApplied(old) || groupOf(old.apiVersion) === 'kustomize.config.k8s.io' || pruneExempt(old)) continue;
    const by = owner(c.beforeDocs, old.section);
    if (!by?.prunes) continue;
    const why = d.status === 'renamed' ? ` (renamed to ${code(docLabel(d.after!))}: the old object goes, a new one is created)` : '';
    const cascade = old.section === 'gitops' ? ': a pruned layer entry deletes the objects of its layer with it' : '';
    details.push(`${code(docLabel(old))}${why} is pruned by ${code(by.label)}${cascade}`);
  }
  if (!details.length) return [];
  return [
    { id: 'RISK-10', cluster: c.cluster, summary: `${details.length} ${details.length === 1 ? 'object is' : 'objects are'} pruned from the cluster`, details },
  ];
}

/** Every flag of a cluster's diff; `notes` collects what could not be checked. */
export function riskFlags(c: ClusterDiff, notes: string[]): RiskFlag[] {
  return [
    ...ciliumFlags(c),
    ...gatewayApiFlags(c),
    ...addressFlags(c),
    ...exposureFlags(c),
    ...privateAccessFlags(c),
    ...policyFlags(c, notes),
    ...dataFlags(c),
    ...pruneFlags(c),
  ];
}
