/**
 * The tables of what each step makes available, held to the upstream CRD files in ../shared/upstream/crds (the copies
 * hold the CRDs the project renders, so each table must contain every kind of its upstream folder).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { GatewayApiChannel } from '../../constructs/index.js';
import {
  ARGOCD_KINDS,
  CHART_CRDS,
  CILIUM_OPERATOR_KINDS,
  CILIUM_REQUIRED_GATEWAY_KINDS,
  FLUX_KINDS,
  GATEWAY_API_BUNDLE_KINDS,
  crdName,
  isBuiltIn,
  kindKey,
  type ApiKind,
} from '../../constructs/bootstrap/kinds.js';
import { GATEWAY_API_VERSIONS } from '../../constructs/core/versions.js';
import { upstreamPath } from '../helpers.js';

// ../shared/upstream/crds beside the project: required in CI, a loud skip elsewhere
const CRDS_DIR = upstreamPath('upstream', 'crds');
const HAVE = CRDS_DIR !== undefined;
const CRDS = CRDS_DIR ?? '';

/** Every CRD under a folder of the upstream copies: its kind and its metadata.name. */
function upstreamCrds(dir: string): { kind: ApiKind; name: string }[] {
  const out: { kind: ApiKind; name: string }[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(f)) {
        for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) {
          const crd = doc.toJSON();
          if (crd?.kind === 'CustomResourceDefinition') out.push({ kind: { group: crd.spec.group, kind: crd.spec.names.kind }, name: crd.metadata.name });
        }
      }
    }
  };
  walk(join(CRDS, dir));
  return out;
}

const keys = (kinds: readonly ApiKind[]) => kinds.map(kindKey).sort();

describe.skipIf(!HAVE)('what each step makes available, against the upstream CRDs', () => {
  it.each(Object.values(GATEWAY_API_VERSIONS))('the Gateway API %s bundle holds exactly the CRDs of config/crd/<channel> at the tag', (tag) => {
    for (const channel of [GatewayApiChannel.STANDARD, GatewayApiChannel.EXPERIMENTAL]) {
      const upstream = upstreamCrds(join('gateway-api', tag, channel));
      expect(upstream.length, `${tag}/${channel}`).toBeGreaterThan(4);
      expect(keys(GATEWAY_API_BUNDLE_KINDS[tag]![channel]), `${tag}/${channel}`).toEqual(keys(upstream.map((u) => u.kind)));
    }
  });

  it("every bundle holds the kinds Cilium's operator requires at start", () => {
    for (const tag of Object.values(GATEWAY_API_VERSIONS)) {
      for (const channel of [GatewayApiChannel.STANDARD, GatewayApiChannel.EXPERIMENTAL]) {
        expect(keys(GATEWAY_API_BUNDLE_KINDS[tag]![channel])).toEqual(expect.arrayContaining(keys(CILIUM_REQUIRED_GATEWAY_KINDS)));
      }
    }
  });

  it.each([
    ['cilium', CILIUM_OPERATOR_KINDS],
    ['cert-manager', CHART_CRDS['cert-manager']!.kinds],
    ['cloudnative-pg', CHART_CRDS['cloudnative-pg']!.kinds],
    ['external-secrets', CHART_CRDS['external-secrets']!.kinds],
    ['flux', FLUX_KINDS],
    ['argo-cd', ARGOCD_KINDS],
  ] as const)('%s: the table holds every upstream CRD of the main group, and names each CRD as upstream does', (dir, table) => {
    const upstream = upstreamCrds(dir).filter((u) => !u.kind.group.startsWith('generators.'));
    expect(upstream.length).toBeGreaterThan(0);
    expect(keys(table)).toEqual(expect.arrayContaining(keys(upstream.map((u) => u.kind))));
    for (const u of upstream) expect(crdName(u.kind), kindKey(u.kind)).toBe(u.name);
  });

  it('names the Gateway API CRDs as upstream does (the script waits for them by name)', () => {
    for (const u of upstreamCrds('gateway-api')) expect(crdName(u.kind), kindKey(u.kind)).toBe(u.name);
  });
});

describe('kinds', () => {
  it('knows the kinds the API server serves itself, and no CRD-backed group', () => {
    expect(isBuiltIn({ group: '', kind: 'Service' })).toBe(true);
    expect(isBuiltIn({ group: 'networking.k8s.io', kind: 'NetworkPolicy' })).toBe(true);
    expect(isBuiltIn({ group: 'gateway.networking.k8s.io', kind: 'Gateway' })).toBe(false);
    expect(isBuiltIn({ group: 'cilium.io', kind: 'CiliumNetworkPolicy' })).toBe(false);
  });

  it('installs chart CRDs only with the values that say so', () => {
    expect(CHART_CRDS['cert-manager']!.installs({ crds: { enabled: true } })).toBe(true);
    expect(CHART_CRDS['cert-manager']!.installs({ installCRDs: true })).toBe(true);
    expect(CHART_CRDS['cert-manager']!.installs({})).toBe(false);
    expect(CHART_CRDS['cloudnative-pg']!.installs({})).toBe(true);
    expect(CHART_CRDS['cloudnative-pg']!.installs({ crds: { create: false } })).toBe(false);
  });
});
