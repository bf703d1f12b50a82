/**
 * `reports/review.md`: what a reviewer of the GitOps diff should know that the manifests do not say — the
 * acknowledged findings with their reasons, and the open warnings.
 */
import { show, type AcknowledgedFinding, type Finding } from '../errors.js';

export function renderReview(cluster: string, warnings: readonly Finding[], acknowledged: readonly AcknowledgedFinding[]): string | undefined {
  if (!warnings.length && !acknowledged.length) return undefined;
  const lines = [
    `# ${cluster}: findings for review`,
    '',
    'Rendered by cdk8s-netkit at synth. Every rule, its lesson and its fix: RULES.md of cdk8s-netkit (in its repository and its npm package).',
    '',
  ];
  if (acknowledged.length) {
    lines.push('## Acknowledged', '', '| rule | at | finding | reason (acknowledged at) |', '| --- | --- | --- | --- |');
    for (const a of acknowledged) lines.push(`| ${a.ruleId} | \`${a.path}\` | ${cell(message(a))} | ${cell(a.reason)} (\`${a.acknowledgedAt}\`) |`);
    lines.push('');
  }
  if (warnings.length) {
    lines.push('## Warnings', '', '| rule | at | finding | fix |', '| --- | --- | --- | --- |');
    for (const w of warnings) lines.push(`| ${w.ruleId} | \`${w.path}\` | ${cell(message(w))} | ${cell(w.fix)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

function message(f: Finding): string {
  return `${f.message}${f.value !== undefined ? ` (value: ${show(f.value)})` : ''}${f.expected ? `; expected ${f.expected}` : ''}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
