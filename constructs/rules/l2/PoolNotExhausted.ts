import { defineRule } from '../rule.js';

/**
 * NET-L2P6: the pool has an address for every allocation asked of it.
 *
 * Reported by the pool itself (phase `model`): `L2Pool.allocate` records the finding when no address is left and
 * returns no address, so the owner renders unpinned instead of with a made-up one.
 */
export const PoolNotExhausted = defineRule({
  id: 'NET-L2P6',
  level: 'error',
  phase: 'model',
  title: 'Pools have an address for every allocation',
  lesson:
    'An exhausted pool leaves the next LoadBalancer pending with no event most people look at; the gateway simply never gets an address. ' +
    'Planning the allocation at synth time turns that into a finding before anything is applied.',
  source: 'Cilium LB-IPAM',
  fix: 'Add a block to the pool (pool.addBlock(...)) or share an address between services with a sharingKey.',
});
