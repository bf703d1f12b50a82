/**
 * What holds a control-plane VIP: the process or device that answers ARP for it. `ApiEndpoint.vip(address, { holder })`
 * names it in the Cluster model, and the node configuration (K3sServerConfig, TalosMachineConfig) renders it.
 */

/** The kinds of VIP holder the node configuration can render. */
export enum VipHolderKind {
  /** kube-vip in ARP mode, as a DaemonSet on the k3s servers (rendered by K3sServerConfig). */
  KUBE_VIP = 'kube-vip',
  /** Talos' own shared VIP on the control-plane nodes (rendered by TalosMachineConfig). */
  TALOS = 'talos',
}

export interface KubeVipOptions {
  /**
   * The servers' network interface on the node subnet, where kube-vip answers ARP for the VIP (`vip_interface`).
   *
   * Give the name the nodes really have (`ip -br addr` on each server): kube-vip is a DaemonSet, so every server must
   * name its link alike. Nothing here guesses it.
   *
   * @see https://kube-vip.io/docs/installation/daemonset/
   */
  readonly interface: string;
}

export interface TalosVipOptions {
  /**
   * The control-plane nodes' link on the node subnet that carries the VIP: `machine.network.interfaces[].interface`
   * on Talos 1.11, `Layer2VIPConfig.link` on Talos 1.12.
   *
   * @see https://www.talos.dev/v1.11/talos-guides/network/vip/
   */
  readonly interface: string;
  /**
   * Talos 1.11 only: keep DHCP on that link. Listing a link in `machine.network.interfaces` makes it explicitly
   * configured, and Talos then stops running its default DHCP on it; the VIP entry therefore says `dhcp: true` (as
   * Talos' VIP guide does). Set it to false when the nodes' addresses are static and configured by your own patch for
   * the same link (strategic merge joins the two entries by interface name). Talos 1.12's Layer2VIPConfig leaves the
   * link's addressing alone, so it is ignored there.
   *
   * @default true
   */
  readonly dhcp?: boolean;
}

/**
 * What holds the API VIP. A VIP that nothing holds is an address nobody answers: clients, joining nodes and Cilium's
 * agents (k8sServiceHost) reach nothing (rule NET-NODE1).
 *
 * A VIP equal to the Cluster's `externalLoadBalancer.address` is held by that load balancer (EdgeLoadBalancer renders
 * its alias) and names no holder here.
 */
export class VipHolder {
  /**
   * kube-vip in ARP mode on the k3s servers: a DaemonSet with its RBAC, rendered for the k3s server manifests folder
   * (`/var/lib/rancher/k3s/server/manifests/`) by K3sServerConfig, which also puts the VIP in `tls-san`.
   *
   * @see https://kube-vip.io/docs/usage/k3s/
   */
  public static kubeVip(options: KubeVipOptions): VipHolder {
    return new VipHolder(VipHolderKind.KUBE_VIP, options.interface, undefined);
  }

  /**
   * Talos' shared VIP on the control-plane nodes (rendered by TalosMachineConfig in the control-plane patch). It comes up
   * only after the cluster is bootstrapped (election goes through etcd): do not use it as the talosconfig endpoint.
   *
   * @see https://www.talos.dev/v1.11/talos-guides/network/vip/
   */
  public static talos(options: TalosVipOptions): VipHolder {
    return new VipHolder(VipHolderKind.TALOS, options.interface, options.dhcp ?? true);
  }

  /** The link the VIP is announced on. */
  public readonly interface: string;

  private constructor(
    public readonly kind: VipHolderKind,
    link: string,
    /** Talos 1.11: whether the VIP's link entry keeps DHCP on. */
    public readonly dhcp: boolean | undefined,
  ) {
    this.interface = link;
  }
}
