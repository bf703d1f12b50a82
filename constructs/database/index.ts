/** The database area's internals that are part of the public API: connections and policy intent. */
export * from './connections.js';
export * from './policy.js';
