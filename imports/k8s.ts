/**
 * The Kubernetes core kinds (`k8s.KubeDeployment`, `k8s.KubeService`, ...) as cdk8s-plus-30 generates them.
 *
 * Imported from the generated module itself rather than from the cdk8s-plus-30 index: the library uses only these
 * L1 classes, and the index would also load every cdk8s-plus L2 construct at start-up.
 */
export * from 'cdk8s-plus-30/lib/imports/k8s.js';
