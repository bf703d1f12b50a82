import { defineRule } from '../rule.js';

/** NET-OUT2: the synthesizer never overwrites a file it did not write. */
export const ForeignFilesKept = defineRule({
  id: 'NET-OUT2',
  level: 'error',
  title: 'The synthesizer never overwrites or claims a file it did not write',
  lesson:
    "clusters/ is shared with people and with `flux bootstrap`: a hand-written manifest or bootstrap's flux-system/ must " +
    'survive every synth. The synthesizer records the files it owns and refuses to write over any other; no acknowledgement ' +
    'silences this rule.',
  source: 'foundation issue (ownership), Flux bootstrap layout',
  fix: 'Move or rename the hand-written file, or rename the construct whose output collides with it.',
  *check({ cluster, objects, existing }) {
    if (!existing) return;
    const rendered = new Set(existing.rendered);
    for (const file of rendered) {
      if (existing.foreign.has(file)) {
        const obj = objects.find((o) => o.file === file);
        yield {
          at: obj?.path ?? cluster.node.path,
          message: `clusters/${cluster.clusterName}/${file} exists and was not written by the synthesizer`,
          value: file,
          expected: 'a path the synthesizer owns or a free one',
        };
      }
    }
    for (const file of rendered) {
      if (file === 'flux-system' || file.startsWith('flux-system/')) {
        yield {
          at: cluster,
          message: 'output would be written into flux-system/, which belongs to flux bootstrap',
          value: file,
          expected: 'any folder but flux-system/',
        };
      }
    }
  },
});
