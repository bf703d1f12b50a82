/**
 * Registry mirrors for the nodes' container runtime (seed 004, phase 3): pull through a cache on the
 * private network first, upstream as fallback.
 *
 * `renderK3sRegistries` writes /etc/rancher/k3s/registries.yaml; `renderTalosRegistryPatch` writes a
 * Talos machine-config patch with `machine.registries.mirrors`.
 */
import { Document } from 'yaml';
import { byCodePoint, EdgeInputError, type EdgeProblem } from './types.js';

/** The registries mirrored when none are listed: where seed 004's pulls failed. */
export const DEFAULT_MIRRORED_REGISTRIES: readonly string[] = ['docker.io', 'ghcr.io', 'quay.io', 'registry.k8s.io'];

/** Input of the registry mirror renderers. */
export interface RegistryMirrorInput {
  /** Cluster name, used in comments only. @default 'cluster' */
  readonly clusterName?: string;
  /** Upstream registries to mirror. @default DEFAULT_MIRRORED_REGISTRIES */
  readonly registries?: readonly string[];
  /**
   * The pull-through cache endpoint of each registry.
   *
   * Either a map from registry to URL (a cache per upstream, e.g. one `registry:2` proxy per port), or one
   * URL for all, where `{registry}` is replaced by the registry name (a cache that serves every upstream
   * under a path, e.g. `https://cache.lan/v2/{registry}`).
   *
   * A URL with a path is used as given: Talos gets `overridePath: true` for it (no `/v2` appended), so the
   * path must include the `/v2` prefix the cache expects.
   */
  readonly endpoint: string | Readonly<Record<string, string>>;
  /**
   * Do not verify the cache's TLS certificate (k3s `configs.<host>.tls.insecure_skip_verify`).
   *
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
  /**
   * The Talos minor of the nodes (Talos patch only): 1.12 takes registry settings as `RegistryMirrorConfig` and
   * `RegistryTLSConfig` documents, 1.11 under `machine.registries`.
   *
   * @default '1.11' (the `machine.registries` form, which Talos 1.12 still accepts)
   */
  readonly talosVersion?: '1.11' | '1.12';
}

/** One registry and its cache endpoint. */
export interface ResolvedMirror {
  readonly registry: string;
  readonly endpoint: string;
  /** True when the endpoint URL carries a path (Talos `overridePath`). */
  readonly hasPath: boolean;
}

const REGISTRY_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;

/** Finds problems in a mirror input: unknown registries, missing or malformed endpoints. */
export function checkRegistryMirrorInput(input: RegistryMirrorInput): EdgeProblem[] {
  const problems: EdgeProblem[] = [];
  const registries = input.registries ?? DEFAULT_MIRRORED_REGISTRIES;
  if (registries.length === 0) {
    problems.push({
      id: 'EDGE-REG1',
      message: 'no registry to mirror',
      value: registries,
      expected: 'one or more registry names',
      fix: 'Leave registries unset for the default list, or name the registries to mirror.',
    });
  }
  for (const registry of registries) {
    if (!REGISTRY_NAME.test(registry)) {
      problems.push({
        id: 'EDGE-REG2',
        message: 'a registry name is malformed',
        value: registry,
        expected: 'a lower-case host name with an optional port, such as ghcr.io',
        fix: 'Use the first component of the image reference (docker.io, ghcr.io, ...).',
      });
      continue;
    }
    const url = endpointFor(input, registry);
    if (url === undefined) {
      problems.push({
        id: 'EDGE-REG3',
        message: `registry ${registry} has no cache endpoint`,
        value: Object.keys(input.endpoint as object),
        expected: `an entry for ${registry}`,
        fix: `Add ${registry} to endpoint, or drop it from registries.`,
      });
      continue;
    }
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) {
      problems.push({
        id: 'EDGE-REG4',
        message: `the cache endpoint of ${registry} is not an http(s) URL`,
        value: url,
        expected: 'http://host[:port][/path] or https://host[:port][/path]',
        fix: 'Give the scheme, host and port of the cache, e.g. http://10.27.27.5:5000.',
      });
    } else if (parsed.host === registry) {
      problems.push({
        id: 'EDGE-REG5',
        message: `the cache endpoint of ${registry} is the registry itself, which mirrors nothing`,
        value: url,
        expected: 'the address of the pull-through cache',
        fix: 'Point the endpoint at the cache; the upstream is already the fallback.',
      });
    }
  }
  return problems;
}

function endpointFor(input: RegistryMirrorInput, registry: string): string | undefined {
  if (typeof input.endpoint === 'string') return input.endpoint.replaceAll('{registry}', registry);
  return Object.prototype.hasOwnProperty.call(input.endpoint, registry) ? input.endpoint[registry] : undefined;
}

/**
 * Resolves each mirrored registry to its cache endpoint, sorted by registry name.
 *
 * @throws EdgeInputError listing every problem {@link checkRegistryMirrorInput} finds
 */
export function resolveMirrors(input: RegistryMirrorInput): ResolvedMirror[] {
  const problems = checkRegistryMirrorInput(input);
  if (problems.length > 0) throw new EdgeInputError(`registry mirror input for ${input.clusterName ?? 'cluster'}`, problems);
  return [...new Set(input.registries ?? DEFAULT_MIRRORED_REGISTRIES)].sort(byCodePoint).map((registry) => {
    const endpoint = endpointFor(input, registry)!;
    const path = new URL(endpoint).pathname;
    return { registry, endpoint, hasPath: path !== '' && path !== '/' };
  });
}

/** The distinct `host[:port]` of the mirror endpoints, sorted: the keys of the TLS settings. */
function endpointHosts(mirrors: readonly { readonly endpoint: string }[]): string[] {
  return [...new Set(mirrors.map((m) => new URL(m.endpoint).host))].sort(byCodePoint);
}

/**
 * Renders /etc/rancher/k3s/registries.yaml: each registry mirrored to its cache.
 *
 * Fallback: containerd always tries the registry's default endpoint (https://<registry>/v2, for docker.io
 * https://index.docker.io/v2) after the listed mirrors, unless k3s runs with
 * `--disable-default-registry-endpoint`. So the cache is the primary path and upstream stays the fallback
 * without listing it (listing it again is unnecessary and tripped a bug in some releases, k3s#9341).
 *
 * @see https://docs.k3s.io/installation/private-registry#default-endpoint-fallback
 */
export function renderK3sRegistries(input: RegistryMirrorInput): string {
  const mirrors = resolveMirrors(input);
  const mirrorsNode: Record<string, { endpoint: string[] }> = {};
  for (const m of mirrors) mirrorsNode[m.registry] = { endpoint: [m.endpoint] };
  const content: Record<string, unknown> = { mirrors: mirrorsNode };
  if (input.insecureSkipVerify) {
    content.configs = Object.fromEntries(endpointHosts(mirrors).map((host) => [host, { tls: { insecure_skip_verify: true } }]));
  }
  const doc = new Document(content);
  doc.commentBefore = [
    ` /etc/rancher/k3s/registries.yaml for cluster ${input.clusterName ?? 'cluster'}, rendered by cdk8s-netkit.`,
    ' Put it on every node (servers too), then restart k3s / k3s-agent.',
    ' Pulls try the cache endpoint first. containerd then falls back to the registry itself: its default',
    ' endpoint is always tried last, even when mirrors are listed, unless k3s runs with',
    ' --disable-default-registry-endpoint. Upstream therefore need not (and should not) be listed here.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/**
 * Renders a Talos machine-config patch with `machine.registries.mirrors`.
 *
 * `overridePath: true` only for endpoints with a path (Talos otherwise appends `/v2/`). Talos falls back to
 * the upstream registry when no mirror answers unless `skipFallback` is set; this patch never sets it.
 *
 * @see https://www.talos.dev/v1.9/talos-guides/configuration/pull-through-cache/
 * @see https://docs.siderolabs.com/talos/v1.12/reference/configuration/cri/registrymirrorconfig
 */
export function renderTalosRegistryPatch(input: RegistryMirrorInput): string {
  const mirrors = resolveMirrors(input);
  if (input.talosVersion === '1.12') return renderTalosRegistryDocuments(input, mirrors);
  const mirrorsNode: Record<string, { endpoints: string[]; overridePath?: boolean }> = {};
  for (const m of mirrors) {
    mirrorsNode[m.registry] = { endpoints: [m.endpoint], ...(m.hasPath ? { overridePath: true } : {}) };
  }
  const registries: Record<string, unknown> = { mirrors: mirrorsNode };
  if (input.insecureSkipVerify) {
    registries.config = Object.fromEntries(endpointHosts(mirrors).map((host) => [host, { tls: { insecureSkipVerify: true } }]));
  }
  const doc = new Document({ machine: { registries } });
  doc.commentBefore = [
    ` Talos machine-config patch for cluster ${input.clusterName ?? 'cluster'}, rendered by cdk8s-netkit.`,
    ' Apply with: talosctl patch mc --patch @<this file> (every node).',
    ' Mirrors are tried in order; Talos falls back to the upstream registry unless skipFallback is true.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/**
 * Talos 1.12: one `RegistryMirrorConfig` document per registry and, with `insecureSkipVerify`, one `RegistryTLSConfig`
 * per cache host (`machine.registries` is gone from the 1.12 schema).
 *
 * @see https://docs.siderolabs.com/talos/v1.12/reference/configuration/cri/registrymirrorconfig
 */
function renderTalosRegistryDocuments(input: RegistryMirrorInput, mirrors: readonly ResolvedMirror[]): string {
  const docs: Record<string, unknown>[] = mirrors.map((m) => ({
    apiVersion: 'v1alpha1',
    kind: 'RegistryMirrorConfig',
    name: m.registry,
    endpoints: [{ url: m.endpoint, ...(m.hasPath ? { overridePath: true } : {}) }],
  }));
  if (input.insecureSkipVerify) {
    for (const host of endpointHosts(mirrors)) docs.push({ apiVersion: 'v1alpha1', kind: 'RegistryTLSConfig', name: host, insecureSkipVerify: true });
  }
  return docs
    .map((content, i) => {
      const doc = new Document(content);
      if (i === 0) {
        doc.commentBefore = [
          ` Talos 1.12 machine-config patch for cluster ${input.clusterName ?? 'cluster'}, rendered by cdk8s-netkit.`,
          ' Apply with: talosctl patch mc --patch @<this file> (every node), or as a --config-patch of talosctl gen config.',
          ' Mirrors are tried in order; Talos falls back to the upstream registry unless skipFallback is true.',
        ].join('\n');
      }
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
