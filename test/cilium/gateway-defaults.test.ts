/**
 * Gateway API defaults of CiliumRelease: ALPN is on unless switched off (the chart's own default is off).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers.js';
import { ciliumCluster, releaseObject } from './fixtures.js';

const valuesOf = (o: Record<string, any>) => o.spec.values ?? o.spec.source.helm.valuesObject;

describe('CiliumRelease Gateway API defaults', () => {
  it('offers h2 and http/1.1 by ALPN when the Gateway API is enabled without saying so', async () => {
    const { app, cilium } = ciliumCluster({ kubeProxyReplacement: true, gatewayApi: {} });
    expect(cilium.gatewayApi.enableAlpn).toBe(true);
    expect(valuesOf(releaseObject(await run(app))).gatewayAPI).toMatchObject({ enabled: true, enableAlpn: true });
  });

  it('renders ALPN off only when asked', async () => {
    const { app } = ciliumCluster({ kubeProxyReplacement: true, gatewayApi: { enableAlpn: false } });
    expect(valuesOf(releaseObject(await run(app))).gatewayAPI.enableAlpn).toBe(false);
  });

  it('renders no gatewayAPI values while the Gateway API is off', async () => {
    const { app } = ciliumCluster();
    expect(valuesOf(releaseObject(await run(app))).gatewayAPI).toBeUndefined();
  });
});
