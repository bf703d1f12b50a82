/**
 * Layers order what reaches a cluster: each is applied only after the one before it is healthy.
 */
import { Construct, type IConstruct } from 'constructs';
import * as p from './core/props.js';
import { checkProps, idAsName } from './findings.js';

export enum Layer {
  /** CustomResourceDefinitions the rest depends on (Gateway API, version matched to Cilium). */
  CRDS = 'crds',
  /** The CNI: nothing else schedules before it. */
  CNI = 'cni',
  /**
   * The External Secrets operator (its CRDs and webhook): the layers after it may hold ExternalSecrets. Its readiness
   * is the operator's, never the secret store's.
   */
  SECRETS = 'secrets',
  /**
   * The secret store (ClusterSecretStore), on its own: applied after the operator, health-checked by nothing, and no
   * other layer depends on it, so a store that cannot reach its provider (seed 004's Doppler time-outs) holds up only
   * the Secrets it makes, never the rest of the graph.
   */
  SECRET_STORE = 'secret-store',
  /** Cluster services: operators and controllers (cert-manager, CloudNativePG, ...). */
  SERVICES = 'services',
  /** Networking objects that need the CNI and the services: pools, L2 policies, gateways, routes. */
  NETWORKING = 'networking',
  /** Workloads and their policies. */
  APPS = 'apps',
}

/** The layers in the order they are applied. */
export const LAYER_ORDER: readonly Layer[] = [Layer.CRDS, Layer.CNI, Layer.SECRETS, Layer.SECRET_STORE, Layer.SERVICES, Layer.NETWORKING, Layer.APPS];

/**
 * Layers no other layer waits for: the next layer depends on the one before them, and their own entry object carries no
 * health check (Flux `wait: false`; Argo CD reads the store's health as its condition, never as Progressing/Degraded).
 */
export const UNGATED_LAYERS: ReadonlySet<Layer> = new Set([Layer.SECRET_STORE]);

/**
 * A kustomize ConfigMap generator over one of a component's files: Flux builds the ConfigMap from the file, so the
 * file stays the one copy of its content (a Helm release's values read by both the GitOps engine and the bootstrap).
 */
export interface ConfigMapGeneratorOptions {
  /** Name of the generated ConfigMap; kept exactly (no content-hash suffix), so references to it need no rewriting. */
  readonly name: string;
  /**
   * Namespace of the generated ConfigMap.
   *
   * @default - the namespace kustomize gives it (none set)
   */
  readonly namespace?: string;
  /** The data key the file's content is stored under (e.g. `values.yaml`). */
  readonly key: string;
  /**
   * Labels of the generated ConfigMap.
   *
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A file of a component's folder that is not a manifest (listed under no kustomization `resources`). */
export interface ComponentFile {
  /** File name inside the component's folder. */
  readonly name: string;
  readonly produce: () => string;
  /** The ConfigMap generator that reads the file, if any. */
  readonly configMap?: ConfigMapGeneratorOptions;
}

/** File names a component may add: one plain name, not a manifest (`.yaml`/`.yml` files are read as manifests by every tool that walks the tree). */
const COMPONENT_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface ComponentProps {
  /** The layer the component's objects are applied in. */
  readonly layer: Layer;
  /**
   * Folder name under the layer.
   *
   * @default - the construct id, lower-cased
   */
  readonly folder?: string;
}

/**
 * A folder of manifests in one layer: `clusters/<cluster>/<layer>/<folder>/`.
 *
 * Every ApiObject is written to the folder of its nearest enclosing Component; objects outside any
 * Component go to `apps/manifests/`.
 */
/** What a Component accepts (NET-IN1, NET-IN2). */
const COMPONENT_SPEC = p.object({
  layer: p.withFallback(p.oneOf(Object.values(Layer)), () => Layer.APPS),
  folder: p.optional(p.name('file', { landsAs: 'a folder of the layer' })),
});

export class Component extends Construct {
  public static isComponent(x: unknown): x is Component {
    return x instanceof Component;
  }

  /** The nearest Component enclosing `scope` (itself included), if any. */
  public static enclosing(scope: IConstruct): Component | undefined {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      if (c instanceof Component) return c;
    }
    return undefined;
  }

  public readonly layer: Layer;
  public readonly folder: string;
  private readonly extraFiles: ComponentFile[] = [];

  public constructor(scope: Construct, id: string, given: ComponentProps) {
    super(scope, id);
    const props = checkProps<ComponentProps>(this, COMPONENT_SPEC, given, { layer: Layer.APPS });
    this.layer = props.layer;
    // a folder given but rejected is reported once (NET-IN2 above), not again as the id it falls back to
    const rejected = typeof given === 'object' && given !== null && (given as { folder?: unknown }).folder !== undefined;
    this.folder = props.folder ?? (rejected ? id.toLowerCase() : idAsName(this, id, 'file', 'its folder name'));
  }

  /**
   * Add a file that is not a manifest to the component's folder (`clusters/<cluster>/<layer>/<folder>/<name>`),
   * produced at synth time. No kustomization lists it as a resource; with `configMap`, the folder's kustomization
   * turns it into a ConfigMap.
   */
  public addFile(name: string, produce: () => string, options: { readonly configMap?: ConfigMapGeneratorOptions } = {}): void {
    if (!COMPONENT_FILE.test(name) || /\.ya?ml$/i.test(name)) {
      throw new Error(
        `addFile("${name}") at ${this.node.path}: a component file is one plain file name that does not end in .yaml or .yml (those read as manifests)`,
      );
    }
    if (this.extraFiles.some((f) => f.name === name)) throw new Error(`addFile("${name}") twice at ${this.node.path}`);
    this.extraFiles.push({ name, produce, ...(options.configMap ? { configMap: options.configMap } : {}) });
  }

  /** The files added with {@link addFile}, in the order they were added. */
  public get files(): readonly ComponentFile[] {
    return [...this.extraFiles];
  }

  /** Path of one of the component's files under `clusters/<cluster>/`. */
  public filePath(name: string): string {
    return `${this.layer}/${this.folder}/${name}`;
  }
}
