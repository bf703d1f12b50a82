/**
 * Talos machine-configuration patches from plain input: what the Cluster and its Cilium imply for every node, for the
 * control-plane nodes, and for each node that differs. Pure functions, no cdk8s.
 *
 * The patches are strategic-merge patches (several documents where Talos 1.12 wants documents of their own), usable as
 * they are with `talosctl gen config --config-patch @file` and talhelper's `patches`.
 *
 * @see https://www.talos.dev/v1.11/talos-guides/configuration/patching/
 */
import { Document, isScalar, type YAMLMap } from 'yaml';

/** The Talos minors whose machine-config format is known here. */
export type TalosMinor = '1.11' | '1.12';

/** Talos' KubePrism port when nothing else is asked for (constants.DefaultKubePrismPort). */
export const TALOS_DEFAULT_KUBEPRISM_PORT = 7445;

/** One node as the Talos patches see it. */
export interface TalosNodeInput {
  readonly name: string;
  readonly controlPlane: boolean;
  /** Runs workloads: on a control-plane node, Talos must not taint it NoSchedule. */
  readonly worker: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

/** What the patches are derived from. */
export interface TalosPatchInput {
  readonly clusterName: string;
  readonly version: TalosMinor;
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** The cluster's Cilium, or undefined when Cilium is not its CNI (then Talos keeps its flannel and kube-proxy). */
  readonly cilium?: {
    readonly kubeProxyReplacement: boolean;
    /** Cilium runs eBPF host routing (see cilium/datapath.ts). */
    readonly ebpfHostRouting: boolean;
  };
  /** KubePrism's port: the CiliumRelease's k8sServicePort when Cilium reaches the API through KubePrism. */
  readonly kubePrismPort: number;
  /** The control-plane VIP Talos holds. */
  readonly vip?: { readonly address: string; readonly link: string; readonly dhcp: boolean };
  readonly nodes: readonly TalosNodeInput[];
}

/** One patch: its documents (a `v1alpha1` config part first, then typed documents) and why each setting is there. */
export interface TalosPatch {
  readonly documents: readonly Record<string, unknown>[];
  /** Comments by dotted path into the first document, or by `kind` for a typed document. */
  readonly notes: ReadonlyMap<string, string>;
}

/** Every patch of a cluster. `controlPlane` is undefined when the control-plane nodes need nothing of their own. */
export interface TalosPatches {
  readonly all: TalosPatch;
  readonly controlPlane?: TalosPatch;
  /** Per node, only for nodes that differ from the rest of their group; by node name. */
  readonly nodes: ReadonlyMap<string, TalosPatch>;
}

/** Builds patch content with a comment per setting. */
class PatchBuilder {
  private readonly config: Record<string, unknown> = {};
  private readonly docs: Record<string, unknown>[] = [];
  private readonly notes = new Map<string, string>();

  /** Set a value in the v1alpha1 part at a dotted path, with the reason. */
  public set(path: string, value: unknown, note?: string): this {
    const keys = path.split('.');
    let cur = this.config;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
    cur[keys.at(-1)!] = value;
    if (note) this.notes.set(path, note);
    return this;
  }

  /** Add a typed document (Talos 1.12 multi-document config), with the reason. */
  public document(doc: Record<string, unknown>, note?: string): this {
    this.docs.push(doc);
    if (note) this.notes.set(`kind:${String(doc.kind)}`, note);
    return this;
  }

  public get empty(): boolean {
    return Object.keys(this.config).length === 0 && this.docs.length === 0;
  }

  public build(): TalosPatch {
    return { documents: [...(Object.keys(this.config).length ? [this.config] : []), ...this.docs], notes: new Map(this.notes) };
  }
}

/** The patches the input implies. */
export function talosPatches(input: TalosPatchInput): TalosPatches {
  const all = new PatchBuilder();
  if (input.cilium) {
    all.set('cluster.network.cni', { name: 'none' }, 'Cilium is the CNI: no Talos flannel. Nodes stay NotReady until Cilium is installed.');
  }
  all.set('cluster.network.podSubnets', [input.podCidr], "The Cluster's pod CIDR (Talos defaults to 10.244.0.0/16; a patch replaces the list).");
  all.set('cluster.network.serviceSubnets', [input.serviceCidr], "The Cluster's service CIDR (Talos defaults to 10.96.0.0/12; a patch replaces the list).");
  if (input.cilium?.kubeProxyReplacement) {
    all.set('cluster.proxy.disabled', true, 'Cilium replaces kube-proxy (kubeProxyReplacement: true): Talos runs none.');
  }
  all.set(
    'machine.features.kubePrism',
    { enabled: true, port: input.kubePrismPort },
    input.cilium
      ? `KubePrism on the port Cilium's k8sServicePort names (${input.kubePrismPort}): the agents reach the API on localhost.`
      : 'KubePrism, the node-local API load balancer.',
  );
  if (input.cilium?.ebpfHostRouting) {
    all.set(
      'machine.features.hostDNS.forwardKubeDNSToHost',
      false,
      [
        "Cilium runs eBPF host routing (kubeProxyReplacement and bpf.masquerade), under which CoreDNS's queries to Talos'",
        'host DNS (169.254.116.108) time out (siderolabs/talos#10002, cilium/cilium#36737). Of the two fixes this one keeps',
        "eBPF host routing; Cilium's bpf.hostLegacyRouting would give it up, and with it BBR (NET-CIL15) and the faster",
        'datapath. CoreDNS forwards to the upstream resolvers itself. On a running cluster, restart the CoreDNS pods after',
        'applying.',
      ].join('\n'),
    );
  }

  const cp = new PatchBuilder();
  const controlPlanes = input.nodes.filter((n) => n.controlPlane);
  const schedulable = controlPlanes.filter((n) => n.worker);
  const allSchedulable = controlPlanes.length > 0 && schedulable.length === controlPlanes.length;
  if (allSchedulable) {
    cp.set('cluster.allowSchedulingOnControlPlanes', true, 'Every control-plane node is also a worker in the Cluster: Talos must not taint them NoSchedule.');
  }
  if (input.vip) {
    const why = `The API VIP ${input.vip.address}, held by the control-plane nodes on ${input.vip.link} (one at a time, elected through etcd: up only after bootstrap).`;
    if (input.version === '1.11') {
      cp.set(
        'machine.network.interfaces',
        [{ interface: input.vip.link, ...(input.vip.dhcp ? { dhcp: true } : {}), vip: { ip: input.vip.address } }],
        input.vip.dhcp
          ? `${why}\nListing the link makes it explicitly configured, so Talos stops its default DHCP on it: dhcp keeps it on.`
          : `${why}\nThe link's static addresses come from your own patch for ${input.vip.link} (merged by interface name).`,
      );
    } else {
      cp.document(
        { apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: input.vip.address, link: input.vip.link },
        `${why}\nTalos 1.12 configures the VIP as a document of its own.`,
      );
    }
  }

  const nodes = new Map<string, TalosPatch>();
  for (const n of [...input.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = new PatchBuilder();
    if (n.controlPlane && n.worker && !allSchedulable) {
      p.set(
        'cluster.allowSchedulingOnControlPlanes',
        true,
        `Node ${n.name} is a control-plane node that also runs workloads; the other control-plane nodes do not.`,
      );
    }
    const labels = Object.keys(n.labels).sort();
    if (labels.length) {
      p.set('machine.nodeLabels', Object.fromEntries(labels.map((k) => [k, n.labels[k]])), `The labels the Cluster gives node ${n.name}.`);
    }
    if (!p.empty) nodes.set(n.name, p.build());
  }
  return { all: all.build(), ...(cp.empty ? {} : { controlPlane: cp.build() }), nodes };
}

/** Renders a patch as YAML: a header, then each document with a comment before every setting. */
export function renderTalosPatch(patch: TalosPatch, header: readonly string[]): string {
  const out = patch.documents.map((content, i) => {
    const doc = new Document(content, { aliasDuplicateObjects: false });
    if (i === 0) doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
    if (typeof content.kind === 'string') {
      const note = patch.notes.get(`kind:${content.kind}`);
      if (note) doc.commentBefore = [doc.commentBefore, indentComment(note)].filter(Boolean).join('\n\n');
    } else {
      for (const [path, note] of patch.notes) if (!path.startsWith('kind:')) commentAt(doc, path.split('.'), note);
    }
    return doc.toString({ lineWidth: 0 });
  });
  return out.join('---\n');
}

function indentComment(text: string): string {
  return text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
}

/** Put `text` as a comment before the key at `path` (the deepest existing key on it). */
function commentAt(doc: Document, path: readonly string[], text: string): void {
  let keys = [...path];
  while (keys.length > 0) {
    const parent = (keys.length > 1 ? doc.getIn(keys.slice(0, -1)) : doc.contents) as YAMLMap | undefined;
    const pair = parent?.items?.find((p) => (isScalar(p.key) ? p.key.value : p.key) === keys.at(-1));
    if (pair) {
      if (!isScalar(pair.key)) pair.key = doc.createNode(pair.key);
      const key = pair.key as { commentBefore?: string | null };
      key.commentBefore = [key.commentBefore, indentComment(text)].filter(Boolean).join('\n');
      return;
    }
    keys = keys.slice(0, -1);
  }
}
