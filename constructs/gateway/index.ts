/** The DualGateway's parts: tunnel, split DNS, cert-manager, route support per Cilium minor. */
export * from './cert-manager.js';
export * from './cloudflared.js';
export * from './route-support.js';
export * from './split-dns.js';
