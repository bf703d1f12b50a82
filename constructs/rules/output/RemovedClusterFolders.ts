import { defineRule } from '../rule.js';

/**
 * NET-OUT3: a folder written for a cluster the app no longer defines is reported, never deleted. Runs once for the
 * app, which alone sees every cluster and every folder of the output.
 */
export const RemovedClusterFolders = defineRule({
  id: 'NET-OUT3',
  level: 'warning',
  phase: 'app',
  title: 'A cluster folder whose cluster left the app is reported, not deleted',
  lesson:
    'Removing or renaming a Cluster in main.ts leaves its folder behind, still reconciled by whatever Flux or Argo CD ' +
    'points at it but never updated again. Deleting it automatically would be worse: a pruning GitOps engine would remove ' +
    'everything it had applied to that cluster.',
  source: 'foundation issue (ownership), Flux and Argo CD pruning',
  fix: 'Detach the cluster from its GitOps engine, then remove the folder by hand; after a rename, move flux-system/ along.',
  *check({ outdir, clusters, writtenFolders }) {
    const names = new Set(clusters.map((c) => c.clusterName));
    for (const name of writtenFolders) {
      if (names.has(name)) continue;
      yield {
        at: `${outdir}/${name}`,
        message: `${outdir}/${name}/ was written for a cluster the app no longer defines; it is kept and no longer updated`,
        value: name,
        expected: 'a folder for each cluster of the app, and no other',
        fix: `If the cluster is gone, detach it from Flux or Argo CD first (a pruning engine would delete everything it applied), then git rm -r ${outdir}/${name}; if it was renamed, move its flux-system/ to the new folder.`,
      };
    }
  },
});
