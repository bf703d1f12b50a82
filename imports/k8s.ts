/**
 * The Kubernetes core kinds (`k8s.KubeDeployment`, `k8s.KubeService`, ...) as cdk8s-plus-30 generates them: the
 * public escape hatch. The library's own constructs use imports/core.ts instead, so a synth does not evaluate this.
 *
 * Imported from the generated module itself rather than from the cdk8s-plus-30 index: only these L1 classes are
 * needed, and the index would also load every cdk8s-plus L2 construct.
 */
export * from 'cdk8s-plus-30/lib/imports/k8s.js';
