import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  CILIUM_CHART_VERSIONS,
  chartKeyTypes,
  checkCiliumValues,
  describeValueProblem,
  hasKey,
  isFreeForm,
  type CiliumChartVersion,
} from '../../constructs/cilium/chart-keys/index.js';
import { DEFAULT_UPSTREAM_DIR } from '../../scripts/gen-cilium-keys.js';

/** Keys the product sets on the Cilium chart. */
const PRODUCT_KEYS = [
  'k8sServiceHost',
  'k8sServicePort',
  'routingMode',
  'tunnelProtocol',
  'kubeProxyReplacement',
  'ipv4NativeRoutingCIDR',
  'autoDirectNodeRoutes',
  'l2announcements.enabled',
  'l2announcements.leaseDuration',
  'l2announcements.leaseRenewDeadline',
  'l2announcements.leaseRetryPeriod',
  'k8sClientRateLimit.qps',
  'k8sClientRateLimit.burst',
  'gatewayAPI.enabled',
  'gatewayAPI.enableAlpn',
  'gatewayAPI.externalTrafficPolicy',
  'operator.replicas',
  'bandwidthManager.enabled',
  'bandwidthManager.bbr',
  'bpf.masquerade',
  'hubble.relay.enabled',
  'hubble.ui.enabled',
  'MTU',
  'ipam.mode',
  'ipam.operator.clusterPoolIPv4PodCIDRList',
  'cgroup.autoMount.enabled',
  'cgroup.hostRoot',
  'securityContext.capabilities.ciliumAgent',
  'devices',
  'extraConfig',
] as const;

/** Seed 002's dead keys (FACTS.md: none of them exists in any supported chart). */
const SEED_002_DEAD_KEYS = ['gatewayAPI.sessionAffinity', 'gatewayAPI.sessionAffinityTimeoutSeconds', 'bpf.ctTcpTimeout', 'bpf.ctAnyTimeout'] as const;

/** A values tree shaped like what the product renders for a Talos cluster with L2 + Gateway API. */
function productValues(): Record<string, unknown> {
  return {
    k8sServiceHost: 'localhost',
    k8sServicePort: 7445,
    routingMode: 'native',
    tunnelProtocol: 'vxlan',
    kubeProxyReplacement: true,
    ipv4NativeRoutingCIDR: '10.42.0.0/16',
    autoDirectNodeRoutes: true,
    l2announcements: { enabled: true, leaseDuration: '15s', leaseRenewDeadline: '5s', leaseRetryPeriod: '2s' },
    k8sClientRateLimit: { qps: 20, burst: 40 },
    gatewayAPI: { enabled: true, enableAlpn: true, externalTrafficPolicy: 'Cluster' },
    operator: { replicas: 2 },
    bandwidthManager: { enabled: true, bbr: true },
    bpf: { masquerade: true },
    hubble: { relay: { enabled: true }, ui: { enabled: true } },
    MTU: 1450,
    ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.42.0.0/16'] } },
    cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
    securityContext: {
      capabilities: {
        ciliumAgent: ['CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'],
      },
    },
    devices: ['eth0'],
    extraConfig: { 'bpf-ct-timeout-regular-tcp': '6h', 'bpf-ct-timeout-regular-any': '1h' },
  };
}

// ---- independent view of upstream: the raw chart files, read without the generator -------------------------

const upstreamAvailable = existsSync(DEFAULT_UPSTREAM_DIR);
if (!upstreamAvailable) {
  console.warn(`[cilium-keys] ${DEFAULT_UPSTREAM_DIR} not found: skipping the checks against the raw upstream chart files.`);
}

interface RawChart {
  templateKeys: Set<string>;
  values: unknown;
  schema: { properties?: Record<string, unknown> };
}

function rawChart(version: CiliumChartVersion): RawChart {
  const dir = join(DEFAULT_UPSTREAM_DIR, version);
  return {
    templateKeys: new Set(readFileSync(join(dir, 'template-keys.txt'), 'utf8').split('\n').filter(Boolean)),
    values: parseYaml(readFileSync(join(dir, 'values.yaml'), 'utf8')),
    schema: JSON.parse(readFileSync(join(dir, 'values.schema.json'), 'utf8')) as RawChart['schema'],
  };
}

function lookup(tree: unknown, path: string, via?: 'properties'): boolean {
  let node = tree;
  for (const segment of path.split('.')) {
    if (via) node = (node as Record<string, unknown> | undefined)?.[via];
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !(segment in node)) return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return true;
}

/** Whether the chart defines `path`: in values.yaml, in its schema, or read by a template. */
function upstreamHas(chart: RawChart, path: string): boolean {
  return chart.templateKeys.has(path) || lookup(chart.values, path) || lookup(chart.schema, path, 'properties');
}

function leafPaths(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree) || Object.keys(tree).length === 0) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => leafPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}

// -------------------------------------------------------------------------------------------------------------

describe.each(CILIUM_CHART_VERSIONS)('cilium chart %s', (version) => {
  describe('keys the product uses', () => {
    it.each(PRODUCT_KEYS)('%s is a chart key', (path) => {
      expect(hasKey(version, path)).toBe(true);
    });

    it.skipIf(!upstreamAvailable)('each one really exists in the upstream chart files', () => {
      const chart = rawChart(version);
      const missing = PRODUCT_KEYS.filter((path) => !upstreamHas(chart, path));
      expect(missing).toEqual([]);
    });

    it('a product-shaped values tree has no problems', () => {
      expect(checkCiliumValues(version, productValues())).toEqual([]);
    });
  });

  describe('seed 002 dead keys', () => {
    it.skipIf(!upstreamAvailable)('are absent from the upstream chart files', () => {
      const chart = rawChart(version);
      expect(SEED_002_DEAD_KEYS.filter((path) => upstreamHas(chart, path))).toEqual([]);
    });

    it('are each reported as unknown keys', () => {
      const values = {
        gatewayAPI: { enabled: true, externalTrafficPolicy: 'Local', sessionAffinity: true, sessionAffinityTimeoutSeconds: 10800 },
        operator: { replicas: 2 },
        bpf: { masquerade: true, ctTcpTimeout: 21600, ctAnyTimeout: 3600 },
      };
      const problems = checkCiliumValues(version, values);
      expect(problems.map((p) => [p.path, p.kind])).toEqual(SEED_002_DEAD_KEYS.map((path) => [path, 'unknown-key']));
      for (const p of problems) {
        expect(hasKey(version, p.path)).toBe(false);
        expect(p.expected).toContain(`cilium ${version} chart`);
      }
    });

    it('bpf.ctTcpTimeout and bpf.ctAnyTimeout point to the extraConfig agent flags, with the value as a duration', () => {
      const problems = checkCiliumValues(version, { bpf: { ctTcpTimeout: 21600, ctAnyTimeout: '1h' } });
      expect(problems).toMatchObject([
        {
          path: 'bpf.ctTcpTimeout',
          value: 21600,
          suggestion: 'extraConfig.bpf-ct-timeout-regular-tcp',
          hint: expect.stringContaining('extraConfig: {"bpf-ct-timeout-regular-tcp": "21600s"}'),
        },
        {
          path: 'bpf.ctAnyTimeout',
          value: '1h',
          suggestion: 'extraConfig.bpf-ct-timeout-regular-any',
          hint: expect.stringContaining('extraConfig: {"bpf-ct-timeout-regular-any": "1h"}'),
        },
      ]);
      // The suggested route is itself valid for this chart.
      for (const p of problems) expect(hasKey(version, p.suggestion!)).toBe(true);
      expect(checkCiliumValues(version, { extraConfig: { 'bpf-ct-timeout-regular-tcp': '21600s' } })).toEqual([]);
    });

    it('gatewayAPI.sessionAffinity* say there is no such chart setting and where stickiness lives instead', () => {
      const problems = checkCiliumValues(version, { gatewayAPI: { sessionAffinity: true, sessionAffinityTimeoutSeconds: 10800 } });
      expect(problems).toHaveLength(2);
      for (const p of problems) {
        expect(p.suggestion).toBeUndefined();
        expect(p.hint).toMatch(/no Gateway API session-affinity value/);
        expect(p.hint).toMatch(/sessionAffinity: ClientIP/);
      }
    });
  });

  describe('unknown keys', () => {
    it.each([
      ['gatewayAPI.enableAlpm', { gatewayAPI: { enableAlpm: true } }, 'gatewayAPI.enableAlpn'],
      ['mtu', { mtu: 1500 }, 'MTU'],
      ['operator.replica', { operator: { replica: 2 } }, 'operator.replicas'],
      ['hubble.relay.enable', { hubble: { relay: { enable: true } } }, 'hubble.relay.enabled'],
      ['kubeProxyReplacment', { kubeProxyReplacment: true }, 'kubeProxyReplacement'],
    ])('%s suggests the nearest sibling', (path, values, suggestion) => {
      expect(checkCiliumValues(version, values)).toEqual([
        {
          path,
          kind: 'unknown-key',
          value: path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], values),
          expected: expect.stringContaining('chart defines'),
          suggestion,
        },
      ]);
    });

    it('falls back to the closest key anywhere when no sibling is close', () => {
      const [problem] = checkCiliumValues(version, { bpf: { enableAlpn: true } });
      expect(problem?.path).toBe('bpf.enableAlpn');
      expect(problem?.suggestion).toMatch(/\.enableAlpn$/);
      expect(hasKey(version, problem!.suggestion!)).toBe(true);
    });

    it('offers no suggestion when nothing is close', () => {
      const [problem] = checkCiliumValues(version, { gatewayAPI: { xyzzyPlughFrobnicate: 1 } });
      expect(problem).toMatchObject({ path: 'gatewayAPI.xyzzyPlughFrobnicate', kind: 'unknown-key' });
      expect(problem?.suggestion).toBeUndefined();
    });

    it('reports a dotted key name written as one key (values files nest, they do not dot)', () => {
      expect(checkCiliumValues(version, { 'gatewayAPI.enabled': true })).toMatchObject([
        {
          path: 'gatewayAPI.enabled',
          kind: 'unknown-key',
          suggestion: 'gatewayAPI.enabled',
          hint: expect.stringContaining('Nest it instead: gatewayAPI: {enabled: true}'),
        },
      ]);
    });

    it('does not look inside an unknown key', () => {
      expect(checkCiliumValues(version, { sessionAffinity2: { a: { b: 1 } } })).toHaveLength(1);
    });

    it('renders a message with path, value, expectation and fix', () => {
      const [problem] = checkCiliumValues(version, { gatewayAPI: { enableAlpm: true } });
      expect(describeValueProblem(version, problem!)).toBe(
        `gatewayAPI.enableAlpm is not a cilium ${version} chart value; Helm would ignore it (value: true); ` +
          `expected a key the cilium ${version} chart defines under "gatewayAPI". Did you mean gatewayAPI.enableAlpn?`,
      );
    });
  });

  describe('types', () => {
    it('fails when operator.replicas is a string', () => {
      expect(checkCiliumValues(version, { operator: { replicas: '2' } })).toEqual([
        { path: 'operator.replicas', kind: 'wrong-type', value: '2', expected: 'integer' },
      ]);
    });

    it.each([
      ['MTU', { MTU: '1500' }],
      ['MTU', { MTU: 1500.5 }],
      ['gatewayAPI.enabled', { gatewayAPI: { enabled: 'true' } }],
      ['k8sClientRateLimit.qps', { k8sClientRateLimit: { qps: '20' } }],
      ['ipam.mode', { ipam: { mode: 1 } }],
      ['extraConfig', { extraConfig: ['bpf-ct-timeout-regular-tcp=6h'] }],
      ['gatewayAPI', { gatewayAPI: true }],
    ])('fails when %s has a value of the wrong JSON type', (path, values) => {
      const problems = checkCiliumValues(version, values);
      expect(problems).toMatchObject([{ path, kind: 'wrong-type' }]);
      expect(problems[0]!.expected).toBe(
        chartKeyTypes(version, path)!
          .join(', ')
          .replace(/, ([^,]*)$/, ' or $1'),
      );
    });

    it('accepts every type a union allows (k8sServicePort: integer or string)', () => {
      expect(checkCiliumValues(version, { k8sServicePort: 7445 })).toEqual([]);
      expect(checkCiliumValues(version, { k8sServicePort: '7445' })).toEqual([]);
    });

    it('accepts null for a known key (Helm reads it as "drop the default")', () => {
      expect(checkCiliumValues(version, { operator: { replicas: null }, gatewayAPI: null })).toEqual([]);
    });

    it('ignores undefined values and rejects a non-object root', () => {
      expect(checkCiliumValues(version, { MTU: undefined })).toEqual([]);
      expect(checkCiliumValues(version, ['MTU'])).toMatchObject([{ path: '', kind: 'wrong-type' }]);
    });

    it('reports every problem in one pass, in document order', () => {
      const problems = checkCiliumValues(version, { mtu: 1, operator: { replicas: '2', replica: 1 }, bpf: { ctTcpTimeout: 1 } });
      expect(problems.map((p) => p.path)).toEqual(['mtu', 'operator.replicas', 'operator.replica', 'bpf.ctTcpTimeout']);
    });
  });

  describe('free-form maps', () => {
    it.each([
      'extraConfig',
      'annotations',
      'podLabels',
      'nodeSelector',
      'resources',
      'affinity',
      'operator.podAnnotations',
      'operator.resources',
      'operator.nodeSelector',
    ])('%s takes any child keys', (path) => {
      expect(isFreeForm(version, path)).toBe(true);
      expect(hasKey(version, `${path}.anything-at-all`)).toBe(true);
      const values = path.split('.').reduceRight<unknown>((inner, k) => ({ [k]: inner }), {
        'kubernetes.io/hostname': 'node-1',
        nested: { deeper: [1, 2, 3] },
      });
      expect(checkCiliumValues(version, values)).toEqual([]);
    });

    it('any extraConfig agent flag with any string value passes', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (flags) => {
          expect(checkCiliumValues(version, { extraConfig: flags })).toEqual([]);
        }),
      );
    });

    it('structured maps are not free-form', () => {
      for (const path of ['gatewayAPI', 'bpf', 'operator', 'l2announcements', 'securityContext', 'securityContext.capabilities']) {
        expect(isFreeForm(version, path), path).toBe(false);
      }
      expect(hasKey(version, 'securityContext.capabilities.ciliumAgent')).toBe(true);
      expect(checkCiliumValues(version, { securityContext: { capabilities: { ciliumAgnet: [] } } })).toMatchObject([
        { path: 'securityContext.capabilities.ciliumAgnet', suggestion: 'securityContext.capabilities.ciliumAgent' },
      ]);
    });
  });

  describe.skipIf(!upstreamAvailable)('agreement with the raw upstream files', () => {
    it('every key a chart template reads is known', () => {
      const chart = rawChart(version);
      // AsMap is a method of Helm's .Values object, not a key.
      const unknown = [...chart.templateKeys].filter((k) => k !== 'AsMap' && !hasKey(version, k));
      expect(unknown).toEqual([]);
    });

    it('every path in values.yaml is known', () => {
      const chart = rawChart(version);
      const unknown = leafPaths(chart.values).filter((path) => {
        // Keys with a dot (nodeSelector."kubernetes.io/os") split ambiguously; they live in free-form maps.
        if (path.split('.').some((_, i, all) => isFreeForm(version, all.slice(0, i + 1).join('.')))) return false;
        return !hasKey(version, path);
      });
      expect(unknown).toEqual([]);
    });

    it('the values.yaml defaults themselves pass the checker', () => {
      expect(checkCiliumValues(version, rawChart(version).values)).toEqual([]);
    });
  });
});

describe('differences between chart versions', () => {
  it('devices is typed only from 1.20.0 (a commented-out default before): any type passes on 1.18/1.19', () => {
    expect(chartKeyTypes('1.18.12', 'devices')).toEqual(['any']);
    expect(chartKeyTypes('1.19.6', 'devices')).toEqual(['any']);
    expect(chartKeyTypes('1.20.0', 'devices')).toEqual(['array', 'null', 'string']);
    expect(checkCiliumValues('1.20.0', { devices: 1 })).toMatchObject([{ path: 'devices', kind: 'wrong-type' }]);
  });

  it('all product keys exist in all versions with the same types, except devices', () => {
    const differing = PRODUCT_KEYS.filter((path) => {
      const types = CILIUM_CHART_VERSIONS.map((v) => JSON.stringify(chartKeyTypes(v, path)));
      return new Set(types).size > 1;
    });
    expect(differing).toEqual(['devices']);
  });

  it('a key new in 1.20.0 is unknown to 1.18.12', () => {
    expect(hasKey('1.20.0', 'gatewayAPI.useRemoteAddress')).toBe(true);
    expect(checkCiliumValues('1.18.12', { gatewayAPI: { useRemoteAddress: true } })).toMatchObject([
      { path: 'gatewayAPI.useRemoteAddress', kind: 'unknown-key' },
    ]);
  });

  it('fails with the supported versions listed when given an unsupported one', () => {
    expect(() => checkCiliumValues('1.17.0' as CiliumChartVersion, {})).toThrow(
      'Unsupported Cilium chart version "1.17.0"; expected one of 1.18.12, 1.19.6, 1.20.0.',
    );
  });
});
