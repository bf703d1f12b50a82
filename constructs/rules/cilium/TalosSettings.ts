import { Distribution } from '../../cluster.js';
import { TALOS_CGROUP_ROOT } from '../../cilium/defaults.js';
import { defineRule } from '../rule.js';
import { at, renderedCilium } from './model.js';

/** NET-CIL13: on Talos, Cilium uses Talos' cgroup mount and asks for no SYS_MODULE capability. */
export const TalosSettings = defineRule({
  id: 'NET-CIL13',
  level: 'error',
  title: "On Talos, Cilium uses Talos' cgroup v2 mount and drops SYS_MODULE",
  lesson:
    'Talos mounts cgroup v2 at /sys/fs/cgroup and forbids workloads from loading kernel modules. With the chart ' +
    'defaults (cgroup auto-mount, SYS_MODULE in the agent and clean-state capabilities) the agent pods fail to start.',
  source: 'https://docs.siderolabs.com/kubernetes-guides/cni/deploying-cilium',
  fix: 'Leave the Talos settings to CiliumRelease; do not override cgroup or securityContext.capabilities in extraValues.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || ctx.cluster.distribution !== Distribution.TALOS) return;
    if (at(r.values, 'cgroup.autoMount.enabled') !== false) {
      yield {
        at: r.release,
        message: 'Cilium would mount its own cgroup v2 hierarchy on Talos',
        value: { 'cgroup.autoMount.enabled': at(r.values, 'cgroup.autoMount.enabled') ?? true },
        expected: 'cgroup.autoMount.enabled: false',
      };
    }
    if (at(r.values, 'cgroup.hostRoot') !== TALOS_CGROUP_ROOT) {
      yield {
        at: r.release,
        message: "cgroup.hostRoot is not Talos' cgroup v2 mount",
        value: at(r.values, 'cgroup.hostRoot') ?? '/run/cilium/cgroupv2',
        expected: TALOS_CGROUP_ROOT,
      };
    }
    for (const key of ['ciliumAgent', 'cleanCiliumState']) {
      const caps = at(r.values, `securityContext.capabilities.${key}`);
      if (!Array.isArray(caps) || caps.includes('SYS_MODULE')) {
        yield {
          at: r.release,
          message: `securityContext.capabilities.${key} ${Array.isArray(caps) ? 'includes' : 'is the chart default, which includes'} SYS_MODULE, which Talos forbids`,
          value: caps ?? 'chart default',
          expected: 'the chart default list without SYS_MODULE',
        };
      }
    }
  },
});
