/** What a node does in a cluster: one name for the Cluster model and for the edge renderers. */

/** A node's role. A k3s server or Talos control-plane node is `CONTROL_PLANE` (it also runs workloads unless tainted). */
export enum NodeRole {
  CONTROL_PLANE = 'control-plane',
  WORKER = 'worker',
}
