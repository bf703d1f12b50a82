import { ipPools, loadBalancers, matches, poolBlocks } from '../../l2/inspect.js';
import { defineRule } from '../rule.js';

/** NET-L2P12: every LoadBalancer Service and cilium Gateway is pinned to an address of a pool that serves it. */
export const LoadBalancersPinned = defineRule({
  id: 'NET-L2P12',
  level: 'error',
  title: 'Every LoadBalancer Service and Gateway has a pinned address from a pool that serves it',
  lesson:
    'An unpinned LoadBalancer takes the next free pool address; after a re-create it can take the address DNS and clients expect for ' +
    'another service (seed 002 pins .49 and .50 to its gateways by hand). Nothing squats: each LoadBalancer asks for its address, ' +
    'from a pool whose serviceSelector matches it.',
  source: 'seed 002; Gateway API spec.addresses; Cilium LB-IPAM (lbipam.cilium.io/ips)',
  fix: 'Create LoadBalancer Services with LoadBalancerService / pool.loadBalancerServiceMetadata(owner), and give Gateways an address with pool.allocate(owner).',
  *check({ objects }) {
    const pools = ipPools(objects).map((p) => ({ pool: p, blocks: poolBlocks(p) }));
    for (const lb of loadBalancers(objects)) {
      const g = lb.object.json;
      if (lb.kind === 'Gateway' && g.spec?.infrastructure?.annotations?.['io.cilium/lb-ipam-ips'] !== undefined && Array.isArray(g.spec?.addresses) && g.spec.addresses.length) {
        yield { at: lb.object.path, message: `${lb.displayName} sets both spec.addresses and the io.cilium/lb-ipam-ips infrastructure annotation: Cilium ignores spec.addresses`, value: g.spec.addresses, expected: 'spec.addresses only' };
      }
      if (!lb.pinned.length) {
        yield {
          at: lb.object.path,
          message: `${lb.displayName} has no pinned address: it takes whichever pool address is free and can squat another service's address`,
          value: lb.kind === 'Gateway' ? 'no spec.addresses' : 'no lbipam.cilium.io/ips annotation',
          expected: lb.kind === 'Gateway' ? 'spec.addresses: [{type: IPAddress, value}]' : 'annotation lbipam.cilium.io/ips',
        };
        continue;
      }
      const serving = pools.filter((p) => matches(p.pool.json.spec?.serviceSelector, lb.labels));
      if (!serving.length) {
        yield {
          at: lb.object.path,
          message: `${lb.displayName} is pinned to ${lb.pinned.join(', ')} but no pool's serviceSelector matches its labels: LB-IPAM leaves it pending`,
          value: lb.labels,
          expected: `the selectorLabels of a pool (${pools.map((p) => p.pool.name).join(', ') || 'none rendered'})`,
        };
        continue;
      }
      for (const address of lb.pinned) {
        if (serving.some((p) => p.blocks.some((b) => b.range?.contains(address)))) continue;
        yield {
          at: lb.object.path,
          message: `${lb.displayName} is pinned to ${address}, which is in no pool that serves it (${serving.map((p) => p.pool.name).join(', ')})`,
          value: address,
          expected: `an address of ${serving.map((p) => `${p.pool.name} (${p.blocks.map((b) => b.text).join(', ')})`).join('; ')}`,
        };
      }
    }
  },
});
