/**
 * A consumer project of the README's shape, made from the packed package: `app.ts` builds two clusters with the
 * library and ends with `process.exitCode = await runCli(app)`. Used by the benchmark (bench/bench.ts) and by
 * test/package/consumer-bin.test.ts.
 *
 * The package is the tarball `npm pack` makes, unpacked into the consumer's node_modules/cdk8s-netkit as npm would;
 * its dependencies, cdk8s, constructs, and for the stock comparison cdk8s-cli and tsx, are links to this
 * repository's node_modules (offline: the registry is not needed). `cdk8s.yaml` runs the app with tsx, as a cdk8s
 * project would; under `cdk8s synth` (CDK8S_OUTDIR set) the app runs cdk8s' own synth.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export const CONSUMER_APP = `import { App } from 'cdk8s';
import { ApiEndpoint, Cluster, Distribution, GitOps, NodeRole, runCli, VipHolder, Workload } from 'cdk8s-netkit';

const app = new App();
const homelab = new Cluster(app, 'homelab', {
  distribution: Distribution.K3S,
  nodes: [
    { name: 'master', address: '192.168.55.11', roles: [NodeRole.CONTROL_PLANE, NodeRole.WORKER] },
    { name: 'worker1', address: '192.168.55.12', roles: [NodeRole.CONTROL_PLANE, NodeRole.WORKER] },
    { name: 'worker2', address: '192.168.55.13', roles: [NodeRole.CONTROL_PLANE, NodeRole.WORKER] },
  ],
  nodeSubnet: '192.168.55.0/24',
  podCidr: '10.42.0.0/16',
  serviceCidr: '10.43.0.0/16',
  apiEndpoint: ApiEndpoint.vip('192.168.55.10', { holder: VipHolder.kubeVip({ interface: 'enp1s0' }) }),
  domain: 'homelab.lan',
  gitops: GitOps.flux(),
});
new Workload(homelab, 'hello', { namespace: 'demo', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
const lab = new Cluster(app, 'lab', {
  distribution: Distribution.K3S,
  nodes: [
    { name: 'cp1', address: '192.168.7.11', roles: [NodeRole.CONTROL_PLANE] },
    { name: 'w1', address: '192.168.7.21' },
  ],
  nodeSubnet: '192.168.7.0/24',
  apiEndpoint: ApiEndpoint.node('192.168.7.11'),
  domain: 'lab.lan',
  gitops: GitOps.flux(),
});
new Workload(lab, 'web', { namespace: 'shop', image: 'nginx:1.27.3', ports: [{ name: 'http', port: 8080 }] });
if (process.env.CDK8S_OUTDIR) app.synth(); // under \`cdk8s synth\`: cdk8s' own synth into its output folder
else process.exitCode = await runCli(app); // writes clusters/<cluster>/
`;

/** Pack this repository into `work` and make a consumer project there; returns its folder. */
export function makeConsumer(work: string): string {
  execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${work}`);
  const dir = join(work, 'consumer');
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'cdk8s-netkit'), { recursive: true });
  execFileSync('tar', ['xzf', join(work, tarball), '-C', join(modules, 'cdk8s-netkit'), '--strip-components=1']);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (!['.bin', '.cache', 'cdk8s-netkit'].includes(entry) && !entry.startsWith('.')) symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  mkdirSync(join(modules, '.bin'));
  symlinkSync('../cdk8s-netkit/bin/netkit.mjs', join(modules, '.bin', 'netkit'));
  for (const bin of ['cdk8s', 'tsx']) symlinkSync(realpathSync(join(root, 'node_modules', '.bin', bin)), join(modules, '.bin', bin));
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'consumer',
        private: true,
        type: 'module',
        scripts: { synth: 'netkit synth app.ts', check: 'netkit check app.ts' },
        dependencies: { 'cdk8s-netkit': `file:../${tarball}`, cdk8s: own.devDependencies.cdk8s, constructs: own.devDependencies.constructs },
        devDependencies: { 'cdk8s-cli': own.devDependencies['cdk8s-cli'], tsx: own.devDependencies.tsx },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx tsx app.ts\noutput: dist\n');
  writeFileSync(join(dir, 'app.ts'), CONSUMER_APP);
  return dir;
}
