/**
 * Bad input handed to a factory (StoreProvider.*, Tunnel.*, SecretSource.*) ends in findings of the construct that
 * receives the factory's product, at that construct's path, never in a throw or NET-RUN1 (issue 18); a Secret read from
 * another cluster's store, or declared twice with different remote keys, is a NET-SEC4 finding; a bad construct id is
 * one finding, its follow-ons collapsed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AddressBlock,
  Backend,
  ChartRepository,
  HelmChart,
  Cloudflared,
  DualGateway,
  L2Pool,
  SecretSource,
  SecretStore,
  StoreProvider,
  Tunnel,
  Workload,
  formatFinding,
  type Finding,
} from '../../constructs/index.js';
import { run, testCluster } from '../helpers.js';

const token = { name: 'doppler-token', key: 'dopplerToken' };
const credential = { command: 'kubectl -n external-secrets create secret generic doppler-token --from-literal=dopplerToken="$T"' };
const bad = (x: unknown) => x as never;

async function findings(build: (c: ReturnType<typeof testCluster>) => void): Promise<readonly Finding[]> {
  const t = testCluster();
  build(t);
  const outcome = await run(t.app);
  expect(outcome.findings.filter((f) => f.ruleId === 'NET-RUN1').map(formatFinding)).toEqual([]);
  return outcome.findings;
}

const summary = (fs: readonly Finding[]) => fs.filter((f) => f.level === 'error').map((f) => `${f.ruleId} ${f.path} ${f.message}`);

describe('StoreProvider factories', () => {
  const cases: [string, () => StoreProvider, RegExp][] = [
    ['doppler(null)', () => StoreProvider.doppler(bad(null)), /SecretStore prop provider is not valid/],
    ['doppler without tokenSecret', () => StoreProvider.doppler(bad({ project: 'p' })), /provider\.tokenSecret is required/],
    ['doppler with a numeric project', () => StoreProvider.doppler(bad({ tokenSecret: token, project: 5 })), /provider\.project is not valid/],
    ['onePasswordConnect(undefined)', () => StoreProvider.onePasswordConnect(bad(undefined)), /SecretStore prop provider is missing/],
    [
      'onePasswordConnect with string vault orders',
      () => StoreProvider.onePasswordConnect(bad({ connectHost: 'http://op:8080', tokenSecret: token, vaults: { home: 'one' } })),
      /provider\.vaults\.home is not valid/,
    ],
    ['vault with no server', () => StoreProvider.vault(bad({ path: 'kv', tokenSecret: token })), /provider\.server is required/],
    [
      'vault with version v3',
      () => StoreProvider.vault(bad({ server: 'https://v', path: 'kv', version: 'v3', tokenSecret: token })),
      /provider\.version is not valid/,
    ],
    ['custom with null credential', () => StoreProvider.custom('x', bad(null), {}), /provider\.credential is not valid/],
    ['custom with a string provider', () => StoreProvider.custom('x', token, bad('doppler')), /provider\.provider is not valid/],
  ];
  for (const [name, make, says] of cases)
    it(`${name}: no throw, a NET-IN1 finding at the SecretStore`, async () => {
      let provider: StoreProvider | undefined;
      expect(() => (provider = make())).not.toThrow();
      const fs = await findings(({ cluster }) => new SecretStore(cluster, 'store', { provider: provider!, credential }));
      const errors = fs.filter((f) => f.level === 'error');
      expect(errors.length, summary(fs).join('\n')).toBeGreaterThan(0);
      expect(
        errors.every((f) => f.ruleId === 'NET-IN1' && f.path === 'test/store'),
        summary(fs).join('\n'),
      ).toBe(true);
      expect(
        errors.some((f) => says.test(f.message)),
        summary(fs).join('\n'),
      ).toBe(true);
    });

  it('a valid provider gives no finding', async () => {
    const fs = await findings(({ cluster }) => new SecretStore(cluster, 'store', { provider: StoreProvider.doppler({ tokenSecret: token }), credential }));
    expect(summary(fs)).toEqual([]);
  });
});

describe('Tunnel factories', () => {
  const ingress = () => [{ service: 'http_status:404' }];
  const cases: [string, () => Tunnel, RegExp][] = [
    ['remotelyManaged(null)', () => Tunnel.remotelyManaged(bad(null)), /Cloudflared prop tunnel is not valid/],
    ['locallyManaged(null)', () => Tunnel.locallyManaged(bad(null)), /Cloudflared prop tunnel is not valid/],
    [
      'privateAccess.extraRoutes as a string',
      () => Tunnel.remotelyManaged({ tokenSecret: { name: 't', key: 'token' }, privateAccess: { extraRoutes: bad('x') } }),
      /tunnel\.privateAccess\.extraRoutes is not valid/,
    ],
    [
      'privateAccess.includeList with a bad entry',
      () => Tunnel.remotelyManaged({ tokenSecret: { name: 't', key: 'token' }, privateAccess: { includeList: [bad({ cidr: 5 })] } }),
      /tunnel\.privateAccess\.includeList\[0\]\.cidr is not valid/,
    ],
  ];
  for (const [name, make, says] of cases)
    it(`${name}: no throw, a NET-IN1 finding at Cloudflared`, async () => {
      let tunnel: Tunnel | undefined;
      expect(() => (tunnel = make())).not.toThrow();
      const fs = await findings(({ cluster }) => new Cloudflared(cluster, 'cf', { tunnel: tunnel!, ingress }));
      const errors = fs.filter((f) => f.level === 'error');
      expect(
        errors.some((f) => f.ruleId === 'NET-IN1' && f.path === 'test/cf' && says.test(f.message)),
        summary(fs).join('\n'),
      ).toBe(true);
    });
});

describe('SecretSource factories', () => {
  const consume = (cluster: ReturnType<typeof testCluster>['cluster'], source: SecretSource) =>
    new Workload(cluster, 'api', {
      namespace: 'apps',
      image: 'nginx:1.27.2',
      ports: [{ name: 'http', port: 80 }],
      envFromSecrets: [{ name: 'api-env', source }],
    });
  const store = (cluster: ReturnType<typeof testCluster>['cluster']) =>
    new SecretStore(cluster, 'store', { provider: StoreProvider.doppler({ tokenSecret: token }), credential });

  it('fromStore(null) is a finding, not a Secret "out of band: (no command given)"', async () => {
    const fs = await findings(({ cluster }) => consume(cluster, SecretSource.fromStore(bad(null))));
    expect(
      fs.some((f) => f.ruleId === 'NET-IN1' && f.path === 'test/api-app/api'),
      summary(fs).join('\n'),
    ).toBe(true);
    expect(fs.filter((f) => /no command given/.test(f.message)).map(formatFinding)).toEqual([]);
  });

  it('outOfBand(undefined) is a finding', async () => {
    const fs = await findings(({ cluster }) => consume(cluster, SecretSource.outOfBand(bad(undefined))));
    expect(
      fs.some((f) => f.ruleId === 'NET-IN1' && f.path === 'test/api-app/api'),
      summary(fs).join('\n'),
    ).toBe(true);
  });

  it('remoteKeys: 5 is a finding', async () => {
    const fs = await findings(({ cluster }) => consume(cluster, SecretSource.fromStore(store(cluster), { remoteKeys: bad(5) })));
    expect(
      fs.some((f) => f.ruleId === 'NET-IN1' && /remoteKeys/.test(f.message)),
      summary(fs).join('\n'),
    ).toBe(true);
  });

  it('a store of another cluster is NET-SEC4: its ClusterSecretStore does not exist here', async () => {
    const other = testCluster({}, 'other');
    const theirs = store(other.cluster);
    const fs = await findings(({ cluster }) => consume(cluster, SecretSource.fromStore(theirs)));
    const sec4 = fs.filter((f) => f.ruleId === 'NET-SEC4');
    expect(sec4.map((f) => f.message).join('\n')).toMatch(/ClusterSecretStore store of cluster other/);
  });

  it('two consumers of one Secret with different remoteKeys are NET-SEC4, naming both', async () => {
    const fs = await findings(({ cluster }) => {
      const s = store(cluster);
      for (const [id, remote] of [
        ['a', 'A_TOKEN'],
        ['b', 'B_TOKEN'],
      ])
        new Workload(cluster, id, {
          namespace: 'apps',
          image: 'nginx:1.27.2',
          ports: [{ name: 'http', port: 80 }],
          envFromSecrets: [{ name: 'shared', source: SecretSource.fromStore(s, { remoteKeys: { token: remote } }) }],
        });
    });
    const sec4 = fs.filter((f) => f.ruleId === 'NET-SEC4');
    expect(sec4.length, summary(fs).join('\n')).toBe(1);
    expect(sec4[0].message).toContain('test/a-app/a');
    expect(sec4[0].path).toBe('test/b-app/b');
    expect(sec4[0].message).toMatch(/A_TOKEN[\s\S]*B_TOKEN/);
  });
});

describe('a construct id that cannot be a name', () => {
  it('is one NET-IN2 finding, its schema follow-ons collapsed', async () => {
    const fs = await findings(
      ({ cluster }) => new Workload(cluster, 'Web App', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] }),
    );
    expect(summary(fs)).toEqual([
      expect.stringMatching(
        /^NET-IN2 test\/Web App-app\/Web App Workload: the construct id "Web App" cannot be used as the Deployment and Service name.*\(2 follow-on findings of this construct left out: NET-SCH4\)$/,
      ),
    ]);
  });
});

describe('port names are IANA service names', () => {
  for (const [name, ok] of [
    ['http', true],
    ['metrics-exporter', false],
    ['web--ui', false],
    ['8080', false],
    ['-http', false],
    ['h2c-15-chars-ok', true],
  ] as const)
    it(`${name}: ${ok ? 'accepted' : 'NET-IN2'}`, async () => {
      const fs = await findings(({ cluster }) => new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name, port: 80 }] }));
      expect(fs.filter((f) => f.ruleId === 'NET-IN2').map((f) => f.value)).toEqual(ok ? [] : [name]);
    });
});

describe('every factory of StoreProvider, Tunnel and SecretSource, given arbitrary arguments', () => {
  const garbage = fc.oneof(
    fc.constantFrom(undefined, null, NaN, '', 5, [], {}, { tokenSecret: 5 }, () => 1),
    fc.anything({ maxDepth: 2, maxKeys: 3 }),
  );
  const receivers: Record<string, (cluster: ReturnType<typeof testCluster>['cluster'], product: never) => unknown> = {
    StoreProvider: (cluster, provider) => new SecretStore(cluster, 'store', { provider, credential }),
    Tunnel: (cluster, tunnel) => new Cloudflared(cluster, 'cf', { tunnel, ingress: () => [{ service: 'http_status:404' }] }),
    SecretSource: (cluster, source) =>
      new Workload(cluster, 'api', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }], envFromSecrets: [{ name: 'e', source }] }),
  };
  const classes = { StoreProvider, Tunnel, SecretSource } as unknown as Record<string, Record<string, unknown>>;
  for (const [cls, statics] of Object.entries(classes))
    for (const method of Object.getOwnPropertyNames(statics).filter((m) => typeof statics[m] === 'function' && !['length', 'name', 'prototype'].includes(m)))
      it(`${cls}.${method}: no throw; findings, never NET-RUN1`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(garbage, { maxLength: 3 }), async (args) => {
            let product: unknown;
            expect(() => (product = (statics[method] as (...a: unknown[]) => unknown)(...args))).not.toThrow();
            const t = testCluster();
            receivers[cls](t.cluster, product as never);
            const outcome = await run(t.app);
            expect(outcome.findings.filter((f) => f.ruleId === 'NET-RUN1').map(formatFinding)).toEqual([]);
            if (!outcome.ok) expect(outcome.findings.some((f) => f.level === 'error')).toBe(true);
          }),
          { numRuns: 15, seed: 18, endOnFailure: true },
        );
      });
});

describe('method arguments from plain JavaScript', () => {
  it('expose() and addTcpListener() with unusable arguments report NET-IN findings and render nothing, never throw', async () => {
    const { app, cluster } = testCluster();
    const pool = new L2Pool(cluster, 'Pool', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')] });
    const gw = new DualGateway(cluster, 'Gateways', {
      pool,
      acme: { email: 'ops@example.com', apiTokenSecret: { name: 'cf', key: 'token', source: SecretSource.outOfBand({ command: 'kubectl create secret' }) } },
    });
    expect(gw.expose(null as never)).toEqual([]);
    expect(gw.addTcpListener({ name: 'pg', port: 'x', backend: null } as never)).toBeUndefined();
    const out = await run(app);
    expect(out.findings.filter((f) => f.ruleId === 'NET-RUN1')).toEqual([]);
    const said = out.findings.filter((f) => f.ruleId === 'NET-IN1').map((f) => [f.message.replace(/ \(\d+ follow-on .*\)$/, ''), f.value]);
    expect(said).toContainEqual(['DualGateway.expose(): its argument is not valid', null]);
    expect(said).toContainEqual(['DualGateway.addTcpListener(): argument port is not valid', 'x']);
    expect(out.ok).toBe(false);
  });

  it('an AddressBlock made of non-strings is a finding in words, not a TypeError message', async () => {
    const { app, cluster } = testCluster();
    new L2Pool(cluster, 'Pool', { blocks: [AddressBlock.range('zzz', null as never)] });
    const out = await run(app);
    const f = out.findings.find((x) => x.ruleId === 'NET-L2P1');
    expect(f?.message).toContain('stop is null, not an address string');
    expect(JSON.stringify(out.findings)).not.toContain('Cannot read properties');
  });
});

describe('what a factory took unchecked is checked where its product is used', () => {
  it('Backend.service(null, 7, -5) in expose(): each field reported at the gateway, nothing rendered for it', async () => {
    const { app, cluster } = testCluster();
    const pool = new L2Pool(cluster, 'Pool', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.210')] });
    const gw = new DualGateway(cluster, 'Gateways', {
      pool,
      acme: { email: 'ops@example.com', apiTokenSecret: { name: 'cf', key: 'token', source: SecretSource.outOfBand({ command: 'kubectl create secret' }) } },
    });
    expect(gw.expose({ host: 'app.example.com', backend: Backend.service(null as never, 7 as never, -5) })).toEqual([]);
    const out = await run(app);
    expect(out.findings.filter((f) => f.ruleId === 'NET-RUN1')).toEqual([]);
    const values = out.findings.filter((f) => f.ruleId.startsWith('NET-IN')).map((f) => f.value);
    expect(values).toEqual(expect.arrayContaining([null, 7, -5]));
    expect(out.findings.filter((f) => f.ruleId === 'NET-SCH1' || f.ruleId === 'NET-SCH4')).toEqual([]);
  });

  it('ChartRepository.helm(null, "notaurl") in a HelmChart: NET-IN findings at the chart, no schema error about a derived name', async () => {
    const { app, cluster } = testCluster();
    new HelmChart(cluster, 'Chart', { chart: 'podinfo', version: '6.7.0', namespace: 'apps', repository: ChartRepository.helm(null as never, 'notaurl') });
    const out = await run(app);
    expect(out.ok).toBe(false);
    const said = out.findings.filter((f) => f.ruleId.startsWith('NET-IN')).map((f) => [f.ruleId, f.value]);
    expect(said).toEqual(expect.arrayContaining([expect.arrayContaining([null]), ['NET-IN1', 'notaurl']]));
    expect(out.findings.filter((f) => f.ruleId === 'NET-SCH4' || f.ruleId === 'NET-RUN1')).toEqual([]);
  });
});
