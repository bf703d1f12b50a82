/**
 * Offline reachability over rendered manifests: "can A reach B on port P" under Kubernetes NetworkPolicy.
 */
export { NetworkModel } from './evaluator.js';
export type { ExternalEndpointInput, MatrixOptions, MatrixTarget, NetworkModelOptions, Peer, ReachabilityMatrix, SideVerdict, Verdict } from './evaluator.js';
export { renderMatrix } from './render.js';
export type { RenderMatrixOptions } from './render.js';
export { CNPG_INSTANCE_PORTS, NAMESPACE_NAME_LABEL } from './workloads.js';
export type { HypotheticalWorkload } from './workloads.js';
export { ReachabilityError } from './types.js';
export type { ContainerPort, Endpoint, ExternalEndpoint, KubeObject, Labels, Protocol, Workload } from './types.js';
export type { Direction } from './policy.js';
export { CILIUM_NAMESPACE_LABEL } from './cilium-policy.js';
