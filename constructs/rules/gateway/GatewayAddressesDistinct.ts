import { defineRule } from '../rule.js';
import { gatewaysOf } from './model.js';

/** NET-GW4: no two gateways ask for the same address. */
export const GatewayAddressesDistinct = defineRule({
  id: 'NET-GW4',
  level: 'error',
  title: 'Gateways never share an address',
  lesson:
    'The internal and the external gateway are two LoadBalancer Services. Given the same address, LB-IPAM serves one and ' +
    'leaves the other pending, or both fight over ARP: LAN users then land on the external gateway, where internal-only ' +
    'hosts do not exist (seed 002 pinned .49 external and .50 internal for this reason).',
  source: 'seed 002 (IP address allocation table), Cilium LB-IPAM',
  fix: 'Give each gateway its own address from the pool (externalAddress / internalAddress), or let the pool choose.',
  *check({ objects }) {
    const byAddress = new Map<string, string[]>();
    for (const g of gatewaysOf(objects)) {
      for (const a of (g.json.spec?.addresses ?? []) as any[]) {
        if ((a.type ?? 'IPAddress') !== 'IPAddress') continue;
        byAddress.set(a.value, [...(byAddress.get(a.value) ?? []), `${g.namespace}/${g.name}`]);
      }
    }
    for (const [address, gateways] of byAddress) {
      if (gateways.length < 2) continue;
      const second = gatewaysOf(objects).find((g) => `${g.namespace}/${g.name}` === gateways[1])!;
      yield {
        at: second.path,
        message: `gateways ${gateways.join(' and ')} ask for the same address ${address}`,
        value: address,
        expected: 'one address per gateway',
      };
    }
  },
});
