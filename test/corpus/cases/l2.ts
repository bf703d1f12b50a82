/** L2Pool mistakes (NET-L2P): seed 002's pools, policies and Local traffic policy. */
import { k8s } from 'cdk8s-plus-30';
import { AddressBlock, CiliumRelease, Component, L2Pool, Layer, LoadBalancerService, Workload, type L2PoolProps } from '../../../constructs/index.js';
import type { ClusterProps } from '../../../constructs/index.js';
import { CiliumL2AnnouncementPolicy } from '../../../imports/index.js';
import { testCluster } from '../../helpers.js';
import type { CorpusArea } from '../case.js';

function pooled(pool: Partial<L2PoolProps> = {}, cluster: Partial<ClusterProps> = {}) {
  const t = testCluster(cluster);
  new CiliumRelease(t.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true });
  const lan = new L2Pool(t.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')], ...pool });
  return { ...t, pool: lan };
}

export const L2: CorpusArea = {
  area: 'l2',
  cases: [
    {
      name: 'two pools overlap',
      from: 'seed 002 (pool 192.168.10.49-50 beside older pools)',
      expect: 'NET-L2P3',
      build: () => {
        const { app, cluster } = pooled();
        new L2Pool(cluster, 'Second', { blocks: [AddressBlock.cidr('192.168.1.208/29')] });
        return app;
      },
    },
    {
      name: 'a pool outside the node subnet',
      from: "upstream (L2 announcements answer ARP on the nodes' segment only)",
      expect: 'NET-L2P2',
      build: () => pooled({ blocks: [AddressBlock.range('192.168.2.10', '192.168.2.20')] }).app,
    },
    {
      name: "a pool inside the router's DHCP range",
      from: 'seed 002 (Firewalla DHCP .150-.250 on the LAN)',
      expect: 'NET-L2P4',
      build: () => pooled({}, { router: '192.168.1.1', dhcpRange: '192.168.1.150-192.168.1.250' }).app,
    },
    {
      name: 'a pool covering node addresses',
      from: 'seed 002 (pool drawn from the node range)',
      expect: 'NET-L2P4',
      build: () => pooled({ blocks: [AddressBlock.range('192.168.1.20', '192.168.1.30')] }).app,
    },
    {
      name: "a second L2 policy without serviceSelector beside the pool's",
      from: 'seed 002 (duplicate L2 policies, ARP fights)',
      expect: 'NET-L2P7',
      build: () => {
        const { app, cluster } = pooled();
        new CiliumL2AnnouncementPolicy(new Component(cluster, 'Raw', { layer: Layer.NETWORKING, folder: 'raw' }), 'Default', {
          metadata: { name: 'default-l2-announcement' },
          spec: { loadBalancerIPs: true, interfaces: ['^eth[0-9]+'] },
        });
        return app;
      },
    },
    {
      name: 'externalTrafficPolicy Local on a Deployment-backed L2 service',
      from: 'seed 002 ("Local is the critical fix"), cilium#27800',
      expect: 'NET-L2P10',
      build: () => {
        const { app, cluster, pool } = pooled();
        new Workload(cluster, 'dns', { namespace: 'dns', image: 'coredns/coredns:1.12.0', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
        new LoadBalancerService(cluster, 'dns-lb', {
          pool,
          namespace: 'dns',
          selector: { app: 'dns' },
          ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
          externalTrafficPolicy: 'Local',
        });
        return app;
      },
    },
    {
      name: 'two services of one sharing key in two namespaces, neither allowing the other',
      from: 'upstream (LB-IPAM shares across namespaces only when both services allow it)',
      expect: 'NET-L2P14',
      build: () => {
        const { app, cluster, pool } = pooled();
        new LoadBalancerService(cluster, 'web', {
          pool,
          namespace: 'web',
          selector: { app: 'web' },
          ports: [{ name: 'https', port: 443 }],
          allocation: { sharingKey: 'front' },
        });
        new LoadBalancerService(cluster, 'mail', {
          pool,
          namespace: 'mail',
          selector: { app: 'mail' },
          ports: [{ name: 'smtp', port: 25 }],
          allocation: { sharingKey: 'front' },
        });
        return app;
      },
    },
    {
      name: "Cilium's devices name a bond while the pool announces on eth/en interfaces",
      from: "upstream (announced interfaces must be among Cilium's devices)",
      expect: 'NET-L2P15',
      build: () => {
        const { app, cluster } = testCluster();
        new CiliumRelease(cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, devices: ['bond0'] });
        new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')] });
        return app;
      },
    },
    {
      name: 'an address pinned outside its pool',
      from: 'seed 002 (gateway IPs pinned by hand)',
      expect: 'NET-L2P5',
      build: () => {
        const { app, pool } = pooled();
        pool.allocate('gw', { address: '192.168.1.50' });
        return app;
      },
    },
    {
      name: 'lease renew deadline not above the retry period',
      from: 'upstream (renew deadline must exceed retry period by 20%)',
      expect: 'NET-L2P9',
      build: () => pooled({ leaseRenewDeadlineSeconds: 2, leaseRetryPeriodSeconds: 2 }).app,
    },
    {
      name: 'a LoadBalancer Service without a pinned address',
      from: "upstream (an unpinned service can take a gateway's address)",
      expect: 'NET-L2P12',
      build: () => {
        const { app, cluster, pool } = pooled();
        new k8s.KubeService(cluster, 'Squatter', {
          metadata: { name: 'squatter', namespace: 'default', labels: pool.selectorLabels },
          spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] },
        });
        return app;
      },
    },
    {
      name: 'more LoadBalancer Services than the pool has addresses',
      from: 'Cilium LB-IPAM (the service past the last address stays pending)',
      expect: 'NET-L2P6',
      build: () => {
        const { app, cluster, pool } = pooled({ blocks: [AddressBlock.range('192.168.1.200', '192.168.1.200')] });
        for (const name of ['dns', 'mqtt']) {
          new LoadBalancerService(cluster, name, { pool, namespace: name, selector: { app: name }, ports: [{ name, port: name === 'dns' ? 53 : 1883 }] });
        }
        return app;
      },
    },
  ],
};
