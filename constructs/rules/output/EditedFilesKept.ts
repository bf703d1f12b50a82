import { defineRule } from '../rule.js';

/**
 * NET-OUT5: a file the synthesizer wrote, no longer renders and someone edited since is kept as a hand-written file,
 * and said so: it may still be applied.
 */
export const EditedFilesKept = defineRule({
  id: 'NET-OUT5',
  level: 'warning',
  title: 'A rendered file edited by hand is kept, not deleted, when its construct goes, and the synth says it stays applied',
  lesson:
    'The synthesizer removes the files it wrote once nothing renders them. A file someone changed by hand since holds ' +
    "work the synthesizer did not write, so it is kept and becomes a hand-written file: listed in its folder's " +
    'kustomization.yaml like any other, and so still applied. Removing a construct then leaves its object running, which ' +
    'must not happen unseen.',
  source: 'issue 18 (nothing silently ignored); the ownership list (.netkit-owned) records the hash of each file written',
  fix: 'Delete the file if its object should go (a pruning engine then removes it from the cluster); keep it to maintain it by hand from now on.',
  *check({ cluster, existing }) {
    const listed = new Map((existing?.handWritten ?? []).filter((f) => f.status === 'listed').map((f) => [f.file, f.folder]));
    for (const file of existing?.released ?? []) {
      const folder = listed.get(file);
      yield {
        at: cluster,
        message:
          `clusters/${cluster.clusterName}/${file} was written by the synthesizer and changed by hand since; nothing renders it any more, ` +
          `so it is kept as a hand-written file` +
          (folder === undefined ? '' : ` and listed in ${folder ? `${folder}/` : ''}kustomization.yaml: the engine still applies it`),
        value: file,
        expected: 'a rendered file removed with its construct, or a hand-written file kept on purpose',
      };
    }
  },
});
