import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  checkRegistryMirrorInput,
  DEFAULT_MIRRORED_REGISTRIES,
  type RegistryMirrorInput,
  renderK3sRegistries,
  renderTalosRegistryPatch,
} from '../../constructs/edge/index.js';

/** Seed 004's oceanid: one registry:2 pull-through proxy per upstream on the private network. */
const endpoints: Record<string, string> = {
  'docker.io': 'http://10.27.27.5:5000',
  'ghcr.io': 'http://10.27.27.5:5001',
  'quay.io': 'http://10.27.27.5:5002',
  'registry.k8s.io': 'http://10.27.27.5:5003',
};
const oceanid: RegistryMirrorInput = { clusterName: 'oceanid', endpoint: endpoints };

describe('renderK3sRegistries', () => {
  it('mirrors every default registry to its cache, and only that (upstream is the implicit fallback)', () => {
    const doc = parse(renderK3sRegistries(oceanid));
    expect(Object.keys(doc.mirrors).sort()).toEqual([...DEFAULT_MIRRORED_REGISTRIES].sort());
    for (const r of DEFAULT_MIRRORED_REGISTRIES) expect(doc.mirrors[r]).toEqual({ endpoint: [endpoints[r]] });
    expect(doc.configs).toBeUndefined();
  });

  it('says how the fallback works in a comment', () => {
    const text = renderK3sRegistries(oceanid);
    expect(text).toMatch(/^# .*registries\.yaml/m);
    expect(text).toMatch(/default[\s#]+endpoint is always tried last/);
    expect(text).toMatch(/--disable-default-registry-endpoint/);
  });

  it('takes a configurable list and an endpoint template', () => {
    const doc = parse(renderK3sRegistries({ registries: ['ghcr.io', 'gcr.io'], endpoint: 'https://cache.lan/v2/{registry}', insecureSkipVerify: true }));
    expect(doc.mirrors).toEqual({
      'gcr.io': { endpoint: ['https://cache.lan/v2/gcr.io'] },
      'ghcr.io': { endpoint: ['https://cache.lan/v2/ghcr.io'] },
    });
    expect(doc.configs).toEqual({ 'cache.lan': { tls: { insecure_skip_verify: true } } });
  });
});

describe('renderTalosRegistryPatch', () => {
  it('renders machine.registries.mirrors without overridePath for host:port endpoints', () => {
    const doc = parse(renderTalosRegistryPatch(oceanid));
    for (const r of DEFAULT_MIRRORED_REGISTRIES) {
      expect(doc.machine.registries.mirrors[r]).toEqual({ endpoints: [endpoints[r]] });
    }
  });

  it('sets overridePath only for endpoints with a path', () => {
    const doc = parse(
      renderTalosRegistryPatch({
        endpoint: { 'docker.io': 'https://harbor.lan/v2/proxy-docker.io', 'ghcr.io': 'https://ghcr-cache.lan:5000/' },
        registries: ['docker.io', 'ghcr.io'],
      }),
    );
    expect(doc.machine.registries.mirrors['docker.io'].overridePath).toBe(true);
    expect(doc.machine.registries.mirrors['ghcr.io'].overridePath).toBeUndefined();
  });
});

describe('checkRegistryMirrorInput', () => {
  it('compliant: oceanid', () => expect(checkRegistryMirrorInput(oceanid)).toEqual([]));
  it('fails when a registry has no endpoint, an endpoint is malformed or points at the upstream', () => {
    const { 'quay.io': _q, ...rest } = endpoints;
    expect(checkRegistryMirrorInput({ endpoint: rest }).map((p) => p.id)).toEqual(['EDGE-REG3']);
    expect(checkRegistryMirrorInput({ endpoint: { ...endpoints, 'ghcr.io': '10.27.27.5:5001' } }).map((p) => p.id)).toEqual(['EDGE-REG4']);
    expect(checkRegistryMirrorInput({ endpoint: { ...endpoints, 'ghcr.io': 'https://ghcr.io' } }).map((p) => p.id)).toEqual(['EDGE-REG5']);
    expect(() => renderK3sRegistries({ endpoint: rest })).toThrow(/EDGE-REG3 registry quay\.io has no cache endpoint/);
  });
});
