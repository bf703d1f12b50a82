/**
 * The ingress policy of an application (seed 001's `clients-api-allow-ingress`): reachable from the ingress
 * controller's or gateway's namespace, from monitoring, and from its own namespace — nothing else.
 */
import { Construct } from 'constructs';
import { Component, Layer } from './component.js';
import { Workload, type IPeer } from './workload.js';
import { PolicyEngine, PolicyPeer, Port, renderPolicy, type PolicyRule } from './database/policy.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

export interface AppIngressPolicyProps {
  /** The application's pods. */
  readonly workload: IPeer;
  /**
   * Ports to admit.
   *
   * @default - every port of the workload (when it is a {@link Workload})
   */
  readonly ports?: readonly Port[];
  /**
   * Namespaces of the ingress controller or gateway in front of the app (seed 001: Traefik in kube-system).
   *
   * @default ['kube-system']
   */
  readonly ingressNamespaces?: readonly string[];
  /**
   * Namespace allowed to scrape the app; `null` admits none.
   *
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string | null;
  /**
   * Admit every pod of the app's own namespace (Helm tests, sidecars).
   *
   * @default true
   */
  readonly sameNamespace?: boolean;
  /**
   * Policy kind to render.
   *
   * @default PolicyEngine.KUBERNETES
   */
  readonly policyEngine?: PolicyEngine;
}

/**
 * A NetworkPolicy `<app>-allow-ingress` that isolates an app for ingress and admits its ingress namespaces,
 * monitoring and its own namespace on its ports.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
/** What an AppIngressPolicy accepts (NET-IN1 to NET-IN3). */
const APP_INGRESS_SPEC = p.object({
  workload: p.withFallback(
    p.shaped(
      'a Workload (or another IPeer: an object with namespace and selector)',
      (v) => typeof v.namespace === 'string' && typeof v.selector === 'object' && v.selector !== null,
    ),
    () => ({ namespace: 'default', selector: {}, displayName: 'default/(none)' }),
  ),
  ports: p.optional(p.array(p.instance(Port, 'a Port from Port.tcp() or Port.udp()'))),
  ingressNamespaces: p.optional(p.array(p.name('label', { landsAs: 'a namespace' }))),
  monitoringNamespace: p.optional(
    p.anyOf('a namespace name or null', p.name('label', { landsAs: 'a namespace' }), {
      expected: 'null',
      clean: (v) => (v === null ? v : p.INVALID),
    }),
  ),
  sameNamespace: p.optional(p.boolean()),
  policyEngine: p.optional(p.oneOf(Object.values(PolicyEngine))),
});

export class AppIngressPolicy extends Construct {
  public readonly workload: IPeer;
  public readonly ports: readonly Port[];
  public readonly ingressNamespaces: readonly string[];
  public readonly monitoringNamespace?: string;
  public readonly sameNamespace: boolean;

  public constructor(scope: Construct, id: string, given: AppIngressPolicyProps) {
    const peer = p.check(APP_INGRESS_SPEC, given).value as AppIngressPolicyProps | typeof p.INVALID;
    const w = peer === p.INVALID ? undefined : peer.workload;
    const name = (w && (w.name ?? w.selector.app)) ?? id.toLowerCase();
    const placed = Component.enclosing(scope) ? scope : new Component(scope, `${id}-policy`, { layer: Layer.APPS, folder: name });
    super(placed, id);
    const props = checkProps<AppIngressPolicyProps>(this, APP_INGRESS_SPEC, given, {
      workload: { namespace: 'default', selector: {}, displayName: 'default/(none)' },
    });
    this.workload = props.workload;
    this.ports =
      props.ports ?? (props.workload instanceof Workload ? props.workload.ports.map((p) => (p.protocol === 'UDP' ? Port.udp(p.port) : Port.tcp(p.port))) : []);
    this.ingressNamespaces = props.ingressNamespaces ?? ['kube-system'];
    this.monitoringNamespace = props.monitoringNamespace === null ? undefined : (props.monitoringNamespace ?? 'monitoring');
    this.sameNamespace = props.sameNamespace ?? true;
    renderPolicy(this, 'Resource', props.policyEngine ?? PolicyEngine.KUBERNETES, {
      name: `${name}-allow-ingress`,
      namespace: this.workload.namespace,
      podSelector: this.workload.selector,
      ingress: () => this.rules(),
    });
  }

  /** The rules as rendered: one per source, each on the app's ports. */
  public rules(): PolicyRule[] {
    const sources = [
      ...this.ingressNamespaces.map((ns) => PolicyPeer.namespace(ns)),
      ...(this.monitoringNamespace ? [PolicyPeer.namespace(this.monitoringNamespace)] : []),
      ...(this.sameNamespace ? [PolicyPeer.namespace(this.workload.namespace)] : []),
    ];
    return sources.map((peer) => ({ peers: [peer], ports: this.ports }));
  }
}

/** Shorthand: the ingress policy of a workload, placed next to it. */
export function workloadPolicy(workload: Workload, options: Omit<AppIngressPolicyProps, 'workload'> = {}): AppIngressPolicy {
  return new AppIngressPolicy(workload, 'IngressPolicy', { ...options, workload });
}
