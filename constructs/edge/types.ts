/**
 * Plain input and output types shared by the edge renderers.
 *
 * The edge renderers produce files that live outside Kubernetes (HAProxy on a
 * separate host, node firewalls, containerd mirror configuration, router MSS
 * clamping). They are pure functions over these plain types, with no cdk8s
 * dependency, so they can run anywhere and be tested in isolation.
 */
import { isIpv4 } from '../cluster/address.js';
import { isNetworkCidr } from '../cluster/ip.js';
import { NodeRole } from '../cluster/node-role.js';
import { memoize } from '../core/memo.js';

/** What a node does in the cluster: the Cluster's {@link NodeRole}. */
export { NodeRole };

/** One machine of the cluster, as the edge files see it. */
export interface EdgeNode {
  /**
   * The node's name; becomes the HAProxy server name and appears in comments.
   *
   * Letters, digits, `.`, `_`, `-` only, so it can be used as is.
   */
  readonly name: string;
  /** The node's IPv4 address on the cluster network (the address the load balancer and peers reach). */
  readonly address: string;
  /**
   * The node's roles. A k3s server is `[NodeRole.CONTROL_PLANE]` (it also runs workloads unless tainted). The
   * string values (`'control-plane'`, `'worker'`) are accepted too, for input read from JSON or YAML.
   */
  readonly roles: readonly (NodeRole | `${NodeRole}`)[];
  /**
   * Whether the node serves the cluster's ingress on ports 80/443 (Traefik behind k3s ServiceLB, a
   * gateway bound to host ports, ...). HAProxy sends web traffic only to these nodes.
   *
   * @default true
   */
  readonly ingress?: boolean;
}

/**
 * One problem found in an edge input: what is wrong, the value given, what was expected and the fix.
 *
 * `id` is stable (`EDGE-HAP1`, ...) and never reused for another problem.
 */
export interface EdgeProblem {
  readonly id: string;
  readonly message: string;
  readonly value: unknown;
  readonly expected: string;
  readonly fix: string;
}

/** Renders problems as one message, one problem per line (the house `✖ ID message (value: ...)` form). */
export function formatEdgeProblems(subject: string, problems: readonly EdgeProblem[]): string {
  const lines = problems.map((p) => `✖ ${p.id} ${p.message} (value: ${JSON.stringify(p.value)}); expected ${p.expected}. ${p.fix}`);
  return `${subject}: ${problems.length} problem(s)\n${lines.join('\n')}`;
}

/** Thrown by renderers when their input has problems; carries every problem, not just the first. */
export class EdgeInputError extends Error {
  readonly problems: readonly EdgeProblem[];

  constructor(subject: string, problems: readonly EdgeProblem[]) {
    super(formatEdgeProblems(subject, problems));
    this.name = 'EdgeInputError';
    this.problems = problems;
  }
}

/** True when `value` is a dotted-quad IPv4 address. */
export function isIPv4(value: string): boolean {
  return isIpv4(value);
}

/** True when `value` is an IPv4 CIDR such as `10.27.27.0/24` (the address must be the network's first). */
export function isIPv4Cidr(value: string): boolean {
  return v4CidrRange(value);
}

const v4CidrRange = memoize((value: string) => isNetworkCidr(value, 4));

/** True when `value` is an IPv4 address or CIDR. */
export function isIPv4AddressOrCidr(value: string): boolean {
  return isIPv4(value) || isIPv4Cidr(value);
}

/** Names that can be used verbatim as HAProxy server names, nft comments and file names. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Compares strings by code unit so output does not depend on the locale (the synthesizer's own order, ../order.ts). */
export { compareText as byCodePoint } from '../core/order.js';
