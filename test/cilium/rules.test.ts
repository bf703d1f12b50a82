import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { k8s } from 'cdk8s-plus-30';
import {
  Acknowledgements,
  AddressBlock,
  ApiEndpoint,
  Component,
  Distribution,
  GATEWAY_API_VERSIONS,
  GatewayApiChannel,
  GatewayApiCrds,
  GitOps,
  IpamMode,
  L2Pool,
  Layer,
  LoadBalancerService,
  NodeRole,
  Routing,
  type CiliumReleaseProps,
  type ClusterProps,
} from '../../constructs/index.js';
import { FluxGitRepository, FluxKustomization } from '../../imports/flux.js';
import { Gateway, TlsRouteV1Alpha2 } from '../../imports/gateway-api.js';
import { expectCompliant, run, tempDir } from '../helpers.js';
import { ciliumCluster, of } from './fixtures.js';

const talos: Partial<ClusterProps> = {
  distribution: Distribution.TALOS,
  nodes: [
    { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
    { name: 'w1', address: '192.168.1.21', roles: [NodeRole.WORKER] },
  ],
};

/**
 * One rule, three cases: the noncompliant setup fails with the rule's id, the compliant one yields nothing of it,
 * the acknowledged noncompliant one passes and lists the finding as acknowledged.
 */
function threeCases(
  id: string,
  bad: { props: Partial<CiliumReleaseProps>; cluster?: Partial<ClusterProps>; extend?: (c: ReturnType<typeof ciliumCluster>) => void },
  good: { props: Partial<CiliumReleaseProps>; cluster?: Partial<ClusterProps>; extend?: (c: ReturnType<typeof ciliumCluster>) => void },
  expectMessage: RegExp,
  expectValue?: unknown,
) {
  it(`fails when noncompliant (${id})`, async () => {
    const c = ciliumCluster(bad.props, bad.cluster);
    bad.extend?.(c);
    const o = await run(c.app);
    const found = of(o.findings, id);
    expect(found.length, JSON.stringify(o.findings.map((f) => f.ruleId))).toBeGreaterThan(0);
    expect(found.map((f) => f.message).join('\n')).toMatch(expectMessage);
    if (expectValue !== undefined) expect(found.map((f) => f.value)).toContainEqual(expectValue);
    if (found.some((f) => f.level === 'error')) expect(o.ok).toBe(false);
    expect(found[0]!.fix.length).toBeGreaterThan(10);
  });
  it(`passes when compliant (${id})`, async () => {
    const c = ciliumCluster(good.props, good.cluster);
    good.extend?.(c);
    const o = await run(c.app);
    expectCompliant(o, id);
  });
  it(`passes when acknowledged (${id})`, async () => {
    const c = ciliumCluster(bad.props, bad.cluster);
    bad.extend?.(c);
    Acknowledgements.of(c.cilium).add(id, 'accepted here on purpose for the test');
    const o = await run(c.app);
    expectCompliant(o, id);
    expect(o.ok, JSON.stringify(o.findings.filter((f) => f.level === 'error'))).toBe(true);
    expect(o.result?.clusters[0]!.acknowledged.some((f) => f.ruleId === id)).toBe(true);
  });
}

describe('NET-CIL1 k8sServiceHost never depends on cluster DNS', () => {
  threeCases('NET-CIL1', { props: { k8sServiceHost: 'kubernetes.default.svc' } }, { props: {} }, /host name.*cluster DNS/, 'kubernetes.default.svc');

  it('refuses localhost where the distribution does not serve it, and accepts it on Talos (KubePrism)', async () => {
    const k3s = await run(ciliumCluster({ k8sServiceHost: 'localhost', k8sServicePort: 6443 }).app);
    expect(of(k3s.findings, 'NET-CIL1')[0]!.message).toMatch(/loopback.*only Talos KubePrism/);
    const t = await run(ciliumCluster({}, talos).app);
    expectCompliant(t, 'NET-CIL1');
  });

  it('suggests the Cluster endpoint in the finding', async () => {
    const o = await run(ciliumCluster({ k8sServiceHost: 'api.example.lan' }).app);
    expect(of(o.findings, 'NET-CIL1')[0]!.expected).toContain('192.168.1.10:6443');
  });

  it('does not suggest a host name as the address when the Cluster endpoint is that name, and points the fix at the Cluster', async () => {
    const o = await run(ciliumCluster({}, { apiEndpoint: ApiEndpoint.at('api.example.lan') }).app);
    const f = of(o.findings, 'NET-CIL1')[0]!;
    expect(f.value).toBe('api.example.lan');
    expect(f.expected).not.toContain('api.example.lan');
    expect(f.fix).toMatch(/Cluster an IP address as apiEndpoint/);
    expect(of(o.findings, 'NET-CLU5').length).toBeGreaterThan(0);
  });
});

describe('NET-CIL2 every value exists in the pinned chart', () => {
  threeCases(
    'NET-CIL2',
    {
      props: { extraValues: { gatewayAPI: { sessionAffinity: true, sessionAffinityTimeoutSeconds: 10800 }, bpf: { ctTcpTimeout: 21600, ctAnyTimeout: 3600 } } },
    },
    { props: { extraValues: { gatewayAPI: { enableAlpn: true } }, conntrackTimeouts: { regularTcpSeconds: 21600 } } },
    /gatewayAPI\.sessionAffinity is not a cilium 1\.20\.0 chart value/,
    { 'gatewayAPI.sessionAffinity': true },
  );

  it("points seed 002's conntrack keys at the agent flags, and a typo at the real key", async () => {
    const o = await run(ciliumCluster({ extraValues: { bpf: { ctTcpTimeout: 21600 }, gatewayAPI: { enableAlpm: true } } }).app);
    const found = of(o.findings, 'NET-CIL2');
    const ct = found.find((f) => f.message.startsWith('bpf.ctTcpTimeout'))!;
    expect(ct.fix).toContain('extraConfig.bpf-ct-timeout-regular-tcp');
    expect(ct.fix).toContain('"21600s"');
    expect(ct.fix).toContain('conntrackTimeouts: { regularTcpSeconds: 21600 }');
    expect(found.find((f) => f.message.startsWith('gatewayAPI.enableAlpm'))!.fix).toContain('Did you mean gatewayAPI.enableAlpn?');
  });

  it('says in the message only what is wrong: value, expectation and fix are not repeated in it', async () => {
    const o = await run(ciliumCluster({ extraValues: { bpf: { ctTcpTimeout: 21600 }, gatewayAPI: { sessionAffinity: true } } }).app);
    // One finding per dead key given, so the checks below run on both (not on an empty list).
    expect(
      of(o.findings, 'NET-CIL2')
        .map((f) => f.message.split(' ')[0])
        .sort(),
    ).toEqual(['bpf.ctTcpTimeout', 'gatewayAPI.sessionAffinity']);
    for (const f of of(o.findings, 'NET-CIL2')) {
      expect(f.message).not.toContain('(value:');
      expect(f.message).not.toContain('expected');
      expect(f.message).not.toContain(f.fix);
      expect(f.expected).toMatch(/a key the cilium 1\.20\.0 chart defines under "(bpf|gatewayAPI)"/);
    }
  });

  it('reports a value of the wrong type (the schema says integer)', async () => {
    const o = await run(ciliumCluster({ extraValues: { operator: { replicas: 1.5 } } }).app);
    expect(of(o.findings, 'NET-CIL2')[0]!.message).toMatch(/operator\.replicas has the wrong type/);
  });

  it('reports a typed prop of the wrong type at the boundary, before the chart schema sees it (NET-IN1)', async () => {
    const o = await run(ciliumCluster({ operatorReplicas: 1.5 }).app);
    expect(of(o.findings, 'NET-IN1')).toEqual([
      expect.objectContaining({ message: 'CiliumRelease prop operatorReplicas is not valid', value: 1.5, expected: 'an integer from 1 to 100' }),
    ]);
    expect(of(o.findings, 'NET-CIL2')).toEqual([]);
  });
});

describe('NET-CIL3 native routing CIDR', () => {
  threeCases(
    'NET-CIL3',
    { props: { routing: Routing.native({ ipv4NativeRoutingCidr: '10.42.0.0/24' }) } },
    { props: { routing: Routing.native({ ipv4NativeRoutingCidr: '10.0.0.0/8' }) } },
    /does not contain the pod CIDR 10\.42\.0\.0\/16/,
    '10.42.0.0/24',
  );

  it('fails when the CIDR is removed through extraValues', async () => {
    const o = await run(ciliumCluster({ routing: Routing.native(), extraValues: { ipv4NativeRoutingCIDR: null } }).app);
    expect(of(o.findings, 'NET-CIL3')[0]!.message).toMatch(/not set/);
  });
});

describe('NET-CIL4 L2 announcements need kube-proxy replacement', () => {
  threeCases(
    'NET-CIL4',
    { props: { l2Announcements: true } },
    { props: { l2Announcements: true, kubeProxyReplacement: true } },
    /L2 announcements are enabled but kube-proxy replacement is off/,
    {
      kubeProxyReplacement: false,
    },
  );

  it('leaves a cluster with L2 pools to NET-L2P8, without a second finding', async () => {
    const c = ciliumCluster({});
    new L2Pool(c.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] });
    const o = await run(c.app);
    expectCompliant(o, 'NET-CIL4', { otherErrors: ['NET-L2P8'] });
    expect(of(o.findings, 'NET-L2P8')[0]!.message).toMatch(/kube-proxy replacement/);
  });
});

describe('NET-CIL5 Gateway API needs kube-proxy replacement and the L7 proxy', () => {
  threeCases('NET-CIL5', { props: { gatewayApi: {} } }, { props: { gatewayApi: {}, kubeProxyReplacement: true } }, /without kube-proxy replacement/);

  it('fails when the L7 proxy is off', async () => {
    const o = await run(ciliumCluster({ gatewayApi: {}, kubeProxyReplacement: true, extraValues: { l7Proxy: false } }).app);
    expect(of(o.findings, 'NET-CIL5')[0]!.message).toMatch(/L7 proxy is off/);
  });

  // nodePort.enabled is a value of the 1.18 chart only (constructs/cilium/chart-keys/*.json; the 1.19 and 1.20
  // charts dropped it), so the advice offers it on 1.18 alone, and on later charts it does not count.
  it('offers nodePort.enabled as an alternative only on the 1.18 chart', async () => {
    const old = await run(ciliumCluster({ version: '1.18', gatewayApi: {} }).app);
    const f18 = of(old.findings, 'NET-CIL5')[0]!;
    expect(f18.message).toMatch(/without kube-proxy replacement or NodePort/);
    expect(f18.expected).toMatch(/nodePort\.enabled: true/);
    for (const version of ['1.19', '1.20'] as const) {
      const o = await run(ciliumCluster({ version, gatewayApi: {} }).app);
      const f = of(o.findings, 'NET-CIL5')[0]!;
      expect(f.message, version).toMatch(/without kube-proxy replacement/);
      expect(`${f.message} ${f.expected} ${f.fix}`, version).not.toMatch(/nodePort|NodePort/);
      expect(f.expected, version).toBe('kubeProxyReplacement: true');
    }
  });

  it('accepts nodePort.enabled on 1.18 and ignores it on 1.19 and 1.20, whose charts have no such value', async () => {
    const np = { extraValues: { nodePort: { enabled: true } }, gatewayApi: {} };
    const o18 = await run(ciliumCluster({ version: '1.18', ...np }).app);
    expectCompliant(o18, 'NET-CIL5');
    for (const version of ['1.19', '1.20'] as const) {
      const o = await run(ciliumCluster({ version, ...np }).app);
      expect(
        of(o.findings, 'NET-CIL5').map((f) => f.message),
        version,
      ).toEqual([expect.stringMatching(/without kube-proxy replacement/)]);
      expect(of(o.findings, 'NET-CIL2').length, version).toBeGreaterThan(0);
    }
  });
});

describe('NET-CIL5 the Ingress controller needs kube-proxy replacement and the L7 proxy', () => {
  const ingress = { ingressController: { enabled: true } };
  threeCases(
    'NET-CIL5',
    { props: { extraValues: ingress } },
    { props: { kubeProxyReplacement: true, extraValues: ingress } },
    /^the Ingress controller is enabled without kube-proxy replacement: Ingress Services would get no eBPF datapath/,
    { kubeProxyReplacement: false },
  );

  it('fails when the L7 proxy is off, naming the Ingress controller and not the Gateway API', async () => {
    const o = await run(ciliumCluster({ kubeProxyReplacement: true, extraValues: { ...ingress, l7Proxy: false } }).app);
    const found = of(o.findings, 'NET-CIL5');
    expect(found.map((f) => f.message)).toEqual(['the Ingress controller is enabled but the L7 proxy is off; the chart refuses to render']);
    expect(found[0]).toMatchObject({ level: 'error', value: { l7Proxy: false }, expected: 'l7Proxy: true (the default)' });
    expect(o.ok).toBe(false);
  });

  it('reports each feature on its own when both are on, with the Gateway API wording unchanged', async () => {
    const o = await run(ciliumCluster({ gatewayApi: {}, extraValues: { ...ingress, l7Proxy: false } }).app);
    expect(of(o.findings, 'NET-CIL5').map((f) => f.message)).toEqual([
      'the Gateway API is enabled but the L7 proxy is off; the chart refuses to render',
      'the Gateway API is enabled without kube-proxy replacement: gateway Services would get no eBPF datapath (chart 1.20.0 has no other switch for it)',
      'the Ingress controller is enabled but the L7 proxy is off; the chart refuses to render',
      'the Ingress controller is enabled without kube-proxy replacement: Ingress Services would get no eBPF datapath (chart 1.20.0 has no other switch for it)',
    ]);
  });

  it('accepts nodePort.enabled for the Ingress controller on 1.18 only', async () => {
    const np = { extraValues: { ...ingress, nodePort: { enabled: true } } };
    expectCompliant(await run(ciliumCluster({ version: '1.18', ...np }).app), 'NET-CIL5');
    const plain18 = of((await run(ciliumCluster({ version: '1.18', extraValues: ingress }).app)).findings, 'NET-CIL5');
    expect(plain18.map((f) => f.message)).toEqual([expect.stringMatching(/^the Ingress controller is enabled without kube-proxy replacement or NodePort/)]);
    expect(plain18[0]!.expected).toBe('kubeProxyReplacement: true (or nodePort.enabled: true)');
    const o20 = of((await run(ciliumCluster({ version: '1.20', ...np }).app)).findings, 'NET-CIL5');
    expect(o20.map((f) => f.message)).toEqual([expect.stringMatching(/^the Ingress controller is enabled without kube-proxy replacement:/)]);
  });

  it('leaves an Ingress controller that is switched off alone', async () => {
    const o = await run(ciliumCluster({ extraValues: { ingressController: { enabled: false }, l7Proxy: false } }).app);
    expectCompliant(o, 'NET-CIL5');
  });
});

describe('NET-CIL6 Hubble UI needs relay', () => {
  threeCases('NET-CIL6', { props: { hubble: { ui: true } } }, { props: { hubble: { ui: true, relay: true } } }, /Hubble UI is enabled without Hubble relay/);
});

describe('NET-CIL7 gateway externalTrafficPolicy', () => {
  threeCases(
    'NET-CIL7',
    { props: { kubeProxyReplacement: true, gatewayApi: {}, extraValues: { gatewayAPI: { externalTrafficPolicy: 'Sticky' } } } },
    { props: { kubeProxyReplacement: true, gatewayApi: { externalTrafficPolicy: 'Local' } } },
    /neither Cluster nor Local/,
    'Sticky',
  );
});

describe('NET-L2P9 lease timings as Cilium renders them (the lesson NET-CIL8 carried before it was merged)', () => {
  const pool = (c: ReturnType<typeof ciliumCluster>) => {
    new L2Pool(c.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] });
  };
  threeCases(
    'NET-L2P9',
    { props: { kubeProxyReplacement: true, extraValues: { l2announcements: { leaseRenewDeadline: '2s' } } }, extend: pool },
    { props: { kubeProxyReplacement: true, extraValues: { l2announcements: { leaseRenewDeadline: '3s' } } }, extend: pool },
    /renew deadline is less than 1\.2 × the retry period/,
  );

  it('fails when the duration does not exceed the renew deadline', async () => {
    const c = ciliumCluster({ kubeProxyReplacement: true, l2Announcements: true, extraValues: { l2announcements: { leaseDuration: '5s' } } });
    expect(of((await run(c.app)).findings, 'NET-L2P9')[0]!.message).toMatch(/duration does not exceed the renew deadline/);
  });

  it('reports timings that come from a pool once, at the pool, not again at the release', async () => {
    const c = ciliumCluster({ kubeProxyReplacement: true });
    new L2Pool(c.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')], leaseRenewDeadlineSeconds: 2 });
    const o = await run(c.app);
    expect(of(o.findings, 'NET-L2P9')).toMatchObject([
      { path: 'test/Lan', message: 'pool lan: the renew deadline must exceed the retry period by at least 20%' },
    ]);
    expectCompliant(o, 'NET-CIL8', { otherErrors: ['NET-L2P9'] });
  });

  it('takes an acknowledgement of the old id NET-CIL8 as one of NET-L2P9, used and listed under NET-L2P9', async () => {
    const c = ciliumCluster({ kubeProxyReplacement: true, extraValues: { l2announcements: { leaseRenewDeadline: '2s' } } });
    pool(c);
    Acknowledgements.of(c.cilium).add('NET-CIL8', 'lease timings tuned by hand on this test cluster');
    const o = await run(c.app);
    expect(o.ok, JSON.stringify(o.findings)).toBe(true);
    expect(o.findings.filter((f) => ['NET-L2P9', 'NET-CIL8', 'NET-ACK1', 'NET-ACK2'].includes(f.ruleId))).toEqual([]);
    expect(o.result!.clusters[0]!.acknowledged).toMatchObject([{ ruleId: 'NET-L2P9', reason: 'lease timings tuned by hand on this test cluster' }]);
  });

  it('fails when two pools ask for different timings (they are agent-wide)', async () => {
    const c = ciliumCluster({ kubeProxyReplacement: true });
    new L2Pool(c.cluster, 'A', { blocks: [AddressBlock.range('192.168.1.200', '192.168.1.201')] });
    new L2Pool(c.cluster, 'B', { blocks: [AddressBlock.range('192.168.1.210', '192.168.1.211')], leaseDurationSeconds: 30 });
    const found = of((await run(c.app)).findings, 'NET-L2P9');
    expect(found[0]!.message).toMatch(/pool "b" .* differ from pool "a"/);
    expect(found[0]!.value).toBe('30s/5s/2s');
  });
});

describe('NET-CIL9 operator replicas', () => {
  threeCases('NET-CIL9', { props: { operatorReplicas: 4 } }, { props: {} }, /4 replicas with one per node, but the cluster has 3 nodes/, 4);

  it('warns (does not fail) when one replica runs on a multi-node cluster, as seed 001 did', async () => {
    const o = await run(ciliumCluster({ operatorReplicas: 1 }).app);
    const [f] = of(o.findings, 'NET-CIL9');
    expect(f).toMatchObject({ level: 'warning', value: 1 });
    expect(f!.message).toMatch(/single replica on a 3-node cluster/);
    expect(o.ok).toBe(true);
  });
});

describe('NET-CIL10 Gateway API CRDs match Cilium and come first', () => {
  const strayGateway = (c: ReturnType<typeof ciliumCluster>) => {
    new k8s.KubeService(c.cluster, 'svc', { metadata: { name: 'svc', namespace: 'apps' }, spec: { ports: [{ port: 443 }], selector: { app: 'svc' } } });
    new TlsRouteV1Alpha2(c.cluster, 'tls', {
      metadata: { name: 'tls', namespace: 'apps' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'svc', port: 443 }] }] },
    });
  };
  threeCases(
    'NET-CIL10',
    {
      props: { version: '1.19' },
      extend: (c) => {
        // CRDs of another release than Cilium 1.19 implements.
        new GatewayApiCrds(c.cilium, 'Wrong', { version: 'v1.5.0' });
      },
    },
    { props: { version: '1.19', kubeProxyReplacement: true, gatewayApi: {} } },
    /CRDs are at v1\.5\.0, but Cilium 1\.19 implements v1\.4\.1/,
    'v1.5.0',
  );

  it('fails when the tree renders Gateway API objects but installs no CRDs', async () => {
    const c = ciliumCluster({ version: '1.19' });
    strayGateway(c);
    expect(of((await run(c.app)).findings, 'NET-CIL10')[0]!.message).toMatch(/renders Gateway API objects \(TLSRoute tls\) but no Gateway API CRDs/);
  });

  it('leaves a channel that does not serve a route (forced standard, TLSRoute v1alpha2 on 1.19) to NET-GW7', async () => {
    const c = ciliumCluster({ version: '1.19', kubeProxyReplacement: true, gatewayApi: { crdChannel: GatewayApiChannel.STANDARD } });
    strayGateway(c);
    const o = await run(c.app);
    expectCompliant(o, 'NET-CIL10', { otherErrors: ['NET-GW7'] });
    expect(of(o.findings, 'NET-GW7')[0]!.message).toContain(`standard channel of Gateway API ${GATEWAY_API_VERSIONS['1.19']} does not serve`);
  });

  it('fails when a hand-written copy of the CRDs is applied after Cilium (apps layer) and installs them twice', async () => {
    const c = ciliumCluster({ version: '1.20', kubeProxyReplacement: true, gatewayApi: {} });
    const late = new Component(c.cluster, 'Late', { layer: Layer.APPS, folder: 'gateway-api' });
    new FluxGitRepository(late, 'Git', {
      metadata: { name: 'gw-late', namespace: 'flux-system' },
      spec: { interval: '1h', url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: 'v1.6.1' } },
    });
    new FluxKustomization(late, 'Ks', {
      metadata: { name: 'gw-late', namespace: 'flux-system' },
      spec: { interval: '1h', path: './config/crd/standard', prune: false, sourceRef: { kind: 'GitRepository', name: 'gw-late' } },
    });
    const found = of((await run(c.app)).findings, 'NET-CIL10');
    expect(found.map((f) => f.message)).toEqual(
      expect.arrayContaining(['the Gateway API CRDs are not applied in the crds layer, before Cilium', 'the Gateway API CRDs are installed more than once']),
    );
    expect(found.find((f) => f.message.includes('crds layer'))!.value).toBe('apps/gateway-api/kustomization-gw-late.yaml');
  });
});

describe('NET-CIL11 no datapath change on a live cluster', () => {
  async function twice(first: Partial<CiliumReleaseProps>, second: Partial<CiliumReleaseProps>, ack = false, cluster: Partial<ClusterProps> = {}) {
    const outdir = tempDir();
    const a = ciliumCluster(first, cluster);
    const o1 = await run(a.app, { write: true, outdir });
    expect(o1.ok, JSON.stringify(o1.findings)).toBe(true);
    const b = ciliumCluster(second, cluster);
    if (ack) Acknowledgements.of(b.cilium).add('NET-CIL11', 'planned migration: every node drained and restarted together');
    return run(b.app, { outdir });
  }

  it('fails when the routing mode changes (seed 001)', async () => {
    const o = await twice({}, { routing: Routing.native(), kubeProxyReplacement: true });
    const found = of(o.findings, 'NET-CIL11');
    expect(o.ok).toBe(false);
    expect(found.map((f) => f.value)).toContainEqual({ before: 'tunnel', after: 'native' });
    expect(found.map((f) => f.value)).toContainEqual({ before: 'false', after: 'true' });
    expect(found[0]!.message).toMatch(/not a rolling change/);
    // Under native routing there is no tunnel: the routing-mode finding covers it, without a VXLAN/Geneve reason.
    expect(found.map((f) => f.value)).not.toContainEqual({ before: 'vxlan', after: '-' });
    expect(found.map((f) => f.message).join('\n')).not.toMatch(/Geneve/);
  });

  it('reports the pod CIDR list only while cluster-pool IPAM is used on both sides', async () => {
    const found = of((await twice({}, { ipamMode: IpamMode.KUBERNETES })).findings, 'NET-CIL11');
    expect(found.map((f) => f.value)).toEqual([{ before: 'cluster-pool', after: 'kubernetes' }]);
  });

  it('fails when the tunnel protocol, IPAM mode or pod CIDR changes', async () => {
    const tunnel = of((await twice({}, { routing: Routing.tunnel('geneve') })).findings, 'NET-CIL11');
    expect(tunnel.map((f) => f.value)).toEqual([{ before: 'vxlan', after: 'geneve' }]);
    const ipam = of((await twice({}, { ipamMode: IpamMode.KUBERNETES })).findings, 'NET-CIL11');
    expect(ipam.map((f) => f.value)).toContainEqual({ before: 'cluster-pool', after: 'kubernetes' });
    const pods = of((await twice({}, { extraValues: { ipam: { operator: { clusterPoolIPv4PodCIDRList: ['10.99.0.0/16'] } } } })).findings, 'NET-CIL11');
    expect(pods.map((f) => f.value)).toEqual([{ before: '10.42.0.0/16', after: '10.99.0.0/16' }]);
  });

  it('passes when nothing of the datapath changes, or on the first synth, also with Argo CD', async () => {
    const o = await twice({ hubble: { relay: true } }, { hubble: { relay: true, ui: true } }, false, {
      gitops: GitOps.argocd({ repoUrl: 'https://git.example/x.git' }),
    });
    expectCompliant(o, 'NET-CIL11');
    expect(o.ok).toBe(true);
  });

  it('reads the committed values from the values file the committed Argo CD Application names', async () => {
    const o = await twice({}, { routing: Routing.tunnel('geneve') }, false, { gitops: GitOps.argocd({ repoUrl: 'https://git.example/x.git' }) });
    expect(of(o.findings, 'NET-CIL11').map((f) => f.value)).toEqual([{ before: 'vxlan', after: 'geneve' }]);
    expect(of(o.findings, 'NET-CIL11')[0]!.message).toContain('committed in cni/cilium/application-cilium.yaml');
  });

  it('reads the committed values inline from a tree written before the values file existed', async () => {
    const outdir = tempDir();
    expect((await run(ciliumCluster({}).app, { write: true, outdir })).ok).toBe(true);
    // The committed HelmRelease as the synthesizer wrote it before the values file: values inline, Geneve.
    const release = join(outdir, 'test', 'cni', 'cilium', 'helmrelease-cilium.yaml');
    const old = parse(readFileSync(release, 'utf8'));
    delete old.spec.valuesFrom;
    old.spec.values = {
      routingMode: 'tunnel',
      tunnelProtocol: 'geneve',
      kubeProxyReplacement: false,
      ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.42.0.0/16'] } },
    };
    writeFileSync(release, stringify(old));
    const o = await run(ciliumCluster({}).app, { outdir });
    expect(of(o.findings, 'NET-CIL11').map((f) => f.value)).toEqual([{ before: 'geneve', after: 'vxlan' }]);
  });

  it('passes when acknowledged', async () => {
    const o = await twice({}, { routing: Routing.tunnel('geneve') }, true);
    expect(o.ok).toBe(true);
    expect(o.result!.clusters[0]!.acknowledged.map((f) => f.ruleId)).toContain('NET-CIL11');
  });
});

describe('NET-CIL12 client rate limit covers the leases', () => {
  const services = (n: number) => (c: ReturnType<typeof ciliumCluster>) => {
    const pool = new L2Pool(c.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.100', '192.168.1.220')] });
    for (let i = 0; i < n; i++)
      new LoadBalancerService(c.cluster, `lb${i}`, { pool, namespace: 'apps', selector: { app: `a${i}` }, ports: [{ name: 'http', port: 80 }] });
  };
  threeCases(
    'NET-CIL12',
    { props: { kubeProxyReplacement: true, extraValues: { k8sClientRateLimit: { qps: 10, burst: 20 } } }, extend: services(100) },
    { props: { kubeProxyReplacement: true }, extend: services(100) },
    /too low for 100 LoadBalancer services renewing leases every 5s/,
    { qps: 10, burst: 20 },
  );
});

describe('NET-CIL13 Talos settings', () => {
  threeCases(
    'NET-CIL13',
    {
      props: { extraValues: { cgroup: { autoMount: { enabled: true } }, securityContext: { capabilities: { ciliumAgent: ['NET_ADMIN', 'SYS_MODULE'] } } } },
      cluster: talos,
    },
    { props: {}, cluster: talos },
    /SYS_MODULE, which Talos forbids/,
  );
});

describe('NET-CIL14 bpf.masquerade needs kube-proxy replacement and masquerading', () => {
  threeCases(
    'NET-CIL14',
    { props: { bpfMasquerade: true } },
    { props: { bpfMasquerade: true, kubeProxyReplacement: true } },
    /bpf\.masquerade is on without kube-proxy replacement/,
    { 'bpf.masquerade': true, kubeProxyReplacement: false },
  );

  it('fails when masquerading itself is off', async () => {
    const o = await run(ciliumCluster({ bpfMasquerade: true, kubeProxyReplacement: true, extraValues: { enableIPv4Masquerade: false } }).app);
    expect(of(o.findings, 'NET-CIL14').map((f) => f.message)).toEqual([expect.stringMatching(/masquerading is off/)]);
  });

  it('leaves iptables masquerading alone', async () => {
    const o = await run(ciliumCluster({ bpfMasquerade: false }).app);
    expectCompliant(o, 'NET-CIL14');
  });

  it('counts nodePort.enabled as the eBPF NodePort datapath on 1.18 only (later charts have no such value)', async () => {
    const np = { bpfMasquerade: true, extraValues: { nodePort: { enabled: true } } };
    expectCompliant(await run(ciliumCluster({ version: '1.18', ...np }).app), 'NET-CIL14');
    const o = await run(ciliumCluster({ version: '1.20', ...np }).app);
    expect(of(o.findings, 'NET-CIL14').map((f) => f.message)).toEqual([expect.stringMatching(/without kube-proxy replacement/)]);
  });
});

describe('NET-CIL15 BBR needs the Bandwidth Manager and eBPF host routing', () => {
  threeCases(
    'NET-CIL15',
    { props: { bbr: true, bandwidthManager: true } },
    { props: { bbr: true, bandwidthManager: true, kubeProxyReplacement: true, bpfMasquerade: true } },
    /bandwidthManager\.bbr is on .*kubeProxyReplacement: true, bpf\.masquerade: true/,
  );

  it('fails on each missing piece: Bandwidth Manager off, IPsec, legacy host routing', async () => {
    const base = { bbr: true, kubeProxyReplacement: true, bpfMasquerade: true } as const;
    const off = await run(ciliumCluster({ ...base, bandwidthManager: false }).app);
    expect(of(off.findings, 'NET-CIL15')[0]!.expected).toBe('bandwidthManager.enabled: true');
    const ipsec = await run(ciliumCluster({ ...base, bandwidthManager: true, encryption: 'ipsec' }).app);
    expect(of(ipsec.findings, 'NET-CIL15')[0]!.expected).toBe('no IPsec encryption');
    const legacy = await run(ciliumCluster({ ...base, bandwidthManager: true, extraValues: { bpf: { hostLegacyRouting: true } } }).app);
    expect(of(legacy.findings, 'NET-CIL15')[0]!.expected).toBe('bpf.hostLegacyRouting unset');
  });

  it('accepts BBR limited to the host namespace (legacy routing allowed there)', async () => {
    const o = await run(ciliumCluster({ bbr: true, bandwidthManager: true, extraValues: { bandwidthManager: { bbrHostNamespaceOnly: true } } }).app);
    expectCompliant(o, 'NET-CIL15');
  });
});

describe('NET-CIL16 L2-announced gateways use externalTrafficPolicy Cluster', () => {
  /** A gateway served by an L2 pool (its infrastructure labels select it into the pool's policy). */
  const announcedGateway = (labels?: Record<string, string>) => (c: ReturnType<typeof ciliumCluster>) => {
    const pool = new L2Pool(c.cluster, 'Lan', { blocks: [AddressBlock.range('192.168.1.240', '192.168.1.250')] });
    const gw = new Component(c.cluster, 'Gw', { layer: Layer.NETWORKING, folder: 'gw' });
    new Gateway(gw, 'Resource', {
      metadata: { name: 'gw', namespace: 'gateway' },
      spec: {
        gatewayClassName: 'cilium',
        addresses: [{ type: 'IPAddress', value: pool.allocate('gateway/gw') }],
        infrastructure: { labels: labels ?? { ...pool.selectorLabels } },
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
      },
    });
  };
  const gw = (policy: 'Local' | 'Cluster') => ({ kubeProxyReplacement: true, gatewayApi: { enableAlpn: true, externalTrafficPolicy: policy } });

  it('fails when the pinned chart has the L2 local-backend gate (1.20.2 and later)', async () => {
    const c = ciliumCluster({ ...gw('Local'), extraValues: {} });
    (c.cilium as { chartVersion: string }).chartVersion = '1.20.2';
    announcedGateway()(c);
    const o = await run(c.app);
    const f = of(o.findings, 'NET-CIL16');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ level: 'error', value: { 'gatewayAPI.externalTrafficPolicy': 'Local', chartVersion: '1.20.2' } });
    expect(f[0]!.message).toMatch(/Gateway gateway\/gw \(lan\).*Cilium 1\.20\.2 announces Local services only from nodes with a local backend/);
    expect(o.ok).toBe(false);
  });

  it('warns on an earlier patch: the next bump silences the gateway addresses', async () => {
    const c = ciliumCluster(gw('Local'));
    announcedGateway()(c);
    const o = await run(c.app);
    const f = of(o.findings, 'NET-CIL16');
    expect(f.map((x) => x.level)).toEqual(['warning']);
    expect(f[0]!.message).toMatch(/from Cilium 1\.20\.2 \(pinned 1\.20\.0\) no node would answer ARP/);
    expect(f[0]!.fix).toMatch(/externalTrafficPolicy: 'Cluster'/);
  });

  it('passes when compliant: Cluster, or a gateway no L2 policy announces', async () => {
    const cluster = ciliumCluster(gw('Cluster'));
    announcedGateway()(cluster);
    expectCompliant(await run(cluster.app), 'NET-CIL16');
    const unannounced = ciliumCluster(gw('Local'));
    announcedGateway({ other: 'pool' })(unannounced);
    expectCompliant(await run(unannounced.app), 'NET-CIL16', { otherErrors: ['NET-L2P12'] });
  });

  it('passes when acknowledged', async () => {
    const c = ciliumCluster(gw('Local'));
    announcedGateway()(c);
    Acknowledgements.of(c.cilium).add('NET-CIL16', 'pinned below 1.20.2 until the gateways move to Cluster');
    const o = await run(c.app);
    expectCompliant(o, 'NET-CIL16');
    expect(o.result?.clusters[0]!.acknowledged.some((f) => f.ruleId === 'NET-CIL16')).toBe(true);
  });
});

describe('NET-CIL18 k8sServiceHost and k8sServiceHostRef are not both set', () => {
  const ref = { k8sServiceHostRef: { name: 'api-endpoint', key: 'host' } };
  threeCases('NET-CIL18', { props: { extraValues: ref } }, { props: {} }, /k8sServiceHost and k8sServiceHostRef are both set; the chart refuses to render/, {
    k8sServiceHost: '192.168.1.10',
    k8sServiceHostRef: { name: 'api-endpoint', key: 'host' },
  });

  it('names both values and the choice in the finding', async () => {
    const o = await run(ciliumCluster({ extraValues: ref }).app);
    const [f] = of(o.findings, 'NET-CIL18');
    expect(f).toMatchObject({ level: 'error', path: 'test/Cilium', expected: 'either k8sServiceHost or k8sServiceHostRef (name and key), not both' });
    expect(f!.fix).toMatch(/Remove k8sServiceHostRef from extraValues/);
  });

  it('accepts the ref alone, once k8sServiceHost is cleared (NET-CIL1 then asks for an acknowledgement)', async () => {
    const o = await run(ciliumCluster({ extraValues: { ...ref, k8sServiceHost: null } }).app);
    expectCompliant(o, 'NET-CIL18', { otherErrors: ['NET-CIL1'] });
    expect(of(o.findings, 'NET-CIL1').length).toBeGreaterThan(0);
  });

  it('warns (does not fail) on a ref with a name but no key: the chart ignores it', async () => {
    const o = await run(ciliumCluster({ extraValues: { k8sServiceHostRef: { name: 'api-endpoint' } } }).app);
    const found = of(o.findings, 'NET-CIL18');
    expect(found.map((f) => f.level)).toEqual(['warning']);
    expect(found[0]!.message).toMatch(/has a name but no key: the chart ignores it/);
    expect(o.ok).toBe(true);
  });

  it('passes with an empty ref (the chart default: name and key null)', async () => {
    const o = await run(ciliumCluster({ extraValues: { k8sServiceHostRef: { name: null, key: null } } }).app);
    expectCompliant(o, 'NET-CIL18');
  });
});

describe('NET-CIL19 k8sServiceHost serves the API server', () => {
  const lb: Partial<ClusterProps> = { externalLoadBalancer: { address: '192.168.0.45', hostAddress: '192.168.0.46' } };
  threeCases(
    'NET-CIL19',
    { props: { k8sServiceHost: '192.168.1.21' } },
    { props: { k8sServiceHost: '192.168.1.11' } },
    /k8sServiceHost is the address of worker node w1, which runs no API server/,
    '192.168.1.21',
  );

  it('lists the expected addresses with their port for a typo', async () => {
    const o = await run(ciliumCluster({ k8sServiceHost: '192.168.1.100' }, lb).app);
    const [f] = of(o.findings, 'NET-CIL19');
    expect(f).toMatchObject({ level: 'error', value: '192.168.1.100' });
    expect(f!.message).toMatch(/is not an address that serves the API server/);
    expect(f!.expected).toBe(
      "one of 192.168.1.10:6443 (the Cluster's apiEndpoint (vip)), 192.168.1.11:6443 (control-plane node cp1), 192.168.0.45:6443 (the external load balancer)",
    );
  });

  it("accepts the apiEndpoint, a control-plane node and the load balancer's VIP, but not the load balancer host", async () => {
    for (const host of ['192.168.1.10', '192.168.1.11', '192.168.0.45']) {
      expect(of((await run(ciliumCluster({ k8sServiceHost: host }, lb).app)).findings, 'NET-CIL19'), host).toEqual([]);
    }
    const f = of((await run(ciliumCluster({ k8sServiceHost: '192.168.0.46' }, lb).app)).findings, 'NET-CIL19');
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/external load balancer host's own address/)]);
  });

  it('leaves host names, localhost and loopback addresses to NET-CIL1, which reports each of them', async () => {
    for (const host of ['api.example.lan', 'localhost', '127.0.0.1', '127.3.4.5', '::1', '0:0:0:0:0:0:0:1']) {
      const findings = (await run(ciliumCluster({ k8sServiceHost: host, k8sServicePort: 7445 }).app)).findings;
      expect(of(findings, 'NET-CIL19'), host).toEqual([]);
      // one rule speaks for each host: the two share what counts as loopback, so none falls between them
      expect(of(findings, 'NET-CIL1'), host).toHaveLength(1);
    }
  });

  it('refuses KubePrism port 7445 outside Talos', async () => {
    const o = await run(ciliumCluster({ k8sServicePort: 7445 }).app);
    const [f] = of(o.findings, 'NET-CIL19');
    expect(f).toMatchObject({ level: 'error', value: 7445, expected: '6443 (the API port of 192.168.1.10)' });
    expect(f!.message).toMatch(/Talos KubePrism's port, but k3s has no KubePrism/);
  });

  it('refuses port 7445 with an IP address on Talos too: KubePrism listens on localhost only', async () => {
    const o = await run(ciliumCluster({ k8sServiceHost: '192.168.1.10', k8sServicePort: 7445 }, talos).app);
    const [f] = of(o.findings, 'NET-CIL19');
    expect(f!.message).toMatch(/KubePrism listens on each node's localhost only, not on the Cluster's apiEndpoint/);
    expect(f!.expected).toBe('6443 (the API port of 192.168.1.10), or k8sServiceHost localhost with port 7445');
    const ok = await run(ciliumCluster({ k8sServiceHost: '192.168.1.11', k8sServicePort: 6443 }, talos).app);
    expectCompliant(ok, 'NET-CIL19');
  });

  it('expects the apiEndpoint port at the endpoint, and lets a control-plane node behind a VIP keep its own 6443', async () => {
    const api8443: Partial<ClusterProps> = { apiEndpoint: ApiEndpoint.node('192.168.1.11', 8443) };
    expectCompliant(await run(ciliumCluster({}, api8443).app), 'NET-CIL19');
    const wrong = of((await run(ciliumCluster({ k8sServicePort: 6443 }, api8443).app)).findings, 'NET-CIL19');
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatchObject({ value: 6443, expected: "8443 (the API port of the Cluster's apiEndpoint (node))" });
    expect(wrong[0]!.message).toMatch(/k8sServicePort is not the port the Cluster's apiEndpoint \(node\) serves the API server on/);
    // a load balancer VIP on 443 in front of nodes serving on 6443: a node on 6443 is right, the VIP on 6443 is not
    const vip443: Partial<ClusterProps> = { apiEndpoint: ApiEndpoint.vip('192.168.1.10', 443) };
    expectCompliant(await run(ciliumCluster({ k8sServiceHost: '192.168.1.11', k8sServicePort: 6443 }, vip443).app), 'NET-CIL19', {
      otherErrors: ['NET-NODE1'],
    });
    const vipWrong = of((await run(ciliumCluster({ k8sServiceHost: '192.168.1.10', k8sServicePort: 6443 }, vip443).app)).findings, 'NET-CIL19');
    expect(vipWrong.map((f) => f.expected)).toEqual(["443 (the API port of the Cluster's apiEndpoint (vip))"]);
  });

  it('names localhost:7445 first among the expected addresses on Talos', async () => {
    const [f] = of((await run(ciliumCluster({ k8sServiceHost: '192.168.1.100' }, { distribution: Distribution.TALOS }).app)).findings, 'NET-CIL19');
    expect(f!.expected).toMatch(/^one of localhost:7445 \(KubePrism, what CiliumRelease renders on Talos\), /);
  });
});

describe('NET-CIL20 cluster-pool IPAM allocates from the Cluster pod CIDR', () => {
  const pool = (list: unknown, props: Partial<CiliumReleaseProps> = {}) => ({
    ...props,
    extraValues: { ipam: { operator: { clusterPoolIPv4PodCIDRList: list } } },
  });

  threeCases(
    'NET-CIL20',
    { props: pool(['10.0.0.0/8']) },
    { props: {}, cluster: { podCidr: '10.60.0.0/16' } },
    /allocates pod addresses from 10\.0\.0\.0\/8, not from the Cluster's pod CIDR 10\.42\.0\.0\/16.*10\.0\.0\.0\/8 overlaps the service CIDR 10\.43\.0\.0\/16/,
    ['10.0.0.0/8'],
  );

  it('takes the pod CIDR split into CIDRs that cover it exactly, and nothing short of or beyond it', async () => {
    const ids20 = async (list: string[]) => of((await run(ciliumCluster(pool(list)).app)).findings, 'NET-CIL20').length;
    expect(await ids20(['10.42.0.0/17', '10.42.128.0/17'])).toBe(0);
    expect(await ids20(['10.42.0.0/17'])).toBe(1); // half of it
    expect(await ids20(['10.42.0.0/17', '10.42.0.0/17'])).toBe(1); // the same half twice
    expect(await ids20(['10.42.0.0/17', '10.42.128.0/17', '10.43.0.0/24'])).toBe(1); // and beyond
  });

  it('fails when the list is removed (the chart default 10.0.0.0/8 applies) or empty (the operator has no pool)', async () => {
    // A null value is not rendered, so the chart default reaches Helm.
    const removed = of((await run(ciliumCluster(pool(null)).app)).findings, 'NET-CIL20');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ level: 'error', value: ['10.0.0.0/8'], expected: '["10.42.0.0/16"] (the Cluster\'s podCidr)' });
    expect(removed[0]!.message).toMatch(/10\.0\.0\.0\/8 \(the chart default: ipam\.operator\.clusterPoolIPv4PodCIDRList is not rendered\)/);
    const empty = of((await run(ciliumCluster(pool([])).app)).findings, 'NET-CIL20');
    expect(empty).toHaveLength(1);
    expect(empty[0]).toMatchObject({ value: [] });
    expect(empty[0]!.message).toMatch(/no IPv4 pod CIDR to allocate from \(.*is empty\): cilium-operator refuses to start/);
  });

  it('fails when cluster-pool is forced over kubernetes IPAM: the chart default 10.0.0.0/8 applies', async () => {
    for (const mode of ['cluster-pool', '']) {
      const o = await run(ciliumCluster({ ipamMode: IpamMode.KUBERNETES, extraValues: { ipam: { mode } } }).app);
      const f = of(o.findings, 'NET-CIL20');
      expect(
        f.map((x) => x.value),
        JSON.stringify(mode),
      ).toEqual([['10.0.0.0/8']]);
      expect(f[0]!.message).toMatch(/10\.0\.0\.0\/8 \(the chart default: ipam\.operator\.clusterPoolIPv4PodCIDRList is not rendered\)/);
    }
  });

  it('names an overlap with the node subnet, a pool grown by a second CIDR, and an entry that is no CIDR', async () => {
    const lan = of((await run(ciliumCluster(pool(['192.168.0.0/16'])).app)).findings, 'NET-CIL20');
    expect(lan[0]!.message).toMatch(/192\.168\.0\.0\/16 overlaps the node subnet 192\.168\.1\.0\/24/);
    expect(lan[0]!.message).not.toMatch(/service CIDR/);
    const grown = of((await run(ciliumCluster(pool(['10.42.0.0/16', '10.44.0.0/16'])).app)).findings, 'NET-CIL20');
    expect(grown[0]!.message).toMatch(/from 10\.42\.0\.0\/16, 10\.44\.0\.0\/16, not from/);
    const junk = of((await run(ciliumCluster(pool('10.42.0.0')).app)).findings, 'NET-CIL20');
    expect(junk[0]!.message).toMatch(/"10\.42\.0\.0" is not a CIDR/);
  });

  it('accepts the pod CIDR written as the single string the schema allows', async () => {
    expectCompliant(await run(ciliumCluster(pool('10.42.0.0/16')).app), 'NET-CIL20');
  });

  it('says nothing under kubernetes IPAM: the nodes get their pod CIDRs from the cluster-cidr', async () => {
    const o = await run(ciliumCluster(pool(['10.0.0.0/8'], { ipamMode: IpamMode.KUBERNETES })).app);
    expectCompliant(o, 'NET-CIL20');
  });
});

describe('NET-CIL21 native routing installs routes between nodes', () => {
  threeCases(
    'NET-CIL21',
    { props: { routing: Routing.native({ autoDirectNodeRoutes: false }) } },
    { props: { routing: Routing.native() } },
    /routingMode is native but autoDirectNodeRoutes is false and the BGP control plane is off: .*pod traffic between nodes goes to the default gateway/,
    { autoDirectNodeRoutes: false, 'bgpControlPlane.enabled': null },
  );

  it('is silent where the cloud network routes the pod addresses (ENI, Azure, Alibaba Cloud IPAM, GKE)', async () => {
    const off = Routing.native({ autoDirectNodeRoutes: false });
    for (const extraValues of [{ eni: { enabled: true } }, { ipam: { mode: 'azure' } }, { ipam: { mode: 'alibabacloud' } }, { gke: { enabled: true } }]) {
      expect(of((await run(ciliumCluster({ routing: off, extraValues }).app)).findings, 'NET-CIL21'), JSON.stringify(extraValues)).toEqual([]);
    }
  });

  it('fails when extraValues removes or disables it: the chart default is false', async () => {
    const removed = of((await run(ciliumCluster({ routing: Routing.native(), extraValues: { autoDirectNodeRoutes: null } }).app)).findings, 'NET-CIL21');
    expect(removed[0]!.message).toMatch(/autoDirectNodeRoutes is not set \(the chart default is false\)/);
    const text = of((await run(ciliumCluster({ routing: Routing.native(), extraValues: { autoDirectNodeRoutes: 'false' } }).app)).findings, 'NET-CIL21');
    expect(text[0]!.value).toEqual({ autoDirectNodeRoutes: 'false', 'bgpControlPlane.enabled': null });
  });

  it('names the router, and both ways out', async () => {
    const f = of((await run(ciliumCluster({ routing: Routing.native({ autoDirectNodeRoutes: false }) }, { router: '192.168.1.1' }).app)).findings, 'NET-CIL21');
    expect(f[0]!.message).toMatch(/goes to the default gateway 192\.168\.1\.1/);
    expect(f[0]!.expected).toMatch(/autoDirectNodeRoutes: true \(the nodes share 192\.168\.1\.0\/24\)/);
    expect(f[0]!.fix).toMatch(/Routing\.native\(\).*acknowledge NET-CIL21 on the CiliumRelease/);
  });

  it('passes when BGP announces the pod CIDRs, under tunnel routing, on a single node, and with the string "true"', async () => {
    const off = { routing: Routing.native({ autoDirectNodeRoutes: false }) };
    expectCompliant(await run(ciliumCluster({ ...off, extraValues: { bgpControlPlane: { enabled: true } } }).app), 'NET-CIL21');
    expectCompliant(await run(ciliumCluster({ extraValues: { autoDirectNodeRoutes: false } }).app), 'NET-CIL21');
    const single = { nodes: [{ name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] }] };
    expectCompliant(await run(ciliumCluster(off, single).app), 'NET-CIL21');
    expectCompliant(await run(ciliumCluster({ routing: Routing.native(), extraValues: { autoDirectNodeRoutes: 'true' } }).app), 'NET-CIL21');
  });
});
