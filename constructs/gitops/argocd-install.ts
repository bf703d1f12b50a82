/**
 * Argo CD configured for what the tree needs, rendered as the kustomization folder `bootstrap/argocd/`: the pinned
 * release's `manifests/install.yaml` as a remote base, in namespace `argocd`, with two ConfigMap patches.
 *
 * - `argocd-cm`: the health check of `argoproj.io/Application`. Argo CD 1.8 removed it, so without it an app-of-apps
 *   parent sees every child Application as healthy at once and its sync waves wait for nothing.
 * - `argocd-cmd-params-cm`: `server.insecure: "true"`, only when a Gateway of the tree terminates TLS in front of
 *   argocd-server (an HTTPS listener with a route to it): the gateway then speaks plain HTTP to argocd-server:80, and
 *   argocd-server without `--insecure` answers every such request with a redirect to HTTPS, forever.
 *
 * `resource.exclusions` is deliberately not patched. A ConfigMap patch replaces a data key whole, and the install's
 * argocd-cm already carries a list of exclusions (Endpoints, EndpointSlices, Leases, the authn/authz reviews,
 * CertificateSigningRequests, cert-manager CertificateRequests, and cilium.io CiliumIdentity, CiliumEndpoint and
 * CiliumEndpointSlice, in v3.5.1's `manifests/base/config/argocd-cm.yaml`): a patch that set it to the Cilium entry
 * would make Argo CD watch all of the others again.
 *
 * Each patch file is a complete ConfigMap header plus the keys it sets, so it serves both as a kustomize
 * strategic-merge patch here and as a `kubectl patch --type merge --patch-file` for an Argo CD installed otherwise.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/ingress/
 */
import { compareText } from '../core/order.js';
import { isGatewayApiVersion } from '../gateway/api-group.js';

/** The folder, relative to the cluster folder, that installs Argo CD (`kubectl apply -k` it before the root app). */
export const ARGOCD_INSTALL_DIR = 'bootstrap/argocd';

/** Where the pinned release's install manifest lives. */
export function argoCdInstallUrl(version: string): string {
  return `https://raw.githubusercontent.com/argoproj/argo-cd/${version}/manifests/install.yaml`;
}

/**
 * `resource.customizations.health.argoproj.io_Application`: an Application is as healthy as it says it is; one that
 * has not reported yet is Progressing, so a parent's next sync wave waits for it.
 */
export const APPLICATION_HEALTH_LUA = [
  '-- An Application is as healthy as its own status says; until it reports, it is still progressing.',
  'local hs = { status = "Progressing", message = "" }',
  'local health = obj.status and obj.status.health',
  'if health ~= nil and health.status ~= nil then',
  '  hs.status = health.status',
  '  if health.message ~= nil then',
  '    hs.message = health.message',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

/** The argocd-cm key of the Application health check. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/** The Services Argo CD's install creates that routes may send traffic to (argocd-server serves HTTP on 80 and 443). */
export const ARGOCD_SERVICES: readonly { readonly name: string; readonly ports: readonly number[] }[] = [{ name: 'argocd-server', ports: [80, 443] }];

/** What the install folder configures. */
export interface ArgoCdSettings {
  /** Namespace Argo CD runs in. */
  readonly namespace: string;
  /** Argo CD release tag, e.g. `v3.5.1`. */
  readonly version: string;
  /** The routes whose gateway listener terminates TLS in front of argocd-server (`namespace/name`), if any. */
  readonly tlsTerminatedBy: readonly string[];
  /**
   * Whether the tree renders a ClusterSecretStore: argocd-cm then reads its health as Healthy with the store's own
   * condition as the message, so the sync wave of the store's layer never waits for the provider to answer.
   *
   * @default false
   */
  readonly secretStore?: boolean;
  /**
   * Whether the tree renders an ExternalSecret: argocd-cm then reads one as Healthy once it wrote its Secret, even when
   * its latest refresh failed, so a store outage does not hold up the ExternalSecret's sync wave.
   *
   * @default false
   */
  readonly externalSecrets?: boolean;
}

/** The argocd-cm key of the ClusterSecretStore health check. */
export const SECRET_STORE_HEALTH_KEY = 'resource.customizations.health.external-secrets.io_ClusterSecretStore';

/**
 * A ClusterSecretStore is never Progressing or Degraded to Argo CD: whether its provider answers is said in the message
 * (and by the ExternalSecrets that read it, in their consumers' layers), never by a wave that other layers wait for
 * (seed 004: a store's health must not gate unrelated layers).
 */
export const SECRET_STORE_HEALTH_LUA = [
  '-- The store gates nothing: its readiness is reported in the message only.',
  'local hs = { status = "Healthy", message = "store not reported yet" }',
  'if obj.status ~= nil and obj.status.conditions ~= nil then',
  '  for _, c in ipairs(obj.status.conditions) do',
  '    if c.type == "Ready" then',
  '      hs.message = "Ready=" .. tostring(c.status) .. ": " .. tostring(c.message or c.reason or "")',
  '    end',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

/** The argocd-cm key of the ExternalSecret health check. */
export const EXTERNAL_SECRET_HEALTH_KEY = 'resource.customizations.health.external-secrets.io_ExternalSecret';

/**
 * An ExternalSecret is Healthy once it wrote its target Secret (status.binding or status.syncedResourceVersion), even if
 * its latest refresh failed: the Secret stays and its consumers run; the refresh error is in the message. Until the
 * first sync it is Progressing (its consumers cannot start without the Secret either), never Degraded. The same test
 * as the Flux health expression (EXTERNAL_SECRET_SYNCED_CEL).
 */
export const EXTERNAL_SECRET_HEALTH_LUA = [
  '-- Healthy once the Secret was written; a refresh that fails later (the store down) is reported in the message only.',
  'local hs = { status = "Progressing", message = "waiting for the first sync" }',
  'local st = obj.status',
  'if st == nil then',
  '  return hs',
  'end',
  'local ready = nil',
  'if st.conditions ~= nil then',
  '  for _, c in ipairs(st.conditions) do',
  '    if c.type == "Ready" then',
  '      ready = c',
  '    end',
  '  end',
  'end',
  'local bound = st.binding ~= nil and st.binding.name ~= nil and st.binding.name ~= ""',
  'local synced = st.syncedResourceVersion ~= nil and st.syncedResourceVersion ~= ""',
  'if bound or synced then',
  '  hs.status = "Healthy"',
  '  hs.message = "Secret synced"',
  '  if ready ~= nil and ready.status ~= "True" then',
  '    hs.message = "Secret synced before; latest refresh: " .. tostring(ready.message or ready.reason or "")',
  '  end',
  'elseif ready ~= nil and ready.status == "False" then',
  '  hs.message = "not synced yet: " .. tostring(ready.message or ready.reason or "")',
  'end',
  'return hs',
  '',
].join('\n');

/** A rendered object as the derivation reads it. */
interface ObjectView {
  readonly apiVersion: string;
  readonly kind: string;
  readonly json: any;
}

const ROUTES_TO_SERVER = new Set(['HTTPRoute', 'GRPCRoute']);

/**
 * The HTTP/gRPC routes (`namespace/name`) that send traffic to Service `argocd-server` in `namespace` from a Gateway
 * listener that terminates TLS (protocol HTTPS, TLS mode Terminate, the default): behind those, argocd-server receives
 * plain HTTP and needs `server.insecure`.
 */
export function routesTerminatingTlsForArgoCd(objects: readonly ObjectView[], namespace: string): string[] {
  const gateways = objects.filter((o) => isGatewayApiVersion(o.apiVersion) && o.kind === 'Gateway');
  const out = new Set<string>();
  for (const route of objects.filter((o) => isGatewayApiVersion(o.apiVersion) && ROUTES_TO_SERVER.has(o.kind))) {
    const routeNs: string = route.json.metadata?.namespace ?? 'default';
    const toServer = ((route.json.spec?.rules ?? []) as any[]).some((r) =>
      ((r?.backendRefs ?? []) as any[]).some(
        (b) => (b?.group ?? '') === '' && (b?.kind ?? 'Service') === 'Service' && b?.name === 'argocd-server' && (b?.namespace ?? routeNs) === namespace,
      ),
    );
    if (!toServer) continue;
    for (const parent of (route.json.spec?.parentRefs ?? []) as any[]) {
      if ((parent?.kind ?? 'Gateway') !== 'Gateway') continue;
      const gw = gateways.find((g) => g.json.metadata?.name === parent.name && (g.json.metadata?.namespace ?? 'default') === (parent.namespace ?? routeNs));
      const listeners = ((gw?.json.spec?.listeners ?? []) as any[]).filter(
        (l) => (parent.sectionName === undefined || l?.name === parent.sectionName) && (parent.port === undefined || l?.port === parent.port),
      );
      if (listeners.some((l) => l?.protocol === 'HTTPS' && (l?.tls?.mode ?? 'Terminate') === 'Terminate')) out.add(`${routeNs}/${route.json.metadata?.name}`);
    }
  }
  return [...out].sort(compareText);
}

/** The files of the install folder (kustomization.yaml included), by name. */
export function argoCdInstallFiles(settings: ArgoCdSettings, render: { yaml: (v: unknown) => string }): Map<string, string> {
  const ns = settings.namespace;
  const header = (what: string) => `# Rendered by cdk8s-netkit for Argo CD ${settings.version}: ${what}. Edit the cluster's constructs, not this file.\n`;
  const files = new Map<string, string>();
  const patches: Record<string, unknown>[] = [];

  files.set(`namespace-${ns}.yaml`, header('the namespace Argo CD runs in') + render.yaml({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));

  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-cm' },
    data: {
      [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA,
      ...(settings.secretStore ? { [SECRET_STORE_HEALTH_KEY]: SECRET_STORE_HEALTH_LUA } : {}),
      ...(settings.externalSecrets ? { [EXTERNAL_SECRET_HEALTH_KEY]: EXTERNAL_SECRET_HEALTH_LUA } : {}),
    },
  };
  files.set('argocd-cm.yaml', header('a patch of argocd-cm (the Application health check, so sync waves wait for child Applications)') + render.yaml(cm));
  patches.push({ path: 'argocd-cm.yaml' });

  if (settings.tlsTerminatedBy.length) {
    const params = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cmd-params-cm' },
      data: { 'server.insecure': 'true' },
    };
    files.set(
      'argocd-cmd-params-cm.yaml',
      header(`a patch of argocd-cmd-params-cm: TLS ends at the gateway for ${settings.tlsTerminatedBy.join(', ')}, so argocd-server serves plain HTTP`) +
        '# argocd-server reads server.insecure at start: after changing it, `kubectl -n argocd rollout restart deployment argocd-server`.\n' +
        render.yaml(params),
    );
    patches.push({ path: 'argocd-cmd-params-cm.yaml' });
  }

  if (ns !== 'argocd') {
    // The install's ClusterRoleBindings name their ServiceAccounts in namespace argocd; the namespace transformer
    // does not rewrite subjects (Argo CD's installation docs, "Installing Argo CD in a Custom Namespace").
    patches.push({
      patch: `- op: replace\n  path: /subjects/0/namespace\n  value: ${ns}\n`,
      target: { kind: 'ClusterRoleBinding' },
    });
  }

  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: ns,
    resources: [`namespace-${ns}.yaml`, argoCdInstallUrl(settings.version)],
    patches,
  };
  files.set(
    'kustomization.yaml',
    header('installs Argo CD (`kubectl apply --server-side --force-conflicts -k` this folder, then the root Application)') + render.yaml(kustomization),
  );
  return files;
}
