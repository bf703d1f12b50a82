/**
 * A plain LoadBalancer Service whose address is pinned from an L2Pool (annotation `lbipam.cilium.io/ips`), for
 * services that are not gateways.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CoreService } from '../imports/core.js';
import { Component, Layer } from './component.js';
import { LBIPAM_IPS_ANNOTATION, type AllocateOptions, type L2Pool } from './l2-pool.js';

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
export class LoadBalancerService extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The pinned address; undefined when the pool had none left (NET-L2P6). */
  public readonly address: string | undefined;
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: LoadBalancerServiceProps) {
    const placed = Component.enclosing(scope) ? scope : new Component(scope, `${id}-lb`, { layer: Layer.APPS, folder: props.name ?? id });
    super(placed, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    const metadata = props.pool.loadBalancerServiceMetadata(this.name, props.allocation);
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
