/**
 * L1: typed ApiObjects for each kind the library emits, and every Kubernetes core kind from cdk8s-plus-30 (`k8s`).
 * Use them as the escape hatch for anything the constructs do not model.
 */
export * as k8s from './k8s.js';
export * from './kind.js';
export * from './core.js';
export * from './flux.js';
export * from './argocd.js';
export * from './cilium.js';
export * from './gateway-api.js';
export * from './cert-manager.js';
export * from './cloudnative-pg.js';
export * from './external-secrets.js';
