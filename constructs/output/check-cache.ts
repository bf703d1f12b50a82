/**
 * The check cache: the findings of a cluster's rules, kept between synths and used again when nothing the rules
 * read has changed. `netkit synth` turns it on (bin/commands.mjs); `synthesize` without `checkCache` runs every rule.
 *
 * A cluster's key is the SHA-256 of everything its rules are given (`RuleContext` in rules/rule.ts):
 * - the code: the identity the caller gives (the package's version and the hash of the bundle that runs, which holds
 *   every rule) and the ids and phases of the rules;
 * - the rendered cluster: every file of its folder as rendered, and every object (construct path, file, and its JSON
 *   when no file holds it);
 * - the model: every construct of the cluster, by path and class, with each of its own fields (constructs it refers
 *   to by path; functions by their presence only — what they compute is rendered, and the rendering is in the key;
 *   an ApiObject by path and class only — it is what it renders);
 * - what constructs recorded (findings) and acknowledged;
 * - the folder it is written to as the rules see it: which files are there, which the synthesizer owns, and the
 *   content of each owned file that differs from what is rendered now (the previous tree).
 *
 * The stored findings must come back exactly as the rules made them: a finding whose JSON form would lose anything
 * (an undefined field, a Map, a number JSON cannot write) is not stored, and its cluster's rules run every time.
 * test/output/check-cache.test.ts holds cached and fresh synths to the same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import type { Acknowledgement } from '../acknowledgements.js';
import type { Finding } from '../errors.js';
import type { RecordedFinding } from '../findings.js';
import type { RenderedObject } from '../core/rendered.js';
import { descendants } from '../core/tree.js';
import type { Rule, SynthFailure } from '../rules/rule.js';
import type { FolderState } from './writer.js';

export interface CheckCacheOptions {
  /** Folder for the cache's files (created when first written). */
  readonly dir: string;
  /** What identifies the code that runs the rules: a different identity never reuses a finding. */
  readonly identity: string;
}

/** What the rules of one cluster produced. */
export interface CachedChecks {
  readonly findings: readonly Finding[];
  readonly failures: readonly SynthFailure[];
}

interface Entry extends CachedChecks {
  readonly key: string;
}

interface Stored {
  readonly identity: string;
  readonly clusters: Record<string, Entry>;
}

/** The check cache of one output folder: one file, read once and written once per synth when anything changed. */
export class CheckCache {
  /** The cache for the clusters written to `outdir`. */
  static open(options: CheckCacheOptions, outdir: string): CheckCache {
    const file = join(options.dir, `${createHash('sha256').update(resolve(outdir)).digest('hex').slice(0, 16)}.json`);
    let stored: Stored | undefined;
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
    } catch {
      stored = undefined;
    }
    const entries = stored?.identity === options.identity && stored.clusters && typeof stored.clusters === 'object' ? stored.clusters : {};
    return new CheckCache(options, file, entries);
  }

  private readonly seen: Record<string, Entry> = {};
  private changed = false;

  private constructor(
    readonly options: CheckCacheOptions,
    private readonly file: string,
    private readonly entries: Record<string, Entry>,
  ) {}

  /** The findings stored for `cluster` under exactly `key`. */
  lookup(cluster: string, key: string): CachedChecks | undefined {
    const e = Object.hasOwn(this.entries, cluster) ? this.entries[cluster] : undefined;
    if (e?.key !== key || !Array.isArray(e.findings) || !Array.isArray(e.failures)) return undefined;
    this.seen[cluster] = e;
    return { findings: e.findings, failures: e.failures };
  }

  /** Keep what the rules of `cluster` produced under `key`, when its JSON form holds all of it. */
  store(cluster: string, key: string, checks: CachedChecks): void {
    if (!survivesJson(checks)) return;
    this.seen[cluster] = { key, findings: checks.findings, failures: checks.failures };
    this.changed = true;
  }

  /** Write the cache: the clusters of this synth only. A cache that cannot be written only costs the next synth time. */
  save(): void {
    if (!this.changed && Object.keys(this.seen).length === Object.keys(this.entries).length) return;
    try {
      mkdirSync(this.options.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ identity: this.options.identity, clusters: this.seen } satisfies Stored));
      renameSync(tmp, this.file);
    } catch {
      // read-only or full
    }
  }
}

/** Everything a cluster's rules read, as the parts of its key. */
export interface ClusterInputs {
  readonly identity: string;
  readonly rules: readonly Rule[];
  readonly cluster: IConstruct;
  readonly dir: string;
  readonly files: ReadonlyMap<string, string>;
  readonly extraFiles: ReadonlyMap<string, string>;
  readonly objects: readonly RenderedObject[];
  readonly recorded: readonly RecordedFinding[];
  readonly acknowledgements: readonly Acknowledgement[];
  readonly folder: FolderState;
}

/** The key of a cluster's checks: the SHA-256 of {@link ClusterInputs}. */
export function checkKey(inputs: ClusterInputs): string {
  const h = createHash('sha256');
  const part = (...s: string[]) => {
    for (const x of s) h.update(x).update('\0');
  };
  part('identity', inputs.identity);
  part('rules', ...inputs.rules.map((r) => `${r.id}:${r.phase ?? 'rules'}:${r.level}:${r.fix}`));
  part('files');
  for (const [f, c] of inputs.files) part(f, c);
  part('extra');
  for (const [f, c] of inputs.extraFiles) part(f, c);
  part('objects');
  // an object laid out in a file is in the key through that file's text (its YAML); one that is not, by its JSON
  for (const o of inputs.objects) part(o.path, o.file, inputs.files.has(o.file) ? '' : JSON.stringify(o.json));
  part('recorded', JSON.stringify(inputs.recorded), 'acknowledgements', JSON.stringify(inputs.acknowledgements));
  part('model', modelText(inputs.cluster));
  const { present, owned } = inputs.folder;
  part('present', ...[...present].sort(), 'owned', ...[...owned].sort());
  for (const f of [...owned].sort()) {
    if (!present.has(f)) continue;
    const rendered = inputs.files.get(f);
    if (rendered !== undefined && inputs.folder.holds(f, rendered)) part(f, '=');
    else {
      let content: string;
      try {
        content = createHash('sha256')
          .update(readFileSync(join(inputs.dir, f)))
          .digest('hex');
      } catch {
        content = 'unreadable';
      }
      part(f, content);
    }
  }
  return h.digest('hex');
}

/**
 * The constructs below `scope` as text: path and class of each, and its own fields. A construct a field refers to
 * stands as its path; an object met before stands as its number (shared values once, cycles end).
 */
export function modelText(scope: IConstruct): string {
  const out: string[] = [];
  const seen = new Map<object, number>();
  const value = (v: unknown): void => {
    switch (typeof v) {
      case 'string':
        out.push(JSON.stringify(v));
        return;
      case 'number':
      case 'boolean':
      case 'bigint':
      case 'undefined':
        out.push(`${(typeof v)[0]}${String(v)}`);
        return;
      case 'function':
        out.push('f');
        return;
      case 'symbol':
        out.push(`s${String(v.description)}`);
        return;
      default:
    }
    if (v === null) {
      out.push('null');
      return;
    }
    const o = v as object;
    if (Construct.isConstruct(o)) {
      out.push(`@${o.node.path}`);
      return;
    }
    const at = seen.get(o);
    if (at !== undefined) {
      out.push(`#${at}`);
      return;
    }
    seen.set(o, seen.size);
    if (Array.isArray(o)) {
      out.push('[');
      for (const x of o) value(x);
      out.push(']');
    } else if (o instanceof Map) {
      out.push('M{');
      for (const [k, x] of o) {
        value(k);
        value(x);
      }
      out.push('}');
    } else if (o instanceof Set) {
      out.push('S{');
      for (const x of o) value(x);
      out.push('}');
    } else {
      out.push(`${o.constructor?.name ?? ''}{`);
      for (const k of Object.keys(o)) {
        out.push(k);
        value((o as Record<string, unknown>)[k]);
      }
      out.push('}');
    }
  };
  for (const c of descendants(scope)) {
    out.push(`\n${c.node.path} ${c.constructor.name}{`);
    // an ApiObject is what it renders: its JSON is in the key (checkKey), its fields would only repeat it
    if (c instanceof ApiObject) {
      out.push('}');
      continue;
    }
    for (const k of Object.keys(c)) {
      if (k === 'node') continue;
      out.push(k);
      value((c as unknown as Record<string, unknown>)[k]);
    }
    out.push('}');
  }
  return out.join(' ');
}

/** True when `x` comes back from JSON exactly: plain objects, arrays, strings, finite numbers, booleans and null. */
function survivesJson(x: unknown): boolean {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return true;
  if (typeof x === 'number') return Number.isFinite(x) && !Object.is(x, -0);
  if (Array.isArray(x)) return x.every(survivesJson);
  if (typeof x === 'object') {
    const proto = Object.getPrototypeOf(x);
    return (proto === Object.prototype || proto === null) && Object.values(x).every(survivesJson);
  }
  return false;
}
