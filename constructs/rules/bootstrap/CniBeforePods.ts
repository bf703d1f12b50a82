import { cniStep } from '../../bootstrap/model.js';
import { defineRule } from '../rule.js';
import { orderOf, stepName } from './model.js';

/** NET-BOOT2: no step that needs running pods comes before the CNI is up. */
export const CniBeforePods = defineRule({
  id: 'NET-BOOT2',
  level: 'error',
  title: 'No pod-running controller comes before the CNI: Cilium is installed before the GitOps engine',
  lesson:
    'With flannel-backend: none (k3s) or cni: none (Talos) no pod starts until the CNI runs, and Flux and Argo CD are ' +
    'pods: an engine that is to install the CNI waits for it forever. Seed 001 broke the loop by hand (helm install ' +
    'cilium, then the HelmRelease took over); the bootstrap does it in order. Cilium itself runs on the host network ' +
    'and needs no CNI.',
  source: 'seed 001 (steps 6 and 7); onedr0p/cluster-template bootstrap (cilium first: nothing schedules without a CNI)',
  fix: 'Install Cilium with a CiliumRelease: the bootstrap bundle installs it with helm before the engine, from the values file the engine adopts it with.',
  *check(ctx) {
    const order = orderOf(ctx);
    const cni = cniStep(order);
    // a step after the CNI's that only does not wait for its health is NET-BOOT4's
    const early = order.steps.filter(
      (s) => s.needsPods && (!cni || (!s.healthyBefore.has(cni.index) && !s.appliedBefore.has(cni.index) && s.index !== cni.index)),
    );
    if (!early.length) return;
    const first = early[0]!;
    yield {
      at: first.path,
      message: cni
        ? `${stepName(first)} needs running pods, but the CNI only comes with ${stepName(cni)}: ${first.phase === 'bootstrap' ? 'the engine would wait for a CNI that only it installs' : 'its pods stay Pending until then'}`
        : `${stepName(first)} needs running pods, but nothing in the bootstrap or the tree installs a CNI`,
      value: early.map((s) => s.id),
      expected: cni ? `${stepName(cni)} done before ${stepName(first)}` : 'a CNI installed before the engine',
    };
  },
});
