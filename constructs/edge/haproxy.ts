/**
 * HAProxy in front of a small cluster (seed 001): one VIP on a separate Debian host, the Kubernetes API
 * (6443) and the ingress (80/443) passed through to the nodes.
 *
 * `renderHaproxy` writes a complete haproxy.cfg and the ifupdown alias stanza that puts the VIP on the
 * host; `checkHaproxyInput` reports the mistakes `haproxy -c` accepts without a word.
 */
import { AddressRange } from '../cluster/address.js';
import { ipv4Netmask } from '../cluster/ip.js';
import { byCodePoint, EdgeInputError, type EdgeNode, type EdgeProblem, isIPv4, NodeRole, SAFE_NAME } from './types.js';

/**
 * How HAProxy decides that a backend server is up.
 *
 * - `none`: no check; the server is always considered up (seed 001's debugging step, not a steady state).
 * - `tcp`: the TCP connection is accepted.
 * - `tls`: the TCP connection is accepted and a TLS handshake completes (`check check-ssl verify none`).
 *   Preferred over `option ssl-hello-chk`, which sends an SSLv3 hello that Go TLS servers (the API server,
 *   Traefik) no longer speak.
 * - `http`: an HTTP request; `ssl: true` sends it inside TLS (`check-ssl verify none`), which a TLS port needs.
 *
 * @see https://docs.haproxy.org/2.6/configuration.html#4.2-option%20httpchk
 */
export type HaproxyHealthCheck = { readonly kind: 'none' } | { readonly kind: 'tcp' } | { readonly kind: 'tls' } | HaproxyHttpCheck;

/** An HTTP health check. */
export interface HaproxyHttpCheck {
  readonly kind: 'http';
  /** Path requested with GET, e.g. `/readyz`. */
  readonly path: string;
  /** Status codes that mean "up" (rendered as `http-check expect status 200,404`). */
  readonly expectStatus: readonly number[];
  /** Send the request inside TLS. Required on a TLS port (6443, passthrough 443). */
  readonly ssl: boolean;
  /** Host header to send; without it HAProxy sends none and an ingress routes by path only. */
  readonly host?: string;
  /**
   * True when the ingress has a route or health endpoint for `path`.
   *
   * Traefik (and most ingress controllers) answer 404 on paths nothing routes; a check that expects only
   * success codes from such a path marks every server down.
   *
   * @default false
   */
  readonly knownRoute?: boolean;
}

/** The API server's readiness endpoint over TLS, the check to use where anonymous requests may read it. */
export const API_READYZ_CHECK: HaproxyHttpCheck = {
  kind: 'http',
  path: '/readyz',
  expectStatus: [200],
  ssl: true,
};

/** The host interface that carries the VIP as an ifupdown alias (`enp1s0:0`). */
export interface HaproxyInterface {
  /** Interface name, e.g. `enp1s0`. */
  readonly name: string;
  /** Alias number: `enp1s0:<aliasIndex>`. @default 0 */
  readonly aliasIndex?: number;
  /** Prefix length of the VIP's subnet, e.g. 24 (rendered as a netmask). */
  readonly prefixLength: number;
}

/** Input of {@link renderHaproxy}. */
export interface HaproxyInput {
  /** Cluster name, used in comments only. @default 'cluster' */
  readonly clusterName?: string;
  /** The virtual IP every frontend binds to (seed 001: 192.168.0.45). */
  readonly vip: string;
  /**
   * The HAProxy host's own address (seed 001: 192.168.0.46).
   *
   * Used to check that the VIP is a separate address in the host's subnet.
   *
   * @default - not checked
   */
  readonly hostAddress?: string;
  /** Put the VIP on this interface as an alias. @default - no alias stanza is rendered */
  readonly interface?: HaproxyInterface;
  /** The cluster's nodes; control-plane nodes back the API, ingress nodes back 80/443. */
  readonly nodes: readonly EdgeNode[];
  /** API server port on the nodes and on the VIP. @default 6443 */
  readonly apiServerPort?: number;
  /** Backend port of the HTTP ingress on the nodes. @default 80 */
  readonly ingressHttpPort?: number;
  /** Backend port of the HTTPS ingress on the nodes. @default 443 */
  readonly ingressHttpsPort?: number;
  /**
   * Whether the API server answers `/readyz` to anonymous requests.
   *
   * Upstream Kubernetes allows it; k3s starts the API server with anonymous auth disabled, so `/readyz`
   * answers 401 there (k3s#3576) unless anonymous access is enabled for the health paths.
   *
   * @default false
   * @see https://github.com/k3s-io/k3s/issues/3576
   */
  readonly apiAnonymousAuth?: boolean;
  /**
   * Health check of the API backend.
   *
   * @default - {@link API_READYZ_CHECK} when `apiAnonymousAuth`, otherwise `{ kind: 'tls' }`
   */
  readonly apiCheck?: HaproxyHealthCheck;
  /**
   * Health check of the HTTP (port 80) ingress backend.
   *
   * A plain TCP check unless told which path answers what: guessing a path meets the ingress's 404.
   *
   * @default { kind: 'tcp' }
   */
  readonly httpCheck?: HaproxyHealthCheck;
  /** Health check of the HTTPS (port 443, passthrough) ingress backend. @default { kind: 'tcp' } */
  readonly httpsCheck?: HaproxyHealthCheck;
  /**
   * Where HAProxy logs: the local syslog socket (Debian's default, ends in the journal) or stdout.
   *
   * @default 'syslog'
   */
  readonly log?: 'syslog' | 'stdout';
}

/** Output of {@link renderHaproxy}. */
export interface HaproxyOutput {
  /** The complete /etc/haproxy/haproxy.cfg. */
  readonly config: string;
  /** The /etc/network/interfaces stanza for the VIP alias, when an interface was given. */
  readonly interfaceAlias?: string;
}

const DEFAULT_API_PORT = 6443;

function apiCheckOf(input: HaproxyInput): HaproxyHealthCheck {
  return input.apiCheck ?? (input.apiAnonymousAuth ? API_READYZ_CHECK : { kind: 'tls' });
}

/** The nodes that back the API (control-plane), sorted by name. */
export function apiBackendNodes(input: HaproxyInput): EdgeNode[] {
  return [...input.nodes].filter((n) => n.roles.includes(NodeRole.CONTROL_PLANE)).sort((a, b) => byCodePoint(a.name, b.name));
}

/** The nodes that back the ingress (`ingress !== false`), sorted by name. */
export function ingressBackendNodes(input: HaproxyInput): EdgeNode[] {
  return [...input.nodes].filter((n) => n.ingress !== false).sort((a, b) => byCodePoint(a.name, b.name));
}

function validPort(p: number | undefined): boolean {
  return p === undefined || (Number.isInteger(p) && p >= 1 && p <= 65535);
}

/**
 * Finds the mistakes in an HAProxy input that `haproxy -c` does not catch.
 *
 * Returns every problem (empty when the input is fine):
 * - `EDGE-HAP1` an HTTP check sent in clear text to a TLS port (API, HTTPS passthrough);
 * - `EDGE-HAP2` an ingress HTTP check expecting only success codes from a path nothing routes (Traefik's 404);
 * - `EDGE-HAP3` VIP equal to the host's own address;
 * - `EDGE-HAP4` no control-plane node to back the API;
 * - `EDGE-HAP5` two nodes with the same address;
 * - `EDGE-HAP6` an API `/readyz` check expecting 200 while anonymous auth is off (the answer is 401);
 * - `EDGE-HAP7` a malformed address, name, port or status code;
 * - `EDGE-HAP8` VIP outside the host interface's subnet;
 * - `EDGE-HAP9` no node serves the ingress;
 * - `EDGE-HAP10` two nodes with the same name (HAProxy server names must be unique).
 */
export function checkHaproxyInput(input: HaproxyInput): EdgeProblem[] {
  const problems: EdgeProblem[] = [];
  const apiPort = input.apiServerPort ?? DEFAULT_API_PORT;

  // EDGE-HAP7: malformed values first; later checks skip what is malformed.
  if (!isIPv4(input.vip)) {
    problems.push({
      id: 'EDGE-HAP7',
      message: 'the VIP is not an IPv4 address',
      value: input.vip,
      expected: 'a dotted-quad IPv4 address such as 192.168.0.45',
      fix: 'Set vip to the address HAProxy binds to.',
    });
  }
  if (input.hostAddress !== undefined && !isIPv4(input.hostAddress)) {
    problems.push({
      id: 'EDGE-HAP7',
      message: 'the host address is not an IPv4 address',
      value: input.hostAddress,
      expected: 'a dotted-quad IPv4 address such as 192.168.0.46',
      fix: "Set hostAddress to the HAProxy host's own address.",
    });
  }
  for (const node of input.nodes) {
    if (!isIPv4(node.address)) {
      problems.push({
        id: 'EDGE-HAP7',
        message: `node ${node.name} has an address that is not IPv4`,
        value: node.address,
        expected: 'a dotted-quad IPv4 address',
        fix: `Give node ${node.name} its address on the cluster network.`,
      });
    }
    if (!SAFE_NAME.test(node.name)) {
      problems.push({
        id: 'EDGE-HAP7',
        message: 'a node name cannot be used as an HAProxy server name',
        value: node.name,
        expected: `a name matching ${SAFE_NAME.source}`,
        fix: 'Use letters, digits, ".", "_" and "-" only.',
      });
    }
  }
  for (const [prop, port] of [
    ['apiServerPort', input.apiServerPort],
    ['ingressHttpPort', input.ingressHttpPort],
    ['ingressHttpsPort', input.ingressHttpsPort],
  ] as const) {
    if (!validPort(port)) {
      problems.push({
        id: 'EDGE-HAP7',
        message: `${prop} is not a TCP port`,
        value: port,
        expected: 'an integer from 1 to 65535',
        fix: `Set ${prop} to the port the nodes listen on.`,
      });
    }
  }
  const checks = [
    ['apiCheck', apiCheckOf(input)],
    ['httpCheck', input.httpCheck ?? { kind: 'tcp' }],
    ['httpsCheck', input.httpsCheck ?? { kind: 'tcp' }],
  ] as const;
  for (const [prop, check] of checks) {
    if (check.kind !== 'http') continue;
    const bad = check.expectStatus.filter((s) => !Number.isInteger(s) || s < 100 || s > 599);
    if (check.expectStatus.length === 0 || bad.length > 0) {
      problems.push({
        id: 'EDGE-HAP7',
        message: `${prop} has no usable expected status codes`,
        value: check.expectStatus,
        expected: 'one or more HTTP status codes from 100 to 599',
        fix: `List the codes the endpoint answers when healthy in ${prop}.expectStatus.`,
      });
    }
    if (!check.path.startsWith('/') || /\s/.test(check.path)) {
      problems.push({
        id: 'EDGE-HAP7',
        message: `${prop} has a path HAProxy cannot send`,
        value: check.path,
        expected: 'an absolute path without spaces, such as /readyz',
        fix: `Set ${prop}.path to the endpoint's path.`,
      });
    }
  }

  // EDGE-HAP1: an HTTP check in clear text to a TLS port.
  const api = apiCheckOf(input);
  if (api.kind === 'http' && !api.ssl) {
    problems.push({
      id: 'EDGE-HAP1',
      message: `the API health check sends HTTP in clear text to the API server's TLS port ${apiPort}`,
      value: api,
      expected: 'ssl: true (check check-ssl verify none), or a tcp/tls check',
      fix: `Use API_READYZ_CHECK (GET /readyz inside TLS) or { kind: 'tls' }.`,
    });
  }
  const https = input.httpsCheck ?? { kind: 'tcp' };
  if (https.kind === 'http' && !https.ssl) {
    problems.push({
      id: 'EDGE-HAP1',
      message: 'the HTTPS ingress health check sends HTTP in clear text to a TLS passthrough port',
      value: https,
      expected: "ssl: true, or { kind: 'tcp' } / { kind: 'tls' }",
      fix: "Use { kind: 'tls' } (a TLS handshake) or set ssl: true on the HTTP check.",
    });
  }

  // EDGE-HAP2: an ingress HTTP check that meets the ingress's 404.
  for (const [prop, check] of [
    ['httpCheck', input.httpCheck],
    ['httpsCheck', input.httpsCheck],
  ] as const) {
    if (check?.kind === 'http' && !check.knownRoute && !check.expectStatus.includes(404)) {
      problems.push({
        id: 'EDGE-HAP2',
        message: `${prop} expects ${check.expectStatus.join(',')} from ${check.path}, a path no route is declared for; the ingress answers 404 there and every server is marked down`,
        value: check,
        expected: `a path the ingress routes (knownRoute: true), or 404 among the expected codes`,
        fix: `Probe a real health route and set knownRoute: true, add 404 to expectStatus (seed 001: 200,301,302,404), or use { kind: 'tcp' }.`,
      });
    }
  }

  // EDGE-HAP6: /readyz behind disabled anonymous auth answers 401.
  if (api.kind === 'http' && !input.apiAnonymousAuth && !api.expectStatus.includes(401) && /^\/(readyz|livez|healthz)/.test(api.path)) {
    problems.push({
      id: 'EDGE-HAP6',
      message: `the API check expects ${api.expectStatus.join(',')} from ${api.path} without anonymous auth; the API server answers 401 and every server is marked down`,
      value: { path: api.path, apiAnonymousAuth: input.apiAnonymousAuth ?? false },
      expected: 'apiAnonymousAuth: true (anonymous access to the health paths) or a tls check',
      fix: "On k3s enable anonymous access for /readyz and /livez (AuthenticationConfiguration) and set apiAnonymousAuth: true, or use { kind: 'tls' }.",
    });
  }

  // EDGE-HAP3 / EDGE-HAP8: the VIP and the host.
  if (input.hostAddress !== undefined && isIPv4(input.hostAddress) && isIPv4(input.vip)) {
    if (input.hostAddress === input.vip) {
      problems.push({
        id: 'EDGE-HAP3',
        message: "the VIP is the host's own address, so it cannot move or be told apart from the host",
        value: input.vip,
        expected: 'a separate address in the same subnet',
        fix: 'Pick an unused address for the VIP (seed 001: VIP 192.168.0.45, host 192.168.0.46).',
      });
    } else if (input.interface && validPrefix(input.interface.prefixLength)) {
      const hostNet = AddressRange.cidr(`${input.hostAddress}/${input.interface.prefixLength}`);
      if (!hostNet.contains(input.vip)) {
        problems.push({
          id: 'EDGE-HAP8',
          message: `the VIP is outside the subnet of ${input.interface.name} (${hostNet.toString()})`,
          value: input.vip,
          expected: `an address in ${hostNet.toString()}`,
          fix: 'Pick a VIP in the host interface subnet, or fix interface.prefixLength.',
        });
      }
    }
  }
  if (input.interface && !validPrefix(input.interface.prefixLength)) {
    problems.push({
      id: 'EDGE-HAP7',
      message: 'the interface prefix length is not an IPv4 prefix length',
      value: input.interface.prefixLength,
      expected: 'an integer from 1 to 32',
      fix: 'Set interface.prefixLength to the subnet prefix (24 for 255.255.255.0).',
    });
  }

  // EDGE-HAP4 / EDGE-HAP9: empty backends.
  if (apiBackendNodes(input).length === 0) {
    problems.push({
      id: 'EDGE-HAP4',
      message: 'no node has the control-plane role, so the API backend is empty',
      value: input.nodes.map((n) => ({ name: n.name, roles: n.roles })),
      expected: "at least one node with roles including 'control-plane'",
      fix: "Mark the k3s servers / Talos control-plane nodes with role 'control-plane'.",
    });
  }
  if (ingressBackendNodes(input).length === 0) {
    problems.push({
      id: 'EDGE-HAP9',
      message: 'no node serves the ingress, so the 80/443 backends are empty',
      value: input.nodes.map((n) => ({ name: n.name, ingress: n.ingress })),
      expected: 'at least one node with ingress not false',
      fix: 'Leave ingress unset (true) on the nodes that run the ingress.',
    });
  }

  // EDGE-HAP5 / EDGE-HAP10: duplicates.
  for (const [key, id, what] of [
    ['address', 'EDGE-HAP5', 'address'],
    ['name', 'EDGE-HAP10', 'name'],
  ] as const) {
    const seen = new Map<string, string[]>();
    for (const n of input.nodes) seen.set(n[key], [...(seen.get(n[key]) ?? []), n.name]);
    for (const [value, names] of [...seen].sort((a, b) => byCodePoint(a[0], b[0]))) {
      if (names.length > 1) {
        problems.push({
          id,
          message: `nodes ${names.join(', ')} share the ${what} ${value}`,
          value,
          expected: `a distinct ${what} per node`,
          fix:
            what === 'address'
              ? 'Give each node its own address; one machine listed twice gets twice the traffic and hides a missing node.'
              : 'Give each node its own name; HAProxy server names must be unique in a backend.',
        });
      }
    }
  }
  return problems;
}

function validPrefix(prefix: number): boolean {
  return Number.isInteger(prefix) && prefix >= 1 && prefix <= 32;
}

/** Dotted netmask of an IPv4 prefix length: 24 → 255.255.255.0. */
export function netmaskOf(prefixLength: number): string {
  if (!validPrefix(prefixLength)) {
    throw new RangeError(`prefix length ${prefixLength} is not an IPv4 prefix length; expected an integer from 1 to 32`);
  }
  return ipv4Netmask(prefixLength);
}

/** Server-line options and backend lines for one health check. */
function checkLines(check: HaproxyHealthCheck): { backend: string[]; server: string } {
  switch (check.kind) {
    case 'none':
      return { backend: ['    # no health check: every server is always considered up'], server: '' };
    case 'tcp':
      return { backend: ['    # health check: TCP connect'], server: ' check' };
    case 'tls':
      return {
        backend: ['    # health check: TCP connect and TLS handshake (certificate not verified)'],
        server: ' check check-ssl verify none',
      };
    case 'http': {
      const send = [`    http-check send meth GET uri ${check.path}`];
      if (check.host) send[0] += ` ver HTTP/1.1 hdr Host ${check.host}`;
      return {
        backend: [
          `    # health check: GET ${check.path}${check.ssl ? ' inside TLS' : ''}, up on ${check.expectStatus.join(',')}`,
          '    option httpchk',
          ...send,
          `    http-check expect status ${[...check.expectStatus].join(',')}`,
        ],
        server: check.ssl ? ' check check-ssl verify none' : ' check',
      };
    }
  }
}

function backendBlock(
  name: string,
  mode: 'tcp' | 'http',
  nodes: readonly EdgeNode[],
  port: number,
  check: HaproxyHealthCheck,
  extra: readonly string[] = [],
): string[] {
  const c = checkLines(check);
  return [
    `backend ${name}`,
    `    mode ${mode}`,
    '    balance roundrobin',
    ...extra,
    ...c.backend,
    ...nodes.map((n) => `    server ${n.name} ${n.address}:${port}${c.server}`),
  ];
}

/**
 * Renders haproxy.cfg for the cluster's edge, and the interface alias for the VIP.
 *
 * Frontends bind to the VIP: `k8s-api` (6443, mode tcp, TLS passthrough) to the control-plane nodes,
 * `ingress-http` (80, mode http) and `ingress-https` (443, mode tcp, TLS passthrough) to the ingress nodes.
 * Servers are named after the nodes and sorted by name, so output does not depend on input order.
 *
 * @throws EdgeInputError listing every problem {@link checkHaproxyInput} finds
 * @see https://docs.haproxy.org/2.6/configuration.html
 */
export function renderHaproxy(input: HaproxyInput): HaproxyOutput {
  const problems = checkHaproxyInput(input);
  if (problems.length > 0) throw new EdgeInputError(`HAProxy input for ${input.clusterName ?? 'cluster'}`, problems);

  const apiPort = input.apiServerPort ?? DEFAULT_API_PORT;
  const httpPort = input.ingressHttpPort ?? 80;
  const httpsPort = input.ingressHttpsPort ?? 443;
  const vip = input.vip;
  const cluster = input.clusterName ?? 'cluster';
  const logLines = (input.log ?? 'syslog') === 'stdout' ? ['    log stdout format raw local0'] : ['    log /dev/log local0', '    log /dev/log local1 notice'];

  const lines = [
    `# haproxy.cfg for cluster ${cluster}, rendered by cdk8s-netkit from the cluster description.`,
    '# Edit the description and render again rather than editing this file.',
    '# Check: haproxy -c -f /etc/haproxy/haproxy.cfg',
    '',
    'global',
    ...logLines,
    '    user haproxy',
    '    group haproxy',
    '',
    'defaults',
    '    log global',
    '    mode tcp',
    '    option dontlognull',
    '    timeout connect 5s',
    '    timeout client 1m',
    '    timeout server 1m',
    '    timeout check 5s',
    '    default-server inter 5s fall 3 rise 2',
    '',
    '# Kubernetes API: TLS passthrough, HAProxy never sees the content.',
    'frontend k8s-api',
    `    bind ${vip}:${apiPort}`,
    '    mode tcp',
    '    option tcplog',
    '    # watches, logs -f and exec streams stay idle for long: allow an hour',
    '    timeout client 1h',
    '    default_backend k8s-api',
    '',
    ...backendBlock('k8s-api', 'tcp', apiBackendNodes(input), apiPort, apiCheckOf(input), ['    timeout server 1h']),
    '',
    '# HTTP ingress: plain HTTP, the ingress answers (and redirects to HTTPS where configured).',
    'frontend ingress-http',
    `    bind ${vip}:80`,
    '    mode http',
    '    option httplog',
    '    option forwardfor',
    '    timeout http-request 10s',
    '    default_backend ingress-http',
    '',
    ...backendBlock('ingress-http', 'http', ingressBackendNodes(input), httpPort, input.httpCheck ?? { kind: 'tcp' }),
    '',
    '# HTTPS ingress: TLS passthrough, the ingress terminates TLS.',
    'frontend ingress-https',
    `    bind ${vip}:443`,
    '    mode tcp',
    '    option tcplog',
    '    default_backend ingress-https',
    '',
    ...backendBlock('ingress-https', 'tcp', ingressBackendNodes(input), httpsPort, input.httpsCheck ?? { kind: 'tcp' }),
    '',
  ];

  return {
    config: lines.join('\n'),
    ...(input.interface ? { interfaceAlias: renderInterfaceAlias(vip, input.interface, cluster) } : {}),
  };
}

/**
 * The Debian /etc/network/interfaces stanza that adds the VIP as an alias of the host interface.
 *
 * Bring it up with `ifup <name>:<n>`; restarting networking over SSH drops the session (seed 001).
 *
 * @see https://manpages.debian.org/bookworm/ifupdown/interfaces.5.en.html
 */
export function renderInterfaceAlias(vip: string, iface: HaproxyInterface, cluster = 'cluster'): string {
  const alias = `${iface.name}:${iface.aliasIndex ?? 0}`;
  return [
    `# HAProxy VIP for cluster ${cluster}, rendered by cdk8s-netkit.`,
    `# Apply with: ifup ${alias}   (not a networking restart: it drops SSH sessions)`,
    `auto ${alias}`,
    `iface ${alias} inet static`,
    `    address ${vip}`,
    `    netmask ${netmaskOf(iface.prefixLength)}`,
    '',
  ].join('\n');
}
