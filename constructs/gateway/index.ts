/** The DualGateway's internals that are part of the public API: the API group, route support per Cilium minor, split DNS. */
export * from './api-group.js';
export * from './route-support.js';
export * from './split-dns.js';
