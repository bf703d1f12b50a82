/**
 * reports/bootstrap.md: the apply order of a cluster, step by step, with what each step makes available and what each
 * layer takes from the steps before it — the proof the NET-BOOT rules check, in a form a reviewer reads.
 */
import { GitOpsFlavour } from '../gitops/gitops.js';
import { isBuiltIn, kindKey, kindOf, type ApiKind } from './kinds.js';
import { cniStep, providersOf, type ApplyOrder, type ApplyStep } from './model.js';
import { BOOTSTRAP_SCRIPT } from './steps.js';

/** The report's path under `clusters/<cluster>/`. */
export const BOOTSTRAP_REPORT = 'reports/bootstrap.md';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Kinds grouped by API group: `cert-manager.io: Certificate, ClusterIssuer`. Of a long group only the kinds the tree
 * uses are named, with how many more there are.
 */
function kindsByGroup(kinds: readonly ApiKind[], used: ReadonlySet<string>): string {
  const groups = new Map<string, ApiKind[]>();
  for (const k of kinds) groups.set(k.group, [...(groups.get(k.group) ?? []), k]);
  return [...groups]
    .map(([g, ks]) => {
      if (ks.length <= 12) return `${g || 'core'}: ${ks.map((k) => k.kind).join(', ')}`;
      const named = ks.filter((k) => used.has(kindKey(k)));
      return named.length ? `${g}: ${[...named.map((k) => k.kind), `${ks.length - named.length} more`].join(', ')}` : `${g}: ${ks.length} kinds`;
    })
    .join('; ');
}

function available(step: ApplyStep, used: ReadonlySet<string>, cni: ApplyStep | undefined): string {
  const parts: string[] = [];
  if (step.phase === 'nodes') parts.push('the API server and its built-in kinds');
  if (step.startsCni) {
    if (step.phase === 'nodes') parts.push("the distribution's own CNI (pods can run)");
    else if (cni && cni.index < step.index) parts.push(`Cilium, adopted: running since step ${cni.index}`);
    else parts.push('the CNI: pods can run');
  }
  if (step.provides.length)
    parts.push(
      kindsByGroup(
        step.provides.map((p) => p.kind),
        used,
      ),
    );
  return parts.join('; ') || '-';
}

/** The report's Markdown. */
export function renderBootstrapReport(order: ApplyOrder): string {
  const flux = order.engine === GitOpsFlavour.FLUX;
  const lines: string[] = [
    `# Bootstrap and apply order: ${order.cluster}`,
    '',
    `How the objects of \`clusters/${order.cluster}/\` reach the API server, in order: the nodes, the bootstrap`,
    `(\`bash clusters/${order.cluster}/${BOOTSTRAP_SCRIPT}${flux ? ' <flux bootstrap provider and flags>' : ''}\`), then ${flux ? 'Flux' : 'Argo CD'}, layer by layer.`,
    'Rules NET-BOOT1 to NET-BOOT5 check this order on every synth. Rendered by cdk8s-netkit; not applied.',
    '',
  ];
  if (order.applicationHealth) {
    lines.push(`Argo CD Application health: ${order.applicationHealth.reported ? 'reported' : 'NOT reported'} — ${order.applicationHealth.why}.`, '');
  }
  const used = new Set(order.steps.flatMap((s) => s.objects.map((o) => kindKey(kindOf(o.apiVersion, o.kind)))));
  lines.push('| # | step | how it reaches the cluster | needs pods | makes available | starts after |', '| --- | --- | --- | --- | --- | --- |');
  for (const s of order.steps) {
    lines.push(
      `| ${s.index} | ${cell(s.title)} | ${cell(s.by)} | ${s.needsPods ? 'yes' : 'no'} | ${cell(available(s, used, cniStep(order)))} | ${cell(s.waitsFor)} |`,
    );
  }
  lines.push('', '## What each step takes from the steps before it', '');
  let any = false;
  for (const s of order.steps) {
    const needs = new Map<string, string>();
    for (const o of s.objects) {
      const kind = kindOf(o.apiVersion, o.kind);
      if (isBuiltIn(kind) || needs.has(kindKey(kind))) continue;
      const from = providersOf(order, kind)[0];
      const by = from && from.provision.by !== from.step.label ? `: ${from.provision.by}` : '';
      needs.set(kindKey(kind), from ? `step ${from.step.index} (${from.step.label}${by})` : 'nothing in the tree (NET-BOOT1)');
    }
    // running pods: said where the CNI is news (the engine's install, or a CNI that comes with a layer)
    const cni = order.steps.find((x) => x.startsCni);
    const sayCni = s.needsPods && cni !== undefined && (s.phase === 'bootstrap' || cni.phase === 'engine') && s.index > cni.index ? cni : undefined;
    if (!needs.size && !sayCni) continue;
    any = true;
    lines.push(`- step ${s.index} (${s.label}):`);
    if (sayCni) lines.push(`  - running pods: the CNI from step ${sayCni.index} (${sayCni.label})`);
    for (const [k, from] of needs) lines.push(`  - ${k}: ${from}`);
  }
  if (!any) lines.push('Nothing: every object is of a built-in kind.');
  return `${lines.join('\n')}\n`;
}
