import type { RenderedObject } from '../rule.js';
import { defineRule } from '../rule.js';
import { gatewayApiBundles } from './GatewayApiCrdsMatch.js';

/** Compare `vA.B.C` tags numerically; undefined when either is not such a tag. */
function compareTags(a: unknown, b: unknown): number | undefined {
  const parse = (t: unknown) => (typeof t === 'string' ? /^v?(\d+)\.(\d+)\.(\d+)/.exec(t)?.slice(1).map(Number) : undefined);
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Gateway API from v1.5.0 installs the safe-upgrades ValidatingAdmissionPolicy. */
const WITH_SAFE_UPGRADES = 'v1.5.0';

/**
 * NET-CIL17: the Gateway API CRDs never move in a direction the installed bundle refuses.
 *
 * From v1.5 the standard bundle carries the `safe-upgrades.gateway.networking.k8s.io` ValidatingAdmissionPolicy: it
 * refuses experimental-channel CRDs once standard ones are installed, and any downgrade below v1.5. A tree that asks for
 * either fails its CRDs sync on a live cluster, and Cilium's gateways stall with it.
 */
export const GatewayApiCrdsUpgradeSafe = defineRule({
  id: 'NET-CIL17',
  level: 'error',
  title: 'Gateway API CRDs only move forward, and never from standard to experimental once v1.5+ is installed',
  lesson:
    'Gateway API v1.5 introduced the safe-upgrades ValidatingAdmissionPolicy: with standard CRDs of v1.5 or later in the ' +
    "cluster, installing experimental CRDs or CRDs older than v1.5 is refused. Moving a cluster's Cilium back a minor, or " +
    'adding a route kind that only the experimental channel serves, would leave the CRD sync failing on every reconcile.',
  source:
    'https://github.com/kubernetes-sigs/gateway-api/releases/tag/v1.5.0 (Upgrades and ValidatingAdmissionPolicy); https://gateway-api.sigs.k8s.io/guides/crd-management',
  fix:
    'Keep the Gateway API version and channel the cluster has; if the move is really intended, delete the ' +
    'safe-upgrades.gateway.networking.k8s.io ValidatingAdmissionPolicy first and acknowledge NET-CIL17 with that plan.',
  *check(ctx) {
    if (!ctx.previous) return;
    const previousObjects = ['GitRepository', 'Kustomization', 'Application'].flatMap((kind) =>
      ctx.previous!.ofKind(kind).map((o): RenderedObject => ({
        path: o.file,
        file: o.file,
        apiVersion: o.json.apiVersion,
        kind: o.json.kind,
        name: o.json.metadata?.name,
        json: o.json as RenderedObject['json'],
      })),
    );
    const before = gatewayApiBundles(previousObjects)[0];
    const after = gatewayApiBundles(ctx.objects)[0];
    if (!before || !after) return;
    const guarded = (compareTags(before.tag, WITH_SAFE_UPGRADES) ?? -1) >= 0;
    const order = compareTags(after.tag, before.tag);
    if (order !== undefined && order < 0) {
      const refused = guarded && (compareTags(after.tag, WITH_SAFE_UPGRADES) ?? 0) < 0;
      yield {
        at: after.object.path,
        level: refused ? 'error' : 'warning',
        message: `the Gateway API CRDs move back from ${String(before.tag)} to ${String(after.tag)}${refused ? '; the installed safe-upgrades policy refuses a downgrade below v1.5' : ''}`,
        value: { before: before.tag, after: after.tag },
        expected: `${String(before.tag)} or later`,
      };
    }
    if (guarded && before.channel === 'standard' && after.channel === 'experimental') {
      yield {
        at: after.object.path,
        message: `the Gateway API CRDs switch from the standard to the experimental channel over ${String(before.tag)}; the installed safe-upgrades policy refuses experimental CRDs once standard ones are installed`,
        value: { before: before.channel, after: after.channel },
        expected: 'the standard channel',
      };
    }
  },
});
