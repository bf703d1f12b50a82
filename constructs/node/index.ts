/** The node configuration renderers (Talos machine-config patches, kube-vip for k3s): pure functions over plain input. */
export * from './talos.js';
export * from './kube-vip.js';
