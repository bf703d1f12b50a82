/**
 * A workload: a Deployment and its ClusterIP Service, named and labelled predictably. The example fleet's apps and
 * the clients of an IsolatedDatabase are workloads; gateways route to them.
 */
import { Construct } from 'constructs';
import { CoreDeployment, CoreService } from '../imports/core.js';
import { Component, Layer } from './component.js';
import { compareText } from './core/order.js';
import * as p from './core/props.js';
import { checkProps, idAsName } from './findings.js';
import { declareSecret, SOURCED_SECRET_SPEC, type SourcedSecretRef } from './secret-source.js';

export interface WorkloadPort {
  /** Port name (IANA-style, e.g. `http`). */
  readonly name: string;
  /** Container port. */
  readonly port: number;
  /**
   * Service port.
   *
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface WorkloadProps {
  /** Namespace of the Deployment and Service. */
  readonly namespace: string;
  /**
   * Name of the Deployment and the Service.
   *
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
  /** Container image with a tag or digest (a floating tag is a finding). */
  readonly image: string;
  /** Ports the container listens on; each is published on the Service. */
  readonly ports: readonly WorkloadPort[];
  /**
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Pod labels; `app: <name>` is always set and is the selector.
   *
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Environment variables (no credentials: reference Secrets with envFrom).
   *
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Secrets whose keys become environment variables: by name (a Secret whose source is declared elsewhere, or one a
   * controller of the tree makes, such as a CloudNativePG cluster's `<name>-app`), or with its source
   * (`{ name, source: SecretSource.fromStore(store) }` renders an ExternalSecret beside the Deployment). A Secret with no
   * source fails the synth (NET-SEC4).
   *
   * @default []
   */
  readonly envFromSecrets?: readonly (string | SourcedSecretRef)[];
}

/** Something a network policy can select: pods by labels in a namespace, listening on named ports. */
export interface IPeer {
  readonly namespace: string;
  /** Labels that select exactly this peer's pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** Display name in messages. */
  readonly displayName: string;
  /**
   * The peer's name, used in the names of the policies written for it.
   *
   * @default - the `app` label of the selector
   */
  readonly name?: string;
}

/** A Deployment + Service pair in the apps layer (or in the layer of its enclosing Component). */
/** What a Workload accepts (NET-IN1 to NET-IN3). */
function workloadSpec(id: string): p.Spec {
  return p.object(
    {
      namespace: p.withFallback(p.name('label', { landsAs: 'a namespace' }), () => 'default'),
      name: p.optional(p.name('label', { landsAs: 'the Deployment and Service name' })),
      image: p.withFallback(p.string({ maxLength: 1024 }), () => ''),
      ports: p.withFallback(
        p.array(
          p.object({
            name: p.name('port', { landsAs: 'a container port name' }),
            port: p.port(),
            servicePort: p.optional(p.port()),
            protocol: p.optional(p.oneOf(['TCP', 'UDP'])),
          }),
        ),
        () => [],
      ),
      replicas: p.optional(p.integer({ min: 0, max: 1000 })),
      labels: p.optional(p.record(p.string({ minLength: 0, maxLength: 63 }))),
      env: p.optional(p.record(p.string({ minLength: 0 }))),
      envFromSecrets: p.optional(p.array(SOURCED_SECRET_SPEC)),
    },
    { expected: `the props of Workload ${id}` },
  );
}

export class Workload extends Construct implements IPeer {
  public readonly namespace: string;
  public readonly name: string;
  public readonly selector: Readonly<Record<string, string>>;
  public readonly ports: readonly WorkloadPort[];
  public readonly image: string;
  public readonly deployment: CoreDeployment;
  public readonly service: CoreService;

  public constructor(scope: Construct, id: string, given: WorkloadProps) {
    // the folder of the Workload's own Component: a name the Workload rejects is reported by the Workload (NET-IN2,
    // with its follow-ons collapsed), not a second time as a folder name
    const givenName = typeof given === 'object' && given !== null ? (given as { name?: unknown }).name : undefined;
    const wanted = typeof givenName === 'string' ? givenName : id.toLowerCase();
    const folder = p.isValidName('label', wanted) ? wanted : 'invalid-name';
    const placed = Component.enclosing(scope) ? scope : new Component(scope, `${id}-app`, { layer: Layer.APPS, folder });
    super(placed, id);
    const props = checkProps<WorkloadProps>(this, workloadSpec(id), given, { namespace: 'default', image: '', ports: [] });
    this.namespace = props.namespace;
    this.name = props.name ?? idAsName(this, id, 'label', 'the Deployment and Service name');
    this.selector = { app: this.name };
    this.ports = props.ports;
    this.image = props.image;
    const labels = { ...(props.labels ?? {}), ...this.selector };
    this.deployment = new CoreDeployment(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        replicas: props.replicas ?? 2,
        selector: { matchLabels: { ...this.selector } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: this.name,
                image: props.image,
                ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
                ...(props.env && Object.keys(props.env).length
                  ? {
                      env: Object.entries(props.env)
                        .sort(([a], [b]) => compareText(a, b))
                        .map(([name, value]) => ({ name, value })),
                    }
                  : {}),
                ...(props.envFromSecrets?.length
                  ? { envFrom: props.envFromSecrets.map((s) => ({ secretRef: { name: typeof s === 'string' ? s : s.name } })) }
                  : {}),
              },
            ],
          },
        },
      },
    });
    for (const s of props.envFromSecrets ?? []) {
      if (typeof s !== 'string') declareSecret(this, { name: s.name, namespace: this.namespace, source: s.source });
    }
    this.service = new CoreService(this, 'Service', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: { ...this.selector },
        ports: props.ports.map((p) => ({ name: p.name, port: p.servicePort ?? p.port, targetPort: p.name, protocol: p.protocol ?? 'TCP' })),
      },
    });
  }

  public get displayName(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** The Service port for a port name. */
  public servicePort(name: string): number {
    const p = this.ports.find((x) => x.name === name);
    if (!p) throw new Error(`workload ${this.displayName} has no port named "${name}" (ports: ${this.ports.map((x) => x.name).join(', ')})`);
    return p.servicePort ?? p.port;
  }
}
