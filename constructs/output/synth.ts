/**
 * The synthesizer: renders every Cluster of an app, runs every rule over it, and writes `clusters/` only when no
 * rule found an error — all findings of all clusters are reported together. Every finding comes from a rule of the
 * catalogue: the synthesizer only says what failed on the way (`SynthFailure`), and NET-RUN1 reports it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { acknowledgementOf, Acknowledgements, isUnder, type Acknowledgement } from '../acknowledgements.js';
import { BootstrapBundle } from '../bootstrap-bundle.js';
import { Cluster } from '../cluster.js';
import { SynthError, sortFindings, type AcknowledgedFinding, type Finding } from '../errors.js';
import { Findings, PROP_RULES, PROPS_CHECKED_METADATA, type RecordedFinding } from '../findings.js';
import { RULES } from '../rules/catalogue.js';
import {
  recordedResult,
  toFinding,
  type AppContext,
  type PreviousTree,
  type RenderedObject,
  type ReviewContext,
  type Rule,
  type RuleContext,
  type RuleResult,
  type SynthFailure,
} from '../rules/rule.js';
import { preloadModels } from '../schema/schema.js';
import { BOOTSTRAP_REPORT, bootstrapReport } from './bootstrap-report.js';
import { layoutFiles, renderObjects } from './render.js';
import { renderReview } from './review.js';
import { planHandWritten, type HandWrittenPlan } from './foreign.js';
import {
  diffCluster,
  foreignFiles,
  readFolder,
  recoverInterruptedWrite,
  releasedFiles,
  writeCluster,
  writtenFolders,
  type FolderState,
  type WriteResult,
} from './writer.js';
import { TOPOLOGY_REPORT, topologyReport } from './topology-report.js';
import { compareText } from '../core/order.js';
import { CheckCache, checkKey, type CheckCacheOptions } from './check-cache.js';
import { withTreeListed } from '../core/tree.js';

export interface SynthOptions {
  /**
   * Folder that holds one sub-folder per cluster.
   *
   * @default 'clusters'
   */
  readonly outdir?: string;
  /**
   * Write the files. With false, every check runs and nothing is written (`npm run check`).
   *
   * @default true
   */
  readonly write?: boolean;
  /**
   * Keep the findings of each cluster's rules and skip the rules of a cluster whose inputs are unchanged (see
   * output/check-cache.ts). `netkit synth` turns it on.
   *
   * @default no cache: every rule runs
   */
  readonly checkCache?: CheckCacheOptions;
}

export interface ClusterSynthResult {
  readonly name: string;
  readonly dir: string;
  /** Every file of the cluster's folder the synthesizer renders, by relative path. */
  readonly files: ReadonlyMap<string, string>;
  readonly objects: readonly RenderedObject[];
  readonly findings: readonly Finding[];
  readonly acknowledged: readonly AcknowledgedFinding[];
  /** What changed on disk (or would change, without write). */
  readonly changes: WriteResult;
}

export interface SynthResult {
  readonly clusters: readonly ClusterSynthResult[];
  /** Every unacknowledged finding (warnings only, when the synth succeeded). */
  readonly findings: readonly Finding[];
}

/**
 * Synthesize every Cluster below `root`. Throws {@link SynthError} with every finding when any is an error; in
 * that case nothing has been written.
 *
 * The rules run phase by phase (see `RulePhase` in rules/rule.ts): per cluster, the findings its constructs recorded
 * (`model`), the checks over its constructs and rendered objects (`rules`), the checks of its acknowledgements
 * (`review`); then once for the app (`app`), and last the report of whatever failed on the way (`failures`).
 */
export async function synthesize(root: IConstruct, options: SynthOptions = {}): Promise<SynthResult> {
  const outdir = options.outdir ?? 'clusters';
  const clusters = root.node.findAll().filter((c): c is Cluster => c instanceof Cluster);
  const ruleIds = new Set(RULES.map((r) => r.id));
  const results: ClusterSynthResult[] = [];
  const siblings = (options.write ?? true) && existsSync(outdir) ? readdirSync(outdir) : [];
  const failures: SynthFailure[] = [];
  const cache = options.checkCache ? CheckCache.open(options.checkCache, outdir) : undefined;

  for (const cluster of clusters) {
    const dir = join(outdir, cluster.clusterName);
    const at = cluster.node.path;
    const findings: Finding[] = [];
    const attempt = <T>(during: string, fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (e) {
        failures.push({ at, during, error: messageOf(e) });
        return undefined;
      }
    };
    // A write killed halfway may have left the previous tree beside the folder: put it back before reading it.
    if (options.write ?? true) recoverInterruptedWrite(dir, siblings);
    // every cluster has a bootstrap bundle: what runs before its GitOps engine can (bootstrap/bootstrap.sh)
    attempt(`adding the bootstrap bundle of ${at}`, () => BootstrapBundle.ensure(cluster));
    attempt(`creating the namespaces of ${at}`, () => cluster.prepare());
    const rendered = renderObjects(cluster);
    const objects = rendered.objects;
    failures.push(...rendered.failures);
    const extra = attempt('rendering the reports and edge files', () => cluster.renderExtraFiles()) ?? new Map<string, string>();
    attempt(`rendering ${BOOTSTRAP_REPORT}`, () => extra.set(BOOTSTRAP_REPORT, bootstrapReport(cluster, objects, extra)));
    attempt(`rendering ${TOPOLOGY_REPORT}`, () => extra.set(TOPOLOGY_REPORT, topologyReport(cluster, objects)));
    try {
      await preloadModels(objects.map((o) => o.json));
    } catch (e) {
      failures.push({ at, during: 'loading the schemas of the rendered kinds', error: messageOf(e) });
    }
    // what the folder holds now, read once for the layout, the rules, the diff and the previous objects
    const folder = readFolder(dir);
    const foreign = foreignFiles(dir, folder);
    // hand-written manifests beside the rendered files are listed in their folder's kustomization.yaml (output/foreign.ts)
    let handWritten: HandWrittenPlan | undefined;
    // files it wrote, no longer renders and someone edited since are kept as hand-written ones (writer.ts)
    let released: string[] = [];
    const listHandWritten = (applied: ReadonlySet<string>, rendered: ReadonlySet<string>) => {
      released = releasedFiles(folder, new Set([...rendered, 'reports/review.md']));
      handWritten = planHandWritten(dir, new Set([...foreign, ...released]), applied, rendered);
      return handWritten.entries;
    };
    const files =
      attempt(`laying out the files of clusters/${cluster.clusterName}/`, () => layoutFiles(cluster, objects, extra, listHandWritten)) ??
      new Map<string, string>();

    const acknowledgements = Acknowledgements.within(cluster);
    const ctx: RuleContext = {
      cluster,
      objects,
      previous: readPrevious(dir, folder, files, objects),
      existing: { rendered: [...files.keys(), 'reports/review.md'], foreign, handWritten: handWritten?.files ?? [], released },
      extraFiles: extra,
      acknowledgements,
      ruleIds,
    };
    // the rules read the tree and never add to it: list it once for all of them
    withTreeListed(cluster, () => {
      const recorded = Findings.within(cluster);
      findings.push(...reportRecorded(recorded, failures));
      const key =
        cache &&
        attempt(`computing the check cache key of ${at}`, () =>
          checkKey({ identity: cache.options.identity, rules: RULES, cluster, dir, files, extraFiles: extra, objects, recorded, acknowledgements, folder }),
        );
      const cached = key === undefined ? undefined : cache?.lookup(cluster.clusterName, key);
      if (cached) {
        findings.push(...cached.findings);
        failures.push(...cached.failures);
        return;
      }
      const [findingsBefore, failuresBefore] = [findings.length, failures.length];
      for (const rule of RULES) if (rule.phase === undefined || rule.phase === 'rules') runRule(rule, () => rule.check(ctx), at, findings, failures);
      const review: ReviewContext = { ...ctx, findings: [...findings] };
      for (const rule of RULES) if (rule.phase === 'review') runRule(rule, () => rule.check(review), at, findings, failures);
      if (key !== undefined) cache?.store(cluster.clusterName, key, { findings: findings.slice(findingsBefore), failures: failures.slice(failuresBefore) });
    });

    const { open, acknowledged } = applyAcknowledgements(collapseFollowOns(cluster, findings), acknowledgements);
    const review = renderReview(cluster.clusterName, open, acknowledged);
    const allFiles = new Map(files);
    if (review) allFiles.set('reports/review.md', review);
    const sortedFiles = new Map([...allFiles].sort(([a], [b]) => compareText(a, b)));
    results.push({
      name: cluster.clusterName,
      dir,
      files: sortedFiles,
      objects,
      findings: sortFindings(open),
      acknowledged,
      changes: diffCluster(dir, sortedFiles, folder),
    });
  }

  // Once for the app: what constructs outside every cluster recorded, and the checks across clusters.
  const appFindings: Finding[] = reportRecorded(
    Findings.within(root).filter((f) => !clusters.some((c) => isUnder(f.path, c.node.path))),
    failures,
  );
  const app: AppContext = { root, clusters, outdir, writtenFolders: writtenFolders(outdir), acknowledgements: Acknowledgements.within(root), ruleIds };
  for (const rule of RULES) if (rule.phase === 'app') runRule(rule, () => rule.check(app), root.node.path, appFindings, failures);
  // Last, every failure on the way as a finding. These rules only restate the failures given; one that throws is a
  // bug of the synthesizer and surfaces as such.
  for (const rule of RULES) if (rule.phase === 'failures') for (const r of rule.check({ failures: [...failures] })) appFindings.push(toFinding(rule, r));

  cache?.save();
  const all = sortFindings([...appFindings, ...results.flatMap((r) => r.findings)]);
  if (all.some((f) => f.level === 'error')) throw new SynthError(all);
  if (options.write ?? true) {
    for (const r of results) writeCluster(r.dir, r.files, r.changes);
  }
  return { clusters: results, findings: all };
}

const PROP_RULE_IDS = new Set(Object.values(PROP_RULES));

/**
 * The findings caused by props a construct rejected at its boundary (NET-IN1 to NET-IN4, level error), collapsed under
 * that finding: every other finding about the same construct (at its path or below it, up to the next construct that
 * checks its own props) is left out, and the boundary finding says how many of which rules were. One bad input is
 * one finding, not a boundary finding and the schema errors of every object derived from it.
 */
export function collapseFollowOns(root: IConstruct, findings: readonly Finding[]): Finding[] {
  const checked = root.node
    .findAll()
    .filter((c) => c.node.metadata.some((m) => m.type === PROPS_CHECKED_METADATA))
    .map((c) => c.node.path)
    .sort((a, b) => b.length - a.length);
  const ownerOf = (path: string) => checked.find((p) => path === p || path.startsWith(`${p}/`));
  const broken = new Set(findings.filter((f) => PROP_RULE_IDS.has(f.ruleId) && f.level === 'error').map((f) => f.path));
  if (!broken.size) return [...findings];
  const suppressed = new Map<string, Finding[]>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const owner = PROP_RULE_IDS.has(f.ruleId) ? undefined : ownerOf(f.path);
    if (owner !== undefined && broken.has(owner) && f.ruleId !== 'NET-RUN1') suppressed.set(owner, [...(suppressed.get(owner) ?? []), f]);
    else kept.push(f);
  }
  const noted = new Set<string>();
  return kept.map((f) => {
    const follow = suppressed.get(f.path);
    if (!follow || noted.has(f.path) || !PROP_RULE_IDS.has(f.ruleId) || f.level !== 'error') return f;
    noted.add(f.path);
    const ids = [...new Set(follow.map((x) => x.ruleId))].sort(compareText).join(', ');
    return { ...f, message: `${f.message} (${follow.length} follow-on finding${follow.length === 1 ? '' : 's'} of this construct left out: ${ids})` };
  });
}

/** Run one rule's check, keeping what it found before it threw; the throw becomes a failure. */
function runRule(rule: Rule, check: () => Iterable<RuleResult>, at: string, into: Finding[], failures: SynthFailure[]): void {
  try {
    for (const r of check()) into.push(toFinding(rule, r));
  } catch (e) {
    failures.push({ at, during: `rule ${rule.id}`, error: messageOf(e) });
  }
}

/** The findings constructs recorded, each as a finding of the rule it names; an id no rule has is a failure. */
function reportRecorded(recorded: readonly RecordedFinding[], failures: SynthFailure[]): Finding[] {
  const out: Finding[] = [];
  for (const f of recorded) {
    const rule = RULES.find((r) => r.id === f.ruleId);
    if (rule) out.push(toFinding(rule, recordedResult(f)));
    else
      failures.push({
        at: f.path,
        during: `reporting a finding recorded under ${f.ruleId}`,
        error: `no rule of the catalogue has that id (the finding: ${f.message})`,
      });
  }
  return out;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Split the findings into the open ones and those an acknowledgement silences (see `acknowledgementOf`). */
function applyAcknowledgements(findings: readonly Finding[], acks: readonly Acknowledgement[]) {
  const open: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  for (const f of findings) {
    const ack = acknowledgementOf(f, acks);
    if (ack) acknowledged.push({ ...f, reason: ack.reason, acknowledgedAt: ack.scopePath });
    else open.push(f);
  }
  return { open, acknowledged: sortFindings(acknowledged) };
}

/**
 * The YAML files the synthesizer wrote last time into `dir`, parsed lazily: most synths only need the few objects
 * a comparing rule asks for, and parsing the whole tree would cost more than rendering it. A file that is byte for
 * byte what this synth renders at the same path holds the objects just rendered there: those are taken as they are
 * instead of parsed again (the usual re-run changes few files).
 */
function readPrevious(dir: string, folder: FolderState, rendered: ReadonlyMap<string, string>, objects: readonly RenderedObject[]): PreviousTree | undefined {
  // kustomization.yaml files are kustomize's build lists, not objects a cluster receives (and would match a look-up of
  // Flux's kind Kustomization by their `kind:` line)
  const owned = [...folder.owned].filter((f) => f.endsWith('.yaml') && !/(^|\/)kustomization\.yaml$/.test(f) && folder.present.has(f));
  if (!owned.length) return undefined;
  const texts = new Map<string, string>();
  const unchanged = (file: string) => rendered.has(file) && folder.holds(file, rendered.get(file)!);
  const text = (file: string) => {
    // a file still as rendered is not read again: the diff compares it once for both
    if (unchanged(file)) return rendered.get(file)!;
    let t = texts.get(file);
    if (t === undefined) {
      t = readFileSync(join(dir, file), 'utf8');
      texts.set(file, t);
    }
    return t;
  };
  const parsed = new Map<string, { file: string; json: Record<string, any> }[]>();
  const parseFile = (file: string) => {
    let objs = parsed.get(file);
    if (!objs && unchanged(file)) {
      objs = objects.filter((o) => o.file === file).map((o) => ({ file, json: o.json as Record<string, any> }));
      parsed.set(file, objs);
    }
    if (!objs) {
      objs = [];
      try {
        for (const doc of parseAllDocuments(text(file))) {
          const json = doc.toJSON();
          if (json && typeof json === 'object') objs.push({ file, json });
        }
      } catch {
        // a file someone broke by hand is simply not part of the previous state
      }
      parsed.set(file, objs);
    }
    return objs;
  };
  let all: { file: string; json: Record<string, any> }[] | undefined;
  return {
    get objects() {
      all ??= owned.flatMap(parseFile);
      return all;
    },
    file(path: string) {
      // only files the synthesizer wrote: a hand-written file is never taken for the previous state
      return folder.owned.has(path) && folder.present.has(path) ? text(path) : undefined;
    },
    ofKind(kind: string) {
      const marker = new RegExp(`^kind: ${kind.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');
      return owned
        .filter((f) => marker.test(text(f)))
        .flatMap(parseFile)
        .filter((o) => o.json.kind === kind);
    },
  };
}
