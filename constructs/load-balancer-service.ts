/**
 * A plain LoadBalancer Service whose address is pinned from an L2Pool (annotation `lbipam.cilium.io/ips`), for
 * services that are not gateways.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CoreService } from '../imports/core.js';
import { Component, Layer } from './component.js';
import { L2Pool, LBIPAM_IPS_ANNOTATION, type AllocateOptions } from './l2-pool.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** A port of a {@link LoadBalancerService}. */
export interface LoadBalancerPort {
  readonly name: string;
  readonly port: number;
  /**
   * Container port or port name.
   *
   * @default - the port
   */
  readonly targetPort?: number | string;
  /**
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface LoadBalancerServiceProps {
  /** The pool the address comes from. */
  readonly pool: L2Pool;
  readonly namespace: string;
  /**
   * Service name; also the owner name of the allocation.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /** Pod labels the Service selects. */
  readonly selector: Record<string, string>;
  readonly ports: readonly LoadBalancerPort[];
  /** A fixed address and/or a sharing key; see {@link AllocateOptions}. */
  readonly allocation?: AllocateOptions;
  /**
   * `Local` only works with L2 announcements when a backend runs on every announcing node (rule NET-L2P10).
   *
   * @default 'Cluster'
   * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy
   */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
}

/** A plain LoadBalancer Service with an address pinned from an {@link L2Pool}. */
/** What a LoadBalancerService accepts (NET-IN1 to NET-IN3). */
const LOAD_BALANCER_SERVICE_SPEC = p.object({
  pool: p.withFallback(p.instance(L2Pool, 'an L2Pool'), () => undefined),
  namespace: p.withFallback(p.name('label', { landsAs: 'a namespace' }), () => 'default'),
  name: p.optional(p.name('label', { landsAs: 'the Service name' })),
  selector: p.withFallback(p.record(p.string({ minLength: 0, maxLength: 63 })), () => ({})),
  ports: p.withFallback(
    p.array(
      p.object({
        name: p.name('port', { landsAs: 'a Service port name' }),
        port: p.port(),
        targetPort: p.optional(p.anyOf('a port number or a port name', p.port(), p.name('label'))),
        protocol: p.optional(p.oneOf(['TCP', 'UDP'])),
      }),
    ),
    () => [],
  ),
  allocation: p.optional(
    p.object({
      address: p.optional(p.ip()),
      sharingKey: p.optional(p.string({ maxLength: 253 })),
      sharingNamespaces: p.optional(
        p.array(p.anyOf('a namespace name, or "*" for every namespace', p.name('label', { landsAs: 'a namespace' }), p.oneOf(['*']))),
      ),
    }),
  ),
  externalTrafficPolicy: p.optional(p.oneOf(['Cluster', 'Local'])),
});

export class LoadBalancerService extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The pinned address; undefined when the pool had none left (NET-L2P6). */
  public readonly address: string | undefined;
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, given: LoadBalancerServiceProps) {
    const given_ = given as { name?: unknown } | undefined;
    const folder = typeof given_?.name === 'string' ? given_.name : id;
    const placed = Component.enclosing(scope) ? scope : new Component(scope, `${id}-lb`, { layer: Layer.APPS, folder });
    super(placed, id);
    const props = checkProps<LoadBalancerServiceProps>(this, LOAD_BALANCER_SERVICE_SPEC, given, {} as LoadBalancerServiceProps);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    // without a pool (reported above) the Service renders without a pinned address
    const metadata = props.pool
      ? props.pool.loadBalancerServiceMetadata(this.name, props.allocation)
      : { labels: {}, annotations: {} as Record<string, string> };
    this.address = metadata.annotations[LBIPAM_IPS_ANNOTATION];
    this.resource = new CoreService(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: metadata.labels, annotations: metadata.annotations },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: props.externalTrafficPolicy ?? 'Cluster',
        selector: { ...props.selector },
        ports: props.ports.map((p) => ({
          name: p.name,
          port: p.port,
          protocol: p.protocol ?? 'TCP',
          targetPort: p.targetPort ?? p.port,
        })),
      },
    });
  }
}
