/**
 * L1: typed ApiObjects for each CRD kind the library emits, and the Kubernetes core kinds from cdk8s-plus-30.
 * Use them as the escape hatch for anything the constructs do not model.
 */
export * as k8s from './k8s.js';
export * from './kind.js';
export * from './flux.js';
export * from './argocd.js';
export * from './cilium.js';
export * from './gateway-api.js';
export * from './cert-manager.js';
export * from './cloudnative-pg.js';
export * from './external-secrets.js';
