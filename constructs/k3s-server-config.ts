/**
 * The k3s server configuration the cluster's Cilium implies (seed 001, step 4: `--flannel-backend=none`,
 * `--disable-network-policy`), rendered from the Cluster and its CiliumRelease instead of typed into k3s.service.
 */
import { Construct } from 'constructs';
import { Document } from 'yaml';
import { CiliumRelease, leasePoolsOf } from './cilium-release.js';
import { Cluster, type ClusterNode, Distribution, NodeRole } from './cluster.js';
import { EdgeFolder, HOST_YAML_SUFFIX } from './edge-folder.js';
import { HelmChart } from './helm-chart.js';
import { KUBE_VIP_IMAGE } from './core/versions.js';
import { K3S_SERVER_MANIFESTS, type KubeVipInput, renderKubeVipManifest } from './node/kube-vip.js';
import { VipHolderKind } from './vip-holder.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** Where a joining node reads the cluster token from (the token itself never enters Git). */
export const K3S_TOKEN_FILE = '/etc/rancher/k3s/cluster-token';

/** Name of the per-node drop-in on the node (k3s reads `/etc/rancher/k3s/config.yaml.d/*.yaml` in order). */
export const K3S_NODE_DROP_IN = '/etc/rancher/k3s/config.yaml.d/50-netkit-node.yaml';

export interface K3sServerConfigProps {
  /**
   * Keep k3s' packaged Traefik ingress controller.
   *
   * With Cilium's Gateway API, Cilium's gateways serve ingress and Traefik only competes: its chart (k3s 1.34 to
   * 1.36) also installs the Gateway API CRDs the CiliumRelease installs, and each would rewrite the other's. Keep
   * it (true) when Ingress objects still rely on it.
   *
   * @default - false when the CiliumRelease enables the Gateway API, true otherwise
   * @see https://docs.k3s.io/networking/networking-services#traefik-ingress-controller
   */
  readonly traefik?: boolean;
}

/** True when Cilium is a cluster's CNI: a CiliumRelease, or a `cilium` chart release added by other means. */
export function runsCilium(cluster: Cluster): boolean {
  return CiliumRelease.of(cluster) !== undefined || cluster.constructsOf(HelmChart).some((c) => c.chart === 'cilium');
}

/**
 * The k3s configuration of a Cilium cluster: `edge/k3s/config.yaml.dist` (→ /etc/rancher/k3s/config.yaml on every
 * server) with the values k3s requires to be identical on all servers, and one drop-in per node
 * `edge/k3s/config.yaml.d/<node>.yaml.dist` (→ /etc/rancher/k3s/config.yaml.d/50-netkit-node.yaml) with its
 * `node-ip` and how it joins.
 *
 * Derived, not typed:
 * - `flannel-backend: none` and `disable-network-policy: true`: Cilium is the CNI and enforces NetworkPolicy.
 * - `disable-kube-proxy: true` only when the CiliumRelease replaces kube-proxy.
 * - `cluster-cidr` / `service-cidr` from the Cluster (cluster-dns defaults to the service CIDR's 10th address).
 * - `tls-san`: the API endpoint and the external load balancer address (k3s adds the node addresses itself).
 * - `disable: [servicelb]` when Cilium LB-IPAM serves LoadBalancer Services (L2 announcements or an address
 *   pool): k3s ServiceLB would also claim every LoadBalancer Service and bind its ports on every node.
 * - `disable: [traefik, gateway-api-crd]` with Cilium's Gateway API (see {@link K3sServerConfigProps.traefik});
 *   `gateway-api-crd` is the Gateway API CRD chart k3s bundles from 1.37 independently of Traefik, which takes
 *   ownership of the CRDs the CiliumRelease installs (an unknown item is ignored by older k3s).
 * - `cluster-init: true` on the first server when the control plane runs embedded etcd; the other servers join it
 *   with `server:`. Agents join the API endpoint. Joining nodes read the token from {@link K3S_TOKEN_FILE}.
 *
 * When the API endpoint is a VIP held by kube-vip (`ApiEndpoint.vip(address, { holder: VipHolder.kubeVip(...) })`), also
 * `edge/k3s/manifests/kube-vip.yaml.dist` (→ /var/lib/rancher/k3s/server/manifests/kube-vip.yaml on every server):
 * kube-vip's RBAC and a DaemonSet on the servers in ARP mode. The VIP is in `tls-san` above.
 *
 * Renders for k3s clusters only; NET-EDGE12 reports any other distribution, and a cluster without Cilium.
 *
 * @see https://docs.k3s.io/installation/configuration#configuration-file
 * @see https://docs.k3s.io/cli/server
 * @see https://docs.cilium.io/en/stable/installation/k3s/
 */
export class K3sServerConfig extends Construct {
  /** The K3sServerConfig of a cluster, if one was added. */
  public static of(cluster: Cluster): K3sServerConfig | undefined {
    return cluster.constructsOf(K3sServerConfig)[0];
  }

  private readonly cluster: Cluster;
  private readonly props: K3sServerConfigProps;

  public constructor(scope: Construct, id: string, given: K3sServerConfigProps = {}) {
    super(scope, id);
    const props = checkProps<K3sServerConfigProps>(this, p.object({ traefik: p.optional(p.boolean()) }), given, {});
    this.cluster = Cluster.of(this);
    this.props = props;
    if (this.cluster.distribution !== Distribution.K3S) return;
    const folder = EdgeFolder.ensure(this);
    const servers = this.cluster.controlPlaneNodes.map((n) => `${n.name} (${n.address})`).join(', ');
    folder.addFile(
      {
        path: `edge/k3s/config.yaml${HOST_YAML_SUFFIX}`,
        destination: `/etc/rancher/k3s/config.yaml on every server: ${servers || 'none declared'}`,
        apply: 'Place it before k3s first starts; on a running cluster see "k3s server configuration" below before changing it.',
      },
      () => this.render(),
      this,
    );
    for (const node of [...this.cluster.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      folder.addFile(
        {
          path: `edge/k3s/config.yaml.d/${fileName(node)}.yaml${HOST_YAML_SUFFIX}`,
          destination: `${K3S_NODE_DROP_IN} on node ${node.name} (${node.address})`,
          apply: 'Place it before k3s first starts on the node (k3s reads the drop-ins after config.yaml).',
        },
        () => this.renderNode(node),
        this,
      );
    }
    if (this.kubeVipInput()) {
      folder.addFile(
        {
          path: `edge/k3s/manifests/kube-vip.yaml${HOST_YAML_SUFFIX}`,
          destination: `${K3S_SERVER_MANIFESTS}/kube-vip.yaml on every server: ${servers || 'none declared'}`,
          apply:
            'Place it with config.yaml, before k3s first starts: k3s applies the folder at startup and on every change. Keep it identical on every server.',
        },
        () => renderKubeVipManifest(this.kubeVipInput()!),
        this,
      );
    }
    folder.addNote('k3s server configuration', [
      '`k3s/config.yaml.dist` holds values k3s requires to be identical on every server (flannel-backend,',
      'disable-network-policy, disable-kube-proxy, cluster-cidr, service-cidr, disable servicelb); a server whose',
      'values differ fails to join with "critical configuration value mismatch". Install k3s with the install script',
      'as usual: it does not manage these files, and the flags they hold need not be repeated in k3s.service.',
      '',
      `Joining nodes read the cluster token from \`${K3S_TOKEN_FILE}\` (mode 0600): copy`,
      '`/var/lib/rancher/k3s/server/token` from the first server there. The token never goes into Git.',
      '',
      'Changing `flannel-backend` or `disable-kube-proxy` on a live cluster is not a restart: it is the seed-001',
      'migration. Snapshot etcd (`k3s etcd-snapshot save`), stop k3s on every node, remove the old datapath',
      '(`/run/flannel`, `/var/lib/cni`, `/etc/cni/net.d/*`, the `flannel.1` and `cni0` links), put the new files on',
      'every server, start the servers close together (etcd needs quorum), then install Cilium from the command line',
      "with the rendered values (Flux's and Argo CD's controllers are pods: they cannot run before a CNI does) and let",
      "GitOps take the release over. Turning kube-proxy off or on interrupts the nodes' existing connections, and",
      'kube-proxy leaves its KUBE-* iptables rules behind. Changing `cluster-cidr` or `service-cidr` re-addresses every',
      'pod and Service: rebuild the cluster instead.',
    ]);
  }

  /** What kube-vip is rendered from, when the Cluster's API VIP is held by kube-vip; undefined otherwise. */
  public kubeVipInput(): KubeVipInput | undefined {
    const api = this.cluster.apiEndpoint;
    if (api.kind !== 'vip' || api.holder?.kind !== VipHolderKind.KUBE_VIP) return undefined;
    return { clusterName: this.cluster.clusterName, address: api.host, port: api.port, interface: api.holder.interface, image: KUBE_VIP_IMAGE };
  }

  /** Components passed to `disable`, sorted. */
  public disabledComponents(): string[] {
    const release = CiliumRelease.of(this.cluster);
    const out: string[] = [];
    if (this.ciliumServesLoadBalancers()) out.push('servicelb');
    const gatewayApi = release?.gatewayApi.enabled ?? false;
    if (gatewayApi) out.push('gateway-api-crd');
    if (!(this.props.traefik ?? !gatewayApi)) out.push('traefik');
    return out.sort();
  }

  /** True when Cilium LB-IPAM assigns LoadBalancer addresses: L2 announcements, an L2 pool, or an address pool object. */
  public ciliumServesLoadBalancers(): boolean {
    const release = CiliumRelease.of(this.cluster);
    if (release?.l2AnnouncementsEnabled) return true;
    if (leasePoolsOf(this.cluster).length > 0) return true;
    return this.cluster.apiObjects.some((o) => o.kind === 'CiliumLoadBalancerIPPool' && o.apiVersion.startsWith('cilium.io/'));
  }

  /** True when Cilium is the cluster's CNI: a CiliumRelease, or a `cilium` chart release added by other means. */
  public hasCilium(): boolean {
    return runsCilium(this.cluster);
  }

  /** The keys of /etc/rancher/k3s/config.yaml, in the order they are written. */
  public serverConfig(): Record<string, unknown> {
    const c = this.cluster;
    const release = CiliumRelease.of(c);
    const config: Record<string, unknown> = {
      'flannel-backend': 'none',
      'disable-network-policy': true,
    };
    if (release?.kubeProxyReplacement) config['disable-kube-proxy'] = true;
    config['cluster-cidr'] = c.podCidr;
    config['service-cidr'] = c.serviceCidr;
    const sans = [c.apiEndpoint.host, ...(c.externalLoadBalancer ? [c.externalLoadBalancer.address] : [])];
    config['tls-san'] = [...new Set(sans)];
    const disable = this.disabledComponents();
    if (disable.length) config.disable = disable;
    return config;
  }

  /** The keys of a node's drop-in: its node-ip, and how it starts or joins the cluster. */
  public nodeConfig(node: ClusterNode): Record<string, unknown> {
    const c = this.cluster;
    const config: Record<string, unknown> = { 'node-ip': node.address };
    const first = c.controlPlaneNodes[0];
    const isServer = node.roles.includes(NodeRole.CONTROL_PLANE);
    if (isServer && node === first) {
      if (c.embeddedEtcd) config['cluster-init'] = true;
    } else if (isServer) {
      if (c.embeddedEtcd && first) Object.assign(config, { server: `https://${first.address}:${c.apiEndpoint.port}`, 'token-file': K3S_TOKEN_FILE });
    } else {
      Object.assign(config, { server: `https://${c.apiEndpoint.host}:${c.apiEndpoint.port}`, 'token-file': K3S_TOKEN_FILE });
    }
    return config;
  }

  private render(): string {
    const doc = new Document(this.serverConfig());
    const release = CiliumRelease.of(this.cluster);
    doc.commentBefore = [
      ` /etc/rancher/k3s/config.yaml for the servers of cluster ${this.cluster.clusterName}, rendered by cdk8s-netkit.`,
      ' Cilium is the CNI and enforces NetworkPolicy: no flannel, no k3s network policy controller.',
      release?.kubeProxyReplacement
        ? ' Cilium replaces kube-proxy (kubeProxyReplacement: true), so k3s runs none.'
        : ' Cilium runs beside kube-proxy (kubeProxyReplacement: false), so k3s keeps running it.',
      ' Every key here must be identical on all servers. Changing flannel-backend or disable-kube-proxy on a live',
      ' cluster is a migration (see edge/README.md), not a restart.',
    ].join('\n');
    return doc.toString({ lineWidth: 0 });
  }

  private renderNode(node: ClusterNode): string {
    const c = this.cluster;
    const config = this.nodeConfig(node);
    const lines = [` ${K3S_NODE_DROP_IN} on node ${node.name} of cluster ${c.clusterName}, rendered by cdk8s-netkit.`];
    lines.push(' node-ip pins the address the node registers with, the one the firewall and load balancer rules use.');
    if (config['cluster-init']) lines.push(' The first server initialises embedded etcd; once its datastore exists k3s ignores cluster-init.');
    if (config.server) lines.push(` Joins with the token in ${K3S_TOKEN_FILE} (copied from /var/lib/rancher/k3s/server/token, never in Git).`);
    const servers = c.controlPlaneNodes.length;
    if (node.roles.includes(NodeRole.CONTROL_PLANE) && !c.embeddedEtcd && servers > 1) {
      lines.push(
        ' Several servers without embedded etcd share an external datastore: give every server its',
        ' datastore-endpoint in a further drop-in kept out of Git (it holds the database credentials).',
      );
    }
    const doc = new Document(config);
    doc.commentBefore = lines.join('\n');
    return doc.toString({ lineWidth: 0 });
  }
}

function fileName(node: ClusterNode): string {
  return node.name.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}
