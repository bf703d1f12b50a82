/**
 * Cilium under Argo CD: the rendered values make the pinned charts render the same manifests every time (Argo CD
 * renders with `helm template`, where the chart's `lookup` finds nothing), so the Application can reach Synced.
 * Runs the real charts from ../shared/upstream/charts with helm.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CILIUM_VERSIONS, Distribution, GitOps, HUBBLE_TLS_METHOD_ARGOCD, NodeRole, type CiliumMinor } from '../../constructs/index.js';
import { run } from '../helpers.js';
import { HELM, ciliumChart, helmTemplate as helmRun } from '../tools/helm.js';

/** `helm template` of `values` with the pinned chart: the manifests, or an error with helm's output. */
function helmTemplate(archive: string, values: Record<string, unknown>): string {
  const r = helmRun(archive, JSON.stringify(values));
  if (!r.ok) throw new Error(`helm template failed: ${r.stderr}`);
  return r.stdout;
}
import { ciliumCluster, renderedValues } from './fixtures.js';

const argocd = GitOps.argocd({ repoUrl: 'https://git.example/fleet.git' });
const talos = {
  distribution: Distribution.TALOS,
  nodes: [
    { name: 'cp1', address: '192.168.1.11', roles: [NodeRole.CONTROL_PLANE] },
    { name: 'w1', address: '192.168.1.21', roles: [NodeRole.WORKER] },
    { name: 'w2', address: '192.168.1.22', roles: [NodeRole.WORKER] },
  ],
};
const minors = Object.keys(CILIUM_VERSIONS) as CiliumMinor[];

async function valuesFor(minor: CiliumMinor, gitops: GitOps): Promise<Record<string, any>> {
  const { app } = ciliumCluster({ version: minor, kubeProxyReplacement: true, hubble: { relay: true, ui: true } }, { ...talos, gitops });
  return renderedValues(await run(app));
}

/** The objects of a render, by `Kind namespace/name`, as YAML text. */
function objectsOf(manifest: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const doc of parseAllDocuments(manifest)) {
    const o = doc.toJSON();
    if (o?.kind) out.set(`${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`, doc.toString());
  }
  return out;
}

describe('Cilium certificates under Argo CD', () => {
  it("renders hubble.tls.auto.method cronJob under Argo CD, and leaves Helm's default under Flux", async () => {
    expect((await valuesFor('1.20', argocd)).hubble.tls).toEqual({ auto: { method: HUBBLE_TLS_METHOD_ARGOCD } });
    expect(HUBBLE_TLS_METHOD_ARGOCD).toBe('cronJob');
    expect((await valuesFor('1.20', GitOps.flux())).hubble.tls).toBeUndefined();
  });

  it.skipIf(!HELM).each(minors)('Cilium %s: two renders of the Argo CD values are identical and hold no certificate', async (minor) => {
    const values = await valuesFor(minor, argocd);
    const archive = ciliumChart(CILIUM_VERSIONS[minor]);
    if (!archive) return; // missing outside this project's CI: test/tools/helm.ts says so (and fails there)
    const first = helmTemplate(archive, values);
    expect(helmTemplate(archive, values)).toBe(first);
    const objects = objectsOf(first);
    expect([...objects.keys()].filter((k) => k.startsWith('Secret '))).toEqual([]);
    expect(first).not.toContain('cilium.io/helm-template-non-idempotent');
    // the certgen Job writes them in-cluster instead (a hash-named Job, or a post-install hook in 1.18)
    expect([...objects.keys()].some((k) => /^Job kube-system\/hubble-generate-certs/.test(k))).toBe(true);
  });

  it.skipIf(!HELM).each(minors)("Cilium %s: the check is honest, Helm's default method changes exactly the generated Secrets on each render", async (minor) => {
    const values = await valuesFor(minor, GitOps.flux());
    const archive = ciliumChart(CILIUM_VERSIONS[minor]);
    if (!archive) return; // missing outside this project's CI: test/tools/helm.ts says so (and fails there)
    const a = objectsOf(helmTemplate(archive, values));
    const b = objectsOf(helmTemplate(archive, values));
    expect([...b.keys()]).toEqual([...a.keys()]);
    const changed = [...a.keys()].filter((k) => a.get(k) !== b.get(k)).sort();
    expect(changed).toEqual(['Secret kube-system/cilium-ca', 'Secret kube-system/hubble-relay-client-certs', 'Secret kube-system/hubble-server-certs']);
  });
});
