/**
 * A small cluster with Cilium, an L2 pool and a DualGateway, for the gateway tests.
 */
import type { App } from 'cdk8s';
import { CiliumRelease, type GatewayApiOptions } from '../../constructs/cilium-release.js';
import { type Cluster, type ClusterProps, Distribution } from '../../constructs/cluster.js';
import { K3sServerConfig } from '../../constructs/k3s-server-config.js';
import { TalosMachineConfig } from '../../constructs/talos-machine-config.js';
import { DualGateway, type DualGatewayProps } from '../../constructs/dual-gateway.js';
import { AddressBlock, L2Pool } from '../../constructs/l2-pool.js';
import type { CiliumMinor } from '../../constructs/core/versions.js';
import { Workload } from '../../constructs/workload.js';
import { SecretSource } from '../../constructs/secret-source.js';
import { testCluster } from '../helpers.js';

export interface Fixture {
  readonly app: App;
  readonly cluster: Cluster;
  readonly pool: L2Pool;
  readonly cilium: CiliumRelease;
  readonly gateways: DualGateway;
  readonly web: Workload;
}

/** The ACME options of the fixtures: the DNS-01 token is made out of band (NET-SEC4 needs a source). */
export const ACME = {
  email: 'ops@example.lan',
  apiTokenSecret: { name: 'cloudflare-api-token', key: 'api-token', source: SecretSource.outOfBand({ command: 'kubectl create secret generic ...' }) },
};

export interface FixtureOptions {
  readonly minor?: CiliumMinor;
  readonly gatewayApi?: GatewayApiOptions | false;
  readonly cluster?: Partial<ClusterProps>;
  readonly gateway?: Partial<DualGatewayProps>;
}

/** A k3s cluster (192.168.1.0/24), Cilium with ALPN on, pool .240-.250, a `web` workload and a DualGateway. */
export function gatewayFixture(options: FixtureOptions = {}): Fixture {
  const { app, cluster } = testCluster(options.cluster ?? {});
  const cilium = new CiliumRelease(cluster, 'Cilium', {
    version: options.minor ?? '1.20',
    kubeProxyReplacement: true,
    ...(options.gatewayApi === false ? {} : { gatewayApi: options.gatewayApi ?? { enableAlpn: true, externalTrafficPolicy: 'Cluster' } }),
  });
  // a k3s cluster with Cilium says how k3s is started (NET-EDGE13)
  if (cluster.distribution === Distribution.K3S) new K3sServerConfig(cluster, 'K3sServerConfig');
  // a Talos cluster with Cilium says how Talos is configured for it (NET-NODE3)
  if (cluster.distribution === Distribution.TALOS) new TalosMachineConfig(cluster, 'TalosMachineConfig');
  const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.240', '192.168.1.250')] });
  const web = new Workload(cluster, 'web', { namespace: 'web', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080, servicePort: 80 }] });
  const gateways = new DualGateway(cluster, 'Gateways', {
    pool,
    acme: ACME,
    externalAddress: '192.168.1.240',
    internalAddress: '192.168.1.241',
    ...(options.gateway ?? {}),
  });
  return { app, cluster, pool, cilium, gateways, web };
}
