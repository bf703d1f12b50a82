/**
 * WARP private access through a remotely-managed tunnel (seed 003): the configuration body Cloudflare's API takes, the
 * tunnel's private routes and WARP's split-tunnel include list, all from the Cluster model, and rule NET-EDGE14.
 */
import { describe, expect, it } from 'vitest';
import {
  Acknowledgements,
  Backend,
  Cloudflared,
  Exposure,
  SecretSource,
  Tunnel,
  TUNNEL_CONFIGURATION_FILE,
  TUNNEL_ROUTES_FILE,
  WARP_INCLUDE_FILE,
  type WarpPrivateAccessOptions,
} from '../../constructs/index.js';
import { ACME, gatewayFixture } from '../gateway/fixture.js';
import { file, run, testCluster } from '../helpers.js';

const TOKEN = {
  name: 'cloudflared-token',
  key: 'token',
  source: SecretSource.outOfBand({ command: 'kubectl -n cloudflared create secret generic cloudflared-token --from-literal=token="$T"' }),
};

function tunnel(privateAccess?: WarpPrivateAccessOptions, cidrs: { podCidr?: string; serviceCidr?: string; nodeSubnet?: string } = {}) {
  const t = testCluster(cidrs);
  const c = new Cloudflared(t.cluster, 'Tunnel', {
    tunnel: Tunnel.remotelyManaged({ tokenSecret: TOKEN, ...(privateAccess ? { privateAccess } : {}) }),
    ingress: () => [{ hostname: 'app.example.org', service: 'http://app.apps.svc:80' }],
  });
  return { ...t, cloudflared: c };
}

describe('the remotely-managed tunnel configuration and WARP private access', () => {
  it('renders the PUT .../cfd_tunnel/{tunnel_id}/configurations body with the ingress rules and warp-routing', async () => {
    const { app, cloudflared } = tunnel({});
    const o = await run(app);
    expect(o.findings).toEqual([]);
    const body = JSON.parse(file(o, 'test', TUNNEL_CONFIGURATION_FILE));
    expect(body).toEqual({
      config: {
        ingress: [{ hostname: 'app.example.org', service: 'http://app.apps.svc:80' }, { service: 'http_status:404' }],
        'warp-routing': { enabled: true },
      },
    });
    expect(body.config.ingress).toEqual(cloudflared.ingressRules());
  });

  it('the rendered instructions say the device profile must be in Include mode, and never that the body enables warp-routing', async () => {
    const { app } = tunnel({});
    const o = await run(app);
    const readme = file(o, 'test', 'edge/README.md');
    const report = file(o, 'test', 'reports/exposure.md');
    const flat = (t: string) => t.replace(/\s+/g, ' ');
    expect(flat(readme)).toMatch(/Split Tunnels to Include mode \(Cloudflare's default is Exclude mode/);
    expect(flat(report)).toContain("The profile must use Split Tunnels in Include mode: Cloudflare's default is Exclude mode");
    expect(flat(report)).not.toMatch(/warp-routing` is enabled/);
    expect(flat(report)).toContain('Cloudflare routes WARP traffic to a tunnel that has private routes');
  });

  it('without private access the body has no warp-routing, and no routes or include list are rendered', async () => {
    const { app } = tunnel();
    const o = await run(app);
    expect(JSON.parse(file(o, 'test', TUNNEL_CONFIGURATION_FILE)).config['warp-routing']).toBeUndefined();
    expect(o.result!.clusters[0]!.files.has(WARP_INCLUDE_FILE)).toBe(false);
    expect(o.result!.clusters[0]!.files.has(TUNNEL_ROUTES_FILE)).toBe(false);
  });

  it("routes and include list follow the Cluster's service CIDR, pod CIDR and node subnet, then the declared networks", async () => {
    const access: WarpPrivateAccessOptions = {
      extraRoutes: [{ cidr: '192.168.2.0/24', description: 'calypso GPU' }],
      routedElsewhere: [{ cidr: '172.21.0.0/16', description: 'manowar' }],
    };
    for (const cidrs of [{}, { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12' }]) {
      const { app, cluster } = tunnel(access, cidrs);
      const o = await run(app);
      expect(o.findings).toEqual([]);
      const routes = JSON.parse(file(o, 'test', TUNNEL_ROUTES_FILE));
      expect(routes.map((r: { network: string }) => r.network)).toEqual([cluster.serviceCidr, cluster.podCidr, cluster.nodeSubnet, '192.168.2.0/24']);
      const include = JSON.parse(file(o, 'test', WARP_INCLUDE_FILE));
      expect(include.map((r: { address: string }) => r.address)).toEqual([
        cluster.serviceCidr,
        cluster.podCidr,
        cluster.nodeSubnet,
        '192.168.2.0/24',
        '172.21.0.0/16',
      ]);
      expect(include[0]).toEqual({ address: cluster.serviceCidr, description: 'test: Kubernetes services (API server ClusterIP included)' });
      const report = file(o, 'test', 'reports/exposure.md');
      expect(report).toContain('## Private access through WARP');
      expect(report).toContain(`| ${cluster.podCidr} | every pod directly, past the gateways | yes |`);
      expect(report).toContain('| 172.21.0.0/16 | manowar | through another tunnel, not this one |');
    }
  });

  it("a DualGateway's remotely-managed tunnel puts the WARP note into the gateway's exposure report", async () => {
    const { app, gateways, web } = gatewayFixture({
      gateway: { acme: ACME, tunnel: Tunnel.remotelyManaged({ tokenSecret: TOKEN, privateAccess: {} }) },
    });
    gateways.expose({ host: 'web', backend: Backend.workload(web, 'http'), exposure: Exposure.EXTERNAL });
    const o = await run(app);
    expect(o.findings.filter((f) => f.level === 'error')).toEqual([]);
    const report = file(o, 'test', 'reports/exposure.md');
    expect(report).toContain('# Exposure — cluster test');
    expect(report).toContain('## Private access through WARP');
    expect(JSON.parse(file(o, 'test', TUNNEL_CONFIGURATION_FILE)).config.ingress[0]).toMatchObject({ hostname: 'web.example.lan' });
  });
});

describe('NET-EDGE14 the include list and the routes agree', () => {
  it('fails when a route is missing from a hand-kept include list, and when a listed network is only partly routed', async () => {
    const { app } = tunnel({
      includeList: [
        { cidr: '10.43.0.0/16', description: 'services' },
        { cidr: '192.168.0.0/16', description: 'the whole LAN' },
      ],
    });
    const o = await run(app);
    expect(o.ok).toBe(false);
    expect(
      o.findings
        .filter((f) => f.ruleId === 'NET-EDGE14')
        .map((f) => f.message)
        .sort(),
    ).toEqual(
      [
        "the tunnel routes 10.42.0.0/16 (test: pods), which WARP's include list does not cover: WARP clients never send it to Cloudflare",
        "WARP's include list has 192.168.0.0/16 (the whole LAN), of which the tunnel routes only 192.168.1.0/24: the rest is a black hole",
      ].sort(),
    );
  });

  it('fails for an include entry no tunnel is declared to route, and for a network that is not a CIDR', async () => {
    const { app } = tunnel({ routedElsewhere: [{ cidr: '172.21.0.0/33', description: 'manowar' }] });
    const o = await run(app);
    expect(
      o.findings
        .filter((f) => f.ruleId === 'NET-EDGE14')
        .map((f) => f.message)
        .sort(),
    ).toEqual(['network routed elsewhere "172.21.0.0/33" (manowar) is not a CIDR', 'include entry "172.21.0.0/33" (manowar) is not a CIDR'].sort());
    const { app: app2 } = tunnel({
      includeList: [
        { cidr: '10.43.0.0/16', description: 's' },
        { cidr: '10.42.0.0/16', description: 'p' },
        { cidr: '192.168.1.0/24', description: 'n' },
        { cidr: '172.20.0.0/16', description: 'keycloak' },
      ],
    });
    const o2 = await run(app2);
    expect(
      o2.findings
        .filter((f) => f.ruleId === 'NET-EDGE14')
        .map((f) => f.message)
        .sort(),
    ).toEqual(["WARP's include list has 172.20.0.0/16 (keycloak), which no route of this tunnel carries and which is not declared as routed elsewhere"].sort());
  });

  it('passes for the derived list, and for a hand-kept list that covers every route', async () => {
    expect((await run(tunnel({}).app)).findings).toEqual([]);
    const { app } = tunnel({
      includeList: [
        { cidr: '10.0.0.0/8', description: 'all private 10/8' },
        { cidr: '192.168.1.0/24', description: 'nodes' },
      ],
      extraRoutes: [{ cidr: '10.0.0.0/8', description: '10/8' }],
    });
    expect((await run(app)).findings).toEqual([]);
  });

  it('is acknowledged on the tunnel with a reason', async () => {
    const { app, cloudflared } = tunnel({ includeList: [{ cidr: '10.43.0.0/16', description: 'services only' }] });
    Acknowledgements.of(cloudflared).add('NET-EDGE14', 'WARP users reach the API server only, by design');
    const o = await run(app);
    expect(o.ok).toBe(true);
    expect(o.result!.clusters[0]!.acknowledged.map((a) => a.ruleId)).toEqual(['NET-EDGE14', 'NET-EDGE14']);
  });
});
