/**
 * Gateway API defaults of CiliumRelease: ALPN is on unless switched off (the chart's own default is off).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers.js';
import { ciliumCluster, renderedValues } from './fixtures.js';

describe('CiliumRelease Gateway API defaults', () => {
  it('offers h2 and http/1.1 by ALPN when the Gateway API is enabled without saying so', async () => {
    const { app, cilium } = ciliumCluster({ kubeProxyReplacement: true, gatewayApi: {} });
    expect(cilium.gatewayApi.enableAlpn).toBe(true);
    expect(renderedValues(await run(app)).gatewayAPI).toMatchObject({ enabled: true, enableAlpn: true });
  });

  it('renders ALPN off only when asked', async () => {
    const { app } = ciliumCluster({ kubeProxyReplacement: true, gatewayApi: { enableAlpn: false } });
    expect(renderedValues(await run(app)).gatewayAPI.enableAlpn).toBe(false);
  });

  it('renders no gatewayAPI values while the Gateway API is off', async () => {
    const { app } = ciliumCluster();
    expect(renderedValues(await run(app)).gatewayAPI).toBeUndefined();
  });
});
