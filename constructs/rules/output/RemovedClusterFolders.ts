import { defineRule } from '../rule.js';

/**
 * NET-OUT3: a folder written for a cluster the app no longer defines is reported, never deleted.
 *
 * Only the synthesizer sees every cluster folder of `clusters/` at once, so it evaluates this rule itself (see
 * output/synth.ts, `orphanFolders`); `check` yields nothing on its own.
 */
export const RemovedClusterFolders = defineRule({
  id: 'NET-OUT3',
  level: 'warning',
  title: 'A cluster folder whose cluster left the app is reported, not deleted',
  lesson:
    'Removing or renaming a Cluster in main.ts leaves its folder behind, still reconciled by whatever Flux or Argo CD ' +
    'points at it but never updated again. Deleting it automatically would be worse: a pruning GitOps engine would remove ' +
    'everything it had applied to that cluster.',
  source: 'foundation issue (ownership), Flux and Argo CD pruning',
  fix: 'Detach the cluster from its GitOps engine, then remove the folder by hand; after a rename, move flux-system/ along.',
  check: () => [],
});
