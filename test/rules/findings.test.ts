/**
 * Findings a construct records on itself (Findings.of): a construct given bad input says so with the rule id, its
 * path, the value, what was expected and the fix — never a throw, never a made-up value — and the synth reports the
 * finding under its rule with every other one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  Acknowledgements,
  AddressBlock,
  Backend,
  CiliumRelease,
  DualGateway,
  EdgeLoadBalancer,
  Findings,
  L2Pool,
  RULES,
  Workload,
  SecretSource,
  type Finding,
} from '../../constructs/index.js';
import { file, run, testCluster } from '../helpers.js';

const ACME = {
  email: 'ops@example.lan',
  apiTokenSecret: { name: 'cloudflare-api-token', key: 'api-token', source: SecretSource.outOfBand({ command: 'kubectl create secret generic ...' }) },
};

/** A cluster with Cilium 1.20 (Gateway API on) and a pool of `addresses` addresses from 192.168.1.240. */
function base(addresses = 11) {
  const t = testCluster();
  new CiliumRelease(t.cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, gatewayApi: {} });
  const pool = new L2Pool(t.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.240', `192.168.1.${239 + addresses}`)] });
  const web = new Workload(t.cluster, 'web', { namespace: 'web', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080, servicePort: 80 }] });
  return { ...t, pool, web };
}

const byRule = (findings: readonly Finding[], id: string) => findings.filter((f) => f.ruleId === id);

interface BadInput {
  readonly name: string;
  /** Builds the app; returns the construct path the finding must name. Must not throw. */
  readonly build: () => { app: import('cdk8s').App; path: string };
  readonly finding: Omit<Finding, 'path'>;
}

const BAD_INPUTS: BadInput[] = [
  {
    name: 'an L2Pool asked for more addresses than it has',
    build: () => {
      const { app, pool } = base(1);
      new DualGateway(pool.node.scope as Construct, 'Gateways', { pool, acme: ACME });
      return { app, path: pool.node.path };
    },
    finding: {
      ruleId: 'NET-L2P6',
      level: 'error',
      message: 'pool lan has no free address left for gateway/gateway-internal',
      value: '1 allocations, 1 addresses',
      expected: 'a free address for every owner',
      fix: 'Add a block to the pool (pool.addBlock(...)) or share an address between services with a sharingKey.',
    },
  },
  {
    name: 'an expose() call with neither host nor hosts',
    build: () => {
      const { app, cluster, pool, web } = base();
      const gateways = new DualGateway(cluster, 'Gateways', { pool, acme: ACME });
      gateways.expose({ backend: Backend.workload(web, 'http') } as never);
      return { app, path: gateways.node.path };
    },
    finding: {
      ruleId: 'NET-GW10',
      level: 'error',
      message: 'expose() takes exactly one of host and hosts, but neither host nor hosts is given',
      value: { backend: 'web/web:80' },
      expected: 'host: a single name, or hosts: one or more names',
      fix: "Pass host: 'photos' for one name, or hosts: ['photos', 'immich'] to expose the service under several names.",
    },
  },
  {
    name: 'a route to a workload port that does not exist',
    build: () => {
      const { app, cluster, pool, web } = base();
      const gateways = new DualGateway(cluster, 'Gateways', { pool, acme: ACME });
      gateways.expose({ host: 'web', backend: Backend.workload(web, 'https') });
      return { app, path: `${gateways.node.path}/Route-web-example-lan-internal` };
    },
    finding: {
      ruleId: 'NET-GW3',
      level: 'error',
      message: 'HTTPRoute gateway/web-example-lan-internal sends traffic to port "https" of Service web/web, but the workload has no port of that name',
      value: 'web/web:https',
      expected: 'one of its port names: http',
      fix: 'Point the backend at a rendered Workload (Backend.workload) with an existing port name, or at a Service the tree renders (Backend.service); declare a Service installed by other means with Backend.external(namespace, name, port, { installedBy }).',
    },
  },
  {
    name: 'an EdgeLoadBalancer on a cluster without externalLoadBalancer',
    build: () => {
      const { app, cluster } = testCluster();
      const lb = new EdgeLoadBalancer(cluster, 'EdgeLoadBalancer');
      return { app, path: lb.node.path };
    },
    finding: {
      ruleId: 'NET-EDGE6',
      level: 'error',
      message: 'an EdgeLoadBalancer was added but the cluster declares no externalLoadBalancer',
      expected: 'externalLoadBalancer: { address, hostAddress?, interface?, prefixLength? } on the Cluster',
      fix: 'Declare the load balancer on the Cluster (seed 001: address 192.168.0.45, host 192.168.0.46, interface enp1s0).',
    },
  },
  {
    name: 'a CiliumRelease of a version without a pinned chart',
    build: () => {
      const { app, cluster } = testCluster();
      const release = new CiliumRelease(cluster, 'Cilium', { version: '1.17' as never, gatewayApi: {} });
      return { app, path: release.node.path };
    },
    finding: {
      ruleId: 'NET-CIL2',
      level: 'error',
      message: 'Cilium 1.17 is not a version this library pins a chart for',
      value: '1.17',
      expected: 'one of 1.18, 1.19, 1.20',
      fix: 'Set version to one of 1.18, 1.19, 1.20; a new minor needs its entry in cilium/minors.ts and its chart key index first.',
    },
  },
];

describe('a construct given bad input', () => {
  for (const c of BAD_INPUTS) {
    it(`${c.finding.ruleId}: ${c.name} yields the finding (id, path, value, expected, fix), never a throw`, async () => {
      let built: ReturnType<BadInput['build']> | undefined;
      expect(() => (built = c.build())).not.toThrow();
      const outcome = await run(built!.app);
      expect(outcome.ok).toBe(false);
      expect(byRule(outcome.findings, c.finding.ruleId)).toContainEqual({ ...c.finding, path: built!.path });
      // what the construct could not make is left out, so nothing downstream fails on it
      expect(byRule(outcome.findings, 'NET-RUN1')).toEqual([]);
    });
  }

  it('renders no made-up value where the construct had none: the gateway without an address is unpinned', async () => {
    const { app, cluster, pool } = base(1);
    const gateways = new DualGateway(cluster, 'Gateways', { pool, acme: ACME });
    expect(gateways.externalAddress).toBe('192.168.1.240');
    expect(gateways.internalAddress).toBeUndefined();
    expect(gateways.dnsRecords()).toEqual([]);
    Acknowledgements.of(pool).add('NET-L2P6', 'the second address arrives with the next block, this test says');
    Acknowledgements.of(cluster).add('NET-L2P12', 'the internal gateway is unpinned until then, on purpose here');
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    const internal = file(outcome, 'test', 'networking/gateway/gateway-gateway-internal.yaml');
    expect(internal).not.toContain('addresses:');
    expect(internal).not.toContain('0.0.0.0');
    expect(file(outcome, 'test', 'reports/exposure.md')).toContain('| internal | gateway/gateway-internal | no address (its pool had none left) |');
    expect(outcome.result!.clusters[0].acknowledged.map((f) => f.ruleId)).toEqual(['NET-L2P12', 'NET-L2P6']);
  });
});

describe('Findings.of', () => {
  it('records on the construct node with its path, in order; within() collects a subtree', () => {
    const { cluster } = testCluster();
    const scope = new Construct(cluster, 'Thing');
    Findings.of(scope).addError('NET-CLU4', { message: 'bad', value: 1n, expected: 'good' });
    Findings.of(scope).addWarning('NET-CLU4', { message: 'odd', fix: 'Do this.' });
    expect(scope.node.metadata.map((m) => m.type)).toEqual(['netkit:finding', 'netkit:finding']);
    expect(Findings.of(scope).recorded).toEqual([
      { ruleId: 'NET-CLU4', level: 'error', path: 'test/Thing', message: 'bad', value: 1n, expected: 'good' },
      { ruleId: 'NET-CLU4', level: 'warning', path: 'test/Thing', message: 'odd', fix: 'Do this.' },
    ]);
    expect(Findings.within(cluster)).toEqual(Findings.of(scope).recorded);
    expect(Findings.of(cluster).recorded).toEqual([]);
  });

  it("reports a recorded finding under its rule, with the rule's fix unless the record gives one, and lets it be acknowledged", async () => {
    const { app, cluster } = testCluster();
    const a = new Construct(cluster, 'A');
    const b = new Construct(cluster, 'B');
    Findings.of(a).addWarning('NET-IMG1', { message: 'tracks a branch', value: 'main' });
    Findings.of(b).addWarning('NET-IMG1', { message: 'tracks a branch', value: 'dev', fix: 'Pin dev.' });
    Acknowledgements.of(b).add('NET-IMG1', 'the dev branch is what this preview is for');
    const outcome = await run(app);
    expect(outcome.ok).toBe(true);
    const img = RULES.find((r) => r.id === 'NET-IMG1')!;
    expect(byRule(outcome.findings, 'NET-IMG1')).toEqual([
      { ruleId: 'NET-IMG1', level: 'warning', path: 'test/A', message: 'tracks a branch', value: 'main', fix: img.fix },
    ]);
    expect(outcome.result!.clusters[0].acknowledged).toMatchObject([
      { ruleId: 'NET-IMG1', path: 'test/B', fix: 'Pin dev.', reason: 'the dev branch is what this preview is for' },
    ]);
    expect(byRule(outcome.findings, 'NET-ACK2')).toEqual([]); // the acknowledgement was used
  });

  it('reports a finding recorded under an id no rule has as a failure (NET-RUN1), and one outside every cluster too', async () => {
    const { app, cluster } = testCluster();
    Findings.of(new Construct(cluster, 'Typo')).addError('NET-IMG99', { message: 'something' });
    Findings.of(new Construct(app, 'Loose')).addError('NET-CLU4', { message: 'outside', value: 9 });
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    expect(byRule(outcome.findings, 'NET-RUN1')).toMatchObject([
      {
        level: 'error',
        path: 'test/Typo',
        message: 'reporting a finding recorded under NET-IMG99 failed: no rule of the catalogue has that id (the finding: something)',
      },
    ]);
    expect(byRule(outcome.findings, 'NET-CLU4')).toMatchObject([{ path: 'Loose', message: 'outside', value: 9 }]);
  });
});

describe('every finding goes through a rule', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const root = join(import.meta.dirname, '../../constructs');

  it('builds no finding by hand outside the rules: no ruleId literal in constructs/ but in rules/ and the findings API', () => {
    const offenders = sources(root)
      .filter((f) => !f.includes('/rules/') && !f.endsWith('/findings.ts') && !f.endsWith('/errors.ts'))
      .filter((f) => /ruleId:\s*['"`]/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('records findings only under ids of the catalogue', () => {
    const ids = new Set(RULES.map((r) => r.id));
    const used = sources(root).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\.add(?:Error|Warning)\(\s*'([^']+)'/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThanOrEqual(6);
    expect(used.filter((id) => !ids.has(id))).toEqual([]);
  });
});
