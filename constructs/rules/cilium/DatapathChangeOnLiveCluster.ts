import { CiliumRelease } from '../../cilium-release.js';
import { defineRule, type RenderedObject } from '../rule.js';
import { previousFiles } from '../values.js';
import { at, kprEnabled, releaseValues, renderedCilium } from './model.js';

/** The datapath settings that cannot change on a running cluster, normalized to what the agent reads. */
function datapath(values: Record<string, any>): Record<string, string> {
  const routing = values.routingMode === 'native' ? 'native' : 'tunnel';
  const ipam = (at(values, 'ipam.mode') as string | undefined) || 'cluster-pool';
  const pods = at(values, 'ipam.operator.clusterPoolIPv4PodCIDRList');
  return {
    routingMode: routing,
    tunnelProtocol: routing === 'tunnel' ? values.tunnelProtocol || 'vxlan' : '-',
    kubeProxyReplacement: String(kprEnabled(values)),
    'ipam.mode': ipam,
    'ipam.operator.clusterPoolIPv4PodCIDRList': ipam === 'cluster-pool' ? ([] as string[]).concat(pods ?? ['10.0.0.0/8']).join(',') : '-',
  };
}

const WHY: Record<string, string> = {
  routingMode: "nodes on the old and the new routing mode cannot reach each other's pods while the DaemonSet rolls (cilium#36968; seed 001)",
  tunnelProtocol: "nodes on VXLAN and Geneve cannot decapsulate each other's traffic while the DaemonSet rolls",
  kubeProxyReplacement:
    "services break while some nodes use kube-proxy's rules and others eBPF, and kube-proxy must be removed or restored on every node at the same time",
  'ipam.mode': 'existing pods keep addresses the new IPAM mode does not know; upstream says never to change it on a live cluster',
  'ipam.operator.clusterPoolIPv4PodCIDRList': 'nodes keep their allocated pod CIDRs; pods get addresses outside the new CIDR or collide',
};

/** NET-CIL11: routing mode, tunnel protocol, kube-proxy replacement, IPAM mode and pod CIDR never change on a live cluster. */
export const DatapathChangeOnLiveCluster = defineRule({
  id: 'NET-CIL11',
  level: 'error',
  title: 'No datapath change on a live cluster without a migration plan',
  lesson:
    'Switching routing mode, tunnel protocol, kube-proxy replacement, IPAM mode or the pod CIDR by a rolling DaemonSet ' +
    'update leaves half the nodes on each datapath: seed 001 lost the cluster this way. It is a migration (per-node ' +
    'or from scratch, cilium#9680), never a values change.',
  source: 'seed 001; cilium#36968; cilium#9680; https://docs.cilium.io/en/stable/network/concepts/ipam/',
  fix: 'Revert the change, or plan the migration and acknowledge NET-CIL11 on the CiliumRelease with the plan as reason.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r || !ctx.previous) return;
    const prev = [...ctx.previous.ofKind('HelmRelease'), ...ctx.previous.ofKind('Application')].find((o) => {
      const j = o.json;
      if (j.kind === 'HelmRelease') return j.metadata?.name === CiliumRelease.RELEASE_NAME && j.metadata?.namespace === CiliumRelease.NAMESPACE;
      if (j.kind === 'Application') {
        const charts = [j.spec?.source, ...(Array.isArray(j.spec?.sources) ? j.spec.sources : [])].map((s: any) => s?.chart);
        return charts.includes('cilium') && j.spec?.destination?.namespace === CiliumRelease.NAMESPACE;
      }
      return false;
    });
    if (!prev) return;
    // The committed values: inline in the release object (trees written before the values file), or in the values file
    // the committed object names, read from the committed tree.
    const before = datapath(
      releaseValues({ kind: String(prev.json.kind), json: prev.json as RenderedObject['json'], file: prev.file }, previousFiles(ctx)) ?? {},
    );
    const after = datapath(r.values);
    for (const key of Object.keys(after)) {
      if (before[key] === after[key]) continue;
      // '-': the setting does not apply on one side (no tunnel under native routing, no pool CIDR outside cluster-pool
      // IPAM); the change of the setting it depends on is the finding, with the reason that fits.
      if (before[key] === '-' || after[key] === '-') continue;
      yield {
        at: r.release,
        message: `${key} changes on a live cluster (committed in ${prev.file}); this is not a rolling change: ${WHY[key]}`,
        value: { before: before[key], after: after[key] },
        expected: `${key} unchanged (${before[key]})`,
      };
    }
  },
});
