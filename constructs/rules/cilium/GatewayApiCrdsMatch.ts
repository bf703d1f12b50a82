import { CILIUM_MINOR_LIST, CILIUM_MINORS, ciliumMinor } from '../../cilium/minors.js';
import { GATEWAY_API_REPOSITORY } from '../../core/versions.js';
import { isGatewayApiVersion } from '../../gateway/api-group.js';
import { defineRule, type RenderedObject } from '../rule.js';
import { at, renderedCilium } from './model.js';

/** One Gateway API CRD bundle the tree installs. */
export interface CrdBundle {
  readonly object: RenderedObject;
  readonly tag: unknown;
  /** The release channel, from the bundle's path (config/crd/<channel>). */
  readonly channel: string | undefined;
}

function channelOf(path: unknown): string | undefined {
  return typeof path === 'string' ? /config\/crd\/([a-z]+)/.exec(path)?.[1] : undefined;
}

function isGatewayApiRepo(url: unknown): boolean {
  return typeof url === 'string' && url.replace(/\.git$/, '').replace(/\/$/, '') === GATEWAY_API_REPOSITORY;
}

/** The Gateway API CRD bundles the tree installs (Flux GitRepository + Kustomization, or Argo CD Application). */
export function gatewayApiBundles(objects: readonly RenderedObject[]): CrdBundle[] {
  const out: CrdBundle[] = [];
  for (const o of objects) {
    if (o.kind === 'GitRepository' && isGatewayApiRepo(o.json.spec?.url)) {
      const k = objects.find((x) => x.kind === 'Kustomization' && x.json.spec?.sourceRef?.kind === 'GitRepository' && x.json.spec?.sourceRef?.name === o.name);
      out.push({ object: k ?? o, tag: o.json.spec?.ref?.tag, channel: channelOf(k?.json.spec?.path) });
    } else if (o.kind === 'Application' && isGatewayApiRepo(o.json.spec?.source?.repoURL)) {
      out.push({ object: o, tag: o.json.spec.source.targetRevision, channel: channelOf(o.json.spec.source.path) });
    }
  }
  return out;
}

/** NET-CIL10: the tree installs the Gateway API CRDs Cilium implements, once, in the CRDS layer (the channel is NET-GW7's). */
export const GatewayApiCrdsMatch = defineRule({
  id: 'NET-CIL10',
  level: 'error',
  title: 'The Gateway API CRDs match the Cilium version and are applied before Cilium',
  lesson:
    'The Cilium chart does not install the Gateway API CRDs, and each Cilium minor implements one Gateway API release ' +
    `(${CILIUM_MINOR_LIST.map((m) => `${m} → ${CILIUM_MINORS[m].gatewayApi.version}`).join(', ')}). ` +
    "Cilium 1.19.1's operator crashed on the v1.5 CRDs (cilium#44920); " +
    'CRDs that arrive after Cilium leave its gateway controller disabled until a restart.',
  source: 'cilium#44920; https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/#prerequisites',
  fix: 'Let CiliumRelease install the CRDs (gatewayApi option); remove any other Gateway API CRD source.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r) return;
    const expectedTag = ciliumMinor(r.release.minor)?.gatewayApi.version;
    const found = gatewayApiBundles(ctx.objects);
    const enabled = at(r.values, 'gatewayAPI.enabled') === true;
    const routes = ctx.objects.filter((o) => isGatewayApiVersion(o.apiVersion));
    if (!found.length) {
      if (enabled || routes.length) {
        yield {
          at: r.release,
          message: `${enabled ? 'the Gateway API is enabled' : `the tree renders Gateway API objects (${routes[0]!.kind} ${routes[0]!.name})`} but no Gateway API CRDs are installed`,
          value: null,
          expected: `the Gateway API ${expectedTag} CRDs in the crds layer`,
          fix: 'Pass gatewayApi: {...} to the CiliumRelease (or call enableGatewayApi()): it installs the matching CRDs.',
        };
      }
      return;
    }
    for (const b of found) {
      if (b.tag !== expectedTag) {
        yield {
          at: b.object.path,
          message: `the Gateway API CRDs are at ${String(b.tag)}, but Cilium ${r.release.minor} implements ${expectedTag}`,
          value: b.tag,
          expected: expectedTag,
        };
      }
      if (!b.object.file.startsWith('crds/')) {
        yield {
          at: b.object.path,
          message: 'the Gateway API CRDs are not applied in the crds layer, before Cilium',
          value: b.object.file,
          expected: 'a file under crds/',
        };
      }
      // Whether the channel serves every route rendered is NET-GW7's to judge.
    }
    if (found.length > 1) {
      yield {
        at: found[1]!.object.path,
        message: 'the Gateway API CRDs are installed more than once',
        value: found.map((b) => b.object.file),
        expected: 'one bundle',
      };
    }
  },
});
