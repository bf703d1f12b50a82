import { defineRule } from '../rule.js';

/**
 * NET-RUN1: a rule or a construct that throws while rendering is reported, not a crash.
 *
 * Raised by the synthesizer around each rule and each object it renders; `check` yields nothing on its own.
 */
export const RulesDoNotCrash = defineRule({
  id: 'NET-RUN1',
  level: 'error',
  title: 'Rendering and every rule complete without throwing',
  lesson: 'One failing check must not hide the findings of all the others: the error becomes a finding and the synth goes on.',
  source: 'cdk-nag, foundation issue (all findings at once)',
  fix: 'Read the error in the message; it usually names input the construct could not parse.',
  check: () => [],
});
