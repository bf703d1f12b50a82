/**
 * What the cilium rules read: the cluster's CiliumRelease and the values its release object really renders
 * (generated values with the extra values merged), found among the rendered objects and read from the values file
 * the release object names (the file the bootstrap's helm install reads too).
 */
import { CiliumRelease } from '../../cilium-release.js';
import { hasKey, type CiliumChartVersion } from '../../cilium/chart-keys/index.js';
import type { RenderedObject, RuleContext } from '../rule.js';
import { currentFiles, releaseValuesOf, type TreeFiles } from '../values.js';

export interface RenderedCilium {
  readonly release: CiliumRelease;
  /** The HelmRelease or Application, as rendered. */
  readonly object: RenderedObject;
  /** Its values. */
  readonly values: Record<string, any>;
  readonly chartVersion: CiliumChartVersion;
}

/**
 * Values of a Flux HelmRelease or an Argo CD Application (Helm source) object, wherever they are written: inline, or
 * in the values file of the cluster folder the object reads (`files`: the tree the object belongs to).
 */
export function releaseValues(o: Pick<RenderedObject, 'kind' | 'json' | 'file'>, files?: TreeFiles): Record<string, any> | undefined {
  if (o.kind !== 'HelmRelease' && o.kind !== 'Application') return undefined;
  return releaseValuesOf(o, files);
}

/** The cluster's Cilium release as rendered, or undefined when the cluster has none. */
export function renderedCilium(ctx: RuleContext): RenderedCilium | undefined {
  const release = CiliumRelease.of(ctx.cluster);
  if (!release) return undefined;
  const path = release.chart.node.path;
  const object = ctx.objects.find((o) => o.path === `${path}/Resource`);
  if (!object) return undefined;
  return { release, object, values: releaseValues(object, currentFiles(ctx)) ?? {}, chartVersion: release.chartVersion as CiliumChartVersion };
}

/** The value at a dotted path (`gatewayAPI.enabled`). */
export function at(values: Record<string, any>, path: string): any {
  return path.split('.').reduce<any>((v, k) => (v !== null && typeof v === 'object' ? v[k] : undefined), values);
}

/** kubeProxyReplacement as the agent reads it: true, "true" (and the legacy "strict") enable it. */
export function kprEnabled(values: Record<string, any>): boolean {
  const v = values.kubeProxyReplacement;
  return v === true || v === 'true' || v === 'strict';
}

/**
 * Whether the chart version has the `nodePort.enabled` value. Only the 1.18 chart does: the 1.19 and 1.20 charts
 * dropped it (their templates never read it; NET-CIL2 reports it as an unknown key), so there kube-proxy replacement
 * is the only switch for the eBPF NodePort datapath.
 */
export function hasNodePortSwitch(chartVersion: CiliumChartVersion): boolean {
  return hasKey(chartVersion, 'nodePort.enabled');
}

/**
 * Whether the agent runs the eBPF NodePort datapath: kube-proxy replacement, or `nodePort.enabled` on a chart that
 * still has that value ({@link hasNodePortSwitch}).
 */
export function bpfNodePortEnabled(values: Record<string, any>, chartVersion: CiliumChartVersion): boolean {
  return kprEnabled(values) || (hasNodePortSwitch(chartVersion) && at(values, 'nodePort.enabled') === true);
}

/** Parse a Go duration as the chart takes it ("15s", "1m30s", or a bare number of seconds). */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let consumed = '';
  for (const m of value.matchAll(re)) {
    total += Number(m[1]) * unit[m[2]!]!;
    consumed += m[0];
  }
  return consumed === value && value !== '' ? total : undefined;
}
