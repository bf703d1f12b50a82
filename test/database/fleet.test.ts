/**
 * The example fleet, proved offline: every database is reachable exactly from its declared clients, asked of the
 * objects a real synth renders (not of hand-written fixtures).
 */
import { App } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { ExternalDatabase, IsolatedDatabase, synthesize, type Cluster, type SynthResult } from '../../constructs/index.js';
import { NetworkModel } from '../../constructs/reachability/index.js';
import { tempDir } from '../helpers.js';

let app: App;
let result: SynthResult;

beforeAll(async () => {
  app = buildFleet(new App({ outdir: tempDir() }));
  result = await synthesize(app, { outdir: tempDir(), write: false });
}, 60_000);

function clusterNamed(name: string): Cluster {
  return app.node.findAll().find((c) => (c as Cluster).clusterName === name) as Cluster;
}

function modelOf(name: string, workloads: ConstructorParameters<typeof NetworkModel>[1] = {}): NetworkModel {
  const objects = result.clusters.find((c) => c.name === name)!.objects.map((o) => o.json);
  return new NetworkModel(objects, workloads);
}

describe.each(['homelab', 'talos', 'oceanid'])('%s: databases reachable exactly from their declared clients', (name) => {
  it('every rendered workload and a stranger in each relevant namespace is judged against each database', () => {
    const cluster = clusterNamed(name);
    const dbs = cluster.constructsOf(IsolatedDatabase);
    // The databases to judge come from the rendered tree, so a cluster without one asserts that none escaped the
    // check (a CloudNativePG Cluster rendered by anything but an IsolatedDatabase), instead of asserting nothing.
    const rendered = result.clusters
      .find((c) => c.name === name)!
      .objects.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Cluster')
      .map((o) => `${o.namespace}/${o.name}`)
      .sort();
    expect(dbs.map((d) => `${d.namespace}/${d.name}`).sort()).toEqual(rendered);
    const strangers = [...new Set(dbs.flatMap((d) => [d.namespace, ...d.clients.map((c) => c.namespace)]))].map((ns) => ({
      name: 'stranger',
      namespace: ns,
      labels: { run: 'stranger' },
    }));
    const model = modelOf(name, { workloads: strangers });
    for (const db of dbs) {
      const target = model.workloads().find((w) => w.kind === 'Cluster' && w.name === db.name && w.namespace === db.namespace)!;
      expect(target, `${db.name} rendered as a CNPG Cluster`).toBeDefined();
      const reachers = model
        .workloads()
        .filter((w) => w !== target && model.canReach(w, target, 5432).allowed)
        .map((w) => w.id)
        .sort();
      // Independently of the constructs: the clients as declared in main.ts, by namespace/name.
      const declared = db.clients.map((c) => `${c.namespace}/${(c as { name?: string }).name}`).sort();
      expect(reachers).toEqual(declared);
    }
  });
});

describe('homelab (seed 001)', () => {
  it('declares clients-db in namespace clients with clients-api as its only client', () => {
    const [db] = clusterNamed('homelab').constructsOf(IsolatedDatabase);
    expect(db.namespace).toBe('clients');
    expect(db.clients.map((c) => c.displayName)).toEqual(['clients/clients-api']);
  });

  it("seed 001's check: a pod without app: clients-api in namespace clients cannot reach clients-db on 5432", () => {
    const model = modelOf('homelab', { workloads: [{ name: 'test-isolation', namespace: 'clients', labels: { run: 'test-isolation' } }] });
    const v = model.canReach('clients/test-isolation', 'clients/clients-db', 5432);
    expect(v.allowed, v.explanation).toBe(false);
    expect(model.canReach('clients/clients-api', 'clients/clients-db', 5432).allowed).toBe(true);
  });

  it("clients-api accepts only the ingress namespace, monitoring and its own namespace on 8080 (seed 001's second policy)", () => {
    const model = modelOf('homelab');
    const from = (ns: string) => model.canReach({ namespace: ns, labels: { app: 'x' } }, 'clients/clients-api', 8080).allowed;
    expect([from('kube-system'), from('monitoring'), from('clients'), from('default'), from('apps')]).toEqual([true, true, true, false, false]);
  });

  it('the instances reach DNS and the API server endpoints, and only the metrics port is open to monitoring', () => {
    const model = modelOf('homelab', { externals: [{ ip: '192.168.55.11' }, { ip: '1.1.1.1' }] });
    const db = model.workloads().find((w) => w.kind === 'Cluster')!;
    expect(model.canReach(db, '192.168.55.11', 6443).allowed).toBe(true);
    expect(model.canReach(db, '1.1.1.1', 443).allowed).toBe(false);
    expect(model.canReach({ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, db, 5432).allowed).toBe(false);
    expect(model.canReach({ namespace: 'monitoring', labels: {} }, db, 9187).allowed).toBe(true);
    expect(model.canReach({ namespace: 'monitoring', labels: {} }, db, 5432).allowed).toBe(false);
  });
});

describe('oceanid (seed 003)', () => {
  it('label-studio reaches its external PostgreSQL at the pinned address, and nothing else', () => {
    // The example pins the address (main.ts says why); the host-name policy is covered in constructs.test.ts and
    // test/reachability/fqdn.test.ts.
    const [ext] = clusterNamed('oceanid').constructsOf(ExternalDatabase);
    expect([ext.pinned, ext.cidr]).toEqual([true, '18.116.211.217/32']);
    expect(ext.clients.map((c) => c.displayName)).toEqual(['apps/label-studio']);
    const model = modelOf('oceanid');
    const v = model.canReach('apps/label-studio', '18.116.211.217', 5432);
    expect(v.allowed, v.explanation).toBe(true);
    expect(v.egress.allowedBy).toContain('NetworkPolicy apps/label-studio-egress-labelfish-db');
    // the client is egress-isolated: another address and another port are denied
    expect(model.canReach('apps/label-studio', '18.116.211.218', 5432).allowed).toBe(false);
    expect(model.canReach('apps/label-studio', '18.116.211.217', 443).allowed).toBe(false);
  });

  it('label-studio is not pinned to a node and takes its credentials from a Secret reference only', () => {
    const objs = result.clusters.find((c) => c.name === 'oceanid')!.objects;
    const d = objs.find((o) => o.kind === 'Deployment' && o.name === 'label-studio')!.json;
    expect(d.spec.template.spec.nodeSelector).toBeUndefined();
    expect(d.spec.template.spec.affinity).toBeUndefined();
    const c = d.spec.template.spec.containers[0];
    expect(c.envFrom).toEqual([{ secretRef: { name: 'labelfish-db-credentials' } }]);
    expect((c.env ?? []).map((e: { name: string }) => e.name)).not.toContain('POSTGRE_PASSWORD');
  });
});

it('the synth reports no database finding for the fleet', () => {
  expect(result.findings.filter((f) => f.ruleId.startsWith('NET-DB'))).toEqual([]);
});
