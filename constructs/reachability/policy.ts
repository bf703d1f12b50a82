/**
 * The common shape of an evaluable policy (Kubernetes NetworkPolicy or CiliumNetworkPolicy), so the evaluator can
 * union them the way Cilium enforces both kinds together.
 */
import type { Endpoint, Labels, Protocol, Workload } from './types.js';

/** A traffic direction, named as in NetworkPolicy `policyTypes`. */
export type Direction = 'Ingress' | 'Egress';

/** One connection attempt being judged. */
export interface Connection {
  /** Where it starts. */
  readonly src: Endpoint;
  /** Where it goes. */
  readonly dst: Endpoint;
  /** The destination port number (named ports are already resolved against `dst`). */
  readonly port: number;
  /** The protocol. */
  readonly protocol: Protocol;
  /** The labels of a namespace (including `kubernetes.io/metadata.name`). */
  namespaceLabels(namespace: string): Labels;
  /** Does Cilium's DNS proxy see `pod`'s lookups of `host` (for `toFQDNs` peers)? @default - never */
  dnsProxied?(pod: Workload, host: string): boolean;
}

/** What one policy says about one connection in one direction. */
export interface PolicyOutcome {
  /** Did one of its rules allow the connection? */
  readonly allowed: boolean;
  /** The rule that allowed it, e.g. `ingress[1]`. */
  readonly rule?: string;
  /** For each rule that did not allow it, why not (e.g. `ingress[0]: port 8000/TCP not in [5432/TCP]`). */
  readonly misses: readonly string[];
}

/** A policy the evaluator can apply. */
export interface EvaluablePolicy {
  /** Readable id, e.g. `NetworkPolicy clients/clients-db-allow-only-api`. */
  readonly id: string;
  /** The namespace whose pods it can select. */
  readonly namespace: string;
  /** Does it select this pod and make it isolated (default-deny) in this direction? */
  isolates(pod: Workload, direction: Direction): boolean;
  /** Why it isolates (or not) in this direction, e.g. `policyTypes omitted, no egress section → Ingress only`. */
  explainTypes(): string;
  /** Judges a connection for a pod it selects. */
  evaluate(direction: Direction, connection: Connection): PolicyOutcome;
}
