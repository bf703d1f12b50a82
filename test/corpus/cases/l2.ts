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
      says: 'pool second block 192.168.1.208/29 overlaps pool lan block 192.168.1.200-192.168.1.210',
      value: '192.168.1.200-192.168.1.210 ∩ 192.168.1.208/29',
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
      says: 'pool lan block 192.168.2.10-192.168.2.20 is not inside the node subnet 192.168.1.0/24: ARP never reaches it',
      value: '192.168.2.10-192.168.2.20',
      build: () => pooled({ blocks: [AddressBlock.range('192.168.2.10', '192.168.2.20')] }).app,
    },
    {
      name: "a pool inside the router's DHCP range",
      from: 'seed 002 (Firewalla DHCP .150-.250 on the LAN)',
      expect: 'NET-L2P4',
      says: 'pool lan block 192.168.1.200-192.168.1.210 overlaps the DHCP range (192.168.1.150-192.168.1.250)',
      value: '192.168.1.200-192.168.1.210',
      build: () => pooled({}, { router: '192.168.1.1', dhcpRange: '192.168.1.150-192.168.1.250' }).app,
    },
    {
      name: 'a pool covering node addresses',
      from: 'seed 002 (pool drawn from the node range)',
      expect: 'NET-L2P4',
      says: 'pool lan block 192.168.1.20-192.168.1.30 overlaps node w1 (192.168.1.21)',
      value: '192.168.1.20-192.168.1.30',
      build: () => pooled({ blocks: [AddressBlock.range('192.168.1.20', '192.168.1.30')] }).app,
    },
    {
      name: "a second L2 policy without serviceSelector beside the pool's",
      from: 'seed 002 (duplicate L2 policies, ARP fights)',
      expect: 'NET-L2P7',
      says: 'L2 announcement policies lan and default-l2-announcement both select services of pool lan: their',
      value: ['lan', 'default-l2-announcement'],
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
      says: 'Service dns/dns-lb uses externalTrafficPolicy Local and is announced by L2 policy lan, but no',
      value: 'Local',
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
      says: 'Service mail/mail and Service web/web carry sharing key "front" for 192.168.1.200, but LB-IPAM will',
      value: 'front',
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
      says: "L2 policy lan announces on interfaces ^(eth|en), but Cilium's devices are bond0: ^(eth|en) matches",
      value: { policy: 'lan', interfaces: ['^(eth|en)'], devices: ['bond0'] },
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
      says: 'gw is pinned to 192.168.1.50, outside pool lan (192.168.1.200-192.168.1.210): LB-IPAM leaves it pending',
      value: '192.168.1.50',
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
      says: 'pool lan: the renew deadline must exceed the retry period by at least 20%',
      value: { leaseDurationSeconds: 15, leaseRenewDeadlineSeconds: 2, leaseRetryPeriodSeconds: 2 },
      build: () => pooled({ leaseRenewDeadlineSeconds: 2, leaseRetryPeriodSeconds: 2 }).app,
    },
    {
      name: 'a LoadBalancer Service without a pinned address',
      from: "upstream (an unpinned service can take a gateway's address)",
      expect: 'NET-L2P12',
      says: 'Service default/squatter has no pinned address: it takes whichever pool address is free and can',
      value: 'no lbipam.cilium.io/ips annotation',
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
      says: 'pool lan has no free address left for mqtt',
      value: '1 allocations, 1 addresses',
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
