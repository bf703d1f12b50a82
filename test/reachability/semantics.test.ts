/**
 * Truth tables for the NetworkPolicy rules that are easy to get wrong. Every expected value is derived by hand from
 * the Kubernetes documentation, not from the evaluator.
 */
import { describe, expect, it } from 'vitest';
import { NetworkModel, ReachabilityError, type Verdict } from '../../constructs/reachability/index.js';
import { deployment, namespace, policy } from './helpers.js';

/** Asserts a verdict, printing its explanation on failure. */
function expectVerdict(v: Verdict, allowed: boolean): void {
  expect(v.allowed, `expected ${allowed ? 'ALLOWED' : 'DENIED'}, got:\n${v.explanation}`).toBe(allowed);
}

const web = deployment('app', 'web', { app: 'web' }, [
  { name: 'http', containerPort: 8080 },
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
]);
const client = deployment('app', 'client', { app: 'client' });
const otherNsClient = deployment('other', 'client', { app: 'client' });

describe('no policy', () => {
  it('allows everything between pods, in both directions', () => {
    const m = new NetworkModel([web, client, otherNsClient]);
    expectVerdict(m.canReach('app/client', 'app/web', 8080), true);
    expectVerdict(m.canReach('other/client', 'app/web', 9999), true);
    expectVerdict(m.canReach('app/web', 'other/client', 1, 'UDP'), true);
  });
});

describe('podSelector: empty vs absent', () => {
  it('an empty spec.podSelector selects every pod of the namespace (and only that namespace)', () => {
    const deny = policy('app', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] });
    const m = new NetworkModel([web, client, otherNsClient, deny]);
    expectVerdict(m.canReach('other/client', 'app/web', 8080), false);
    expectVerdict(m.canReach('other/client', 'app/client', 8080), false);
    // A pod in another namespace is not selected.
    expectVerdict(m.canReach('app/web', 'other/client', 8080), true);
  });

  it('a peer podSelector {} means all pods of the policy namespace, not of the cluster', () => {
    const p = policy('app', 'same-ns', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }] });
    const m = new NetworkModel([web, client, otherNsClient, p]);
    expectVerdict(m.canReach('app/client', 'app/web', 8080), true);
    expectVerdict(m.canReach('other/client', 'app/web', 8080), false);
  });

  it('a peer namespaceSelector {} (no podSelector) means every pod of every namespace', () => {
    const p = policy('app', 'any-ns', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    const m = new NetworkModel([web, client, otherNsClient, p]);
    expectVerdict(m.canReach('other/client', 'app/web', 8080), true);
    // ...but not an address outside the cluster.
    expectVerdict(m.canReach('203.0.113.7', 'app/web', 8080), false);
  });

  it('an omitted from (or from: []) admits every source, including external addresses', () => {
    for (const rule of [{}, { from: [] }]) {
      const p = policy('app', 'open', { podSelector: { matchLabels: { app: 'web' } }, ingress: [rule] });
      const m = new NetworkModel([web, otherNsClient, p]);
      expectVerdict(m.canReach('other/client', 'app/web', 8080), true);
      expectVerdict(m.canReach('203.0.113.7', 'app/web', 1234), true);
    }
  });

  it('ingress: [] (no rules) with Ingress type denies all ingress', () => {
    const p = policy('app', 'closed', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [] });
    const m = new NetworkModel([web, client, p]);
    const v = m.canReach('app/client', 'app/web', 8080);
    expectVerdict(v, false);
    expect(v.explanation).toContain('ingress: no rules');
  });
});

describe('namespaceSelector and podSelector', () => {
  const objects = [
    namespace('app'),
    namespace('monitoring', { team: 'ops' }),
    namespace('batch', { team: 'ops' }),
    web,
    deployment('monitoring', 'prometheus', { app: 'prometheus' }),
    deployment('monitoring', 'grafana', { app: 'grafana' }),
    deployment('batch', 'prometheus', { app: 'prometheus' }),
    deployment('app', 'prometheus', { app: 'prometheus' }),
  ];
  // Hand truth table. ns(team=ops) AND pod(app=prometheus) vs ns(team=ops) OR pod(app=prometheus in app).
  const cases: [string, boolean, boolean][] = [
    // source,                 AND (one peer), OR (two peers)
    ['monitoring/prometheus', true, true],
    ['monitoring/grafana', false, true],
    ['batch/prometheus', true, true],
    ['app/prometheus', false, true],
  ];

  it('both in ONE peer are ANDed', () => {
    const p = policy('app', 'and', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'prometheus' } } }] }],
    });
    const m = new NetworkModel([...objects, p]);
    for (const [src, and] of cases) expectVerdict(m.canReach(src, 'app/web', 8080), and);
  });

  it('in TWO peers they are ORed', () => {
    const p = policy('app', 'or', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }, { podSelector: { matchLabels: { app: 'prometheus' } } }] }],
    });
    const m = new NetworkModel([...objects, p]);
    for (const [src, , or] of cases) expectVerdict(m.canReach(src, 'app/web', 8080), or);
  });

  it('matches kubernetes.io/metadata.name on namespaces that have no Namespace object', () => {
    const p = policy('app', 'by-name', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }] }],
    });
    const m = new NetworkModel([web, p], { workloads: [{ name: 'traefik', namespace: 'kube-system', labels: { app: 'traefik' } }] });
    expectVerdict(m.canReach('kube-system/traefik', 'app/web', 8080), true);
    expectVerdict(m.canReach({ namespace: 'kube-public', labels: { app: 'traefik' } }, 'app/web', 8080), false);
  });

  it('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
    const p = policy('app', 'exprs', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [
        {
          from: [
            {
              podSelector: {
                matchExpressions: [
                  { key: 'tier', operator: 'In', values: ['front', 'edge'] },
                  { key: 'env', operator: 'NotIn', values: ['dev'] },
                  { key: 'team', operator: 'Exists' },
                  { key: 'legacy', operator: 'DoesNotExist' },
                ],
              },
            },
          ],
        },
      ],
    });
    const m = new NetworkModel([web, p]);
    const from = (labels: Record<string, string>) => m.canReach({ namespace: 'app', labels }, 'app/web', 8080);
    expectVerdict(from({ tier: 'front', team: 'a' }), true); // env absent satisfies NotIn
    expectVerdict(from({ tier: 'edge', env: 'prod', team: 'a' }), true);
    expectVerdict(from({ tier: 'back', team: 'a' }), false); // In fails
    expectVerdict(from({ team: 'a' }), false); // In needs the key
    expectVerdict(from({ tier: 'front', env: 'dev', team: 'a' }), false); // NotIn fails
    expectVerdict(from({ tier: 'front' }), false); // Exists fails
    expectVerdict(from({ tier: 'front', team: 'a', legacy: '' }), false); // DoesNotExist fails (empty value still exists)
  });
});

describe('ports', () => {
  it('a named port resolves against the destination pod', () => {
    const p = policy('app', 'named', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'http' }] }] });
    const m = new NetworkModel([web, client, p]);
    expectVerdict(m.canReach('app/client', 'app/web', 8080), true);
    expectVerdict(m.canReach('app/client', 'app/web', 8081), false);
  });

  it('a named port the destination does not define is denied', () => {
    const p = policy('app', 'named', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'metrics' }] }] });
    const m = new NetworkModel([web, client, p]);
    const v = m.canReach('app/client', 'app/web', 8080);
    expectVerdict(v, false);
    expect(v.explanation).toContain('named port "metrics" is not a TCP container port of app/web');
  });

  it('a named port must also match the protocol', () => {
    // "dns" is 53/UDP on web; a TCP rule naming it matches nothing.
    const p = policy('app', 'dns', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'dns', protocol: 'TCP' }] }] });
    const m = new NetworkModel([web, client, p]);
    expectVerdict(m.canReach('app/client', 'app/web', 53, 'TCP'), false);
    expectVerdict(m.canReach('app/client', 'app/web', 53, 'UDP'), false);
  });

  it('a named port in an egress rule resolves against the destination pod', () => {
    const db = deployment('app', 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]);
    const cache = deployment('app', 'cache', { app: 'cache' }, [{ name: 'redis', containerPort: 6379 }]);
    const p = policy('app', 'client-egress', {
      podSelector: { matchLabels: { app: 'client' } },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ port: 'pg' }] }],
    });
    const m = new NetworkModel([client, db, cache, p]);
    expectVerdict(m.canReach('app/client', 'app/db', 5432), true);
    expectVerdict(m.canReach('app/client', 'app/cache', 5432), false); // cache has no "pg"
    expectVerdict(m.canReach('app/client', 'app/cache', 6379), false);
  });

  it('a port entry with only a protocol allows every port of that protocol', () => {
    const p = policy('app', 'udp', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ protocol: 'UDP' }] }] });
    const m = new NetworkModel([web, client, p]);
    expectVerdict(m.canReach('app/client', 'app/web', 53, 'UDP'), true);
    expectVerdict(m.canReach('app/client', 'app/web', 40000, 'UDP'), true);
    expectVerdict(m.canReach('app/client', 'app/web', 53, 'TCP'), false);
  });

  it('protocol defaults to TCP in a rule', () => {
    const p = policy('app', 'tcp', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 53 }] }] });
    const m = new NetworkModel([web, client, p]);
    expectVerdict(m.canReach('app/client', 'app/web', 53), true);
    expectVerdict(m.canReach('app/client', 'app/web', 53, 'UDP'), false);
  });

  it('endPort allows the inclusive range', () => {
    const p = policy('app', 'range', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 32000, endPort: 32768 }] }] });
    const m = new NetworkModel([web, client, p]);
    expectVerdict(m.canReach('app/client', 'app/web', 31999), false);
    expectVerdict(m.canReach('app/client', 'app/web', 32000), true);
    expectVerdict(m.canReach('app/client', 'app/web', 32500), true);
    expectVerdict(m.canReach('app/client', 'app/web', 32768), true);
    expectVerdict(m.canReach('app/client', 'app/web', 32769), false);
  });
});

describe('policyTypes', () => {
  const egressRule = { to: [{ podSelector: { matchLabels: { app: 'web' } } }] };

  it('omitted, no egress section: Ingress only (egress stays open)', () => {
    const p = policy('app', 'p', { podSelector: { matchLabels: { app: 'client' } } });
    const m = new NetworkModel([web, client, otherNsClient, p]);
    expectVerdict(m.canReach('app/client', 'other/client', 80), true); // egress not isolated
    expectVerdict(m.canReach('app/web', 'app/client', 80), false); // ingress isolated, no rules
  });

  it('omitted, with an egress section: Ingress and Egress', () => {
    const p = policy('app', 'p', { podSelector: { matchLabels: { app: 'client' } }, egress: [egressRule] });
    const m = new NetworkModel([web, client, otherNsClient, p]);
    expectVerdict(m.canReach('app/client', 'app/web', 8080), true);
    expectVerdict(m.canReach('app/client', 'other/client', 80), false);
    expectVerdict(m.canReach('app/web', 'app/client', 80), false);
    expect(m.canReach('app/client', 'other/client', 80).explanation).toContain('policyTypes omitted, has egress rules → Ingress and Egress');
  });

  it('omitted, with egress: [] (empty): Ingress only, as the API defaults on a non-empty egress list', () => {
    const p = policy('app', 'p', { podSelector: { matchLabels: { app: 'client' } }, egress: [] });
    const m = new NetworkModel([web, client, otherNsClient, p]);
    expectVerdict(m.canReach('app/client', 'other/client', 80), true);
    expectVerdict(m.canReach('app/web', 'app/client', 80), false);
  });

  it('egress-only policy: egress restricted, ingress untouched', () => {
    const p = policy('app', 'p', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [egressRule] });
    const m = new NetworkModel([web, client, otherNsClient, p]);
    expectVerdict(m.canReach('app/client', 'app/web', 8080), true);
    expectVerdict(m.canReach('app/client', 'other/client', 80), false);
    expectVerdict(m.canReach('app/web', 'app/client', 80), true);
    expectVerdict(m.canReach('203.0.113.9', 'app/client', 80), true);
  });

  it('an Ingress-typed policy ignores its egress rules', () => {
    const p = policy('app', 'p', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Ingress'], egress: [egressRule] });
    const m = new NetworkModel([web, client, otherNsClient, p]);
    expectVerdict(m.canReach('app/client', 'other/client', 80), true);
  });
});

describe('ipBlock', () => {
  const p = policy('app', 'egress-cidr', {
    podSelector: { matchLabels: { app: 'client' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '18.116.0.0/16', except: ['18.116.211.0/24'] } }], ports: [{ port: 443 }] }],
  });

  it('allows addresses inside the CIDR and not in except', () => {
    const m = new NetworkModel([client, p], { externals: [{ ip: '18.116.1.1' }, { ip: '18.116.211.217', name: 'blocked' }] });
    expectVerdict(m.canReach('app/client', '18.116.1.1', 443), true);
    expectVerdict(m.canReach('app/client', '18.116.255.255', 443), true);
    expectVerdict(m.canReach('app/client', 'blocked', 443), false); // in except
    expectVerdict(m.canReach('app/client', { ip: '18.116.211.0' }, 443), false); // except boundary
    expectVerdict(m.canReach('app/client', '18.117.0.1', 443), false); // outside the CIDR
    expectVerdict(m.canReach('app/client', '18.116.1.1', 80), false); // port
  });

  it('does not match pods (pod IPs are unknown offline)', () => {
    const all = policy('app', 'all-ips', {
      podSelector: { matchLabels: { app: 'client' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
    });
    const m = new NetworkModel([client, web, all]);
    expectVerdict(m.canReach('app/client', 'app/web', 8080), false);
    expectVerdict(m.canReach('app/client', '1.1.1.1', 53, 'UDP'), true);
  });

  it('handles IPv6 CIDRs and never matches an address of the other family', () => {
    const v6 = policy('app', 'v6', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32' } }] }],
    });
    const m = new NetworkModel([web, v6]);
    expectVerdict(m.canReach('2001:db8::5', 'app/web', 8080), true);
    expectVerdict(m.canReach('2001:db9::5', 'app/web', 8080), false);
    expectVerdict(m.canReach('32.1.13.184', 'app/web', 8080), false);
  });
});

describe('combining policies and directions', () => {
  it('two policies selecting the same pod union their rules', () => {
    const a = policy('app', 'a', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ ports: [{ port: 8080 }], from: [{ podSelector: { matchLabels: { app: 'client' } } }] }],
    });
    const b = policy('app', 'b', { podSelector: {}, ingress: [{ ports: [{ port: 9090 }], from: [{ namespaceSelector: {} }] }] });
    const m = new NetworkModel([web, client, otherNsClient, a, b]);
    expectVerdict(m.canReach('app/client', 'app/web', 8080), true); // by a
    expectVerdict(m.canReach('other/client', 'app/web', 9090), true); // by b
    expectVerdict(m.canReach('app/client', 'app/web', 9090), true); // by b
    expectVerdict(m.canReach('other/client', 'app/web', 8080), false); // neither
    const v = m.canReach('app/client', 'app/web', 8080);
    expect(v.ingress.isolatedBy).toHaveLength(2);
  });

  it('ingress allowed but the source egress denies: denied', () => {
    const open = policy('app', 'web-open', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] });
    const lock = policy('app', 'client-lock', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'] });
    const m = new NetworkModel([web, client, open, lock]);
    const v = m.canReach('app/client', 'app/web', 8080);
    expectVerdict(v, false);
    expect(v.ingress.allowed).toBe(true);
    expect(v.egress.allowed).toBe(false);
    expect(v.egress.isolatedBy[0]).toContain('NetworkPolicy app/client-lock');
  });

  it('egress allowed but the destination ingress denies: denied', () => {
    const out = policy('app', 'client-out', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{}] });
    const deny = policy('app', 'web-deny', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    const m = new NetworkModel([web, client, out, deny]);
    const v = m.canReach('app/client', 'app/web', 8080);
    expectVerdict(v, false);
    expect(v.egress.allowedBy).toBe('NetworkPolicy app/client-out egress[0]');
  });
});

describe('workloads', () => {
  it('derives pods from every controller kind, with the pod template labels', () => {
    const tpl = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } });
    const m = new NetworkModel([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ss', namespace: 'n' }, spec: { template: tpl({ k: 'ss' }) } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'n' }, spec: { template: tpl({ k: 'ds' }) } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'n' }, spec: { template: tpl({ k: 'rs' }) } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', namespace: 'n' }, spec: { template: tpl({ k: 'job' }) } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'n' }, spec: { jobTemplate: { spec: { template: tpl({ k: 'cj' }) } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', labels: { k: 'pod' } }, spec: tpl({}).spec },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'n' }, spec: {} },
    ]);
    expect(m.workloads().map((w) => `${w.kind} ${w.id} k=${w.labels['k']} ${w.ports[0]?.containerPort}/${w.ports[0]?.protocol}`)).toEqual([
      'StatefulSet n/ss k=ss 80/TCP',
      'DaemonSet n/ds k=ds 80/TCP',
      'ReplicaSet n/rs k=rs 80/TCP',
      'Job n/job k=job 80/TCP',
      'CronJob n/cj k=cj 80/TCP',
      'Pod default/pod k=pod 80/TCP',
    ]);
    expect([...m.namespaces().keys()]).toEqual(['default', 'n']);
    expect(m.namespaces().get('n')).toEqual({ 'kubernetes.io/metadata.name': 'n' });
  });

  it('disambiguates two kinds with the same name by Kind/namespace/name', () => {
    const m = new NetworkModel([
      deployment('n', 'x', { a: '1' }),
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'x', namespace: 'n' },
        spec: { template: { metadata: { labels: { a: '2' } }, spec: { containers: [] } } },
      },
    ]);
    expect(m.workloads().map((w) => w.id)).toEqual(['Deployment/n/x', 'StatefulSet/n/x']);
    expect(() => m.canReach('n/x', 'Deployment/n/x', 80)).toThrow(/names 2 workloads/);
  });
});

describe('errors', () => {
  it('fails when policies are malformed, listing every problem', () => {
    const bad = policy('app', 'bad', {
      podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] },
      policyTypes: ['Ingres'],
      ingress: [{ from: [{}, { ipBlock: { cidr: '10.0.0.0/33' } }], ports: [{ port: 80, endPort: 70 }, { protocol: 'ICMP' }] }],
    });
    let err: unknown;
    try {
      new NetworkModel([bad]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReachabilityError);
    const problems = (err as ReachabilityError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toContain('NetworkPolicy app/bad spec.podSelector.matchExpressions[0].operator is "Equals"');
    expect(problems.join('\n')).toContain('spec.policyTypes contains "Ingres"');
    expect(problems.join('\n')).toContain('spec.ingress[0].from[0] is {}; a peer needs podSelector, namespaceSelector or ipBlock');
    expect(problems.join('\n')).toContain('from[1].ipBlock.cidr is "10.0.0.0/33"');
    expect(problems.join('\n')).toContain('ports[0].endPort is 70; expected an integer from port (80) to 65535');
    expect(problems.join('\n')).toContain('ports[1].protocol is "ICMP"');
  });

  it('fails when asked about an unknown workload, naming the known ones', () => {
    const m = new NetworkModel([web]);
    expect(() => m.canReach('app/nope', 'app/web', 80)).toThrow(
      'no workload or external endpoint "app/nope"; expected a workload id (namespace/name), an external name or an IP. Known: app/web.',
    );
  });

  it('fails when asked about a port name the destination does not declare', () => {
    const m = new NetworkModel([web, client]);
    expect(() => m.canReach('app/client', 'app/web', 'grpc')).toThrow('app/web declares no TCP port named "grpc" (its ports: http=8080/TCP, dns=53/UDP)');
  });
});
