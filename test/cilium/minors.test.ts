/**
 * A Cilium minor is one entry of constructs/cilium/minors.ts (plus its generated key index): nothing else in the
 * library names a minor, a chart pin or a Gateway API pin, and everything that differs between minors is read from
 * the entry.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CILIUM_CHART_VERSIONS as CHART_KEY_VERSIONS, chartKeyTypes } from '../../constructs/cilium/chart-keys/index.js';
import { KEY_INDEX_FILES } from '../../constructs/cilium/chart-keys/files.js';
import {
  CILIUM_CHART_VERSIONS,
  CILIUM_MINOR_LIST,
  CILIUM_MINORS,
  ciliumMinor,
  NEWEST_CILIUM_MINOR,
  type CiliumMinorFacts,
  type L4RouteKind,
} from '../../constructs/cilium/minors.js';
import {
  Backend,
  CILIUM_VERSIONS,
  DEFAULT_MINOR,
  Distribution,
  GATEWAY_API_ROUTE_VERSIONS,
  GATEWAY_API_VERSIONS,
  GatewayApiChannel,
  ListenerProtocol,
  channelServes,
  routeSupport,
} from '../../constructs/index.js';
import { renderLoader } from '../../scripts/gen-cilium-keys.js';
import { gatewayFixture } from '../gateway/fixture.js';
import { file, nonEmpty, run, upstreamPath } from '../helpers.js';
import { ciliumCluster, releaseObject, renderedValues } from './fixtures.js';

const root = resolve(import.meta.dirname, '../..');
const TABLE = 'constructs/cilium/minors.ts';
const LOADER = 'constructs/cilium/chart-keys/files.ts';

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((f) => {
    const p = join(dir, f);
    return statSync(join(root, p)).isDirectory() ? sources(p) : f.endsWith('.ts') ? [p] : [];
  });
}

/** The code of a file without its comments (block comments, and line comments that start a line or follow a space). */
function code(path: string): string {
  return readFileSync(join(root, path), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the Cilium minors table', () => {
  it('is the only place that names a minor, a chart pin or a Gateway API pin', () => {
    const pins = CILIUM_MINOR_LIST.flatMap((m) => [m, CILIUM_MINORS[m].chart, CILIUM_MINORS[m].gatewayApi.version]);
    const literal = new RegExp(`['"\`](${pins.map(escape).join('|')})['"\`]`);
    const files = [...sources('constructs'), ...sources('scripts')].filter((f) => f !== TABLE && f !== LOADER);
    expect(files.length).toBeGreaterThan(100);
    const naming = files.flatMap((f) => {
      const m = literal.exec(code(f));
      return m ? [`${f}: ${m[0]}`] : [];
    });
    expect(naming).toEqual([]);
  });

  it('is the only source of the key index files: only the generated loader imports them, one per chart pin', () => {
    const importsJson = [...sources('constructs'), ...sources('scripts')].filter((f) => /^import .* from '\.\/[^'$]+\.json'/m.test(code(f)));
    expect(importsJson).toEqual([LOADER]);
    expect(readFileSync(join(root, LOADER), 'utf8')).toBe(renderLoader(CILIUM_CHART_VERSIONS));
    expect(Object.keys(KEY_INDEX_FILES)).toEqual([...CILIUM_CHART_VERSIONS]);
    const committed = readdirSync(join(root, 'constructs/cilium/chart-keys')).filter((f) => f.endsWith('.json'));
    expect(committed.sort()).toEqual(CILIUM_CHART_VERSIONS.map((v) => `${v}.json`).sort());
  });

  it('lists the minors oldest first; the newest is the default where no CiliumRelease says otherwise', () => {
    const sorted = [...CILIUM_MINOR_LIST].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(CILIUM_MINOR_LIST).toEqual(sorted);
    expect(NEWEST_CILIUM_MINOR).toBe(sorted[sorted.length - 1]);
    expect(DEFAULT_MINOR).toBe(NEWEST_CILIUM_MINOR);
    expect(ciliumMinor('1.17')).toBeUndefined();
    expect(ciliumMinor('constructor')).toBeUndefined();
  });

  /** The channel of the Gateway API CRDs a TLS passthrough listener needs on each minor, written out. */
  const TLS_LISTENER_CHANNEL: Record<string, GatewayApiChannel> = {
    '1.18': GatewayApiChannel.EXPERIMENTAL,
    '1.19': GatewayApiChannel.EXPERIMENTAL,
    // v1.6.1 serves TLSRoute v1 in its standard channel
    '1.20': GatewayApiChannel.STANDARD,
  };

  it('names the CRD channel a TLS listener needs for every minor', () => {
    expect(Object.keys(TLS_LISTENER_CHANNEL)).toEqual([...CILIUM_MINOR_LIST]);
  });

  const crds = upstreamPath('upstream', 'crds', 'gateway-api');
  describe.skipIf(!crds)('route versions per channel, against the upstream CRDs (../shared/upstream/crds/gateway-api)', () => {
    /** The versions the CRD of `kind` serves in `<tag>/<channel>/`, none when the channel has no such CRD. */
    const served = (tag: string, channel: string, kind: string): string[] => {
      const path = join(crds!, tag, channel, `gateway.networking.k8s.io_${kind.toLowerCase()}s.yaml`);
      if (!existsSync(path)) return [];
      const crd = parse(readFileSync(path, 'utf8')) as { spec: { names: { kind: string }; versions: { name: string; served: boolean }[] } };
      expect(crd.spec.names.kind).toBe(kind);
      return crd.spec.versions.filter((v) => v.served).map((v) => v.name);
    };

    it.each(CILIUM_MINOR_LIST)('%s: the table lists exactly the served versions of each channel-dependent route', (minor) => {
      const { version: tag } = CILIUM_MINORS[minor].gatewayApi;
      const routes = CILIUM_MINORS[minor].gatewayApi.routes as Record<GatewayApiChannel, Partial<Record<string, readonly string[]>>>;
      expect(existsSync(join(crds!, tag)), `${tag} is not in ../shared/upstream/crds/gateway-api`).toBe(true);
      for (const channel of [GatewayApiChannel.STANDARD, GatewayApiChannel.EXPERIMENTAL]) {
        for (const kind of nonEmpty(['TLSRoute', 'TCPRoute', 'UDPRoute'], 'route kind')) {
          expect([...(routes[channel][kind] ?? [])].sort(), `${tag} ${channel} ${kind}`).toEqual(served(tag, channel, kind).sort());
        }
      }
    });
  });

  describe.each(CILIUM_MINOR_LIST)('%s', (minor) => {
    const facts: CiliumMinorFacts = CILIUM_MINORS[minor];

    it('pins a chart of the minor and a Gateway API tag; the exported views are read from the entry', () => {
      expect(facts.chart.startsWith(`${minor}.`)).toBe(true);
      expect(facts.gatewayApi.version).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(CILIUM_VERSIONS[minor]).toBe(facts.chart);
      expect(GATEWAY_API_VERSIONS[minor]).toBe(facts.gatewayApi.version);
      expect(CHART_KEY_VERSIONS).toContain(facts.chart);
      expect(chartKeyTypes(facts.chart as (typeof CILIUM_CHART_VERSIONS)[number], 'MTU')).toBeDefined();
      expect(GATEWAY_API_ROUTE_VERSIONS[facts.gatewayApi.version]).toBe(facts.gatewayApi.routes);
    });

    it('watches only route versions its Gateway API bundle serves, and routeSupport says so with the channel', () => {
      for (const [protocol, kind] of [
        ['TCP', 'TCPRoute'],
        ['TLS', 'TLSRoute'],
        ['UDP', 'UDPRoute'],
      ] as const) {
        const version = facts.l4Routes[kind as L4RouteKind];
        const support = routeSupport(minor, protocol);
        expect(support.kind).toBe(kind);
        if (version === undefined) {
          expect(support.apiVersion, kind).toBeUndefined();
          continue;
        }
        const apiVersion = `gateway.networking.k8s.io/${version}`;
        expect(support.apiVersion).toBe(apiVersion);
        expect(channelServes(facts.gatewayApi.version, support.channel!, apiVersion, kind), `${kind} ${version} in ${support.channel}`).toBe(true);
        const standard = facts.gatewayApi.routes.standard[kind]?.includes(version) ?? false;
        expect(support.channel).toBe(standard ? GatewayApiChannel.STANDARD : GatewayApiChannel.EXPERIMENTAL);
      }
    });

    it('renders the chart, the Gateway API CRDs and the Talos capabilities of its entry', async () => {
      const { app, cilium } = ciliumCluster({ version: minor, kubeProxyReplacement: true, gatewayApi: {} }, { distribution: Distribution.TALOS });
      expect(cilium.chartVersion).toBe(facts.chart);
      expect(cilium.gatewayApiCrds!.version).toBe(facts.gatewayApi.version);
      const o = await run(app);
      expect(o.findings.filter((f) => f.level === 'error')).toEqual([]);
      expect(releaseObject(o).spec.chart.spec.version).toBe(facts.chart);
      expect(renderedValues(o).securityContext.capabilities.ciliumAgent).toEqual([...facts.talosAgentCapabilities]);
      expect(parse(file(o, 'test', 'crds/gateway-api/gitrepository-gateway-api-crds.yaml').replace(/^#.*\n/, '')).spec.ref.tag).toBe(facts.gatewayApi.version);
    });

    it('gives a TLS passthrough listener the TLSRoute version the entry says Cilium watches', async () => {
      const f = gatewayFixture({ minor });
      f.gateways.addTcpListener({
        name: 'tls-db',
        port: 5433,
        protocol: ListenerProtocol.TLS,
        hostnames: ['db.example.lan'],
        backend: Backend.external('db', 'pg-rw', 5432),
      });
      const o = await run(f.app);
      expect(o.findings).toEqual([]);
      expect(parse(file(o, 'test', 'networking/gateway/tlsroute-tls-db.yaml').replace(/^#.*\n/, '')).apiVersion).toBe(
        `gateway.networking.k8s.io/${facts.l4Routes.TLSRoute}`,
      );
      // the CRDs come from the channel that serves that version, and no other: the standard one wherever it does
      expect(parse(file(o, 'test', 'crds/gateway-api/kustomization-gateway-api-crds.yaml').replace(/^#.*\n/, '')).spec.path).toBe(
        `./config/crd/${TLS_LISTENER_CHANNEL[minor]}`,
      );
    });
  });
});
