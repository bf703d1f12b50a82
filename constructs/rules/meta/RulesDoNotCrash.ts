import { defineRule } from '../rule.js';

/**
 * NET-RUN1: a construct that cannot be rendered, or a rule that throws, is reported, not a crash.
 *
 * Runs last (phase `failures`), over every failure the synthesizer met in the phases before.
 */
export const RulesDoNotCrash = defineRule({
  id: 'NET-RUN1',
  level: 'error',
  phase: 'failures',
  title: 'Rendering and every rule complete without throwing',
  lesson:
    'One failing check must not hide the findings of all the others: the error becomes a finding and the synth goes on. ' +
    'What failed was not checked, so no acknowledgement silences this rule.',
  source: 'cdk-nag, foundation issue (all findings at once)',
  fix: 'Read the error: it usually names input a construct could not use.',
  *check({ failures }) {
    for (const f of failures) yield { at: f.at, message: `${f.during} failed: ${f.error}`, ...(f.fix !== undefined ? { fix: f.fix } : {}) };
  },
});
