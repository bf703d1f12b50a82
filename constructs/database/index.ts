export * from './app-ingress-policy.js';
export * from './cnpg-operator.js';
export * from './connections.js';
export * from './external-database.js';
export * from './policy.js';
