/**
 * Destinations by DNS name: Cilium `toFQDNs` allows a name only when its DNS proxy sees the lookups (a `rules.dns`
 * rule on port 53 for the same pods); `ipBlock` and CIDR peers never match a destination known only by name.
 */
import { describe, expect, it } from 'vitest';
import { type KubeObject, NetworkModel, ReachabilityError, type Verdict } from '../../constructs/reachability/index.js';
import { fqdnMatches, isDnsName } from '../../constructs/reachability/dns.js';
import { deployment, namespace, policy } from './helpers.js';

function expectVerdict(v: Verdict, allowed: boolean): void {
  expect(v.allowed, `expected ${allowed ? 'ALLOWED' : 'DENIED'}, got:\n${v.explanation}`).toBe(allowed);
}

function cnp(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, spec };
}

const HOST = 'p.abc.db.postgresbridge.com';
const app = deployment('apps', 'label-studio', { app: 'label-studio' });
const other = deployment('apps', 'other', { app: 'other' });
const objects = [namespace('apps'), app, other];
const toDb = { toFQDNs: [{ matchName: HOST }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] };
const dns = (rules?: Record<string, unknown>) => ({
  toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
  toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], ...(rules ? { rules } : {}) }],
});

describe('toFQDNs', () => {
  it('allows the name when the DNS proxy sees the lookups, and nothing else', () => {
    const m = new NetworkModel([
      ...objects,
      cnp('apps', 'egress', { endpointSelector: { matchLabels: { app: 'label-studio' } }, egress: [toDb, dns({ dns: [{ matchPattern: '*' }] })] }),
    ]);
    expectVerdict(m.canReach('apps/label-studio', { host: HOST }, 5432), true);
    expectVerdict(m.canReach('apps/label-studio', { host: HOST.toUpperCase() + '.' }, 5432), true); // names compare without case and root dot
    expectVerdict(m.canReach('apps/label-studio', { host: HOST }, 443), false);
    expectVerdict(m.canReach('apps/label-studio', { host: 'db.example.com' }, 5432), false);
    // an address is not a name: the model cannot tell what the name resolves to
    expectVerdict(m.canReach('apps/label-studio', '18.116.211.217', 5432), false);
    // another pod is not isolated by the policy
    expectVerdict(m.canReach('apps/other', { host: 'db.example.com' }, 5432), true);
  });

  it('denies the name when no DNS rule lets the proxy see its lookups, and says why', () => {
    for (const dnsRule of [dns(), dns({ dns: [{ matchName: 'other.example.com' }] })]) {
      const m = new NetworkModel([...objects, cnp('apps', 'egress', { endpointSelector: { matchLabels: { app: 'label-studio' } }, egress: [toDb, dnsRule] })]);
      const v = m.canReach('apps/label-studio', { host: HOST }, 5432);
      expectVerdict(v, false);
      expect(v.explanation).toContain(`no DNS rule (toPorts rules.dns on port 53) lets Cilium's DNS proxy see the lookups of ${HOST}`);
    }
  });

  it('takes the DNS rule from another policy selecting the same pods, and matchPattern wildcards', () => {
    const m = new NetworkModel([
      ...objects,
      cnp('apps', 'db', {
        endpointSelector: { matchLabels: { app: 'label-studio' } },
        egress: [{ toFQDNs: [{ matchPattern: '*.db.postgresbridge.com' }], toPorts: [{ ports: [{ port: '5432' }] }] }],
      }),
      cnp('apps', 'dns', { endpointSelector: {}, egress: [dns({ dns: [{ matchPattern: '**.postgresbridge.com' }] })] }),
    ]);
    expectVerdict(m.canReach('apps/label-studio', { host: 'x.db.postgresbridge.com' }, 5432), true);
    expectVerdict(m.canReach('apps/label-studio', { host: 'x.y.db.postgresbridge.com' }, 5432), false); // * stays in one label
  });

  it('ipBlock never matches a destination known only by name; a name with its address matches both', () => {
    const np = policy('apps', 'egress', {
      podSelector: { matchLabels: { app: 'label-studio' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '18.116.211.217/32' } }], ports: [{ port: 5432 }] }],
    });
    const m = new NetworkModel([...objects, np]);
    expectVerdict(m.canReach('apps/label-studio', { host: HOST }, 5432), false);
    expectVerdict(m.canReach('apps/label-studio', { host: HOST, ip: '18.116.211.217' }, 5432), true);
  });

  it('fails on a destination with neither address nor name, or a host that is not a DNS name, and on malformed toFQDNs', () => {
    const m = new NetworkModel(objects);
    expect(() => m.canReach('apps/label-studio', {}, 5432)).toThrow(ReachabilityError);
    expect(() => m.canReach('apps/label-studio', { host: 'not a name' }, 5432)).toThrow(/expected a DNS name/);
    expect(() => new NetworkModel([...objects, cnp('apps', 'bad', { endpointSelector: {}, egress: [{ toFQDNs: [{ matchNames: HOST }] }] })])).toThrow(
      /expected \{ matchName/,
    );
    expect(() => new NetworkModel(objects, { externals: [{ name: 'db' }] })).toThrow(/neither ip nor host/);
  });
});

describe('fqdnMatches / isDnsName', () => {
  it('matches names and patterns as Cilium does', () => {
    expect(fqdnMatches({ matchName: 'db.example.com' }, 'DB.example.com.')).toBe(true);
    expect(fqdnMatches({ matchName: 'db.example.com' }, 'x.db.example.com')).toBe(false);
    expect(fqdnMatches({ matchPattern: '*' }, 'anything.at.all')).toBe(true);
    expect(fqdnMatches({ matchPattern: '**' }, 'anything.at.all')).toBe(true);
    expect(fqdnMatches({ matchPattern: '*.example.com' }, 'db.example.com')).toBe(true);
    expect(fqdnMatches({ matchPattern: '*.example.com' }, 'example.com')).toBe(false);
    expect(fqdnMatches({ matchPattern: '*.example.com' }, 'a.b.example.com')).toBe(false);
    expect(fqdnMatches({ matchPattern: '**.example.com' }, 'a.b.example.com')).toBe(true);
    expect(fqdnMatches({ matchPattern: '***.example.com' }, 'a.example.com')).toBe(true);
    expect(fqdnMatches({ matchPattern: '**.example.com' }, 'example.com')).toBe(false);
    expect(fqdnMatches({ matchPattern: 'db-*.example.com' }, 'db-1.example.com')).toBe(true);
    expect(fqdnMatches({ matchPattern: 'db.example.com' }, 'dbxexample.com')).toBe(false); // the dot is literal
  });

  it('tells names from addresses', () => {
    expect(isDnsName('p.abc.db.postgresbridge.com')).toBe(true);
    expect(isDnsName('18.116.211.217')).toBe(false);
    expect(isDnsName('has space.example.com')).toBe(false);
  });
});
