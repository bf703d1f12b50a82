import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Backend, DualGateway, Exposure, ListenerProtocol } from '../../constructs/dual-gateway.js';
import { TunnelMode, Tunnel } from '../../constructs/cloudflared.js';
import { SplitDnsMode } from '../../constructs/gateway/split-dns.js';
import { Acknowledgements } from '../../constructs/acknowledgements.js';
import { Distribution } from '../../constructs/cluster.js';
import { Workload } from '../../constructs/workload.js';
import { file, ids, run, testCluster } from '../helpers.js';
import { CiliumRelease } from '../../constructs/cilium-release.js';
import { K3sServerConfig } from '../../constructs/k3s-server-config.js';
import { AddressBlock, L2Pool } from '../../constructs/l2-pool.js';
import { ACME, gatewayFixture } from './fixture.js';
import { SecretSource } from '../../constructs/secret-source.js';

const LOCAL = Tunnel.locallyManaged({
  tunnelId: '11111111-2222-3333-4444-555555555555',
  credentialsSecret: { name: 'tunnel-credentials', key: 'credentials.json', source: SecretSource.outOfBand({ command: 'kubectl create secret generic ...' }) },
});
const REMOTE = Tunnel.remotelyManaged({
  tokenSecret: { name: 'tunnel-token', key: 'token', source: SecretSource.outOfBand({ command: 'kubectl create secret generic ...' }) },
});

const y = (text: string) => parse(text.replace(/^#.*\n/, ''));

describe('DualGateway rendering', () => {
  it('renders both gateways from the pool, routes, grants, certificates, tunnel and split DNS (k3s, Flux, local tunnel)', async () => {
    const f = gatewayFixture({ gateway: { tunnel: LOCAL } });
    const api = new Workload(f.cluster, 'api', { namespace: 'api', image: 'example/api:1.0.0', ports: [{ name: 'http', port: 8080 }] });
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.BOTH });
    f.gateways.expose({ host: 'api', backend: Backend.workload(api, 'http') });
    f.gateways.addTcpListener({ name: 'postgres', port: 5432, backend: Backend.external('db', 'pg-rw', 5432) });
    const o = await run(f.app);
    expect(o.findings).toEqual([]);
    const files = o.result!.clusters[0].files;
    const mine = [...files.keys()]
      .filter((p) => /^(networking\/(gateway|cloudflared|split-dns)|services\/cert-manager|edge\/dns|reports\/exposure)/.test(p))
      .sort();
    for (const p of mine) await expect(files.get(p)).toMatchFileSnapshot(`./__snapshots__/local/${p.replace(/\//g, '__')}`);

    // Addresses come from the pool, under the gateways' owner names, and the pool's labels select them.
    expect(f.pool.allocations().map((a) => [a.owner, a.address])).toEqual(
      expect.arrayContaining([
        ['gateway/gateway-external', '192.168.1.240'],
        ['gateway/gateway-internal', '192.168.1.241'],
      ]),
    );
    const internal = y(file(o, 'test', 'networking/gateway/gateway-gateway-internal.yaml'));
    expect(internal.spec.addresses).toEqual([{ type: 'IPAddress', value: '192.168.1.241' }]);
    expect(internal.spec.infrastructure.labels).toEqual(f.pool.selectorLabels);
    expect(internal.spec.listeners.map((l: any) => `${l.name}/${l.protocol}/${l.port}`)).toEqual([
      'http-example-lan/HTTP/80',
      'https-example-lan/HTTPS/443',
      'postgres/TCP/5432',
    ]);
    const external = y(file(o, 'test', 'networking/gateway/gateway-gateway-external.yaml'));
    expect(external.spec.listeners.some((l: any) => l.port === 5432)).toBe(false);

    // Internal routes clear Alt-Svc, external ones do not.
    const intRoute = y(file(o, 'test', 'networking/gateway/httproute-web-example-lan-internal.yaml'));
    const extRoute = y(file(o, 'test', 'networking/gateway/httproute-web-example-lan-external.yaml'));
    expect(intRoute.spec.rules[0].filters).toEqual([
      { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'Alt-Svc', value: 'clear' }] } },
    ]);
    expect(extRoute.spec.rules[0].filters).toBeUndefined();
    // The default exposure is internal: no external route for api.
    expect(files.has('networking/gateway/httproute-api-example-lan-external.yaml')).toBe(false);

    // The listener's certificate is the wildcard certificate of the domain.
    const cert = y(file(o, 'test', 'networking/gateway/certificate-wildcard-example-lan.yaml'));
    expect(internal.spec.listeners[1].tls.certificateRefs[0].name).toBe(cert.spec.secretName);
    expect(cert.spec.dnsNames).toEqual(['example.lan', '*.example.lan']);

    // Tunnel: https to the external gateway's Service with the host as SNI, then the catch-all.
    const cm = y(file(o, 'test', 'networking/cloudflared/configmap-cloudflared.yaml'));
    const config = parse(cm.data['config.yaml']);
    expect(config.tunnel).toBe('11111111-2222-3333-4444-555555555555');
    expect(config.ingress).toEqual([
      {
        hostname: 'web.example.lan',
        service: 'https://cilium-gateway-gateway-external.gateway.svc.cluster.local:443',
        originRequest: { originServerName: 'web.example.lan', http2Origin: true },
      },
      { service: 'http_status:404' },
    ]);
    const dep = y(file(o, 'test', 'networking/cloudflared/deployment-cloudflared.yaml'));
    expect(dep.spec.replicas).toBeGreaterThanOrEqual(2);
    const pod = dep.spec.template.spec;
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 2000 });
    expect(pod.containers[0].image).toMatch(/^docker\.io\/cloudflare\/cloudflared:\d{4}\.\d+\.\d+$/);
    expect(pod.volumes.find((v: any) => v.name === 'credentials').secret.secretName).toBe('tunnel-credentials');

    // Split DNS: LAN-served hosts only (web both, api internal), to the internal address.
    expect(file(o, 'test', 'edge/dns/split-dns.dnsmasq.conf')).toContain(
      'address=/web.example.lan/192.168.1.241\naddress=/api.example.lan/192.168.1.241'.split('\n').sort().join('\n'),
    );
    const coredns = y(file(o, 'test', 'networking/split-dns/configmap-coredns-custom.yaml'));
    expect(coredns.metadata).toMatchObject({ name: 'coredns-custom', namespace: 'kube-system' });
    expect(coredns.data['example-lan.server']).toContain('192.168.1.241 web.example.lan');

    // Grants: one per backend namespace, naming the Service.
    const grants = [...files.entries()].filter(([p]) => p.includes('referencegrant')).flatMap(([, t]) => parseAllDocuments(t).map((d) => d.toJSON()));
    expect(grants.map((g) => [g.metadata.namespace, g.spec.to.map((t: any) => t.name), g.spec.from.map((x: any) => x.kind)])).toEqual(
      expect.arrayContaining([
        ['web', ['web'], ['HTTPRoute']],
        ['db', ['pg-rw'], ['TCPRoute']],
        ['api', ['api'], ['HTTPRoute']],
      ]),
    );

    // cert-manager: the chart with its CRDs, the issuer with the token by reference.
    const release = y(file(o, 'test', 'services/cert-manager/helmrelease-cert-manager.yaml'));
    expect(release.spec.values.crds).toEqual({ enabled: true, keep: true });
    const issuer = y(file(o, 'test', 'networking/gateway/clusterissuer-letsencrypt-cloudflare.yaml'));
    expect(issuer.spec.acme.solvers[0].dns01.cloudflare).toEqual({ apiTokenSecretRef: { name: 'cloudflare-api-token', key: 'api-token' } });
  });

  it('remote-managed tunnel: token by reference, no config mounted, the output says the rules live in Cloudflare', async () => {
    const f = gatewayFixture({ gateway: { tunnel: REMOTE } });
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.EXTERNAL });
    const o = await run(f.app);
    expect(ids(o.findings)).toEqual([]);
    const cm = file(o, 'test', 'networking/cloudflared/configmap-cloudflared.yaml');
    const dep = file(o, 'test', 'networking/cloudflared/deployment-cloudflared.yaml');
    const report = file(o, 'test', 'reports/exposure.md');
    await expect(cm).toMatchFileSnapshot('./__snapshots__/remote/configmap-cloudflared.yaml');
    await expect(dep).toMatchFileSnapshot('./__snapshots__/remote/deployment-cloudflared.yaml');
    await expect(report).toMatchFileSnapshot('./__snapshots__/remote/exposure.md');
    const data = y(cm).data;
    expect(Object.keys(data)).toEqual(['remote-ingress-rules.yaml']);
    expect(data['remote-ingress-rules.yaml']).toMatch(/^# REMOTELY-MANAGED tunnel: cloudflared IGNORES this file/);
    expect(parse(data['remote-ingress-rules.yaml']).ingress[0].hostname).toBe('web.example.lan');
    const c = y(dep).spec.template.spec;
    expect(c.volumes).toBeUndefined();
    expect(c.containers[0].env).toEqual([{ name: 'TUNNEL_TOKEN', valueFrom: { secretKeyRef: { name: 'tunnel-token', key: 'token' } } }]);
    expect(report).toContain('Remotely-managed tunnel: cloudflared ignores local configuration');
    expect(report).toContain('- hostname: web.example.lan');
    expect(f.gateways.tunnelMode).toBe(TunnelMode.REMOTELY_MANAGED);
    // External-only: no LAN record (per-host split DNS), so the LAN resolves it publicly.
    expect(f.gateways.dnsRecords()).toEqual([]);
  });

  it('no tunnel: the report does not claim a route through Cloudflare for an external host', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http'), exposure: Exposure.EXTERNAL });
    const o = await run(f.app);
    expect(ids(o.findings)).toEqual([]);
    const report = file(o, 'test', 'reports/exposure.md');
    expect(report).toContain('No Cloudflare tunnel is configured.');
    expect(report).not.toContain('through Cloudflare');
    expect(report).toContain('| web.example.lan | web/web:80 | at the external gateway 192.168.1.240 only |');
    expect(report).toMatch(
      /## Reached from the internet\n\nNo Cloudflare tunnel is configured: these hosts are served by the external gateway 192\.168\.1\.240, [^\n]*port forward/,
    );
  });

  it('wildcard split DNS renders a CoreDNS template and a domain-wide dnsmasq record', async () => {
    const f = gatewayFixture({ gateway: { splitDns: { mode: SplitDnsMode.WILDCARD } } });
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') });
    const o = await run(f.app);
    expect(o.findings).toEqual([]);
    await expect(file(o, 'test', 'networking/split-dns/configmap-coredns-custom.yaml')).toMatchFileSnapshot(
      './__snapshots__/wildcard/configmap-coredns-custom.yaml',
    );
    await expect(file(o, 'test', 'edge/dns/split-dns.dnsmasq.conf')).toMatchFileSnapshot('./__snapshots__/wildcard/split-dns.dnsmasq.conf');
    expect(file(o, 'test', 'edge/dns/split-dns.dnsmasq.conf')).toContain('address=/example.lan/192.168.1.241');
  });

  it('Cilium 1.19: a TLS passthrough listener gets TLSRoute v1alpha2 and the experimental CRD channel', async () => {
    const f = gatewayFixture({ minor: '1.19' });
    f.gateways.addTcpListener({
      name: 'tls-db',
      port: 5433,
      protocol: ListenerProtocol.TLS,
      hostnames: ['db.example.lan'],
      backend: Backend.external('db', 'pg-rw', 5432),
    });
    const o = await run(f.app);
    expect(o.findings).toEqual([]);
    const route = file(o, 'test', 'networking/gateway/tlsroute-tls-db.yaml');
    await expect(route).toMatchFileSnapshot('./__snapshots__/cilium-1.19/tlsroute-tls-db.yaml');
    expect(y(route).apiVersion).toBe('gateway.networking.k8s.io/v1alpha2');
    expect(file(o, 'test', 'crds/gateway-api/kustomization-gateway-api-crds.yaml')).toContain('./config/crd/experimental');
    expect(f.gateways.dnsRecords().map((r) => r.name)).toEqual(['db.example.lan']);
  });

  it('Argo CD, Talos: no CoreDNS ConfigMap (Talos CoreDNS does not import coredns-custom); the report says so', async () => {
    const f = gatewayFixture({ cluster: { distribution: Distribution.TALOS } });
    f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') });
    const o = await run(f.app);
    expect(o.findings).toEqual([]);
    expect([...o.result!.clusters[0].files.keys()].some((p) => p.includes('coredns'))).toBe(false);
    expect(file(o, 'test', 'reports/exposure.md')).toContain('In-cluster: not rendered');
  });

  it('a FQDN host is used as given; a single label joins the first domain', () => {
    const f = gatewayFixture({ gateway: { domains: ['example.lan', 'example.org'] } });
    expect(f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') }).host).toBe('web.example.lan');
    expect(f.gateways.expose({ host: 'Web.Example.Org', backend: Backend.workload(f.web, 'http') }).host).toBe('web.example.org');
    expect(f.gateways.expose({ host: 'w2', domain: 'example.org', backend: Backend.workload(f.web, 'http') }).host).toBe('w2.example.org');
  });

  it('hosts: one call with two names renders exactly the files of one call per name (routes, grant, tunnel, DNS, report)', async () => {
    const render = async (expose: (f: ReturnType<typeof gatewayFixture>, backend: Backend) => void) => {
      const f = gatewayFixture({ gateway: { tunnel: LOCAL } });
      const photos = new Workload(f.cluster, 'immich', { namespace: 'photos', image: 'example/immich:1.0.0', ports: [{ name: 'http', port: 2283 }] });
      expose(f, Backend.workload(photos, 'http'));
      f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') });
      const o = await run(f.app);
      expect(o.findings).toEqual([]);
      return { f, files: o.result!.clusters[0].files };
    };
    const one = await render((f, backend) => {
      const entries = f.gateways.expose({ hosts: ['photos', 'Immich.Example.Lan'], backend, exposure: Exposure.BOTH });
      expect(entries.map((e) => [e.host, e.exposure])).toEqual([
        ['photos.example.lan', 'both'],
        ['immich.example.lan', 'both'],
      ]);
    });
    const separate = await render((f, backend) => {
      f.gateways.expose({ host: 'photos', backend, exposure: Exposure.BOTH });
      f.gateways.expose({ host: 'Immich.Example.Lan', backend, exposure: Exposure.BOTH });
    });
    expect([...one.files.keys()]).toEqual([...separate.files.keys()]);
    for (const [path, content] of separate.files) expect(one.files.get(path), path).toBe(content);
    const summary = (f: ReturnType<typeof gatewayFixture>) => f.gateways.exposures().map((e) => [e.host, e.backend.displayName, e.exposure, e.sides]);
    expect(summary(one.f)).toEqual(summary(separate.f));

    // Not vacuous: each name has its two routes, its tunnel rule, its DNS record and its report line.
    for (const host of ['photos.example.lan', 'immich.example.lan']) {
      for (const side of ['internal', 'external']) {
        expect(one.files.has(`networking/gateway/httproute-${host.replace(/\./g, '-')}-${side}.yaml`), `${host} ${side}`).toBe(true);
      }
      expect(y(one.files.get('networking/cloudflared/configmap-cloudflared.yaml')!).data['config.yaml']).toContain(`hostname: ${host}`);
      expect(one.files.get('edge/dns/split-dns.dnsmasq.conf')).toContain(`/${host}/`);
      expect(one.files.get('reports/exposure.md')).toContain(host);
    }
    const grant = y(one.files.get('networking/gateway/referencegrant-photos-from-gateway-routes.yaml')!);
    expect(grant.metadata.namespace).toBe('photos');
    expect(grant.spec.to).toEqual([{ group: '', kind: 'Service', name: 'immich' }]);
  });

  it('expose() without exactly one of host and hosts renders no route and fails with NET-GW10, with the other findings', async () => {
    const f = gatewayFixture();
    const backend = Backend.workload(f.web, 'http');
    expect(f.gateways.expose({ backend } as never)).toEqual([]);
    expect(f.gateways.expose({ host: 'web', hosts: ['www'], backend } as never)).toEqual([]);
    expect(f.gateways.expose({ hosts: [], backend })).toEqual([]);
    expect(f.gateways.exposures()).toEqual([]);
    f.gateways.expose({ host: 'web', backend, domain: 'elsewhere.org' }); // NET-GW2, reported alongside
    const o = await run(f.app);
    expect(o.ok).toBe(false);
    const gw10 = o.findings.filter((x) => x.ruleId === 'NET-GW10');
    // findings come sorted by path, then message
    expect(gw10.map((x) => [x.path, x.message, x.value])).toEqual([
      [
        'test/Gateways',
        'expose() takes exactly one of host and hosts, but both host and hosts are given',
        { host: 'web', hosts: ['www'], backend: 'web/web:80' },
      ],
      ['test/Gateways', 'expose() takes exactly one of host and hosts, but hosts is empty', { host: undefined, hosts: [], backend: 'web/web:80' }],
      [
        'test/Gateways',
        'expose() takes exactly one of host and hosts, but neither host nor hosts is given',
        { host: undefined, hosts: undefined, backend: 'web/web:80' },
      ],
    ]);
    for (const x of gw10) expect(x.fix).toContain("hosts: ['photos', 'immich']");
    expect(ids(o.findings)).toContain('NET-GW2');
    expect(ids(o.findings)).not.toContain('NET-RUN1');
  });

  it('a second DualGateway fails with NET-GW11, naming both, instead of crashing on the files the first one renders', async () => {
    const f = gatewayFixture();
    const second = new DualGateway(f.cluster, 'Second', { pool: f.pool, acme: ACME, namespace: 'gw2', names: { internal: 'gi2', external: 'ge2' } });
    const o = await run(f.app);
    expect(o.ok).toBe(false);
    const gw11 = o.findings.filter((x) => x.ruleId === 'NET-GW11');
    expect(gw11.map((x) => [x.level, x.path, x.message])).toEqual([
      ['error', 'test/Second', 'test already has the DualGateway test/Gateways; this one renders no split-DNS files and no exposure report'],
    ]);
    expect(ids(o.findings)).not.toContain('NET-RUN1');
    // the first one renders the cluster-wide files
    expect(second.shadowedBy).toBe(f.gateways);
    expect(second.coreDnsRendered).toBe(false);
    const objects = f.cluster.apiObjects.filter((x) => x.kind === 'ConfigMap' && x.metadata.name === 'coredns-custom');
    expect(objects.map((x) => x.node.path)).toEqual(['test/Gateways/SplitDns/CoreDnsCustom']);
  });

  it('NET-GW11 names the DualGateway built second, wherever the tree lists it', async () => {
    const { app, cluster } = testCluster();
    new CiliumRelease(cluster, 'Cilium', { version: '1.20', kubeProxyReplacement: true, gatewayApi: { enableAlpn: true, externalTrafficPolicy: 'Cluster' } });
    new K3sServerConfig(cluster, 'K3sServerConfig');
    // a container made before the first gateway: the tree lists the second gateway, inside it, first
    const apps = new Construct(cluster, 'Apps');
    const pool = new L2Pool(cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.240', '192.168.1.250')] });
    const main = new DualGateway(cluster, 'Main', { pool, acme: ACME });
    const org = new DualGateway(apps, 'Org', { pool, acme: ACME, namespace: 'gw2', names: { internal: 'gi2', external: 'ge2' } });
    expect(cluster.constructsOf(DualGateway)).toEqual([org, main]);
    const o = await run(app);
    expect(o.findings.filter((x) => x.ruleId === 'NET-GW11').map((x) => [x.path, x.message])).toEqual([
      ['test/Apps/Org', 'test already has the DualGateway test/Main; this one renders no split-DNS files and no exposure report'],
    ]);
    expect(main.coreDnsRendered).toBe(true);
    expect(o.ok).toBe(false);
  });

  it('a malformed expose() call can be acknowledged (NET-GW10), and still renders nothing', async () => {
    const f = gatewayFixture();
    f.gateways.expose({ hosts: [], backend: Backend.workload(f.web, 'http') });
    Acknowledgements.of(f.gateways).add('NET-GW10', 'generated call list that may be empty on purpose');
    const o = await run(f.app);
    expect(o.ok).toBe(true);
    expect(o.result!.clusters[0].acknowledged.map((x) => x.ruleId)).toEqual(['NET-GW10']);
    expect(o.result!.clusters[0].objects.filter((x) => x.kind === 'HTTPRoute' && !x.name.startsWith('https-redirect'))).toEqual([]);
  });

  it('an ALPN field added to a listener through an escape hatch is caught by NET-SCH2 (listeners have no ALPN field)', async () => {
    const f = gatewayFixture();
    f.gateways.internalGateway.addJsonPatch(JsonPatch.add('/spec/listeners/1/alpn', ['h2', 'http/1.1']));
    const o = await run(f.app);
    expect(o.ok).toBe(false);
    const sch2 = o.findings.filter((x) => x.ruleId === 'NET-SCH2');
    expect(sch2.length).toBeGreaterThan(0);
    expect(sch2.map((x) => String(x.value)).join(' ')).toContain('/spec/listeners/1/alpn');
  });
});
