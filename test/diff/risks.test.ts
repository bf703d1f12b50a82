/**
 * Each risk of the catalogue, raised by a change to the committed example fleet, and a change that raises none.
 */
import { describe, expect, it } from 'vitest';
import { RISKS } from '../../constructs/diff/catalogue.js';
import { buildReport, type DiffReport } from '../../constructs/diff/report.js';
import { renderTerminal } from '../../constructs/diff/terminal.js';
import { renderMarkdown } from '../../constructs/diff/markdown.js';
import { unmark } from '../../constructs/diff/risks.js';
import { fleetTree, makeImmichPublic, TreeEdit } from './fixtures.js';

function report(edit: TreeEdit): DiffReport {
  return buildReport(fleetTree(), edit.tree(), { base: 'base', head: 'head' });
}

/** The flags as `id cluster: summary | detail | detail`, literals unmarked, for readable expectations. */
function flags(r: DiffReport): string[] {
  for (const f of r.flags) raised.add(f.id);
  return r.flags.map((f) => [`${f.id} ${f.cluster}: ${unmark(f.summary, (l) => l)}`, ...f.details.map((d) => unmark(d, (l) => l))].join(' | '));
}

/** Every risk id a case below raised. */
const raised = new Set<string>();

const TALOS_VALUES = 'talos/cni/cilium/values.json';
const HOMELAB_VALUES = 'homelab/cni/cilium/values.json';

describe('risk flags over the example fleet', () => {
  it('the unchanged fleet has no diff and no flag', () => {
    const r = report(new TreeEdit());
    expect(r.clusters).toEqual([]);
    expect(r.flags).toEqual([]);
    expect(renderTerminal(r)).toContain('none: nothing changes');
  });

  it('a change with no risk says so explicitly', () => {
    const r = report(new TreeEdit().yaml('talos/apps/immich/deployment-immich.yaml', (d) => d.setIn(['spec', 'replicas'], 3)));
    expect(r.clusters.map((c) => c.cluster)).toEqual(['talos']);
    expect(r.flags).toEqual([]);
    expect(renderTerminal(r)).toContain('none: no risk of RISKS.md applies to this change');
    expect(renderMarkdown(r)).toContain('**No risk flag**: none of the risks of [RISKS.md](RISKS.md) applies to this change.');
  });

  it('RISK-1: a routing-mode switch and kube-proxy replacement on a running cluster', () => {
    const r = report(
      new TreeEdit()
        .json(TALOS_VALUES, (v) => {
          v.routingMode = 'native';
          delete v.tunnelProtocol;
        })
        .json(HOMELAB_VALUES, (v) => (v.kubeProxyReplacement = true)),
    );
    expect(flags(r)).toEqual([
      "RISK-1 homelab: Cilium's datapath changes: kubeProxyReplacement | kubeProxyReplacement: false → true",
      "RISK-1 talos: Cilium's datapath changes: routingMode | routingMode: tunnel → native",
    ]);
    expect(RISKS.find((x) => x.id === 'RISK-1')!.rules).toContain('NET-CIL11');
  });

  it('RISK-1: the pod CIDR', () => {
    const r = report(new TreeEdit().json(TALOS_VALUES, (v) => (v.ipam.operator.clusterPoolIPv4PodCIDRList = ['10.15.0.0/16'])));
    expect(flags(r)).toEqual([
      "RISK-1 talos: Cilium's datapath changes: ipam.operator.clusterPoolIPv4PodCIDRList | ipam.operator.clusterPoolIPv4PodCIDRList: 10.14.0.0/16 → 10.15.0.0/16",
    ]);
  });

  it('RISK-2: the MTU', () => {
    const r = report(new TreeEdit().json(HOMELAB_VALUES, (v) => (v.MTU = 1400)));
    expect(flags(r)).toEqual(['RISK-2 homelab: the MTU changes: 1500 → 1400']);
  });

  it('RISK-3: a Cilium minor (Argo CD and Flux OCI), and no flag for a patch release', () => {
    const r = report(
      new TreeEdit()
        .yaml('talos/cni/cilium/application-cilium.yaml', (d) => d.setIn(['spec', 'sources', 0, 'targetRevision'], '1.19.6'))
        .yaml('oceanid/cni/cilium/ocirepository-cilium.yaml', (d) => d.setIn(['spec', 'ref', 'tag'], '1.20.3')),
    );
    expect(flags(r)).toEqual(['RISK-3 talos: Cilium goes back from 1.20.0 to 1.19.6 (a downgrade)']);
    const up = report(new TreeEdit().yaml('homelab/cni/cilium/helmrelease-cilium.yaml', (d) => d.setIn(['spec', 'chart', 'spec', 'version'], '1.20.0')));
    expect(flags(up)).toEqual(['RISK-3 homelab: Cilium moves from 1.19.6 to 1.20.0']);
  });

  it('RISK-4: the Gateway API CRDs', () => {
    const r = report(
      new TreeEdit().yaml('talos/crds/gateway-api/application-gateway-api-crds.yaml', (d) => d.setIn(['spec', 'source', 'path'], 'config/crd/experimental')),
    );
    expect(flags(r)).toEqual(['RISK-4 talos: the Gateway API CRDs change from v1.6.1 (standard) to v1.6.1 (experimental)']);
  });

  it('RISK-5: a gateway address, the pool and the API VIP move', () => {
    const r = report(
      new TreeEdit()
        .yaml('talos/networking/gateway/gateway-gateway-external.yaml', (d) => d.setIn(['spec', 'addresses', 0, 'value'], '192.168.10.51'))
        .yaml('talos/networking/l2-pool/ciliumloadbalancerippool-lan.yaml', (d) => d.setIn(['spec', 'blocks', 0, 'stop'], '192.168.10.51'))
        .text('talos/edge/talos/controlplane.patch.yaml.dist', (t) => t.replace('name: 192.168.10.100', 'name: 192.168.10.99')),
    );
    expect(flags(r)).toEqual([
      'RISK-5 talos: 3 addresses move | LoadBalancer pool lan: 192.168.10.49-192.168.10.50 → 192.168.10.49-192.168.10.51 | Gateway gateway/gateway-external: 192.168.10.49 → 192.168.10.51 | API VIP (Talos, edge/talos/controlplane.patch.yaml.dist): 192.168.10.100 → 192.168.10.99',
    ]);
    const api = report(new TreeEdit().json(HOMELAB_VALUES, (v) => (v.k8sServiceHost = '192.168.55.9')));
    expect(flags(api)).toEqual(["RISK-5 homelab: an address moves | API endpoint (Cilium's k8sServiceHost): 192.168.55.10:6443 → 192.168.55.9:6443"]);
  });

  it('RISK-6: immich made public (a route on the external gateway and a tunnel ingress rule)', () => {
    const r = report(makeImmichPublic(new TreeEdit()));
    expect(flags(r)).toEqual([
      'RISK-6 talos: immich.vanillax.me becomes reachable from the internet | immich.vanillax.me: HTTPRoute gateway/immich-vanillax-me-external on Gateway gateway/gateway-external; tunnel ingress rule in ConfigMap cloudflared/cloudflared (config.yaml)',
    ]);
    // the other way round narrows exposure: no flag
    expect(buildReport(makeImmichPublic(new TreeEdit()).tree(), fleetTree(), { base: 'a', head: 'b' }).flags.map((f) => f.id)).toEqual(['RISK-10']);
  });

  it('RISK-7: a database gains clients (every pod of the namespace)', () => {
    const r = report(
      new TreeEdit().yaml('homelab/apps/clients-db/networkpolicy-clients-db-ingress.yaml', (d) => d.deleteIn(['spec', 'ingress', 0, 'from', 0, 'podSelector'])),
    );
    expect(flags(r)).toEqual(['RISK-7 homelab: 1 new client → database pair | any pod in clients → clients/clients-db:5432']);
  });

  it('RISK-8: a client loses its database', () => {
    const r = report(
      new TreeEdit().yaml('homelab/apps/clients-db/networkpolicy-clients-db-ingress.yaml', (d) =>
        d.setIn(['spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchLabels', 'app'], 'clients-web'),
      ),
    );
    expect(flags(r)).toEqual(['RISK-8 homelab: 1 client → database pair removed | Deployment clients/clients-api → clients/clients-db:5432']);
  });

  it('RISK-8, RISK-9 and RISK-10: a database renamed is a delete and a create, the old one is pruned, and its client loses it', () => {
    const r = report(
      new TreeEdit().move('homelab/apps/clients-db/cluster-clients-db.yaml', 'homelab/apps/clients-db/cluster-clients-db2.yaml', (t) =>
        t.replace('name: clients-db\n', 'name: clients-db2\n'),
      ),
    );
    const renamed = r.clusters[0]!.docs.find((d) => d.status === 'renamed')!;
    expect(renamed.fields.map((f) => f.path)).toEqual(['metadata.name']);
    // the policies still select the old name: the client loses its database too
    expect(flags(r)).toEqual([
      'RISK-8 homelab: 1 client → database pair removed | Deployment clients/clients-api → clients/clients-db:5432',
      'RISK-9 homelab: data at risk: 1 object | Cluster clients/clients-db is renamed to Cluster clients/clients-db2',
      'RISK-10 homelab: 1 object is pruned from the cluster | Cluster clients/clients-db (renamed to Cluster clients/clients-db2: the old object goes, a new one is created) is pruned by Kustomization flux-system/apps',
    ]);
  });

  it('RISK-9: a namespace that holds a database is deleted', () => {
    const r = report(new TreeEdit().remove('homelab/apps/namespaces/namespace-clients.yaml'));
    expect(flags(r)).toEqual([
      'RISK-9 homelab: data at risk: 1 object | Namespace clients is deleted; it holds Cluster clients/clients-db',
      'RISK-10 homelab: 1 object is pruned from the cluster | Namespace clients is pruned by Kustomization flux-system/apps',
    ]);
  });

  it('RISK-10: an object removed under a pruning Argo CD Application; none for an object that opts out of pruning', () => {
    const r = report(new TreeEdit().remove('talos/apps/immich/deployment-immich.yaml'));
    expect(flags(r)).toEqual(['RISK-10 talos: 1 object is pruned from the cluster | Deployment immich/immich is pruned by Application argocd/talos-apps']);
    // the Cilium HelmRelease carries kustomize.toolkit.fluxcd.io/prune: disabled
    const kept = report(new TreeEdit().remove('homelab/cni/cilium/helmrelease-cilium.yaml'));
    expect(kept.flags).toEqual([]);
    // a layer entry removed: Flux's flux-system Kustomization prunes it, and its layer with it
    const layer = report(new TreeEdit().remove('homelab/layer-apps.yaml'));
    expect(flags(layer)).toEqual([
      'RISK-10 homelab: 1 object is pruned from the cluster | Kustomization flux-system/apps is pruned by Kustomization flux-system/flux-system (prune: true, as flux bootstrap sets it): a pruned layer entry deletes the objects of its layer with it',
    ]);
  });

  it('RISK-11: a network added to the private routes and the WARP include list; none for a description changed or a network removed', () => {
    const routes = 'oceanid/edge/cloudflare/tunnel-private-routes.json';
    const include = 'oceanid/edge/cloudflare/warp-split-tunnel-include.json';
    const r = report(
      new TreeEdit()
        .json(routes, (v) => v.push({ comment: 'oceanid: the storage LAN', network: '10.30.0.0/24' }))
        .json(include, (v) => v.push({ address: '10.30.0.0/24', description: 'oceanid: the storage LAN' })),
    );
    expect(flags(r)).toEqual([
      'RISK-11 oceanid: private access widened: 10.30.0.0/24 becomes reachable from WARP devices' +
        ' | 10.30.0.0/24 added to edge/cloudflare/tunnel-private-routes.json (oceanid: the storage LAN)' +
        ' | 10.30.0.0/24 added to edge/cloudflare/warp-split-tunnel-include.json (oceanid: the storage LAN)',
    ]);
    const quiet = report(new TreeEdit().json(include, (v) => (v[0].description = 'services')).json(routes, (v) => v.pop()));
    expect(quiet.clusters.map((c) => c.cluster)).toEqual(['oceanid']);
    expect(quiet.flags.map((f) => f.id)).not.toContain('RISK-11');
  });

  it('every risk of the catalogue is raised by one of the cases above', () => {
    expect([...raised].sort()).toEqual(RISKS.map((r) => r.id).sort());
  });
});
