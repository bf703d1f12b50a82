/**
 * A registry mirror for the nodes' container runtime (seed 004, phase 3): pulls go to a pull-through cache
 * on the private network first, upstream stays the fallback.
 */
import { Construct } from 'constructs';
import { Cluster, Distribution } from './cluster.js';
import { EdgeFolder, HOST_YAML_SUFFIX, notRendered } from './edge-folder.js';
import {
  checkRegistryMirrorInput,
  DEFAULT_MIRRORED_REGISTRIES,
  type RegistryMirrorInput,
  renderK3sRegistries,
  renderTalosRegistryPatch,
} from './edge/registry-mirror.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** Upstream URL a `registry:2` proxy needs per mirrored registry (`REGISTRY_PROXY_REMOTEURL`). */
const PROXY_REMOTE_URL: Record<string, string> = {
  'docker.io': 'https://registry-1.docker.io',
  'ghcr.io': 'https://ghcr.io',
  'quay.io': 'https://quay.io',
  'registry.k8s.io': 'https://registry.k8s.io',
};

/** Where the pull-through cache answers for each registry. */
export class RegistryCache {
  /**
   * One cache endpoint per registry, e.g. one `registry:2` proxy per upstream on consecutive ports
   * (a `registry:2` proxy serves a single upstream).
   */
  public static perRegistry(endpoints: Readonly<Record<string, string>>): RegistryCache {
    return new RegistryCache({ ...endpoints });
  }

  /**
   * `registry:2` proxies on one host, one port per registry from `firstPort` up, in the order of `registries`
   * (default: docker.io, ghcr.io, quay.io, registry.k8s.io → 5000, 5001, 5002, 5003).
   */
  public static registryProxies(host: string, firstPort = 5000, registries: readonly string[] = DEFAULT_MIRRORED_REGISTRIES): RegistryCache {
    return new RegistryCache(Object.fromEntries(registries.map((r, i) => [r, `http://${host}:${firstPort + i}`])));
  }

  /**
   * One cache serving every registry under a path; `{registry}` in the URL is replaced by the registry name
   * (e.g. `https://cache.lan/v2/{registry}`).
   */
  public static pathPerRegistry(urlTemplate: string): RegistryCache {
    return new RegistryCache(urlTemplate);
  }

  private constructor(public readonly endpoint: string | Readonly<Record<string, string>>) {}
}

export interface RegistryMirrorProps {
  /** The pull-through cache on the private network. */
  readonly cache: RegistryCache;
  /**
   * Registries to mirror.
   *
   * @default ['docker.io', 'ghcr.io', 'quay.io', 'registry.k8s.io']
   */
  readonly registries?: readonly string[];
  /**
   * Do not verify the cache's TLS certificate.
   *
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

/**
 * The registry mirror files of a cluster: for k3s `edge/k3s/registries.yaml.dist` (→
 * /etc/rancher/k3s/registries.yaml on every node), for Talos `edge/talos/registry-mirrors.patch.yaml.dist`
 * (a machine-config patch). Upstream stays the fallback in both (containerd tries the default endpoint last,
 * Talos unless `skipFallback`).
 *
 * @see https://docs.k3s.io/installation/private-registry
 * @see https://www.talos.dev/v1.9/talos-guides/configuration/pull-through-cache/
 */
/** What a RegistryMirror accepts (NET-IN1, NET-IN2). */
const REGISTRY_MIRROR_SPEC = p.object({
  cache: p.withFallback(p.instance(RegistryCache, 'a RegistryCache from RegistryCache.registryProxies(), .perRegistry() or .pathPerRegistry()'), () =>
    RegistryCache.perRegistry({}),
  ),
  registries: p.optional(p.array(p.name('subdomain', { landsAs: 'a registry host name' }))),
  insecureSkipVerify: p.optional(p.boolean()),
});

export class RegistryMirror extends Construct {
  public readonly registries: readonly string[];
  private readonly cluster: Cluster;
  private readonly props: RegistryMirrorProps;

  public constructor(scope: Construct, id: string, given: RegistryMirrorProps) {
    super(scope, id);
    const props = checkProps<RegistryMirrorProps>(this, REGISTRY_MIRROR_SPEC, given, { cache: RegistryCache.perRegistry({}) });
    this.cluster = Cluster.of(this);
    this.props = props;
    this.registries = [...(props.registries ?? DEFAULT_MIRRORED_REGISTRIES)];
    const folder = EdgeFolder.ensure(this);
    if (this.cluster.distribution === Distribution.K3S) {
      folder.addFile(
        {
          path: `edge/k3s/registries.yaml${HOST_YAML_SUFFIX}`,
          destination: '/etc/rancher/k3s/registries.yaml on every node, servers included',
          apply: 'Restart with `systemctl restart k3s` on servers and `systemctl restart k3s-agent` on agents.',
        },
        () => this.render('k3s'),
        this,
      );
    } else if (this.cluster.distribution === Distribution.TALOS) {
      folder.addFile(
        {
          path: `edge/talos/registry-mirrors.patch.yaml${HOST_YAML_SUFFIX}`,
          destination: 'the machine config of every node (a Talos machine-config patch)',
          apply: `Apply with \`talosctl -n <node> patch mc --patch @registry-mirrors.patch.yaml${HOST_YAML_SUFFIX}\` (talosctl reads the file whatever its suffix).`,
        },
        () => this.render('talos'),
        this,
      );
    }
    const endpoint = props.cache.endpoint;
    if (typeof endpoint !== 'string' && this.registries.every((r) => PROXY_REMOTE_URL[r] && endpoint[r]?.startsWith('http://') && URL.canParse(endpoint[r]))) {
      folder.addNote('The pull-through cache', [
        'Run the cache on a host of the private network, outside the cluster (the cluster pulls its own bootstrap',
        'images through it). A `registry:2` proxy serves one upstream each; for example, with Docker:',
        '',
        '```sh',
        ...this.registries.map((r) => {
          const url = new URL(endpoint[r]);
          return `docker run -d --restart=always --name cache-${r.replace(/\./g, '-')} -p ${url.port || '80'}:5000 -e REGISTRY_PROXY_REMOTEURL=${PROXY_REMOTE_URL[r]} registry:2.8.3`;
        }),
        '```',
      ]);
    }
  }

  /** The renderer input this construct derives from the Cluster. */
  public mirrorInput(): RegistryMirrorInput {
    return {
      clusterName: this.cluster.clusterName,
      registries: this.registries,
      endpoint: this.props.cache.endpoint,
      ...(this.props.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
      ...(this.cluster.talosVersion ? { talosVersion: this.cluster.talosVersion } : {}),
    };
  }

  /** The cache endpoint URL of each mirrored registry that has one. */
  public endpoints(): Record<string, string> {
    const e = this.props.cache.endpoint;
    return Object.fromEntries(
      this.registries
        .map((r) => [r, typeof e === 'string' ? e.replaceAll('{registry}', r) : e[r]] as const)
        .filter((x): x is readonly [string, string] => x[1] !== undefined),
    );
  }

  private render(kind: 'k3s' | 'talos'): string {
    const input = this.mirrorInput();
    const problems = checkRegistryMirrorInput(input);
    if (problems.length) return notRendered('The registry mirror', problems);
    return kind === 'k3s' ? renderK3sRegistries(input) : renderTalosRegistryPatch(input);
  }
}
