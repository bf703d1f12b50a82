import { hasKey } from '../../cilium/chart-keys/index.js';
import { ciliumReleases, loadBalancers, type LoadBalancerView } from './model.js';
import { renderedCilium } from '../cilium/model.js';
import { defineRule } from '../rule.js';
import { currentFiles } from '../values.js';

/** Why LB-IPAM will not put two LoadBalancers with the same sharing key on one address, or undefined when it will. */
function conflict(
  a: LoadBalancerView,
  aPolicy: string,
  b: LoadBalancerView,
  bPolicy: string,
  byProtocol: boolean,
): { why: string; expected: string } | undefined {
  if (a.namespace !== b.namespace) {
    const allows = (x: LoadBalancerView, other: string) => x.sharingNamespaces.includes(other) || x.sharingNamespaces.includes('*');
    if (!allows(a, b.namespace) || !allows(b, a.namespace)) {
      const spaced = [...a.sharingNamespaces, ...b.sharingNamespaces].filter((n) => n !== n.trim());
      return {
        why:
          `they are in different namespaces (${a.namespace}, ${b.namespace}) and do not both allow it` +
          (spaced.length ? ` (LB-IPAM compares names exactly: ${spaced.map((n) => JSON.stringify(n)).join(', ')} holds spaces)` : ''),
        expected: `lbipam.cilium.io/sharing-cross-namespace naming the other's namespace (or *) on both, comma-separated without spaces`,
      };
    }
  }
  const clash = a.ports.find((p) => b.ports.some((q) => q.port === p.port && (!byProtocol || q.protocol === p.protocol)));
  if (clash) {
    return byProtocol
      ? { why: `both listen on ${clash.port}/${clash.protocol}`, expected: 'a port (and protocol) each that no other sharer uses' }
      : {
          why: `both listen on port ${clash.port}, and with loadBalancer.protocolDifferentiation off the protocol does not tell them apart`,
          expected: 'a port each that no other sharer uses',
        };
  }
  if (aPolicy !== bPolicy) {
    return { why: `their externalTrafficPolicy differs (${aPolicy}, ${bPolicy})`, expected: 'the same externalTrafficPolicy on every sharer' };
  }
  if (aPolicy === 'Local') {
    const same = (x: Readonly<Record<string, string>>, y: Readonly<Record<string, string>>) =>
      Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v);
    if (!Object.keys(a.selector).length || !Object.keys(b.selector).length || !same(a.selector, b.selector)) {
      return {
        why: 'with externalTrafficPolicy Local they must select the same pods, by the same non-empty selector',
        expected: 'one pod selector on both, or externalTrafficPolicy Cluster',
      };
    }
  }
  return undefined;
}

/** NET-L2P14: LoadBalancers that share an address through a sharing key are ones LB-IPAM lets share. */
export const SharedAddressesCompatible = defineRule({
  id: 'NET-L2P14',
  level: 'error',
  title: 'LoadBalancers with one sharing key are compatible: same namespace (or allowed), no common port, same traffic policy',
  lesson:
    'A sharing key only asks LB-IPAM to put services on one address. It does so only for services in one namespace (or that both ' +
    'name each other in lbipam.cilium.io/sharing-cross-namespace), that have no port in common, with one externalTrafficPolicy ' +
    '(and, for Local, one pod selector). Otherwise the second service gets another address, and a service pinned to the shared ' +
    'address stays pending: DNS and clients point at an address that does not answer on its port.',
  source:
    'Cilium LB-IPAM (sharing keys; operator/pkg/lbipam isCompatible; TCP and UDP on one port may share where the operator applies ' +
    'protocol differentiation: cilium#34691, on in the operator of the pinned 1.18 chart by default since cilium#40642, always from 1.19, ' +
    'which removed the switch); ' +
    'seed 002 (gateways and services on .49/.50)',
  fix:
    'Give the services distinct ports (or protocols), put them in one namespace or allow it on both with ' +
    'lbipam.cilium.io/sharing-cross-namespace (LoadBalancerService allocation.sharingNamespaces), use one externalTrafficPolicy, ' +
    'or give each its own address.',
  *check(ctx) {
    const { objects } = ctx;
    const cilium = renderedCilium(ctx);
    const values = cilium?.values ?? ciliumReleases(objects, currentFiles(ctx))[0]?.values ?? {};
    const gatewayPolicy = String(values.gatewayAPI?.externalTrafficPolicy ?? 'Cluster');
    // the 1.18 chart still lets protocol differentiation be switched off; later charts have no such value
    const switchedOff =
      cilium !== undefined &&
      hasKey(cilium.chartVersion, 'loadBalancer.protocolDifferentiation.enabled') &&
      [false, 'false'].includes(values.loadBalancer?.protocolDifferentiation?.enabled);
    const byProtocol = !switchedOff;
    const policyOf = (lb: LoadBalancerView) => (lb.kind === 'Gateway' ? gatewayPolicy : (lb.externalTrafficPolicy ?? 'Cluster'));
    const byKey = new Map<string, LoadBalancerView[]>();
    for (const lb of loadBalancers(objects)) {
      if (lb.sharingKey === undefined) {
        if (lb.sharingNamespaces.length) {
          yield {
            at: lb.object.path,
            message: `${lb.displayName} allows sharing its address with namespaces ${lb.sharingNamespaces.join(',')} but carries no sharing key: LB-IPAM shares nothing without one`,
            value: lb.sharingNamespaces.join(','),
            expected: 'lbipam.cilium.io/sharing-key beside lbipam.cilium.io/sharing-cross-namespace',
          };
        }
        continue;
      }
      byKey.set(lb.sharingKey, [...(byKey.get(lb.sharingKey) ?? []), lb]);
    }
    for (const [key, group] of byKey) {
      for (let i = 1; i < group.length; i++) {
        const b = group[i]!;
        for (const a of group.slice(0, i)) {
          // sharing is asked for on one address: services pinned to different ones do not meet
          if (a.pinned.length && b.pinned.length && !a.pinned.some((x) => b.pinned.includes(x))) continue;
          const found = conflict(a, policyOf(a), b, policyOf(b), byProtocol);
          if (!found) continue;
          yield {
            at: b.object.path,
            message: `${b.displayName} and ${a.displayName} carry sharing key "${key}"${a.pinned.length ? ` for ${a.pinned.join(', ')}` : ''}, but LB-IPAM will not let them share: ${found.why}`,
            value: key,
            expected: found.expected,
          };
        }
      }
    }
  },
});
