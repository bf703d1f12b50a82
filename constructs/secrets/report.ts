/**
 * The Secrets section of reports/bootstrap.md: every Secret the tree references, in the order the apply order needs
 * them, with how each is made (a command or SOPS file before the bootstrap, an ExternalSecret from the store, a
 * controller of the tree) and, for those the bootstrap needs at once, the command that force-syncs them.
 */
import type { Cluster } from '../cluster.js';
import type { RenderedObject } from '../core/rendered.js';
import type { ApplyOrder } from '../bootstrap/model.js';
import { FORCE_SYNC_ANNOTATION, SecretOrigin } from '../secret-source.js';
import { secretProvisions, secretReferences, type SecretProvision } from './references.js';
import { compareText } from '../core/order.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The step (index and label) that applies an object, if any. */
function stepOf(order: ApplyOrder, o: RenderedObject | undefined): { index: number; label: string } | undefined {
  if (!o) return undefined;
  const s = order.steps.find((x) => x.objects.some((y) => y.path === o.path && y.file === o.file));
  return s ? { index: s.index, label: s.label } : undefined;
}

/** Namespaces every cluster has before the bootstrap. */
const PRESENT_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** The command that creates namespace `ns` if it is not there yet (and leaves it alone if it is). */
export function namespaceCommand(ns: string): string {
  return `kubectl create namespace ${ns} --dry-run=client -o yaml | kubectl apply -f -`;
}

/** The command that makes External Secrets read the store for one ExternalSecret now. */
export function forceSyncCommand(namespace: string, name: string): string {
  return `kubectl -n ${namespace} annotate externalsecret ${name} ${FORCE_SYNC_ANNOTATION}="$(date +%s)" --overwrite`;
}

/** The section's Markdown lines. */
export function secretsSection(cluster: Cluster, order: ApplyOrder, objects: readonly RenderedObject[]): string[] {
  const refs = secretReferences(objects);
  if (!refs.length) return [];
  const provisions = new Map<string, SecretProvision>();
  // a declaration says more than the object it renders: keep the first of each Secret (declarations come first)
  for (const p of secretProvisions(cluster, objects)) if (!provisions.has(`${p.namespace}/${p.name}`)) provisions.set(`${p.namespace}/${p.name}`, p);
  const rows = new Map<string, { key: string; needed: number; neededBy: string[]; p?: SecretProvision }>();
  for (const r of refs) {
    const key = `${r.namespace}/${r.name}`;
    const step = stepOf(order, r.object)?.index ?? Number.MAX_SAFE_INTEGER;
    const row = rows.get(key) ?? { key, needed: step, neededBy: [], p: provisions.get(key) };
    row.needed = Math.min(row.needed, step);
    const by = `${r.object.kind} ${r.object.name} (${r.what})`;
    if (!row.neededBy.includes(by)) row.neededBy.push(by);
    rows.set(key, row);
  }
  const outOfBand = (row: { p?: SecretProvision }) => row.p?.origin === SecretOrigin.OUT_OF_BAND;
  const sorted = [...rows.values()].sort((a, b) => Number(outOfBand(b)) - Number(outOfBand(a)) || a.needed - b.needed || compareText(a.key, b.key));
  // the tree creates the namespaces of hand-made Secrets in a later step; create them first (idempotent: apply, not create)
  const handNamespaces = [...new Set(sorted.filter(outOfBand).map((r) => r.p!.namespace))].filter((ns) => !PRESENT_NAMESPACES.has(ns)).sort(compareText);
  const lines = [
    '## Secrets, in the order they are needed',
    '',
    'Every Secret the tree references, and how it comes to exist; none is in Git. Secrets made out of band come first: create',
    'them before the bootstrap. A Secret read from the store waits for the store alone, and only its consumers wait for it',
    '(the store’s layer gates no other layer, rule NET-SEC5). Rule NET-SEC4 fails the synth for a Secret without a source.',
    '',
    ...(handNamespaces.length
      ? [
          `The tree creates ${handNamespaces.length > 1 ? 'the namespaces' : 'the namespace'} of the Secrets made by hand only in its own step; create ${handNamespaces.length > 1 ? 'them' : 'it'}`,
          'first, so the commands below work as written before the bootstrap (applying a namespace the tree applies again later is harmless):',
          '',
          '```sh',
          ...handNamespaces.map(namespaceCommand),
          '```',
          '',
        ]
      : []),
    '| # | Secret | needed from | needed by | made by | made at |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  const forceSync: { namespace: string; name: string }[] = [];
  sorted.forEach((row, i) => {
    const p = row.p;
    const needed = row.needed === Number.MAX_SAFE_INTEGER ? '-' : `step ${row.needed} (${order.steps[row.needed]!.label})`;
    let made = p ? p.how : '**nothing: NET-SEC4**';
    let at = '-';
    if (p?.origin === SecretOrigin.OUT_OF_BAND)
      at = PRESENT_NAMESPACES.has(p.namespace)
        ? 'by hand, before the bootstrap'
        : `by hand, before the bootstrap, once namespace ${p.namespace} exists (above)`;
    else if (p?.by || p?.declared?.externalSecret) {
      const obj = p.by ?? objects.find((o) => o.path === p.declared?.externalSecret?.node.path);
      const s = stepOf(order, obj);
      at = s ? `step ${s.index} (${s.label})` : '-';
    }
    if (p?.origin === SecretOrigin.STORE && p.declared?.source.storeOptions.forceSync) {
      made += '; force-synced at bootstrap';
      forceSync.push({ namespace: p.namespace, name: p.name });
    }
    lines.push(`| ${i + 1} | ${cell(row.key)} | ${cell(needed)} | ${cell(row.neededBy.join('; '))} | ${cell(made)} | ${cell(at)} |`);
  });
  lines.push('');
  if (forceSync.length) {
    lines.push(
      'The bootstrap needs these at once: after the store is applied, make External Secrets read them now instead of at their',
      'next refresh (a new value of the annotation starts a sync), then check the Secrets themselves, not the store:',
      '',
      '```sh',
      ...forceSync.map((f) => forceSyncCommand(f.namespace, f.name)),
      ...forceSync.map(
        (f) => `kubectl -n ${f.namespace} wait externalsecret/${f.name} --for=condition=Ready --timeout=5m && kubectl -n ${f.namespace} get secret ${f.name}`,
      ),
      '```',
      '',
    );
  }
  return lines;
}
