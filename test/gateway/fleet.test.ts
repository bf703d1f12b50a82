import { App } from 'cdk8s';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { file, run } from '../helpers.js';

describe('example fleet: talos exposures (seed 002)', () => {
  it('renders the exposure report, tunnel rules and LAN DNS the seed describes', async () => {
    const o = await run(buildFleet(new App()));
    expect(o.ok).toBe(true);
    const report = file(o, 'talos', 'reports/exposure.md');
    await expect(report).toMatchFileSnapshot('./__snapshots__/talos/exposure.md');
    await expect(file(o, 'talos', 'edge/dns/split-dns.dnsmasq.conf')).toMatchFileSnapshot('./__snapshots__/talos/split-dns.dnsmasq.conf');
    // argocd is the only public host; llama and immich stay on the LAN; PostgreSQL only on the internal gateway.
    const cm = parse(file(o, 'talos', 'networking/cloudflared/configmap-cloudflared.yaml').replace(/^#.*\n/, ''));
    expect(parse(cm.data['config.yaml']).ingress.map((r: { hostname?: string }) => r.hostname ?? '*')).toEqual(['argocd.vanillax.me', '*']);
    expect(report).toMatch(/## Reached from the internet\n\n[^#]*argocd\.vanillax\.me[^#]*## Reached from the LAN only/);
    expect(report).toContain('| llama.vanillax.me | llama/ollama-webui:80 |');
    expect(report).toContain('TCP 192.168.10.50:5432');
    const internal = parse(file(o, 'talos', 'networking/gateway/gateway-gateway-internal.yaml').replace(/^#.*\n/, ''));
    const external = parse(file(o, 'talos', 'networking/gateway/gateway-gateway-external.yaml').replace(/^#.*\n/, ''));
    expect([external.spec.addresses[0].value, internal.spec.addresses[0].value]).toEqual(['192.168.10.49', '192.168.10.50']);
    expect(parse(file(o, 'talos', 'networking/gateway/tcproute-postgres.yaml').replace(/^#.*\n/, '')).apiVersion).toBe('gateway.networking.k8s.io/v1');
  });
});
