/**
 * Layers order what reaches a cluster: each is applied only after the one before it is healthy.
 */
import { Construct, type IConstruct } from 'constructs';

export enum Layer {
  /** CustomResourceDefinitions the rest depends on (Gateway API, version matched to Cilium). */
  CRDS = 'crds',
  /** The CNI: nothing else schedules before it. */
  CNI = 'cni',
  /** Cluster services: operators and controllers (cert-manager, CloudNativePG, ...). */
  SERVICES = 'services',
  /** Networking objects that need the CNI and the services: pools, L2 policies, gateways, routes. */
  NETWORKING = 'networking',
  /** Workloads and their policies. */
  APPS = 'apps',
}

/** The layers in the order they are applied. */
export const LAYER_ORDER: readonly Layer[] = [Layer.CRDS, Layer.CNI, Layer.SERVICES, Layer.NETWORKING, Layer.APPS];

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

  public constructor(scope: Construct, id: string, props: ComponentProps) {
    super(scope, id);
    this.layer = props.layer;
    this.folder = props.folder ?? id.toLowerCase();
  }
}
