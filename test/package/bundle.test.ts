/**
 * The bundled synthesizer as `npm run synth` runs it: a CommonJS bundle started by a launcher that keeps V8's code
 * cache (scripts/bundle.mjs, scripts/launcher.cjs). A probe app is bundled the same way, into a folder of its own.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const root = resolve(import.meta.dirname, '../..');

/** An app with a kind the library does not model itself (PodDisruptionBudget): its schema is loaded at run time. */
const PROBE = `
import { ApiObject, App, Yaml } from 'cdk8s';
import { ApiEndpoint, Cluster, Distribution, GitOps, NodeRole, runCli } from ${JSON.stringify(join(root, 'constructs/index.js'))};

const app = new App();
const cluster = new Cluster(app, 'probe', {
  distribution: Distribution.K3S,
  nodes: [{ name: 'cp1', address: '192.168.7.11', roles: [NodeRole.CONTROL_PLANE] }, { name: 'w1', address: '192.168.7.21' }],
  nodeSubnet: '192.168.7.0/24',
  apiEndpoint: ApiEndpoint.node('192.168.7.11'),
  domain: 'probe.lan',
  gitops: GitOps.flux(),
});
new ApiObject(cluster, 'pdb', {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } }, ...(process.env.PROBE_TYPO ? { maxUnavailabel: 1 } : {}) },
});
// a mistake that throws inside the library: the App is not inside a Cluster
if (process.env.PROBE_THROW) Cluster.of(app);
// cdk8s reads YAML through a child Node process (execFileSync), here one that fails: the call goes through
if (process.env.PROBE_CHILD) {
  try {
    Yaml.load('probe-missing.yaml');
  } catch (e) {
    console.log(\`execFileSync: \${String((e as Error).message).split('\\n')[0]}\`);
  }
}
process.on('exit', () => console.log(\`child_process loaded: \${process.moduleLoadList.includes('NativeModule child_process')}\`));
void runCli(app).then((code) => { process.exitCode = code; });
`;

let dir = '';
let cacheDir = '';

function run(env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(dir, 'probe.mjs'), '--check'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const cacheFiles = () => readdirSync(cacheDir).filter((f) => f.startsWith('probe.app.cjs-') && f.endsWith('.v8'));

describe('the bundled synthesizer', () => {
  beforeAll(async () => {
    dir = tempDir('netkit-bundle-');
    // the bundle finds its packages, and keeps its code cache, in a node_modules of its own
    mkdirSync(join(dir, 'node_modules'));
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry !== '.cache') symlinkSync(join(root, 'node_modules', entry), join(dir, 'node_modules', entry));
    }
    cacheDir = join(dir, 'node_modules', '.cache', 'cdk8s-netkit');
    writeFileSync(join(dir, 'probe.ts'), PROBE);
    const { bundle } = await import(pathToFileURL(join(root, 'scripts/bundle.mjs')).href);
    await bundle({ entries: { probe: join(dir, 'probe.ts') }, outdir: dir, nativePattern: join(root, 'constructs/schema/native-pattern.ts') });
  }, 120_000);

  it('checks the schema of a kind it loads at run time (the launcher lends the bundle its import)', () => {
    const bad = run({ PROBE_TYPO: '1' });
    expect(bad.out).toContain('NET-SCH2');
    expect(bad.out).toContain('/spec/maxUnavailabel');
    expect(bad.out).not.toContain('NET-SCH3');
    expect(bad.status).toBe(1);
    const good = run();
    expect(good.out).not.toContain('NET-SCH3');
    expect(good.out).toContain('check passed');
    expect(good.status).toBe(0);
  });

  it('reports an error thrown inside the library with a short source excerpt (the minified lines are kept short)', () => {
    const thrown = run({ PROBE_THROW: '1' });
    expect(thrown.status).not.toBe(0);
    expect(thrown.out).toContain('the app root is not inside a Cluster');
    expect(thrown.out.length).toBeLessThan(10_000);
  });

  it('loads child_process only when something calls it', () => {
    const synth = run();
    expect(synth.status).toBe(0);
    expect(synth.out).toContain('child_process loaded: false');
    const called = run({ PROBE_CHILD: '1' });
    expect(called.out).toMatch(/execFileSync: Command failed: .*_loadurl\.mjs probe-missing\.yaml/);
    expect(called.out).toContain('child_process loaded: true');
  });

  it('keeps a code cache that carries the SHA-256 of its data, and ignores and replaces a damaged one', () => {
    run();
    const [file] = cacheFiles();
    expect(file).toBeDefined();
    const valid = (b: Buffer) => b.length > 32 && createHash('sha256').update(b.subarray(32)).digest().equals(b.subarray(0, 32));
    const path = join(cacheDir, file!);
    expect(valid(readFileSync(path))).toBe(true);
    // damage the middle, as a lost write would: V8 would crash on it
    const damaged = readFileSync(path);
    damaged.fill(0, damaged.length >> 1, (damaged.length >> 1) + 65_536);
    writeFileSync(path, damaged);
    const again = run();
    expect(again.status).toBe(0);
    expect(again.out).toContain('check passed');
    expect(valid(readFileSync(path))).toBe(true);
    expect(cacheFiles()).toEqual([file]);
  });
});
