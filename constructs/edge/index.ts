/**
 * Edge renderers: files that live outside Kubernetes (HAProxy, node firewalls, registry mirrors, MSS
 * clamping), written under clusters/<name>/edge/, a folder Flux and Argo CD never apply.
 */
export * from './types.js';
export * from './haproxy.js';
export * from './firewall.js';
export * from './registry-mirror.js';
export * from './mss.js';
