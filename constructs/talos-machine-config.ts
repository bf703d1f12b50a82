/**
 * The Talos machine configuration the Cluster and its Cilium imply, as patches for `talosctl gen config` and talhelper:
 * no Talos CNI and no kube-proxy where Cilium replaces them, the Cluster's subnets, KubePrism on Cilium's port, host DNS
 * kept out of Cilium's way, and the control-plane VIP.
 */
import { Construct } from 'constructs';
import { CiliumRelease } from './cilium-release.js';
import { ebpfHostRouting, kubeProxyReplaced } from './cilium/datapath.js';
import { Cluster, type ClusterNode, Distribution, NodeRole } from './cluster.js';
import { EdgeFolder, HOST_YAML_SUFFIX } from './edge-folder.js';
import { runsCilium } from './k3s-server-config.js';
import { renderTalosPatch, TALOS_DEFAULT_KUBEPRISM_PORT, type TalosPatch, type TalosPatches, type TalosPatchInput, talosPatches } from './node/talos.js';
import { VipHolderKind } from './vip-holder.js';

/** The patch for every node. */
export const TALOS_PATCH_ALL = `edge/talos/all.patch.yaml${HOST_YAML_SUFFIX}`;
/** The patch for the control-plane nodes, when they need one. */
export const TALOS_PATCH_CONTROL_PLANE = `edge/talos/controlplane.patch.yaml${HOST_YAML_SUFFIX}`;

/** The patch of one node that differs from the rest of its group. */
export function talosNodePatchPath(nodeName: string): string {
  return `edge/talos/nodes/${nodeName.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}.patch.yaml${HOST_YAML_SUFFIX}`;
}

/** k8sServiceHost values that mean "this node", where Talos' KubePrism listens. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * Talos machine-configuration patches under `edge/talos/`, derived from the Cluster and its CiliumRelease:
 *
 * - `all.patch.yaml.dist`, for every node (`--config-patch`, talhelper top-level `patches`):
 *   `cluster.network.cni.name: none` with Cilium; `cluster.network.podSubnets`/`serviceSubnets` from the Cluster (Talos
 *   defaults to 10.244.0.0/16 and 10.96.0.0/12 otherwise); `cluster.proxy.disabled` under kube-proxy replacement;
 *   `machine.features.kubePrism` on the port the CiliumRelease uses as k8sServicePort; and
 *   `machine.features.hostDNS.forwardKubeDNSToHost: false` when Cilium runs eBPF host routing (kube-proxy replacement
 *   with bpf.masquerade), under which CoreDNS's queries to Talos' host DNS time out. The other fix, Cilium's
 *   `bpf.hostLegacyRouting: true`, would give up eBPF host routing and with it BBR (NET-CIL15); this one costs nothing.
 * - `controlplane.patch.yaml.dist`, where the control-plane nodes need something (`--config-patch-control-plane`,
 *   talhelper `controlPlane.patches`): the API VIP held by Talos (`VipHolder.talos`) — on Talos 1.11
 *   `machine.network.interfaces[].vip`, on 1.12 a `Layer2VIPConfig` document — and `allowSchedulingOnControlPlanes`
 *   when every control-plane node is also a worker.
 * - `nodes/<node>.patch.yaml.dist`, for each node that differs (talhelper `nodes[].patches`): its labels, or
 *   `allowSchedulingOnControlPlanes` when only some control-plane nodes are workers.
 *
 * The format follows the Cluster's `talosVersion` (NET-NODE2). Renders for Talos clusters only (NET-NODE4).
 *
 * @see https://www.talos.dev/v1.11/talos-guides/configuration/patching/
 * @see https://www.talos.dev/v1.11/kubernetes-guides/network/deploying-cilium/
 * @see https://budimanjojo.github.io/talhelper/latest/reference/configuration/
 */
export class TalosMachineConfig extends Construct {
  /** The TalosMachineConfig of a cluster, if one was added. */
  public static of(cluster: Cluster): TalosMachineConfig | undefined {
    return cluster.constructsOf(TalosMachineConfig)[0];
  }

  private readonly cluster: Cluster;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.cluster = Cluster.of(this);
    if (this.cluster.distribution !== Distribution.TALOS) return;
    const folder = EdgeFolder.ensure(this);
    const version = this.cluster.talosVersion ? `Talos ${this.cluster.talosVersion}` : 'Talos (version not named)';
    // Which files exist depends on the Cluster alone (VIP, roles, labels); what they hold also on the CiliumRelease.
    const layout = talosPatches(this.input());
    folder.addFile(
      {
        path: TALOS_PATCH_ALL,
        destination: `the machine config of every node (${version}): \`talosctl gen config --config-patch @talos/all.patch.yaml${HOST_YAML_SUFFIX}\`, or talhelper's top-level \`patches\``,
        apply: 'See "Talos machine configuration" below.',
      },
      () => this.render('all'),
      this,
    );
    if (layout.controlPlane) {
      folder.addFile(
        {
          path: TALOS_PATCH_CONTROL_PLANE,
          destination: `the machine config of the control-plane nodes: ${this.cluster.controlPlaneNodes.map((n) => n.name).join(', ')} (\`--config-patch-control-plane\`, talhelper \`controlPlane.patches\`)`,
          apply: 'See "Talos machine configuration" below.',
        },
        () => this.render('controlPlane'),
        this,
      );
    }
    for (const name of layout.nodes.keys()) {
      const node = this.cluster.nodes.find((n) => n.name === name)!;
      folder.addFile(
        {
          path: talosNodePatchPath(name),
          destination: `the machine config of node ${node.name} (${node.address}) only (talhelper \`nodes[].patches\`)`,
          apply: 'See "Talos machine configuration" below.',
        },
        () => this.render('node', name),
        this,
      );
    }
    const endpoint = `https://${this.cluster.apiEndpoint.host}:${this.cluster.apiEndpoint.port}`;
    const nodeFiles = [...layout.nodes.keys()].map((n) => talosNodePatchPath(n).replace(/^edge\//, ''));
    folder.addNote('Talos machine configuration', [
      "Run in an empty folder outside the repository: `talosctl gen` writes the cluster's keys (secrets.yaml,",
      'controlplane.yaml, worker.yaml, talosconfig) where it runs, and none of them may reach Git. EDGE is this folder.',
      '',
      '```sh',
      `EDGE=<repository>/clusters/${this.cluster.clusterName}/edge`,
      'talosctl gen secrets -o secrets.yaml',
      `talosctl gen config ${this.cluster.clusterName} ${endpoint} --with-secrets secrets.yaml \\`,
      `  --config-patch @"$EDGE"/talos/all.patch.yaml${HOST_YAML_SUFFIX}${layout.controlPlane ? ' \\' : ''}`,
      ...(layout.controlPlane ? [`  --config-patch-control-plane @"$EDGE"/talos/controlplane.patch.yaml${HOST_YAML_SUFFIX}`] : []),
      ...nodeFiles.map((f) => {
        const name = f.replace(/^talos\/nodes\//, '').replace(/\.patch\.yaml\.dist$/, '');
        const node = this.cluster.nodes.find((n) => talosNodePatchPath(n.name) === `edge/${f}`);
        const base = node?.roles.includes(NodeRole.CONTROL_PLANE) ? 'controlplane.yaml' : 'worker.yaml';
        return `talosctl machineconfig patch ${base} --patch @"$EDGE"/${f} -o ${name}.yaml`;
      }),
      '```',
      '',
      "A registry-mirrors patch, where present, is one more `--config-patch`. Apply each node's file with",
      '`talosctl apply-config --insecure -n <node address> -f <file>`, then `talosctl bootstrap` on one control-plane node.',
      'With talhelper, list the same files in talconfig.yaml: `patches` (every node), `controlPlane.patches`, and',
      '`nodes[].patches` for a node\'s own file, each as `"@./<path to this folder>/talos/<file>"`; give each node its',
      "`hostname` there (Talos otherwise picks one itself, and the Cluster's node names are what the kubelet registers).",
      '',
      'With `cni: none` every node stays NotReady, and Talos reboots it after about ten minutes, until Cilium is installed:',
      'that is expected. The VIP comes up once etcd runs; talk to the nodes by their own addresses (talosconfig endpoints),',
      'never by the VIP. Patches applied to a running node (`talosctl patch mc -n <node> --patch @<file>`) change its',
      'configuration in place; changing the pod or service subnets re-addresses the cluster: rebuild it instead.',
    ]);
  }

  /** The patches, as documents (for tests and reviews). */
  public patches(): TalosPatches {
    return talosPatches(this.input());
  }

  /** What the patches are derived from: the Cluster and the CiliumRelease's rendered values. */
  public input(): TalosPatchInput {
    const c = this.cluster;
    const release = CiliumRelease.of(c);
    const values = release?.values() ?? {};
    const prism = release && LOCAL_HOSTS.has(release.k8sServiceHost) ? release.k8sServicePort : TALOS_DEFAULT_KUBEPRISM_PORT;
    const holder = c.apiEndpoint.kind === 'vip' ? c.apiEndpoint.holder : undefined;
    return {
      clusterName: c.clusterName,
      version: c.talosVersion ?? '1.12',
      podCidr: c.podCidr,
      serviceCidr: c.serviceCidr,
      ...(runsCilium(c) ? { cilium: { kubeProxyReplacement: kubeProxyReplaced(values), ebpfHostRouting: ebpfHostRouting(values) } } : {}),
      kubePrismPort: prism,
      ...(holder?.kind === VipHolderKind.TALOS ? { vip: { address: c.apiEndpoint.host, link: holder.interface, dhcp: holder.dhcp ?? true } } : {}),
      nodes: c.nodes.map((n: ClusterNode) => ({
        name: n.name,
        controlPlane: n.roles.includes(NodeRole.CONTROL_PLANE),
        worker: n.roles.includes(NodeRole.WORKER),
        labels: n.labels,
      })),
    };
  }

  private render(which: 'all' | 'controlPlane' | 'node', nodeName?: string): string {
    const c = this.cluster;
    if (!c.talosVersion) {
      return '# Not rendered: the Cluster names no talosVersion, and the patch format depends on it (NET-NODE2).\n';
    }
    const patches = this.patches();
    const patch: TalosPatch | undefined = which === 'all' ? patches.all : which === 'controlPlane' ? patches.controlPlane : patches.nodes.get(nodeName!);
    const target =
      which === 'all'
        ? 'every node'
        : which === 'controlPlane'
          ? `the control-plane nodes (${c.controlPlaneNodes.map((n) => n.name).join(', ')})`
          : `node ${nodeName}`;
    const how =
      which === 'all'
        ? 'talosctl gen config ... --config-patch @<this file>; talhelper: top-level patches.'
        : which === 'controlPlane'
          ? 'talosctl gen config ... --config-patch-control-plane @<this file>; talhelper: controlPlane.patches.'
          : 'talosctl machineconfig patch <its base config> --patch @<this file>; talhelper: nodes[].patches.';
    const header = [
      `Talos ${c.talosVersion} machine-config patch for ${target} of cluster ${c.clusterName}, rendered by cdk8s-netkit.`,
      `Apply: ${how}`,
      'Every setting is derived from the Cluster and its CiliumRelease; change those and render again.',
    ];
    // the file set was fixed at construction from the Cluster alone; the content cannot drop a file it announced
    return patch ? renderTalosPatch(patch, header) : `# ${header[0]}\n# Nothing for ${target} to set.\n`;
  }
}
