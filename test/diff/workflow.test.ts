/**
 * The pull-request workflows: both pass a workflow linter (action-validator, from npm, offline), the rendered-diff
 * job runs with a read-only token on the current LTS Node and hands its Markdown over as an artifact, and the
 * comment workflow posts it without checking out the pull request, updating the comment that carries the marker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MARKER } from '../../constructs/diff/markdown.js';
import { main as risksDoc } from '../../scripts/risks-doc.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WORKFLOWS = join(ROOT, '.github/workflows');
const VALIDATOR = join(ROOT, 'node_modules/.bin/action-validator');

function validate(file: string): { status: number | null; output: string } {
  const r = spawnSync(VALIDATOR, [file], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const read = (name: string) => readFileSync(join(WORKFLOWS, name), 'utf8');

describe('workflows', () => {
  it('every workflow passes action-validator', () => {
    const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'diff-comment.yml']));
    for (const f of files) expect(validate(join(WORKFLOWS, f)), f).toEqual({ status: 0, output: '' });
  });

  it('the linter fails a workflow with an unknown key (so the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netkit-wf-'));
    try {
      const bad = read('ci.yml').replace('    runs-on: ubuntu-24.04\n    permissions:', '    runs-on: ubuntu-24.04\n    permission:');
      expect(bad).not.toBe(read('ci.yml'));
      writeFileSync(join(dir, 'ci.yml'), bad);
      const r = validate(join(dir, 'ci.yml'));
      expect(r.status).not.toBe(0);
      expect(r.output).toContain("Additional property 'permission' is not allowed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rendered-diff: read-only, Node 24, the committed trees compared, the base failure reported, the Markdown summarized and uploaded', () => {
    const job = parse(read('ci.yml')).jobs['rendered-diff'];
    expect(job.permissions).toEqual({ contents: 'read' });
    const steps: any[] = job.steps;
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node')).with['node-version']).toBe(24);
    const script = steps.map((s) => s.run ?? '').join('\n');
    // the committed trees of both commits (hand-written manifests are only there), never two fresh renders
    // against the merge base: the base branch's later commits are not this pull request's change
    expect(script).toContain('echo "MERGE_BASE=$(git merge-base "$BASE_SHA" "$HEAD_SHA")" >> "$GITHUB_ENV"');
    expect(script).toContain('npm run --silent diff -- --base "$MERGE_BASE" --head "$HEAD_SHA" "${base_error[@]}"');
    expect(script).not.toMatch(/--(base|head)-dir|--outdir/);
    // both sides are rendered to know whether they render; a base that does not is reported with its log
    expect(steps.find((s) => s.id === 'head').run).toBe('npm run check');
    expect(steps.find((s) => s.id === 'base').run).toContain('npm ci && npm run check) > "$RUNNER_TEMP/base-render.log"');
    expect(script).toContain('base_error=(--base-error "$RUNNER_TEMP/base-render.log")');
    expect(script).not.toContain('|| mkdir -p'); // no silent empty base
    expect(script).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-artifact')).with.name).toBe('netkit-diff');
    expect(JSON.stringify(job)).not.toContain('createComment');
  });

  it('diff-comment: workflow_run, no checkout, one comment found by the marker and updated', () => {
    const wf = parse(read('diff-comment.yml'));
    expect(wf.on).toEqual({ workflow_run: { workflows: [parse(read('ci.yml')).name], types: ['completed'] } });
    expect(wf.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
    const steps: any[] = wf.jobs.comment.steps;
    expect(steps.some((s) => s.uses?.startsWith('actions/checkout'))).toBe(false);
    const script: string = steps.find((s) => s.uses?.startsWith('actions/github-script')).with.script;
    expect(script).toContain(`const MARKER = '${MARKER}';`);
    expect(script).toContain('github.rest.issues.updateComment');
    expect(script).toContain('pr.head.sha !== run.head_sha');
    // the script parses as the body of github-script's async function
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    expect(() => new AsyncFunction('github', 'context', 'core', 'exec', 'require', script)).not.toThrow();
  });

  it('RISKS.md is generated from the catalogue', () => {
    const log: string[] = [];
    expect(risksDoc(['--check'], (l) => log.push(l))).toBe(0);
    expect(log[0]).toMatch(/RISKS\.md is up to date \(\d+ risks\)$/);
  });
});
