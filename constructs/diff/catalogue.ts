/**
 * The risk catalogue: what a change to clusters/ can do to a running cluster that a line diff hides. Each risk has
 * a stable id (never renumbered or reused), a title, why it matters, what to do, and the rules that guard it;
 * RISKS.md is generated from this table (`npm run risks:doc`).
 */

/** One entry of the catalogue. */
export interface Risk {
  /** Stable id: `RISK-<n>`. */
  readonly id: string;
  readonly title: string;
  /** Why a reviewer should stop at it. */
  readonly why: string;
  /** What to do before merging. */
  readonly todo: string;
  /** The rules of RULES.md that guard it (checked at synth), if any. */
  readonly rules: readonly string[];
}

export const RISKS: readonly Risk[] = [
  {
    id: 'RISK-1',
    title: "Cilium's datapath changes on a running cluster",
    why:
      'Routing mode, tunnel protocol, kube-proxy replacement, IPAM mode and the pod CIDR are read by every agent when it ' +
      'starts. The DaemonSet rolls node by node, so for the length of the roll half the nodes run one datapath and half the ' +
      'other, and pods on different halves cannot reach each other (a field report lost its cluster this way).',
    todo:
      'Do not merge this as a values change. Plan a migration (node by node, or a fresh cluster), acknowledge NET-CIL11 on the ' +
      'CiliumRelease with the plan, and apply it in a maintenance window.',
    rules: ['NET-CIL11', 'NET-CIL20'],
  },
  {
    id: 'RISK-2',
    title: 'The MTU changes',
    why:
      "Cilium's agents restart with the new MTU, but a running pod keeps the MTU its interface was created with until it is " +
      'recreated. Until then paths with two MTUs drop large packets without an error (TLS handshakes and image pulls hang), ' +
      "and a router's MSS clamp computed for the old MTU no longer fits.",
    todo:
      'Roll it in a maintenance window: let the Cilium DaemonSet finish, then restart every workload; update the MSS clamp on ' +
      'the router (edge/router/) in the same window.',
    rules: ['NET-CLU4', 'NET-EDGE10', 'NET-EDGE11'],
  },
  {
    id: 'RISK-3',
    title: 'The Cilium minor version changes',
    why:
      'A minor upgrade restarts every agent and operator, can change defaults, and each minor implements one Gateway API ' +
      'release; skipping a minor or going back one is not supported upstream.',
    todo:
      "Move one minor at a time; read the minor's upgrade notes and run Cilium's pre-flight check before merging; keep the " +
      'Gateway API CRDs the tree pins for the new minor.',
    rules: ['NET-CIL10', 'NET-CIL17', 'NET-BOOT5'],
  },
  {
    id: 'RISK-4',
    title: 'The Gateway API CRD version or channel changes',
    why:
      "CRDs are cluster-wide and are not rolled back with a revert: from v1.5 on, the bundle's safe-upgrades admission policy " +
      "refuses older or experimental CRDs, and Cilium's operator reads the CRDs only when it starts.",
    todo: 'Change the CRDs together with the Cilium minor that implements them, forward only; restart cilium-operator after they are applied.',
    rules: ['NET-CIL17', 'NET-CIL10', 'NET-BOOT3'],
  },
  {
    id: 'RISK-5',
    title: 'An address moves',
    why:
      'Clients, DNS records, router port forwards and firewall rules outside the cluster name addresses: a LoadBalancer pool ' +
      'that shrinks or moves, a gateway or Service given another address, or an API endpoint or VIP that moves breaks them ' +
      'until each is updated, and the API endpoint is in every kubeconfig and in the nodes’ own configuration.',
    todo:
      'List everything that names the old address (DNS records, split DNS, port forwards, HAProxy, kubeconfigs, node ' +
      'configs) and change it in the same window; for the API endpoint, roll the nodes’ configuration first.',
    rules: ['NET-L2P12', 'NET-CLU5', 'NET-NODE1'],
  },
  {
    id: 'RISK-6',
    title: 'Exposure widened: a host becomes reachable from the internet',
    why: 'A route on the external gateway or a tunnel ingress rule publishes a service to everyone on the internet; the change is one line in a diff.',
    todo: 'Confirm the service is meant to be public and has its own authentication; otherwise expose it on the internal gateway only (the default of expose()).',
    rules: ['NET-GW9', 'NET-GW5'],
  },
  {
    id: 'RISK-7',
    title: 'Policy widened: a database gains a client',
    why:
      "The rendered NetworkPolicies, evaluated before and after with the project's reachability evaluator, let a workload (or " +
      'any pod of a namespace) reach a database on 5432 that could not before.',
    todo: 'Check that each new client → database pair is intended: db.connections.allowFrom(app) names it; a stranger pod of a namespace reaching a database never is.',
    rules: ['NET-DB4'],
  },
  {
    id: 'RISK-8',
    title: 'Policy narrowed: a client loses its database',
    why: 'A workload that reached a database on 5432 before no longer does after the change: the application fails at its next connection.',
    todo: 'Check that the client is meant to lose access (it moved, or was removed); otherwise declare it again with db.connections.allowFrom(app).',
    rules: ['NET-DB2', 'NET-DB4'],
  },
  {
    id: 'RISK-9',
    title: 'Data at risk: a database, a volume claim or a namespace holding one is deleted or renamed',
    why:
      'Deleting a CloudNativePG Cluster or a PersistentVolumeClaim (or the namespace that holds one) deletes its data with ' +
      'the default reclaim policy; a rename is a delete and a create, so the new object starts empty.',
    todo: 'Take and verify a backup first; for a rename, restore into the new name (CNPG bootstrap.recovery) or keep the old name.',
    rules: [],
  },
  {
    id: 'RISK-10',
    title: 'The GitOps engine prunes an object',
    why:
      'An object removed (or renamed) under a Flux Kustomization with prune: true or an Argo CD Application with automated ' +
      'prune is deleted from the cluster at the next reconcile; a removed layer entry takes every object of its layer with it.',
    todo:
      'Check the object is meant to go; to keep it running, annotate it kustomize.toolkit.fluxcd.io/prune: disabled (Flux) or ' +
      'argocd.argoproj.io/sync-options: Prune=false (Argo CD) in a change before the one that removes it.',
    rules: [],
  },
  {
    id: 'RISK-11',
    title: 'Private access widened: a network becomes reachable over WARP',
    why:
      "A network added to the tunnel's private routes (edge/cloudflare/tunnel-private-routes.json) or to WARP's split-tunnel " +
      'include list (warp-split-tunnel-include.json) lets every enrolled WARP device that the Zero Trust policies admit reach ' +
      "it from anywhere: the cluster's services, pods or nodes, or a host's whole subnet, without passing a gateway.",
    todo:
      'Check that each added network is meant to be reached from WARP devices and that the Access (Gateway network) policies ' +
      'limit who may; prefer the narrowest CIDR that serves the purpose.',
    rules: ['NET-EDGE14'],
  },
];

/** The risk with `id`; an unknown id is a programming error. */
export function risk(id: string): Risk {
  const r = RISKS.find((x) => x.id === id);
  if (!r) throw new Error(`${id} is not in the risk catalogue`);
  return r;
}

/** The anchor of a heading `### RISK-1` / `### NET-CIL11` on GitHub. */
export function anchor(id: string): string {
  return id.toLowerCase();
}
