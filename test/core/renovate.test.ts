/**
 * Renovate keeps the pins of constructs/core/versions.ts and constructs/cilium/minors.ts current (renovate.json, a regex
 * custom manager). The manager is
 * applied here as Renovate applies it, so a pin it would not find, or would read as something other than a version,
 * fails the test instead of silently never being bumped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CILIUM_MINORS, CLOUDFLARED_IMAGE, EGRESS_PROBE_IMAGE, KUBE_VIP_IMAGE } from '../../constructs/index.js';

const root = resolve(import.meta.dirname, '../..');
const config = JSON.parse(readFileSync(join(root, 'renovate.json'), 'utf8'));
const managers: { managerFilePatterns: string[]; matchStrings: string[] }[] = config.customManagers.filter(
  (m: { customType: string }) => m.customType === 'regex',
);

/** A Renovate pattern: `/regex/` or a glob; only the regex form is used here. */
function filePattern(p: string): RegExp {
  expect(p, 'managerFilePatterns entries are /regex/').toMatch(/^\/.*\/$/);
  return new RegExp(p.slice(1, -1));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|json)$/.test(f) ? [relative(root, p)] : [];
  });
}

const annotated = [...sourceFiles(join(root, 'constructs')), 'main.ts'].filter((f) => readFileSync(join(root, f), 'utf8').includes('// renovate:'));

interface Dep {
  readonly file: string;
  readonly datasource: string;
  readonly depName: string;
  readonly versioning?: string;
  readonly currentValue: string;
}

function extract(file: string): Dep[] {
  const text = readFileSync(join(root, file), 'utf8');
  return managers
    .filter((m) => m.managerFilePatterns.some((p) => filePattern(p).test(file)))
    .flatMap((m) =>
      m.matchStrings.flatMap((s) => [...text.matchAll(new RegExp(s, 'g'))].map((x) => ({ file, ...(x.groups as Record<string, string>) }) as Dep)),
    );
}

describe('renovate.json', () => {
  it('finds every pin annotated with a renovate comment, in the file it sits in', () => {
    expect(annotated).toContain('constructs/core/versions.ts');
    expect(annotated).toContain('constructs/cilium/minors.ts');
    for (const f of annotated) {
      const comments = readFileSync(join(root, f), 'utf8').match(/\/\/ renovate:/g)!.length;
      expect(extract(f).length, `${f}: ${comments} renovate comments; files Renovate reads: ${managers.flatMap((m) => m.managerFilePatterns).join(', ')}`).toBe(
        comments,
      );
    }
  });

  it('reads each pin as a version its datasource can compare (an image pin yields its tag, not the reference)', () => {
    const deps = annotated.flatMap(extract);
    expect(deps.length).toBeGreaterThanOrEqual(10);
    for (const d of deps) {
      expect(d.currentValue, `${d.depName}`).toMatch(/^v?\d+(\.\d+)*$/);
      if (d.versioning?.startsWith('regex:'))
        expect(d.currentValue, `${d.depName} against ${d.versioning}`).toMatch(new RegExp(d.versioning.slice('regex:'.length)));
    }
    const image = (ref: string) => deps.find((d) => d.datasource === 'docker' && ref === `${d.depName}:${d.currentValue}`);
    expect(image(CLOUDFLARED_IMAGE), CLOUDFLARED_IMAGE).toBeDefined();
    expect(image(EGRESS_PROBE_IMAGE), EGRESS_PROBE_IMAGE).toBeDefined();
    expect(image(KUBE_VIP_IMAGE), KUBE_VIP_IMAGE).toBeDefined();
  });

  it('reads the chart and Gateway API pins of every Cilium minor, each with a versioning that keeps it on its minor', () => {
    const deps = extract('constructs/cilium/minors.ts');
    const minors = Object.values(CILIUM_MINORS);
    expect(deps.filter((d) => d.depName === 'cilium').map((d) => d.currentValue)).toEqual(minors.map((m) => m.chart));
    expect(deps.filter((d) => d.depName === 'kubernetes-sigs/gateway-api').map((d) => d.currentValue)).toEqual(minors.map((m) => m.gatewayApi.version));
    expect(deps).toHaveLength(2 * minors.length);
    for (const [minor, facts] of Object.entries(CILIUM_MINORS)) {
      const chart = deps.find((d) => d.depName === 'cilium' && d.currentValue === facts.chart)!;
      expect(chart.versioning, minor).toBe(`regex:^${minor.replace('.', '\\.')}\\.(?<patch>\\d+)$`);
    }
  });
});
