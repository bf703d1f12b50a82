/**
 * The synthesizer: renders every Cluster of an app, runs every rule over it, and writes `clusters/` only when no
 * rule found an error — all findings of all clusters are reported together.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { Acknowledgements, coveredPath, isUnder, NOT_ACKNOWLEDGEABLE, type Acknowledgement } from '../acknowledgements.js';
import { BootstrapBundle } from '../bootstrap-bundle.js';
import { Cluster } from '../cluster.js';
import { SynthError, sortFindings, type AcknowledgedFinding, type Finding } from '../errors.js';
import { RULES } from '../rules/catalogue.js';
import { toFinding, type PreviousTree, type RenderedObject, type RuleContext } from '../rules/rule.js';
import { preloadModels } from '../schema/schema.js';
import { BOOTSTRAP_REPORT, bootstrapReport } from './bootstrap-report.js';
import { layoutFiles, renderObjects } from './render.js';
import { renderReview } from './review.js';
import { diffCluster, foreignFiles, OWNERSHIP_FILE, readFolder, recoverInterruptedWrite, writeCluster, type FolderState, type WriteResult } from './writer.js';
import { compareText } from '../core/order.js';
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
 */
export async function synthesize(root: IConstruct, options: SynthOptions = {}): Promise<SynthResult> {
  const outdir = options.outdir ?? 'clusters';
  const clusters = root.node.findAll().filter((c): c is Cluster => c instanceof Cluster);
  const ruleIds = new Set(RULES.map((r) => r.id));
  const results: ClusterSynthResult[] = [];
  const siblings = (options.write ?? true) && existsSync(outdir) ? readdirSync(outdir) : [];

  for (const cluster of clusters) {
    const dir = join(outdir, cluster.clusterName);
    const findings: Finding[] = [];
    // A write killed halfway may have left the previous tree beside the folder: put it back before reading it.
    if (options.write ?? true) recoverInterruptedWrite(dir, siblings);
    try {
      // every cluster has a bootstrap bundle: what runs before its GitOps engine can (bootstrap/bootstrap.sh)
      BootstrapBundle.of(cluster);
    } catch (e) {
      findings.push(crash(cluster.node.path, `adding the bootstrap bundle of ${cluster.node.path} failed: ${(e as Error).message}`));
    }
    try {
      cluster.prepare();
    } catch (e) {
      findings.push(crash(cluster.node.path, `creating the namespaces of ${cluster.node.path} failed: ${(e as Error).message}`));
    }
    const { objects, crashes } = renderObjects(cluster);
    findings.push(...crashes);
    let extra = new Map<string, string>();
    try {
      extra = cluster.renderExtraFiles();
    } catch (e) {
      findings.push(crash(cluster.node.path, `rendering the reports and edge files failed: ${(e as Error).message}`));
    }
    try {
      extra.set(BOOTSTRAP_REPORT, bootstrapReport(cluster, objects, extra));
    } catch (e) {
      findings.push(crash(cluster.node.path, `rendering ${BOOTSTRAP_REPORT} failed: ${(e as Error).message}`));
    }
    try {
      await preloadModels(objects.map((o) => o.json));
    } catch (e) {
      findings.push(crash(cluster.node.path, `loading the schemas of the rendered kinds failed: ${(e as Error).message}`));
    }
    let files = new Map<string, string>();
    try {
      files = layoutFiles(cluster, objects, extra);
    } catch (e) {
      findings.push(crash(cluster.node.path, `laying out the files of clusters/${cluster.clusterName}/ failed: ${(e as Error).message}`));
    }

    const acknowledgements = Acknowledgements.within(cluster);
    // what the folder holds now, read once for the rules, the diff and the previous objects
    const folder = readFolder(dir);
    const ctx: RuleContext = {
      cluster,
      objects,
      previous: readPrevious(dir, folder, files, objects),
      existing: { rendered: [...files.keys(), 'reports/review.md'], foreign: foreignFiles(dir, folder) },
      extraFiles: extra,
      acknowledgements,
      ruleIds,
    };
    // the rules read the tree and never add to it: list it once for all of them
    withTreeListed(cluster, () => {
      for (const rule of RULES) {
        try {
          for (const r of rule.check(ctx)) findings.push(toFinding(rule, r));
        } catch (e) {
          findings.push(crash(cluster.node.path, `rule ${rule.id} failed: ${(e as Error).message}`));
        }
      }
    });

    const { open, acknowledged, unused } = applyAcknowledgements(findings, acknowledgements);
    for (const ack of unused) {
      open.push({
        ruleId: 'NET-ACK2',
        level: 'warning',
        path: ack.scopePath,
        message: `acknowledgement of ${ack.ruleId} silenced no finding`,
        value: coveredPath(ack),
        fix: 'Remove the acknowledgement.',
      });
    }
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

  // Acknowledgements made outside every Cluster (on the App) cover nothing the rules report: say so.
  const outside: Finding[] = Acknowledgements.within(root)
    .filter((a) => !clusters.some((c) => isUnder(a.scopePath, c.node.path)))
    .map((a) => ({
      ruleId: 'NET-ACK1',
      level: 'error' as const,
      path: a.scopePath || '(app root)',
      message: `acknowledgement of ${a.ruleId} is made outside every Cluster and covers nothing`,
      value: a.ruleId,
      expected: 'an acknowledgement on a Cluster or a construct inside one',
      fix: 'Call Acknowledgements.of(...) on the cluster or on the construct the finding is about.',
    }));
  const all = sortFindings([...outside, ...orphanFolders(outdir, clusters), ...results.flatMap((r) => r.findings)]);
  if (all.some((f) => f.level === 'error')) throw new SynthError(all);
  if (options.write ?? true) {
    for (const r of results) writeCluster(r.dir, r.files, r.changes);
  }
  return { clusters: results, findings: all };
}

/**
 * NET-OUT3: folders under `outdir` the synthesizer wrote for a cluster the app no longer defines. They are never
 * deleted automatically — a GitOps engine still pointing at one would prune the whole cluster — only reported.
 */
function orphanFolders(outdir: string, clusters: readonly Cluster[]): Finding[] {
  if (!existsSync(outdir)) return [];
  const names = new Set(clusters.map((c) => c.clusterName));
  return readdirSync(outdir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !names.has(e.name) && existsSync(join(outdir, e.name, OWNERSHIP_FILE)))
    .map((e) => e.name)
    .sort()
    .map((name) => ({
      ruleId: 'NET-OUT3',
      level: 'warning' as const,
      path: `${outdir}/${name}`,
      message: `${outdir}/${name}/ was written for a cluster the app no longer defines; it is kept and no longer updated`,
      value: name,
      expected: 'a folder for each cluster of the app, and no other',
      fix: `If the cluster is gone, detach it from Flux or Argo CD first (a pruning engine would delete everything it applied), then git rm -r ${outdir}/${name}; if it was renamed, move its flux-system/ to the new folder.`,
    }));
}

function crash(path: string, message: string): Finding {
  return { ruleId: 'NET-RUN1', level: 'error', path, message, fix: 'Read the error: it usually names input a construct could not use.' };
}

function applyAcknowledgements(findings: readonly Finding[], acks: readonly Acknowledgement[]) {
  const used = new Set<Acknowledgement>();
  const open: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  for (const f of findings) {
    const ack = f.ruleId.startsWith('NET-ACK') || NOT_ACKNOWLEDGEABLE.has(f.ruleId) ? undefined : acks.find((a) => a.ruleId === f.ruleId && a.reason.trim().length >= 10 && isUnder(f.path, coveredPath(a)));
    if (ack) {
      used.add(ack);
      acknowledged.push({ ...f, reason: ack.reason, acknowledgedAt: ack.scopePath });
    } else {
      open.push(f);
    }
  }
  // An acknowledgement of a rule that cannot be acknowledged is reported by NET-ACK1, not again as unused.
  return { open, acknowledged: sortFindings(acknowledged), unused: acks.filter((a) => !used.has(a) && !NOT_ACKNOWLEDGEABLE.has(a.ruleId)) };
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
      return owned.filter((f) => marker.test(text(f))).flatMap(parseFile).filter((o) => o.json.kind === kind);
    },
  };
}
