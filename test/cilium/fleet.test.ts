import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { CILIUM_VERSIONS, CiliumRelease, Cluster, ciliumChartKeys } from '../../constructs/index.js';
import { run, tempDir } from '../helpers.js';
import { cil, releaseObject, renderedValues } from './fixtures.js';

describe('the example fleet', async () => {
  const app = buildFleet(new App({ outdir: tempDir() }));
  const outcome = await run(app);

  it('synthesizes without cilium findings', () => {
    expect(cil(outcome.findings)).toEqual([]);
    expect(outcome.ok).toBe(true);
  });

  it.each(['homelab', 'talos', 'oceanid'])('%s: the rendered values pass checkCiliumValues for its pinned chart', (name) => {
    const cluster = app.node.findChild(name) as Cluster;
    const cilium = CiliumRelease.of(cluster)!;
    expect(ciliumChartKeys.checkCiliumValues(cilium.chartVersion as ciliumChartKeys.CiliumChartVersion, renderedValues(outcome, name))).toEqual([]);
  });

  it('homelab (seed 001): 1.19, VXLAN beside kube-proxy, API by the VIP, no gateway', () => {
    const v = renderedValues(outcome, 'homelab');
    expect(releaseObject(outcome, 'homelab').spec.chart.spec.version).toBe(CILIUM_VERSIONS['1.19']);
    expect(v).toMatchObject({
      routingMode: 'tunnel',
      tunnelProtocol: 'vxlan',
      kubeProxyReplacement: false,
      k8sServiceHost: '192.168.55.10',
      k8sServicePort: 6443,
    });
    expect(v).not.toHaveProperty('gatewayAPI');
  });

  it('talos (seed 002): 1.20 with KPR, L2, gateway with ALPN and Cluster (NET-CIL16), Talos settings, Hubble, conntrack flags', () => {
    const v = renderedValues(outcome, 'talos');
    expect(releaseObject(outcome, 'talos').spec.sources[0].targetRevision).toBe(CILIUM_VERSIONS['1.20']);
    expect(v).toMatchObject({
      k8sServiceHost: 'localhost',
      k8sServicePort: 7445,
      kubeProxyReplacement: true,
      l2announcements: { enabled: true },
      gatewayAPI: { enabled: true, enableAlpn: true, externalTrafficPolicy: 'Cluster' },
      bandwidthManager: { enabled: true, bbr: true },
      hubble: { relay: { enabled: true }, ui: { enabled: true } },
      extraConfig: { 'bpf-ct-timeout-regular-tcp': '21600s', 'bpf-ct-timeout-regular-any': '3600s' },
    });
    expect(v.gatewayAPI).not.toHaveProperty('sessionAffinity');
    expect(v.bpf).not.toHaveProperty('ctTcpTimeout');
  });

  it('oceanid (seeds 003/004): 1.20 from OCI, device MTU 1400, pods 1350 under VXLAN', () => {
    const cilium = CiliumRelease.of(app.node.findChild('oceanid') as Cluster)!;
    expect(releaseObject(outcome, 'oceanid').spec.chartRef.kind).toBe('OCIRepository');
    expect(renderedValues(outcome, 'oceanid').MTU).toBe(1400);
    expect(cilium.podMtu).toBe(1350);
  });
});
