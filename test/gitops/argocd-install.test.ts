/**
 * bootstrap/argocd/: Argo CD at the pinned release, with the health check of Applications and, when a gateway ends TLS
 * in front of argocd-server, server.insecure. Built with kubectl kustomize against a local stand-in of the release's
 * install.yaml; the Lua health check runs in a Lua 5.1 interpreter (Argo CD runs gopher-lua, a Lua 5.1).
 */
import { spawnSync } from 'node:child_process';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  APPLICATION_HEALTH_KEY,
  APPLICATION_HEALTH_LUA,
  ARGOCD_INSTALL_DIR,
  ARGOCD_VERSION,
  Backend,
  Component,
  Exposure,
  GitOps,
  Layer,
  argoCdInstallUrl,
  routesTerminatingTlsForArgoCd,
} from '../../constructs/index.js';
import { gatewayFixture } from '../gateway/fixture.js';
import { run } from '../helpers.js';
import { HAVE_KUBECTL, kustomizeBuild, withStandin } from './standin.js';

const argocd = (namespace?: string) => GitOps.argocd({ repoUrl: 'https://git.example.lan/fleet.git', ...(namespace ? { namespace } : {}) });

/** The files of the cluster's install folder (name → content), from a successful synth. */
async function installFolder(app: Parameters<typeof run>[0]): Promise<Map<string, string>> {
  const o = await run(app);
  if (!o.ok) throw new Error(o.findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`).join('\n'));
  const files = o.result!.clusters[0].files;
  return new Map([...files].filter(([f]) => f.startsWith(`${ARGOCD_INSTALL_DIR}/`)).map(([f, c]) => [f.slice(ARGOCD_INSTALL_DIR.length + 1), c]));
}

function argoFixture(options: { expose?: Exposure | false; namespace?: string } = {}) {
  const f = gatewayFixture({ cluster: { gitops: argocd(options.namespace) } });
  f.gateways.expose({ host: 'web', backend: Backend.workload(f.web, 'http') });
  if (options.expose !== false) {
    f.gateways.expose({
      host: 'argocd',
      backend: Backend.service(options.namespace ?? 'argocd', 'argocd-server', 80),
      exposure: options.expose ?? Exposure.BOTH,
    });
  }
  return f;
}

describe('bootstrap/argocd/', () => {
  it('installs the pinned release in the Argo CD namespace with the health check, and server.insecure behind the gateways', async () => {
    const files = await installFolder(argoFixture().app);
    expect([...files.keys()].sort()).toEqual(['argocd-cm.yaml', 'argocd-cmd-params-cm.yaml', 'kustomization.yaml', 'namespace-argocd.yaml']);
    const k = parse(files.get('kustomization.yaml')!);
    expect(k).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'argocd',
      resources: ['namespace-argocd.yaml', `https://raw.githubusercontent.com/argoproj/argo-cd/${ARGOCD_VERSION}/manifests/install.yaml`],
      patches: [{ path: 'argocd-cm.yaml' }, { path: 'argocd-cmd-params-cm.yaml' }],
    });
    expect(parse(files.get('argocd-cm.yaml')!)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm' },
      data: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
    });
    expect(parse(files.get('argocd-cmd-params-cm.yaml')!).data).toEqual({ 'server.insecure': 'true' });
    expect(files.get('argocd-cmd-params-cm.yaml')).toContain(
      'TLS ends at the gateway for gateway/argocd-example-lan-external, gateway/argocd-example-lan-internal',
    );
  });

  it('leaves resource.exclusions alone: a patch replaces the key whole, and the install already excludes CiliumIdentity', async () => {
    const cm = parse((await installFolder(argoFixture().app)).get('argocd-cm.yaml')!);
    expect(Object.keys(cm.data)).toEqual([APPLICATION_HEALTH_KEY]);
  });

  it('does not set server.insecure when no gateway ends TLS in front of argocd-server', async () => {
    const files = await installFolder(argoFixture({ expose: false }).app);
    expect(files.has('argocd-cmd-params-cm.yaml')).toBe(false);
    expect(parse(files.get('kustomization.yaml')!).patches).toEqual([{ path: 'argocd-cm.yaml' }]);
  });

  it('renders nothing for a Flux cluster', async () => {
    const f = gatewayFixture();
    const o = await run(f.app);
    expect([...o.result!.clusters[0].files.keys()].filter((x) => x.startsWith('bootstrap/argocd/'))).toEqual([]);
  });

  it('pins the install manifest of the release', () => {
    expect(argoCdInstallUrl('v3.5.1')).toBe('https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/install.yaml');
    expect(ARGOCD_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  it('fails at the boundary when a layer name that bypasses the types would put an object in the install folder (NET-IN1)', async () => {
    const f = argoFixture();
    // a layer name that bypasses the types, to put an object where the install lives
    const folder = new Component(f.cluster, 'Intruder', { layer: 'bootstrap' as Layer, folder: 'argocd' });
    new ApiObject(folder, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'intruder', namespace: 'argocd' }, data: { a: 'b' } });
    const o = await run(f.app);
    expect(o.ok).toBe(false);
    expect(o.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'NET-IN1', path: 'test/Intruder', value: 'bootstrap', message: 'Component prop layer is not valid' }),
    );
    // the Component goes on in the apps layer: nothing reaches bootstrap/argocd/, nothing crashes
    expect(o.findings.filter((x) => x.ruleId === 'NET-RUN1')).toEqual([]);
  });

  it.skipIf(!HAVE_KUBECTL)("builds with kubectl kustomize: patches merge into the install's ConfigMaps and keep their other keys", async () => {
    const objects = kustomizeBuild(withStandin(await installFolder(argoFixture().app)));
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm')!;
    expect(cm.metadata.namespace).toBe('argocd');
    expect(cm.data[APPLICATION_HEALTH_KEY]).toBe(APPLICATION_HEALTH_LUA);
    expect(cm.data['resource.exclusions']).toContain('CiliumIdentity'); // the install's own list survives
    expect(objects.find((o) => o.metadata.name === 'argocd-cmd-params-cm')!.data).toEqual({ 'server.insecure': 'true' });
    expect(objects.find((o) => o.kind === 'Namespace')).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
    for (const o of objects.filter((x) => !['Namespace', 'ClusterRoleBinding'].includes(x.kind)))
      expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe('argocd');
  });

  it.skipIf(!HAVE_KUBECTL)("in a custom namespace, points the install's ClusterRoleBindings at it", async () => {
    const files = await installFolder(argoFixture({ namespace: 'gitops' }).app);
    expect([...files.keys()]).toContain('namespace-gitops.yaml');
    const objects = kustomizeBuild(withStandin(files));
    expect(objects.find((o) => o.kind === 'ClusterRoleBinding')!.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argocd-server', namespace: 'gitops' }]);
    expect(objects.find((o) => o.kind === 'Deployment')!.metadata.namespace).toBe('gitops');
  });

  it.skipIf(!HAVE_KUBECTL)('the build is honest: a patch that matches nothing in the install fails it', async () => {
    const files = await installFolder(argoFixture().app);
    files.set('argocd-cm.yaml', files.get('argocd-cm.yaml')!.replace('name: argocd-cm', 'name: argocd-cm-typo'));
    expect(() => kustomizeBuild(withStandin(files))).toThrow(/argocd-cm-typo/);
  });
});

describe('routesTerminatingTlsForArgoCd', () => {
  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    json: {
      metadata: { name: 'gw', namespace: 'gateway' },
      spec: {
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP' },
          { name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate' } },
          { name: 'tls', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
        ],
      },
    },
  };
  const route = (kind: string, sectionName: string, backend: Record<string, unknown> = { name: 'argocd-server', namespace: 'argocd', port: 80 }) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind,
    json: {
      metadata: { name: `${kind.toLowerCase()}-${sectionName}`, namespace: 'gateway' },
      spec: { parentRefs: [{ name: 'gw', sectionName }], rules: [{ backendRefs: [backend] }] },
    },
  });

  it('names an HTTPRoute on an HTTPS listener to argocd-server', () => {
    expect(routesTerminatingTlsForArgoCd([gateway, route('HTTPRoute', 'https')], 'argocd')).toEqual(['gateway/httproute-https']);
    expect(routesTerminatingTlsForArgoCd([gateway, route('GRPCRoute', 'https')], 'argocd')).toEqual(['gateway/grpcroute-https']);
  });

  it('ignores plain HTTP listeners, TLS passthrough, other Services and argocd-server of another namespace', () => {
    expect(routesTerminatingTlsForArgoCd([gateway, route('HTTPRoute', 'http')], 'argocd')).toEqual([]);
    expect(routesTerminatingTlsForArgoCd([gateway, route('TLSRoute', 'tls')], 'argocd')).toEqual([]);
    expect(routesTerminatingTlsForArgoCd([gateway, route('HTTPRoute', 'https', { name: 'web', namespace: 'argocd', port: 80 })], 'argocd')).toEqual([]);
    expect(routesTerminatingTlsForArgoCd([gateway, route('HTTPRoute', 'https')], 'gitops')).toEqual([]);
  });
});

const LUA = ['lua5.1', 'lua'].find((bin) => {
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  return r.status === 0 && /Lua 5\.1/.test(`${r.stdout}${r.stderr}`);
});
if (!LUA) console.warn('SKIPPED: no Lua 5.1 interpreter (apt-get install lua5.1); the Application health check was not run');

/** Run the health check on `obj` (a Lua table constructor) and return "status|message". */
function health(obj: string): string {
  const program = `obj = ${obj}\nlocal check = loadstring(io.read("*a"))\nlocal hs = check()\nio.write(tostring(hs.status) .. "|" .. tostring(hs.message))`;
  const r = spawnSync(LUA!, ['-e', program], { input: APPLICATION_HEALTH_LUA, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('the Application health check', () => {
  it.skipIf(!LUA)('is Progressing until the Application reports, then copies its health and message', () => {
    expect(health('{}')).toBe('Progressing|');
    expect(health('{ status = {} }')).toBe('Progressing|');
    expect(health('{ status = { health = {} } }')).toBe('Progressing|');
    expect(health('{ status = { health = { status = "Healthy" } } }')).toBe('Healthy|');
    expect(health('{ status = { health = { status = "Degraded", message = "cilium-operator: 0/2 ready" } } }')).toBe('Degraded|cilium-operator: 0/2 ready');
  });
});
