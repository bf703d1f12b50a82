/**
 * Read-only views of a cluster's rendered objects for the L2 rules: announcement policies, pools, LoadBalancers,
 * Cilium's Helm values, and which nodes a selector picks. Rules re-derive everything from here and from the
 * construct model; nothing is cached between synths.
 */
import type { Cluster, ClusterNode } from '../../cluster.js';
import { NodeRole } from '../../cluster.js';
import { parseSelector, selectorMatches, type Selector } from '../../reachability/selectors.js';
import type { RenderedObject } from '../rule.js';
import { releaseValuesOf, type TreeFiles } from '../values.js';
import { AddressRange } from '../../cluster/address.js';
import { isGatewayApiVersion } from '../../gateway/api-group.js';

export type Labels = Readonly<Record<string, string>>;

/** Label the kubelet (k3s, Talos, kubeadm) puts on control-plane nodes. */
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** The labels a node carries as far as the model knows: its declared labels, hostname, and role labels. */
export function nodeLabels(node: ClusterNode): Labels {
  return {
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
    ...(node.roles.includes(NodeRole.CONTROL_PLANE) ? { [CONTROL_PLANE_LABEL]: 'true' } : {}),
    ...node.labels,
  };
}

/** Parse a selector; `undefined`/absent means "everything" (Cilium's reading of a missing selector). */
export function selectorOf(raw: unknown): Selector {
  if (raw === undefined || raw === null) return { matchLabels: {}, matchExpressions: [] };
  return parseSelector(raw, 'selector', []);
}

export function matches(raw: unknown, labels: Labels): boolean {
  return selectorMatches(selectorOf(raw), labels);
}

/** The cluster nodes a node selector picks. */
export function selectedNodes(cluster: Cluster, nodeSelector: unknown): ClusterNode[] {
  return cluster.nodes.filter((n) => matches(nodeSelector, nodeLabels(n)));
}

/** A rendered CiliumL2AnnouncementPolicy. */
export function l2Policies(objects: readonly RenderedObject[]): RenderedObject[] {
  return objects.filter((o) => o.kind === 'CiliumL2AnnouncementPolicy' && o.apiVersion.startsWith('cilium.io/'));
}

/** A rendered CiliumLoadBalancerIPPool. */
export function ipPools(objects: readonly RenderedObject[]): RenderedObject[] {
  return objects.filter((o) => o.kind === 'CiliumLoadBalancerIPPool' && o.apiVersion.startsWith('cilium.io/'));
}

/** A pool block as rendered, parsed when possible. */
export interface RenderedBlock {
  readonly text: string;
  readonly range?: AddressRange;
}

export function poolBlocks(pool: RenderedObject): RenderedBlock[] {
  const blocks: any[] = Array.isArray(pool.json.spec?.blocks) ? pool.json.spec.blocks : [];
  return blocks.map((b) => {
    const text = b?.cidr !== undefined ? String(b.cidr) : `${b?.start}-${b?.stop}`;
    try {
      return { text, range: b?.cidr !== undefined ? AddressRange.cidr(String(b.cidr)) : AddressRange.fromTo(String(b.start), String(b.stop)) };
    } catch {
      return { text };
    }
  });
}

/** A LoadBalancer as the L2 rules see it: a Service of type LoadBalancer, or a Gateway of class cilium. */
export interface LoadBalancerView {
  readonly object: RenderedObject;
  readonly kind: 'Service' | 'Gateway';
  readonly displayName: string;
  /** Labels of the Service (for a Gateway: `spec.infrastructure.labels`, which Cilium copies to its Service). */
  readonly labels: Labels;
  /** Addresses pinned through `lbipam.cilium.io/ips` / `io.cilium/lb-ipam-ips` or `spec.addresses`. */
  readonly pinned: string[];
  readonly externalTrafficPolicy?: string;
  /** The namespace of the Service (for a Gateway: the Gateway's, where Cilium creates its Service). */
  readonly namespace: string;
  /** `lbipam.cilium.io/sharing-key` (or its alias `io.cilium/lb-ipam-sharing-key`), when set. */
  readonly sharingKey?: string;
  /**
   * The namespaces `lbipam.cilium.io/sharing-cross-namespace` lets share with (`*` for all), split on commas as LB-IPAM
   * splits them: `"a, b"` names `a` and ` b`.
   */
  readonly sharingNamespaces: readonly string[];
  /** The ports the LoadBalancer listens on (for a Gateway: its listeners' ports). */
  readonly ports: readonly { readonly port: number; readonly protocol: string }[];
  /** The pod selector of a Service (a Gateway's Service selects no pods: Cilium manages its endpoints). */
  readonly selector: Labels;
}

const IPS_ANNOTATIONS = ['lbipam.cilium.io/ips', 'io.cilium/lb-ipam-ips'];
/** @see https://docs.cilium.io/en/stable/network/lb-ipam/#sharing-keys */
const SHARING_KEY_ANNOTATIONS = ['lbipam.cilium.io/sharing-key', 'io.cilium/lb-ipam-sharing-key'];
const SHARING_NAMESPACE_ANNOTATIONS = ['lbipam.cilium.io/sharing-cross-namespace', 'io.cilium/lb-ipam-sharing-cross-namespace'];

function annotation(annotations: Record<string, unknown> | undefined, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = annotations?.[key];
    if (v !== undefined) return String(v);
  }
  return undefined;
}

/** The sharing annotations as LB-IPAM reads them: an empty key is no key, and the namespace list is split on commas only. */
function sharingOf(annotations: Record<string, unknown> | undefined) {
  const key = annotation(annotations, SHARING_KEY_ANNOTATIONS);
  const namespaces = annotation(annotations, SHARING_NAMESPACE_ANNOTATIONS);
  return {
    ...(key ? { sharingKey: key } : {}),
    sharingNamespaces: namespaces === undefined ? [] : namespaces.split(','),
  };
}

/** Every LoadBalancer Service and every Gateway of class `cilium` rendered. */
export function loadBalancers(objects: readonly RenderedObject[]): LoadBalancerView[] {
  const out: LoadBalancerView[] = [];
  for (const o of objects) {
    const md = o.json.metadata ?? {};
    const display = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    if (o.kind === 'Service' && o.apiVersion === 'v1' && o.json.spec?.type === 'LoadBalancer') {
      out.push({
        object: o,
        kind: 'Service',
        displayName: display,
        labels: { ...(md.labels ?? {}) },
        pinned: pinnedFromAnnotations(md.annotations),
        ...(o.json.spec?.externalTrafficPolicy ? { externalTrafficPolicy: String(o.json.spec.externalTrafficPolicy) } : {}),
        namespace: o.namespace ?? 'default',
        ...sharingOf(md.annotations),
        ports: (Array.isArray(o.json.spec?.ports) ? o.json.spec.ports : []).map((p: any) => ({
          port: Number(p?.port),
          protocol: String(p?.protocol ?? 'TCP'),
        })),
        selector: { ...(o.json.spec?.selector ?? {}) },
      });
    } else if (o.kind === 'Gateway' && isGatewayApiVersion(o.apiVersion) && o.json.spec?.gatewayClassName === 'cilium') {
      const infra = o.json.spec?.infrastructure ?? {};
      const fromAddresses = (Array.isArray(o.json.spec?.addresses) ? o.json.spec.addresses : [])
        .filter((a: any) => a?.type === undefined || a?.type === 'IPAddress')
        .map((a: any) => String(a.value));
      const fromAnnotation = pinnedFromAnnotations(infra.annotations);
      out.push({
        object: o,
        kind: 'Gateway',
        displayName: display,
        labels: { ...(infra.labels ?? {}) },
        // Cilium ignores spec.addresses when the infrastructure annotation is set.
        pinned: fromAnnotation.length ? fromAnnotation : fromAddresses,
        namespace: o.namespace ?? 'default',
        ...sharingOf(infra.annotations),
        ports: (Array.isArray(o.json.spec?.listeners) ? o.json.spec.listeners : []).map((l: any) => ({
          port: Number(l?.port),
          protocol: l?.protocol === 'UDP' ? 'UDP' : 'TCP',
        })),
        selector: {},
      });
    }
  }
  return out;
}

function pinnedFromAnnotations(annotations: Record<string, string> | undefined): string[] {
  const ips = annotation(annotations, IPS_ANNOTATIONS);
  return ips === undefined
    ? []
    : ips
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** The rendered release of the Cilium chart (Flux HelmRelease or Argo CD Application) and its values. */
export interface CiliumValuesView {
  readonly object: RenderedObject;
  readonly values: Record<string, any>;
}

export function ciliumReleases(objects: readonly RenderedObject[], files?: TreeFiles): CiliumValuesView[] {
  const out: CiliumValuesView[] = [];
  for (const o of objects) {
    const spec = o.json.spec ?? {};
    if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
      const chart = spec.chart?.spec?.chart ?? (spec.chartRef ? (spec.releaseName ?? o.name) : undefined);
      if (chart === 'cilium') out.push({ object: o, values: releaseValuesOf(o, files) });
    } else if (o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/')) {
      const sources: any[] = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].filter(Boolean);
      if (sources.some((s) => s.chart === 'cilium')) out.push({ object: o, values: releaseValuesOf(o, files) });
    }
  }
  return out;
}

/** Helm's truthiness for a chart boolean that may be written as a string (`"true"`, the old `"strict"`). */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 'strict';
}
