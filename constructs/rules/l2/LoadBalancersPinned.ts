import { ipPools, loadBalancers, matches, poolBlocks, type RenderedBlock } from './model.js';
import type { RenderedObject } from '../rule.js';
import { defineRule } from '../rule.js';

/**
 * Whether LB-IPAM hands out `address` from `block` of `pool`: with `allowFirstLastIPs: "No"` the first and last address of
 * each CIDR block are reserved, except in /31, /32, /127 and /128 blocks (CiliumLoadBalancerIPPool CRD).
 */
function allocatable(pool: RenderedObject, block: RenderedBlock, address: string): boolean {
  const range = block.range;
  if (!range?.contains(address)) return false;
  if (pool.json.spec?.allowFirstLastIPs !== 'No' || range.prefixLength === undefined) return true;
  if (range.prefixLength >= (range.family === 4 ? 31 : 127)) return true;
  const i = range.indexOf(address);
  return i !== 0n && i !== range.size - 1n;
}

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
  fix:
    'Create LoadBalancer Services with LoadBalancerService / pool.loadBalancerServiceMetadata(owner), and give Gateways an address with pool.allocate(owner). ' +
    'A pool patched to disabled: true allocates nothing new, and one with allowFirstLastIPs: "No" keeps the first and last address of each CIDR.',
  *check({ objects }) {
    const pools = ipPools(objects).map((p) => ({ pool: p, blocks: poolBlocks(p) }));
    for (const lb of loadBalancers(objects)) {
      const g = lb.object.json;
      if (
        lb.kind === 'Gateway' &&
        g.spec?.infrastructure?.annotations?.['io.cilium/lb-ipam-ips'] !== undefined &&
        Array.isArray(g.spec?.addresses) &&
        g.spec.addresses.length
      ) {
        yield {
          at: lb.object.path,
          message: `${lb.displayName} sets both spec.addresses and the io.cilium/lb-ipam-ips infrastructure annotation: Cilium ignores spec.addresses`,
          value: g.spec.addresses,
          expected: 'spec.addresses only',
        };
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
      const selecting = pools.filter((p) => matches(p.pool.json.spec?.serviceSelector, lb.labels));
      // a disabled pool allocates no new address (existing allocations stay until the Service is re-created)
      const serving = selecting.filter((p) => p.pool.json.spec?.disabled !== true);
      if (selecting.length && !serving.length) {
        yield {
          at: lb.object.path,
          message: `${lb.displayName} is pinned to ${lb.pinned.join(', ')} but every pool that serves it is disabled (${selecting.map((p) => p.pool.name).join(', ')}): LB-IPAM allocates no new address from it`,
          value: selecting.map((p) => p.pool.name),
          expected: 'a pool without disabled: true that serves it',
        };
        continue;
      }
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
        if (serving.some((p) => p.blocks.some((b) => allocatable(p.pool, b, address)))) continue;
        const reserved = serving.find((p) => p.blocks.some((b) => b.range?.contains(address)));
        if (reserved) {
          yield {
            at: lb.object.path,
            message: `${lb.displayName} is pinned to ${address}, the first or last address of a CIDR of pool ${reserved.pool.name}, which reserves them (allowFirstLastIPs: "No"): LB-IPAM leaves it pending`,
            value: address,
            expected: `an address of ${reserved.pool.name} other than the first and last of each CIDR, or allowFirstLastIPs: "Yes"`,
          };
          continue;
        }
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
