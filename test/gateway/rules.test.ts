import { ApiObject, type App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import type { Construct } from 'constructs';
import { Acknowledgements } from '../../constructs/acknowledgements.js';
import { CiliumRelease } from '../../constructs/cilium-release.js';
import { AddressBlock, L2Pool } from '../../constructs/l2-pool.js';
import { Backend, DualGateway, Exposure, ListenerProtocol } from '../../constructs/dual-gateway.js';
import { GatewayApiChannel } from '../../constructs/gateway-api-crds.js';
import { SplitDnsMode } from '../../constructs/gateway/split-dns.js';
import { Workload } from '../../constructs/workload.js';
import { HttpRoute } from '../../imports/gateway-api.js';
import { expectCompliant, ids, run, testCluster, type Outcome } from '../helpers.js';
import { ACME, gatewayFixture, type Fixture } from './fixture.js';
import { Distribution } from '../../constructs/cluster.js';
import { GitOps } from '../../constructs/gitops/gitops.js';
import { IsolatedDatabase } from '../../constructs/isolated-database.js';

const REASON = 'reviewed for this test cluster, accepted on purpose';

function findingsOf(o: Outcome, id: string) {
  return o.findings.filter((f) => f.ruleId === id);
}

/**
 * The acknowledged case: the rule's finding is gone from the findings AND listed as acknowledged. Absence alone also
 * holds when the setup no longer trips the rule at all (or the rule is not registered).
 */
async function expectAcknowledged(app: App, id: string): Promise<void> {
  const o = await run(app);
  expectCompliant(o, id);
  expect(o.ok, JSON.stringify(o.findings.filter((f) => f.level === 'error'))).toBe(true);
  expect(o.result!.clusters.flatMap((c) => c.acknowledged).map((a) => a.ruleId)).toContain(id);
}

function other(f: Fixture): Workload {
  return new Workload(f.cluster, 'other', { namespace: 'other', image: 'example/other:1.0.0', ports: [{ name: 'http', port: 8080 }] });
}

/** An escape-hatch UDPRoute (no typed model ships for the kind) on the internal gateway. */
function udpRoute(scope: Construct, apiVersion: string): ApiObject {
  return new ApiObject(scope, 'Dns', {
    apiVersion,
    kind: 'UDPRoute',
    metadata: { name: 'dns', namespace: 'gateway' },
    spec: { parentRefs: [{ name: 'gateway-internal', sectionName: 'dns' }], rules: [{ backendRefs: [{ name: 'dns', namespace: 'dns', port: 53 }] }] },
  });
}

describe('NET-GW1 a host is served by one route per gateway', () => {
  const setup = () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') });
    f.gateways.expose({ host: 'web', backend: Backend.workload(other(f), 'http') });
    return f;
  };
  it('fails when the same host is exposed twice on the internal gateway', async () => {
    const o = await run(setup().app);
    const [f] = findingsOf(o, 'NET-GW1');
    expect(f.message).toContain('host web.example.lan is routed 2 times on gateway gateway/gateway-internal');
    expect(f.value).toEqual(['HTTPRoute gateway/web-example-lan-internal', 'HTTPRoute gateway/web-example-lan-internal-2']);
  });
  it('passes when each gateway serves the host once (Exposure.BOTH)', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.BOTH });
    expectCompliant(await run(f.app), 'NET-GW1');
  });
  it('is silenced by an acknowledgement', async () => {
    const f = setup();
    Acknowledgements.of(f.gateways).add('NET-GW1', REASON);
    await expectAcknowledged(f.app, 'NET-GW1');
  });
});

describe('NET-GW2 route hosts are covered by listeners and certificates', () => {
  it('fails when a two-label host passes the wildcard listener but not the wildcard certificate', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'a.b.example.lan', backend: Backend.workload(f.web, 'http') });
    const [x] = findingsOf(await run(f.app), 'NET-GW2');
    expect(x.message).toContain('host a.b.example.lan of HTTPRoute gateway/a-b-example-lan-internal is not named by certificate gateway/wildcard-example-lan');
    expect(x.expected).toContain('*.example.lan');
  });
  it('fails when a host is outside every listener', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web.elsewhere.org', backend: Backend.workload(f.web, 'http') });
    const [x] = findingsOf(await run(f.app), 'NET-GW2');
    expect(x.message).toContain('host web.elsewhere.org is not accepted by gateway gateway/gateway-internal');
    expect(x.value).toBe('web.elsewhere.org');
  });
  it('judges a route by the listeners its parentRef attaches to: by section name, and by port', async () => {
    const route = (parentRef: Record<string, unknown>) => {
      const f = gatewayFixture();
      new HttpRoute(f.cluster, 'Admin', {
        metadata: { name: 'admin', namespace: 'gateway' },
        spec: {
          parentRefs: [{ name: 'gateway-internal', ...parentRef }],
          hostnames: ['admin.example.lan'],
          rules: [{ backendRefs: [{ name: 'web', namespace: 'web', port: 80 }] }],
        } as never,
      });
      return f.app;
    };
    expect(findingsOf(await run(route({ port: 443 })), 'NET-GW2')).toEqual([]);
    // no listener on 8443: the route attaches to none, so nothing accepts its host
    const [x] = findingsOf(await run(route({ port: 8443 })), 'NET-GW2');
    expect(x!.message).toContain('host admin.example.lan is not accepted by gateway gateway/gateway-internal');
    expect(x!.expected).toBe('a host matching (no listener)');
  });
  it('passes for a host directly under a served domain', async () => {
    const f = gatewayFixture({ gateway: { domains: ['example.lan', 'elsewhere.org'] } });
    f.gateways.expose({ host: 'web.elsewhere.org', backend: Backend.workload(f.web, 'http') });
    expectCompliant(await run(f.app), 'NET-GW2');
  });
  it('is silenced by an acknowledgement', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'a.b.example.lan', backend: Backend.workload(f.web, 'http') });
    Acknowledgements.of(f.gateways).add('NET-GW2', REASON);
    await expectAcknowledged(f.app, 'NET-GW2');
  });
});

describe('NET-GW3 every backend exists', () => {
  it('fails when a workload has no port of the requested name', async () => {
    const f = gatewayFixture();
    const backend = Backend.workload(f.web, 'metrics');
    expect(backend.port).toBeUndefined(); // no made-up port 0
    f.gateways.expose({ host: 'web', backend, exposure: Exposure.BOTH });
    const outcome = await run(f.app);
    // one finding per route, recorded by the DualGateway on the route it could not give a port
    expect(findingsOf(outcome, 'NET-GW3')).toEqual(
      (['external', 'internal'] as const).map((side) => ({
        ruleId: 'NET-GW3',
        level: 'error',
        path: `${f.gateways.node.path}/Route-web-example-lan-${side}`,
        message: `HTTPRoute gateway/web-example-lan-${side} sends traffic to port "metrics" of Service web/web, but the workload has no port of that name`,
        value: 'web/web:metrics',
        expected: 'one of its port names: http',
        fix: expect.stringContaining('Backend.workload'),
      })),
    );
    expect(findingsOf(outcome, 'NET-RUN1')).toEqual([]);
  });
  it('fails when a route (escape hatch) targets a Service nobody renders or declares', async () => {
    const f = gatewayFixture();
    new HttpRoute(f.gateways, 'Manual', {
      metadata: { name: 'manual', namespace: 'gateway' },
      spec: {
        parentRefs: [{ name: 'gateway-internal', sectionName: 'https-example-lan' }],
        hostnames: ['manual.example.lan'],
        rules: [{ backendRefs: [{ name: 'label-studio', port: 8080 }] }],
      },
    });
    const [x] = findingsOf(await run(f.app), 'NET-GW3');
    expect(x.message).toContain('Service gateway/label-studio, which this tree neither renders nor installs, and nobody declared external');
    expect(x.value).toBe('gateway/label-studio:8080');
  });
  it('fails when Backend.service names a Service nothing renders (seed 002: database/postgres-rw)', async () => {
    const f = gatewayFixture();
    f.gateways.addTcpListener({ name: 'postgres', port: 5432, backend: Backend.service('database', 'postgres-rw', 5432) });
    const [x] = findingsOf(await run(f.app), 'NET-GW3');
    expect(x.message).toBe(
      'TCPRoute gateway/postgres sends traffic to Service database/postgres-rw, which this tree neither renders nor installs, and nobody declared external',
    );
    expect(x.value).toBe('database/postgres-rw:5432');
    expect(x.fix).toContain('Backend.external(namespace, name, port, { installedBy })');
  });
  it('fails for argocd-server when the cluster does not run Argo CD (Flux installs no argocd-server)', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'argocd', backend: Backend.service('argocd', 'argocd-server', 80) });
    expect(findingsOf(await run(f.app), 'NET-GW3').map((x) => x.value)).toEqual(['argocd/argocd-server:80']);
  });
  it('passes for a rendered workload port, a Service declared external, and argocd-server on an Argo CD cluster', async () => {
    const f = gatewayFixture({ cluster: { gitops: GitOps.argocd({ repoUrl: 'https://git.example.lan/fleet.git' }) } });
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') });
    f.gateways.expose({ host: 'argocd', backend: Backend.service('argocd', 'argocd-server', 80), exposure: Exposure.BOTH });
    f.gateways.addTcpListener({ name: 'postgres', port: 5432, backend: Backend.external('database', 'postgres-rw', 5432, { installedBy: 'the DBA team' }) });
    expectCompliant(await run(f.app), 'NET-GW3');
  });
  it('passes for the -rw Service of a rendered CloudNativePG cluster, and checks its port', async () => {
    const f = gatewayFixture();
    new IsolatedDatabase(f.cluster, 'orders-db', { namespace: 'orders', database: 'orders', owner: 'app' });
    f.gateways.addTcpListener({ name: 'postgres', port: 5432, backend: Backend.service('orders', 'orders-db-rw', 5432) });
    f.gateways.addTcpListener({ name: 'postgres-ro', port: 5433, backend: Backend.service('orders', 'orders-db-ro', 5433) });
    const found = findingsOf(await run(f.app), 'NET-GW3');
    expect(found.map((x) => [x.value, x.expected])).toEqual([['orders/orders-db-ro:5433', 'one of ports 5432']]);
  });
  it('is silenced by an acknowledgement', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'metrics') });
    Acknowledgements.of(f.gateways).add('NET-GW3', REASON);
    // The route then points at port 0, which the schema check reports on its own.
    Acknowledgements.of(f.gateways).add('NET-SCH1', 'the same missing port, reported by NET-GW3 in this test');
    await expectAcknowledged(f.app, 'NET-GW3');
  });
});

describe('NET-GW4 gateways never share an address', () => {
  it('fails when both gateways ask for the same address', async () => {
    const f = gatewayFixture({ gateway: { externalAddress: '192.168.1.245', internalAddress: '192.168.1.245' } });
    const [x] = findingsOf(await run(f.app), 'NET-GW4');
    expect(x.message).toBe('gateways gateway/gateway-external and gateway/gateway-internal ask for the same address 192.168.1.245');
    expect(x.value).toBe('192.168.1.245');
  });
  it('passes with one address each (including addresses the pool chooses)', async () => {
    const f = gatewayFixture({ gateway: { externalAddress: undefined, internalAddress: undefined } });
    expect(f.gateways.externalAddress).not.toBe(f.gateways.internalAddress);
    expectCompliant(await run(f.app), 'NET-GW4');
  });
  it('is silenced by an acknowledgement', async () => {
    const f = gatewayFixture({ gateway: { externalAddress: '192.168.1.245', internalAddress: '192.168.1.245' } });
    Acknowledgements.of(f.gateways).add('NET-GW4', REASON);
    // The pool reports the same shared address as an allocation without a sharing key.
    Acknowledgements.of(f.pool).add('NET-L2P5', 'the same shared address, reported by NET-GW4 in this test');
    await expectAcknowledged(f.app, 'NET-GW4');
  });
});

describe('NET-GW5 split DNS never shadows an external host', () => {
  it('fails when a host goes to different backends on the two gateways', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.EXTERNAL });
    f.gateways.expose({ host: 'web', backend: Backend.workload(other(f), 'http') });
    const [x] = findingsOf(await run(f.app), 'NET-GW5');
    expect(x.message).toContain('host web.example.lan goes to web/web:80 from the internet but to other/other:8080 on the LAN');
  });
  it('fails when an external-only host lies under a wildcard split-DNS domain (404 on the LAN)', async () => {
    const f = gatewayFixture({ gateway: { splitDns: { mode: SplitDnsMode.WILDCARD } } });
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.EXTERNAL });
    const [x] = findingsOf(await run(f.app), 'NET-GW5');
    expect(x.message).toContain(
      'host web.example.lan is external-only, but the wildcard split-DNS record sends LAN users to the internal gateway 192.168.1.241',
    );
  });
  it('passes for Exposure.BOTH under a wildcard, and for external-only hosts with per-host records', async () => {
    const a = gatewayFixture({ gateway: { splitDns: { mode: SplitDnsMode.WILDCARD } } });
    a.gateways.expose({ host: 'web', backend: Backend.workload(a.web, 'http'), exposure: Exposure.BOTH });
    expectCompliant(await run(a.app), 'NET-GW5');
    const b = gatewayFixture();
    b.gateways.expose({ host: 'web', backend: Backend.workload(b.web, 'http'), exposure: Exposure.EXTERNAL });
    expectCompliant(await run(b.app), 'NET-GW5');
  });
  it('is silenced by an acknowledgement', async () => {
    const f = gatewayFixture({ gateway: { splitDns: { mode: SplitDnsMode.WILDCARD } } });
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.EXTERNAL });
    Acknowledgements.of(f.gateways).add('NET-GW5', REASON);
    await expectAcknowledged(f.app, 'NET-GW5');
  });
});

describe('NET-GW6 TCP/TLS listeners use a route the Cilium version supports', () => {
  it('fails when a TCP listener is added on Cilium 1.19 (no TCPRoute before 1.20), naming the versions', async () => {
    const f = gatewayFixture({ minor: '1.19' });
    f.gateways.addTcpListener({ name: 'postgres', port: 5432, backend: Backend.external('db', 'pg-rw', 5432) });
    const found = findingsOf(await run(f.app), 'NET-GW6');
    expect(found.map((x) => x.message)).toEqual(
      expect.arrayContaining([
        'TCPRoute gateway/postgres is not supported by Cilium 1.19 (Gateway API v1.4.1): Cilium adds TCPRoute in 1.20 (Gateway API v1.6.1)',
        expect.stringContaining('listener postgres (TCP 5432) of gateway gateway/gateway-internal needs TCPRoute support'),
      ]),
    );
  });
  it('fails when a route has the wrong version for the release (CiliumRelease created after the listener)', async () => {
    const { app, cluster } = testCluster();
    const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.240', '192.168.1.250')] });
    const gateways = new DualGateway(cluster, 'Gateways', { pool, acme: ACME });
    // No CiliumRelease yet: the route is rendered for the newest minor (TLSRoute v1).
    gateways.addTcpListener({
      name: 'tls',
      port: 8443,
      protocol: ListenerProtocol.TLS,
      hostnames: ['tls.example.lan'],
      backend: Backend.external('db', 'pg-rw', 5432),
    });
    new CiliumRelease(cluster, 'Cilium', { version: '1.19', kubeProxyReplacement: true, gatewayApi: { enableAlpn: true } });
    const [x] = findingsOf(await run(app), 'NET-GW6');
    expect(x.message).toContain(
      'TLSRoute gateway/tls is gateway.networking.k8s.io/v1, but Cilium 1.19 (Gateway API v1.4.1) watches gateway.networking.k8s.io/v1alpha2',
    );
  });
  it('passes for TCP on Cilium 1.20 (TCPRoute v1)', async () => {
    const f = gatewayFixture({ minor: '1.20' });
    const l = f.gateways.addTcpListener({ name: 'postgres', port: 5432, backend: Backend.external('db', 'pg-rw', 5432) })!;
    expect(l.routeApiVersion).toBe('gateway.networking.k8s.io/v1');
    expectCompliant(await run(f.app), 'NET-GW6');
  });
  it('fails for a UDPRoute on Cilium 1.19 (UDPRoute arrives with TCPRoute in 1.20), and for one of the wrong version on 1.20', async () => {
    const f = gatewayFixture({ minor: '1.19' });
    udpRoute(f.cluster, 'gateway.networking.k8s.io/v1alpha2');
    expect(findingsOf(await run(f.app), 'NET-GW6').map((x) => x.message)).toEqual([
      'UDPRoute gateway/dns is not supported by Cilium 1.19 (Gateway API v1.4.1): Cilium adds UDPRoute in 1.20 (Gateway API v1.6.1)',
    ]);
    const g = gatewayFixture({ minor: '1.20' });
    udpRoute(g.cluster, 'gateway.networking.k8s.io/v1alpha2');
    const [x] = findingsOf(await run(g.app), 'NET-GW6');
    expect(x).toMatchObject({
      path: 'test/Dns',
      message:
        'UDPRoute gateway/dns is gateway.networking.k8s.io/v1alpha2, but Cilium 1.20 (Gateway API v1.6.1) watches gateway.networking.k8s.io/v1: the route is never reconciled',
      value: 'gateway.networking.k8s.io/v1alpha2',
      expected: 'gateway.networking.k8s.io/v1',
    });
  });
  it('passes for a UDPRoute v1 on Cilium 1.20', async () => {
    const f = gatewayFixture({ minor: '1.20' });
    udpRoute(f.cluster, 'gateway.networking.k8s.io/v1');
    // the route's backend is left out on purpose: NET-GW3 reports it, NET-GW6 has nothing to say
    expectCompliant(await run(f.app), 'NET-GW6', { otherErrors: ['NET-GW3'] });
  });
  it('is silenced by an acknowledgement', async () => {
    const f = gatewayFixture({ minor: '1.19' });
    f.gateways.addTcpListener({ name: 'postgres', port: 5432, backend: Backend.external('db', 'pg-rw', 5432) });
    Acknowledgements.of(f.gateways).add('NET-GW6', REASON);
    await expectAcknowledged(f.app, 'NET-GW6');
  });
});

describe('NET-GW7 the CRD channel serves every rendered route version', () => {
  const setup = () => {
    const f = gatewayFixture({ minor: '1.19', gatewayApi: { enableAlpn: true, crdChannel: GatewayApiChannel.STANDARD } });
    f.gateways.addTcpListener({
      name: 'tls',
      port: 8443,
      protocol: ListenerProtocol.TLS,
      hostnames: ['tls.example.lan'],
      backend: Backend.external('db', 'pg-rw', 5432),
    });
    return f;
  };
  it('fails when the standard channel is forced while a TLSRoute v1alpha2 is rendered', async () => {
    const [x] = findingsOf(await run(setup().app), 'NET-GW7');
    expect(x.message).toBe('TLSRoute gateway/tls is gateway.networking.k8s.io/v1alpha2, which the standard channel of Gateway API v1.4.1 does not serve');
  });
  it('passes when the channel is chosen from the routes (experimental)', async () => {
    const f = gatewayFixture({ minor: '1.19' });
    f.gateways.addTcpListener({
      name: 'tls',
      port: 8443,
      protocol: ListenerProtocol.TLS,
      hostnames: ['tls.example.lan'],
      backend: Backend.external('db', 'pg-rw', 5432),
    });
    expectCompliant(await run(f.app), 'NET-GW7');
  });
  it('is silenced by an acknowledgement', async () => {
    const f = setup();
    Acknowledgements.of(f.gateways).add('NET-GW7', REASON);
    await expectAcknowledged(f.app, 'NET-GW7');
  });
});

describe('NET-GW8 gateways run on Cilium with ALPN', () => {
  it('fails when CiliumRelease has ALPN off', async () => {
    const f = gatewayFixture({ gatewayApi: { enableAlpn: false } });
    const [x] = findingsOf(await run(f.app), 'NET-GW8');
    expect(x.message).toContain("Cilium's gateways do not offer ALPN");
    expect(x.value).toBe('gatewayAPI.enableAlpn: false');
  });
  it("fails when Cilium's Gateway API is not enabled", async () => {
    const f = gatewayFixture({ gatewayApi: false });
    const [x] = findingsOf(await run(f.app), 'NET-GW8');
    expect(x.value).toBe('gatewayAPI.enabled: false');
  });
  it('passes with the Gateway API and ALPN enabled', async () => {
    const f = gatewayFixture();
    expectCompliant(await run(f.app), 'NET-GW8');
  });
  it('is silenced by an acknowledgement', async () => {
    const f = gatewayFixture({ gatewayApi: { enableAlpn: false } });
    Acknowledgements.of(f.cilium).add('NET-GW8', REASON);
    await expectAcknowledged(f.app, 'NET-GW8');
  });
});

describe('NET-GW9 routes on the external gateway are declared with expose()', () => {
  const sneaky = (scope: Construct, hostnames = ['admin.example.lan']) =>
    new HttpRoute(scope, 'Admin', {
      metadata: { name: 'admin', namespace: 'gateway' },
      spec: {
        parentRefs: [{ name: 'gateway-external', sectionName: 'https-example-lan' }],
        hostnames,
        rules: [{ backendRefs: [{ name: 'web', namespace: 'web', port: 80 }] }],
      },
    });
  it('fails for an escape-hatch route attached to the external gateway, beside the DualGateway', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') });
    sneaky(f.cluster);
    const o = await run(f.app);
    const [x] = findingsOf(o, 'NET-GW9');
    expect(x.message).toBe(
      'HTTPRoute gateway/admin attaches to the external gateway gateway/gateway-external outside test/Gateways.expose(): ' +
        'admin.example.lan would be public without appearing in reports/exposure.md',
    );
    expect(x.path).toBe('test/Admin');
    expect(x.value).toEqual({ route: 'gateway/admin', hostnames: ['admin.example.lan'] });
    expect(o.ok).toBe(false);
  });
  it('fails for such a route added under the DualGateway scope too, and for one without host names', async () => {
    const f = gatewayFixture();
    sneaky(f.gateways, []);
    const [x] = findingsOf(await run(f.app), 'NET-GW9');
    expect(x.message).toContain('every host name would be public');
  });
  it('passes for hosts exposed externally, for internal routes and the HTTPS redirects', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.BOTH });
    f.gateways.expose({ host: 'api', backend: Backend.workload(other(f), 'http'), exposure: Exposure.EXTERNAL });
    f.gateways.expose({ host: 'lan', backend: Backend.workload(f.web, 'http') });
    const o = await run(f.app);
    expectCompliant(o, 'NET-GW9');
    expect(o.ok).toBe(true);
  });
  it('is silenced by an acknowledgement', async () => {
    const f = gatewayFixture();
    const route = sneaky(f.cluster);
    Acknowledgements.of(route).add('NET-GW9', REASON);
    const o = await run(f.app);
    expectCompliant(o, 'NET-GW9');
    expect(o.result?.clusters[0]!.acknowledged.some((a) => a.ruleId === 'NET-GW9')).toBe(true);
  });
});

describe('NET-GW12 coredns-custom only where CoreDNS imports it', () => {
  it("warns on Talos when coredns-custom is asked for: Talos' CoreDNS does not import it (seed 002)", async () => {
    const f = gatewayFixture({ cluster: { distribution: Distribution.TALOS }, gateway: { splitDns: { coreDns: true } } });
    const o = await run(f.app);
    expect(o.ok, JSON.stringify(o.findings.filter((x) => x.level === 'error'))).toBe(true);
    const [x] = findingsOf(o, 'NET-GW12');
    expect(x.level).toBe('warning');
    expect(x.path).toBe('test/Gateways');
    expect(x.message).toMatch(/Talos' built-in CoreDNS does not import it/);
    expect(x.value).toEqual({ distribution: 'talos', coreDns: true });
    expect(x.fix).toMatch(/cluster\.coreDNS\.disabled: true/);
    // the exposure report no longer claims k3s imports it
    const report = o.result!.clusters[0].files.get('reports/exposure.md')!;
    expect(report).toContain('read only by a CoreDNS that imports `custom/*.server` from it (NET-GW12)');
    expect(report).not.toContain("imported by k3s' CoreDNS");
  });

  it('warns on a generic cluster too, and can be acknowledged where the CoreDNS in use imports it', async () => {
    const f = gatewayFixture({ cluster: { distribution: Distribution.GENERIC }, gateway: { splitDns: { coreDns: true } } });
    expect(findingsOf(await run(f.app), 'NET-GW12').map((x) => x.message)).toEqual([
      'coredns-custom is rendered for in-cluster split DNS on a generic cluster, whose CoreDNS may not import it',
    ]);
    Acknowledgements.of(f.gateways).add('NET-GW12', 'our CoreDNS chart mounts coredns-custom and imports *.server');
    await expectAcknowledged(f.app, 'NET-GW12');
  });

  it('is silent on k3s, and where no coredns-custom is rendered (the Talos default)', async () => {
    expectCompliant(await run(gatewayFixture().app), 'NET-GW12');
    const talos = gatewayFixture({ cluster: { distribution: Distribution.TALOS } });
    expect(talos.gateways.coreDnsRendered).toBe(false);
    expectCompliant(await run(talos.app), 'NET-GW12');
  });
});

describe('NET-GW13 HTTPS routes on the internal gateway answer Alt-Svc: clear', () => {
  const ALT_SVC_CLEAR = { type: 'ResponseHeaderModifier' as const, responseHeaderModifier: { set: [{ name: 'Alt-Svc', value: 'clear' }] } };
  const backendRefs = [{ name: 'web', namespace: 'web', port: 80 }];
  /** A fixture whose `web` is exposed (its ReferenceGrant exists), and an escape-hatch route beside the DualGateway. */
  const withRoute = (spec: Record<string, unknown>) => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') });
    const route = new HttpRoute(f.cluster, 'Admin', {
      metadata: { name: 'admin', namespace: 'gateway' },
      spec: { hostnames: ['admin.example.lan'], ...spec } as never,
    });
    return { ...f, route };
  };
  const onHttps = [{ name: 'gateway-internal', sectionName: 'https-example-lan' }];

  it('fails for an escape-hatch HTTPRoute on the internal HTTPS listener without the header (seed 002)', async () => {
    const o = await run(withRoute({ parentRefs: onHttps, rules: [{ backendRefs }] }).app);
    const [x, ...rest] = findingsOf(o, 'NET-GW13');
    expect(rest).toEqual([]);
    expect(x.message).toBe(
      'HTTPRoute gateway/admin serves the internal gateway gateway/gateway-internal (https-example-lan) without the response header ' +
        'Alt-Svc: clear: browsers that learned HTTP/3 from Cloudflare keep trying QUIC on the LAN',
    );
    expect(x).toMatchObject({
      level: 'error',
      path: 'test/Admin',
      value: { route: 'gateway/admin', listeners: ['https-example-lan'], rules: ['spec.rules[0]'] },
    });
    expect(x.expected).toContain('sets Alt-Svc: clear on every rule');
    expect(x.fix).toContain("set: [{ name: 'Alt-Svc', value: 'clear' }]");
    expect(o.ok).toBe(false);
  });

  it('fails for a route naming no listener (it attaches to every one), and names the rules that lack the header', async () => {
    const [x] = findingsOf(
      await run(withRoute({ parentRefs: [{ name: 'gateway-internal' }], rules: [{ filters: [ALT_SVC_CLEAR], backendRefs }, { backendRefs }] }).app),
      'NET-GW13',
    );
    expect(x.message).toContain('(https-example-lan) without the response header Alt-Svc: clear in spec.rules[1]:');
    expect(x.value).toMatchObject({ rules: ['spec.rules[1]'] });
  });

  it('fails for a header that is removed, set to anything but clear, or only added (a backend Alt-Svc then joins it)', async () => {
    for (const modifier of [
      { remove: ['Alt-Svc'] },
      { set: [{ name: 'Alt-Svc', value: 'h3=":443"' }] },
      { set: [{ name: 'Alt-Svc', value: 'Clear' }] },
      { add: [{ name: 'Alt-Svc', value: 'clear' }] },
    ]) {
      const f = withRoute({ parentRefs: onHttps, rules: [{ filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: modifier }], backendRefs }] });
      expect(findingsOf(await run(f.app), 'NET-GW13'), JSON.stringify(modifier)).toHaveLength(1);
    }
  });

  it("passes for expose()'s internal routes and the https-redirect routes on port 80", async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.BOTH });
    f.gateways.expose({ host: 'lan', backend: Backend.workload(other(f), 'http') });
    const o = await run(f.app);
    expectCompliant(o, 'NET-GW13');
    expect(o.ok).toBe(true);
  });

  it('passes for an escape-hatch route that sets the header (any case of its name), on the rule or on every backend', async () => {
    const variants = [
      [{ filters: [ALT_SVC_CLEAR], backendRefs }],
      [{ filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'alt-svc', value: 'clear' }] } }], backendRefs }],
      [{ backendRefs: backendRefs.map((b) => ({ ...b, filters: [ALT_SVC_CLEAR] })) }],
    ];
    for (const rules of variants) {
      const o = await run(withRoute({ parentRefs: onHttps, rules }).app);
      expect(ids(o.findings), JSON.stringify(rules)).not.toContain('NET-GW13');
      expect(o.ok, JSON.stringify(o.findings.filter((x) => x.level === 'error'))).toBe(true);
    }
  });

  it('leaves routes on the HTTP listener (port 80) and on the external gateway to other rules', async () => {
    const redirect = [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }];
    expectCompliant(await run(withRoute({ parentRefs: [{ name: 'gateway-internal', port: 80 }], rules: redirect }).app), 'NET-GW13');
    const external = await run(withRoute({ parentRefs: [{ name: 'gateway-external', sectionName: 'https-example-lan' }], rules: [{ backendRefs }] }).app);
    expect(ids(external.findings)).toContain('NET-GW9');
    expectCompliant(external, 'NET-GW13', { otherErrors: ['NET-GW9'] });
  });

  it('leaves a route whose hostnames no HTTPS listener accepts to NET-GW2 (it attaches to none)', async () => {
    const o = await run(withRoute({ parentRefs: [{ name: 'gateway-internal' }], hostnames: ['admin.other.org'], rules: [{ backendRefs }] }).app);
    expectCompliant(o, 'NET-GW13', { otherErrors: ['NET-GW2'] });
    // a wildcard route hostname that covers the listener's domain attaches
    const wildcard = await run(withRoute({ parentRefs: [{ name: 'gateway-internal' }], hostnames: ['*.example.lan'], rules: [{ backendRefs }] }).app);
    expect(ids(wildcard.findings)).toContain('NET-GW13');
  });

  it('is silenced by an acknowledgement', async () => {
    const f = withRoute({ parentRefs: onHttps, rules: [{ backendRefs }] });
    Acknowledgements.of(f.route).add('NET-GW13', REASON);
    await expectAcknowledged(f.app, 'NET-GW13');
  });
});
