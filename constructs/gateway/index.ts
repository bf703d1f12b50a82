/** The DualGateway's internals that are part of the public API: route support per Cilium minor, split DNS. */
export * from './route-support.js';
export * from './split-dns.js';
