/**
 * Shared types of the reachability evaluator.
 *
 * The evaluator works on plain Kubernetes objects as they are rendered (JSON or parsed YAML), so every input
 * type here is a loose structural type: nothing depends on cdk8s or on a typed model.
 */

/** A set of Kubernetes labels. */
export type Labels = Readonly<Record<string, string>>;

/**
 * A transport protocol as NetworkPolicy knows it.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** The protocols a NetworkPolicy port may name. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A port a container declares, after defaulting. */
export interface ContainerPort {
  /** The port's IANA service name, used by named ports in policies. @default - unnamed */
  readonly name?: string;
  /** The port number. */
  readonly containerPort: number;
  /** The protocol. @default 'TCP' */
  readonly protocol: Protocol;
}

/**
 * A set of identical pods: the pods a controller (Deployment, StatefulSet, CNPG Cluster, ...) creates, a bare Pod,
 * or a hypothetical pod the caller adds to ask "what could a pod like this reach".
 */
export interface Workload {
  /** Discriminator. */
  readonly type: 'workload';
  /** Unique, stable id: `namespace/name`, or `Kind/namespace/name` when two kinds share a name. */
  readonly id: string;
  /** The kind it was derived from (`Deployment`, `Cluster`, ..., or `Hypothetical`). */
  readonly kind: string;
  /** The controller's (or pod's) name. */
  readonly name: string;
  /** The namespace its pods run in. */
  readonly namespace: string;
  /** The labels its pods carry (from the pod template). */
  readonly labels: Labels;
  /** The container ports its pods declare. */
  readonly ports: readonly ContainerPort[];
}

/**
 * A destination outside the cluster: an address (matched by `ipBlock` and Cilium CIDR peers), a DNS name (matched by
 * Cilium `toFQDNs` peers, which learn the name's addresses from the lookups Cilium's DNS proxy sees), or both.
 */
export interface ExternalEndpoint {
  /** Discriminator. */
  readonly type: 'external';
  /** Unique id: the name given, else the IP, else the host name. */
  readonly id: string;
  /** The IPv4 or IPv6 address, when known. */
  readonly ip?: string;
  /** The DNS name clients dial, when known. */
  readonly host?: string;
  /** Ports it listens on, used as default matrix columns. @default - none */
  readonly ports: readonly { readonly port: number; readonly protocol: Protocol }[];
}

/** Anything traffic can come from or go to. */
export type Endpoint = Workload | ExternalEndpoint;

/** A loose Kubernetes object as rendered. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly [key: string]: unknown;
  };
  readonly spec?: any;
  readonly [key: string]: unknown;
}

/**
 * Thrown when the input cannot be evaluated: malformed policies, unknown peers, unresolvable ports.
 *
 * Carries every problem found, not just the first.
 */
export class ReachabilityError extends Error {
  /** Each problem, one readable sentence with the value received, what was expected and the fix. */
  public readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? `✖ ${problems[0]}` : `${problems.length} problems:\n${problems.map((p) => `✖ ${p}`).join('\n')}`);
    this.name = 'ReachabilityError';
    this.problems = problems;
  }
}

/** Renders labels as `{a=b,c=d}` with keys sorted, for messages. */
export function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return `{${keys.map((k) => `${k}=${labels[k]}`).join(',')}}`;
}
