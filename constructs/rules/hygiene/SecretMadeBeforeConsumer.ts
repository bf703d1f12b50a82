import { defineRule } from '../rule.js';
import { orderOf, stepName } from '../bootstrap/model.js';
import { secretProvisions, secretReferences } from '../../secrets/references.js';

/**
 * NET-SEC6: a Secret the tree makes (an ExternalSecret, a cert-manager Certificate, a CloudNativePG cluster) is applied
 * no later than its first consumer: in the consumer's own step, or in a step the consumer's step starts after.
 */
export const SecretMadeBeforeConsumer = defineRule({
  id: 'NET-SEC6',
  level: 'error',
  title: 'A Secret the tree makes is applied in its consumer’s step or before it, never after',
  lesson:
    'A pod needs its Secret before it starts. When what makes the Secret (its ExternalSecret, Certificate or database) is ' +
    "applied in a later layer than the pod, the pod's layer waits for its own health, which never comes, and the later " +
    'layer is never applied: the graph deadlocks. Seed 004 keeps each Secret a dependency of its consumers only; that holds ' +
    'only if the Secret is made with them.',
  source: 'seed 004 (phase 4: Secrets the bootstrap needs are checked as Secrets); issue 19',
  fix: "Make the Secret beside its consumer (SecretSource.fromStore on the consumer's own reference renders the ExternalSecret in the consumer's folder), or move the consumer to a later layer.",
  *check(ctx) {
    const provisions = new Map<string, ReturnType<typeof secretProvisions>>();
    for (const p of secretProvisions(ctx.cluster, ctx.objects)) {
      const key = `${p.namespace}/${p.name}`;
      provisions.set(key, [...(provisions.get(key) ?? []), p]);
    }
    const refs = secretReferences(ctx.objects);
    if (!refs.length) return;
    const order = orderOf(ctx);
    const stepOf = (path: string, file: string) => order.steps.find((s) => s.objects.some((o) => o.path === path && o.file === file));
    for (const r of refs) {
      const made = (provisions.get(`${r.namespace}/${r.name}`) ?? []).filter((p) => p.by);
      if (!made.length) continue;
      const consumer = stepOf(r.object.path, r.object.file);
      if (!consumer) continue;
      const steps = made.map((p) => ({ p, step: stepOf(p.by!.path, p.by!.file) }));
      // one maker in time is enough
      if (steps.some(({ step }) => !step || step.index === consumer.index || consumer.appliedBefore.has(step.index))) continue;
      const late = steps[0]!;
      yield {
        at: r.object.path,
        message:
          `${r.object.kind} ${r.object.namespace ? `${r.object.namespace}/` : ''}${r.object.name} needs Secret ${r.namespace}/${r.name} in ${stepName(consumer)}, ` +
          `but ${late.p.by!.kind} ${late.p.by!.name} that makes it (${late.p.by!.file}) is applied in ${stepName(late.step!)}, which does not come before it`,
        value: r.name,
        expected: `what makes ${r.namespace}/${r.name} in ${stepName(consumer)} or a step before it`,
      };
    }
  },
});
