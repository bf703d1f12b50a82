import { describe, expect, it } from 'vitest';
import { API_READYZ_CHECK, checkHaproxyInput, EdgeInputError, type HaproxyInput, netmaskOf, renderHaproxy } from '../../constructs/edge/index.js';
import { homelabHaproxy, homelabNodes, oceanidNodes } from './scenarios.js';
import { HAVE_HAPROXY, haproxyCheck } from './tools.js';

/** The lines of one section (frontend/backend NAME) of a haproxy.cfg. */
function section(config: string, header: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(header);
  expect(start, `section "${header}" present`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    out.push(line.trim());
  }
  return out;
}

const ids = (input: HaproxyInput) => checkHaproxyInput(input).map((p) => p.id);

describe('renderHaproxy structure', () => {
  const { config, interfaceAlias } = renderHaproxy(homelabHaproxy);

  it('binds the three frontends to the VIP with the seed modes', () => {
    expect(section(config, 'frontend k8s-api')).toEqual(expect.arrayContaining([`bind ${homelabHaproxy.vip}:6443`, 'mode tcp']));
    expect(section(config, 'frontend ingress-http')).toEqual(expect.arrayContaining([`bind ${homelabHaproxy.vip}:80`, 'mode http']));
    expect(section(config, 'frontend ingress-https')).toEqual(expect.arrayContaining([`bind ${homelabHaproxy.vip}:443`, 'mode tcp']));
  });

  it('sends the API to the control-plane nodes only, ingress to ingress nodes, with stable names', () => {
    const input: HaproxyInput = { ...homelabHaproxy, nodes: [...oceanidNodes].reverse() };
    const out = renderHaproxy(input).config;
    const servers = (h: string) => section(out, h).filter((l) => l.startsWith('server '));
    const cp = oceanidNodes.filter((n) => n.roles.includes('control-plane'));
    const ing = oceanidNodes.filter((n) => n.ingress !== false);
    expect(servers('backend k8s-api').map((l) => l.split(' ')[1])).toEqual(cp.map((n) => n.name).sort());
    expect(servers('backend ingress-https').map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(ing.map((n) => `${n.name} ${n.address}:443`).sort());
    // input order does not change the output
    expect(renderHaproxy({ ...input, nodes: oceanidNodes }).config).toBe(out);
  });

  it('checks the k3s API with a TLS handshake by default (anonymous /readyz answers 401 on k3s)', () => {
    const api = section(config, 'backend k8s-api');
    expect(api.filter((l) => l.startsWith('server ')).every((l) => l.endsWith('check check-ssl verify none'))).toBe(true);
    expect(api).not.toContain('option httpchk');
  });

  it('checks /readyz over TLS when anonymous auth allows it', () => {
    const api = section(renderHaproxy({ ...homelabHaproxy, apiAnonymousAuth: true }).config, 'backend k8s-api');
    expect(api).toEqual(expect.arrayContaining(['option httpchk', 'http-check send meth GET uri /readyz', 'http-check expect status 200']));
    expect(api.filter((l) => l.startsWith('server ')).every((l) => l.includes('check-ssl verify none'))).toBe(true);
  });

  it('uses plain TCP checks on the ingress by default', () => {
    for (const h of ['backend ingress-http', 'backend ingress-https']) {
      const s = section(config, h);
      expect(s).not.toContain('option httpchk');
      expect(s.filter((l) => l.startsWith('server ')).every((l) => l.endsWith(' check'))).toBe(true);
    }
  });

  it('renders the ifupdown alias with the netmask of the prefix', () => {
    expect(interfaceAlias).toContain('auto enp1s0:0\niface enp1s0:0 inet static');
    expect(interfaceAlias).toContain(`address ${homelabHaproxy.vip}`);
    expect(interfaceAlias).toContain('netmask 255.255.255.0');
    expect(netmaskOf(20)).toBe('255.255.240.0');
    expect(netmaskOf(32)).toBe('255.255.255.255');
    expect(() => netmaskOf(33)).toThrow(/expected an integer from 1 to 32/);
  });

  it('fails with every problem listed', () => {
    const bad: HaproxyInput = { ...homelabHaproxy, vip: homelabHaproxy.hostAddress!, nodes: [] };
    expect(() => renderHaproxy(bad)).toThrow(EdgeInputError);
    expect(() => renderHaproxy(bad)).toThrow(/EDGE-HAP3[\s\S]*EDGE-HAP4/);
  });
});

describe('checkHaproxyInput pitfalls', () => {
  it('compliant: the homelab input has no problems', () => {
    expect(checkHaproxyInput(homelabHaproxy)).toEqual([]);
  });

  it('noncompliant EDGE-HAP1: HTTP check in clear text to the API TLS port', () => {
    expect(ids({ ...homelabHaproxy, apiAnonymousAuth: true, apiCheck: { ...API_READYZ_CHECK, ssl: false } })).toContain('EDGE-HAP1');
    expect(ids({ ...homelabHaproxy, apiAnonymousAuth: true, apiCheck: API_READYZ_CHECK })).not.toContain('EDGE-HAP1');
  });

  it('noncompliant EDGE-HAP1: HTTP check in clear text to the HTTPS passthrough port', () => {
    const http = { kind: 'http', path: '/ping', expectStatus: [200], knownRoute: true } as const;
    expect(ids({ ...homelabHaproxy, httpsCheck: { ...http, ssl: false } })).toContain('EDGE-HAP1');
    expect(ids({ ...homelabHaproxy, httpsCheck: { ...http, ssl: true } })).toEqual([]);
  });

  it('noncompliant EDGE-HAP2: ingress check expects 200 from a path nothing routes (Traefik 404)', () => {
    const problems = checkHaproxyInput({
      ...homelabHaproxy,
      httpCheck: { kind: 'http', path: '/healthz', expectStatus: [200], ssl: false },
    });
    expect(problems.map((p) => p.id)).toEqual(['EDGE-HAP2']);
    expect(problems[0]!.message).toMatch(/404/);
    // compliant: the seed's status list, or a declared route
    expect(ids({ ...homelabHaproxy, httpCheck: { kind: 'http', path: '/', expectStatus: [200, 301, 302, 404], ssl: false } })).toEqual([]);
    expect(ids({ ...homelabHaproxy, httpCheck: { kind: 'http', path: '/ping', expectStatus: [200], ssl: false, knownRoute: true } })).toEqual([]);
  });

  it('noncompliant EDGE-HAP3: VIP equal to the host address', () => {
    expect(ids({ ...homelabHaproxy, vip: '192.168.0.46' })).toEqual(['EDGE-HAP3']);
  });

  it('noncompliant EDGE-HAP4: no control-plane nodes', () => {
    expect(ids({ ...homelabHaproxy, nodes: homelabNodes.map((n) => ({ ...n, roles: ['worker'] as const })) })).toEqual(['EDGE-HAP4']);
  });

  it('noncompliant EDGE-HAP5: duplicate backend addresses', () => {
    const nodes = [...homelabNodes, { name: 'worker3', address: homelabNodes[0]!.address, roles: ['worker'] as const }];
    const problems = checkHaproxyInput({ ...homelabHaproxy, nodes });
    expect(problems.map((p) => p.id)).toEqual(['EDGE-HAP5']);
    expect(problems[0]!.value).toBe(homelabNodes[0]!.address);
  });

  it('noncompliant EDGE-HAP6: /readyz expecting 200 with anonymous auth off', () => {
    expect(ids({ ...homelabHaproxy, apiCheck: API_READYZ_CHECK })).toEqual(['EDGE-HAP6']);
    expect(ids({ ...homelabHaproxy, apiCheck: API_READYZ_CHECK, apiAnonymousAuth: true })).toEqual([]);
  });

  it('noncompliant EDGE-HAP7/8/9/10: malformed values, VIP off-subnet, no ingress, duplicate names', () => {
    expect(ids({ ...homelabHaproxy, vip: '192.168.0.300' })).toContain('EDGE-HAP7');
    expect(ids({ ...homelabHaproxy, vip: '192.168.1.45' })).toEqual(['EDGE-HAP8']);
    expect(checkHaproxyInput({ ...homelabHaproxy, vip: '192.168.1.45' })[0]).toMatchObject({
      message: `the VIP is outside the subnet of ${homelabHaproxy.interface!.name} (192.168.0.0/${homelabHaproxy.interface!.prefixLength})`,
      expected: `an address in 192.168.0.0/${homelabHaproxy.interface!.prefixLength}`,
    });
    expect(ids({ ...homelabHaproxy, nodes: homelabNodes.map((n) => ({ ...n, ingress: false })) })).toEqual(['EDGE-HAP9']);
    const dupName = [...homelabNodes, { ...homelabNodes[0]!, address: '192.168.55.20' }];
    expect(ids({ ...homelabHaproxy, nodes: dupName })).toEqual(['EDGE-HAP10']);
  });

  it('every problem says what, value, expected and fix', () => {
    for (const p of checkHaproxyInput({ ...homelabHaproxy, vip: '192.168.0.46', nodes: [] })) {
      expect(p.message.length).toBeGreaterThan(10);
      expect(p.expected.length).toBeGreaterThan(3);
      expect(p.fix.length).toBeGreaterThan(10);
    }
  });
});

describe('haproxy -c on rendered configs', () => {
  const variants: [string, HaproxyInput][] = [
    ['homelab defaults', homelabHaproxy],
    ['readyz over TLS, log to stdout', { ...homelabHaproxy, apiAnonymousAuth: true, log: 'stdout' }],
    [
      'HTTP ingress check with seed status list and Host header, TLS check on 443',
      {
        ...homelabHaproxy,
        httpCheck: { kind: 'http', path: '/', expectStatus: [200, 301, 302, 404], ssl: false, host: 'app.example.org' },
        httpsCheck: { kind: 'tls' },
      },
    ],
    ['no checks, oceanid nodes', { ...homelabHaproxy, nodes: oceanidNodes, apiCheck: { kind: 'none' } }],
  ];

  it.skipIf(!HAVE_HAPROXY).each(variants)('%s is valid', (_name, input) => {
    const r = haproxyCheck(renderHaproxy(input).config);
    expect(r.output).toContain('Configuration file is valid');
    expect(r.ok).toBe(true);
  });

  it.skipIf(!HAVE_HAPROXY)('the checker is honest: it rejects a broken config', () => {
    const broken = renderHaproxy(homelabHaproxy).config.replace('mode tcp', 'mode tcpx');
    expect(haproxyCheck(broken).ok).toBe(false);
  });
});
