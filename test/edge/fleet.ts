/** Clusters with the edge constructs, modelled on the example fleet, for the construct and rule tests. */
import { App } from 'cdk8s';
import {
  ApiEndpoint,
  CiliumRelease,
  Cluster,
  type ClusterProps,
  Distribution,
  EdgeLoadBalancer,
  type EdgeLoadBalancerProps,
  EgressProbes,
  GitOps,
  MssClamp,
  NodeFirewall,
  type NodeFirewallProps,
  NodeRole,
  RegistryCache,
  RegistryMirror,
  Routing,
  TalosVersion,
  VipHolder,
} from '../../constructs/index.js';
import { HOMELAB_PROPS, OCEANID_PROPS } from '../../main.js';
import { tempDir } from '../helpers.js';

const { CONTROL_PLANE, WORKER } = NodeRole;

/** Seed 001's homelab, the example fleet's own cluster model. */
export const HOMELAB: ClusterProps = HOMELAB_PROPS;

/** Seed 004's oceanid, the example fleet's own cluster model. */
export const OCEANID: ClusterProps = OCEANID_PROPS;

/** A Talos cluster (seed 002's addresses), for the Talos registry patch. */
export const TALOS: ClusterProps = {
  distribution: Distribution.TALOS,
  nodes: [
    { name: 'talos-cp1', address: '192.168.10.101', roles: [CONTROL_PLANE] },
    { name: 'talos-w1', address: '192.168.10.111', roles: [WORKER] },
  ],
  nodeSubnet: '192.168.10.0/24',
  podCidr: '10.14.0.0/16',
  serviceCidr: '10.43.0.0/16',
  apiEndpoint: ApiEndpoint.vip('192.168.10.100', { holder: VipHolder.talos({ interface: 'eth0' }) }),
  talosVersion: TalosVersion.V1_11,
  domain: 'vanillax.me',
  gitops: GitOps.argocd({ repoUrl: 'https://github.com/example/talos-gitops.git', revision: 'main' }),
};

export interface HomelabOptions {
  readonly cluster?: Partial<ClusterProps>;
  readonly lb?: EdgeLoadBalancerProps | false;
  readonly firewall?: NodeFirewallProps;
  readonly routing?: Routing;
}

export function homelab(o: HomelabOptions = {}): { app: App; cluster: Cluster } {
  const app = new App({ outdir: tempDir('netkit-edge-dist-') });
  const cluster = new Cluster(app, 'homelab', { ...HOMELAB, ...(o.cluster ?? {}) });
  new CiliumRelease(cluster, 'Cilium', { version: '1.19', routing: o.routing ?? Routing.tunnel('vxlan') });
  if (o.lb !== false) new EdgeLoadBalancer(cluster, 'EdgeLoadBalancer', o.lb ?? {});
  new NodeFirewall(cluster, 'NodeFirewall', o.firewall ?? { nodeExporter: {} });
  return { app, cluster };
}

export function oceanid(o: { cluster?: Partial<ClusterProps>; cache?: RegistryCache; clamp?: boolean; pathMtu?: number } = {}): { app: App; cluster: Cluster } {
  const app = new App({ outdir: tempDir('netkit-edge-dist-') });
  const cluster = new Cluster(app, 'oceanid', { ...OCEANID, ...(o.cluster ?? {}) });
  new CiliumRelease(cluster, 'Cilium', { version: '1.20', repository: 'oci' });
  new RegistryMirror(cluster, 'RegistryMirror', { cache: o.cache ?? RegistryCache.registryProxies('10.27.27.5', 5000) });
  if (o.clamp !== false) new MssClamp(cluster, 'MssClamp', o.pathMtu !== undefined ? { pathMtu: o.pathMtu } : {});
  new EgressProbes(cluster, 'EgressProbes');
  return { app, cluster };
}

export function talos(): { app: App; cluster: Cluster } {
  const app = new App({ outdir: tempDir('netkit-edge-dist-') });
  const cluster = new Cluster(app, 'talos', TALOS);
  new CiliumRelease(cluster, 'Cilium', { version: '1.20', routing: Routing.native(), kubeProxyReplacement: true });
  new RegistryMirror(cluster, 'RegistryMirror', { cache: RegistryCache.pathPerRegistry('https://cache.lan:5443/v2/{registry}') });
  return { app, cluster };
}

/** A generic cluster with a dedicated control plane (embedded etcd) and native routing, for the firewall. */
export function generic(): { app: App; cluster: Cluster } {
  const app = new App({ outdir: tempDir('netkit-edge-dist-') });
  // no VIP holder the library renders on a generic cluster, and no Talos version: the API at the control-plane node
  const { talosVersion: _version, ...props } = TALOS;
  const cluster = new Cluster(app, 'generic', {
    ...props,
    distribution: Distribution.GENERIC,
    apiEndpoint: ApiEndpoint.node('192.168.10.101'),
    embeddedEtcd: true,
    gitops: GitOps.flux(),
  });
  new CiliumRelease(cluster, 'Cilium', { version: '1.20', routing: Routing.native(), kubeProxyReplacement: true });
  new NodeFirewall(cluster, 'NodeFirewall');
  return { app, cluster };
}
