/**
 * The database rules NET-DB1..6: each fails on a noncompliant tree, passes on a compliant one, and can be
 * acknowledged.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { describe, expect, it } from 'vitest';
import {
  Acknowledgements,
  CiliumRelease,
  Component,
  ExternalDatabase,
  IsolatedDatabase,
  Layer,
  PolicyEngine,
  Workload,
  type CiliumReleaseProps,
  type Cluster,
  type ExternalDatabaseProps,
  type Finding,
  type IPeer,
} from '../../constructs/index.js';
import { expectCompliant, run, testCluster } from '../helpers.js';

function base() {
  const { app, cluster } = testCluster();
  const api = new Workload(cluster, 'clients-api', { namespace: 'clients', image: 'example/clients-api:1.0.0', ports: [{ name: 'http', port: 8080 }] });
  return { app, cluster, api };
}

function only(findings: readonly Finding[], id: string): Finding[] {
  return findings.filter((f) => f.ruleId === id);
}

const typo: IPeer = { namespace: 'clients', selector: { app: 'client-api' }, displayName: 'clients/client-api' };

describe('NET-DB1 every network policy selects a pod', () => {
  const ghostPolicy = (scope: Component) =>
    new k8s.KubeNetworkPolicy(scope, 'Ghost', {
      metadata: { name: 'ghost', namespace: 'clients' },
      spec: { podSelector: { matchLabels: { app: 'ghost' } }, policyTypes: ['Ingress'] },
    });

  it('fails when an escape-hatch NetworkPolicy selects no rendered pod', async () => {
    const { app, cluster, api } = base();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    ghostPolicy(new Component(cluster, 'Extra', { layer: Layer.APPS }));
    const out = await run(app);
    expect(out.ok).toBe(false);
    const [f] = only(out.findings, 'NET-DB1');
    expect(f.message).toBe('NetworkPolicy clients/ghost selects no pod: no workload in namespace clients matches its selector');
    expect(f.value).toBe('{app=ghost}');
    expect(f.expected).toContain('clients-api {app=clients-api}');
    expect(f.path).toBe('test/Extra/Ghost');
  });

  it('passes for the policies IsolatedDatabase renders (they all select the api or the instances)', async () => {
    const { app, cluster, api } = base();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    const out = await run(app);
    expectCompliant(out, 'NET-DB1');
    expect(out.ok).toBe(true);
  });

  it('is silenced by an acknowledgement (pods a Helm chart creates)', async () => {
    const { app, cluster, api } = base();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    const extra = new Component(cluster, 'Extra', { layer: Layer.APPS });
    ghostPolicy(extra);
    Acknowledgements.of(extra).add('NET-DB1', 'the ghost pods come from a Helm chart, invisible offline');
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    expect(out.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toContain('NET-DB1');
  });
});

describe('NET-DB2 every declared client selects a workload', () => {
  it('fails when a client is declared by labels no pod carries (a typo)', async () => {
    const { app, cluster, api } = base();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api, typo] });
    const out = await run(app);
    expect(out.ok).toBe(false);
    const [f] = only(out.findings, 'NET-DB2');
    expect(f.message).toBe('client clients/client-api of database clients-db selects no workload: no pod in namespace clients carries {app=client-api}');
    expect(f.path).toBe('test/clients-db');
    // the client's egress policy then selects nothing either
    expect(only(out.findings, 'NET-DB1')[0]?.message).toContain('client-api-egress-clients-db');
  });

  it('passes when the client is the Workload itself', async () => {
    const { app, cluster, api } = base();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    expectCompliant(await run(app), 'NET-DB2');
  });

  it('is silenced by an acknowledgement', async () => {
    const { app, cluster, api } = base();
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    db.connections.allowFrom(typo, { egress: false });
    Acknowledgements.of(db).add('NET-DB2', 'the client is deployed by another repository');
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    expect(out.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toEqual(['NET-DB2']);
  });
});

describe('NET-DB3 every database has a client', () => {
  it('fails when a database declares no client', async () => {
    const { app, cluster } = base();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
    const out = await run(app);
    const [f] = only(out.findings, 'NET-DB3');
    expect(out.ok).toBe(false);
    expect(f.message).toBe('database clients-db has no client');
    expect(f.value).toEqual([]);
  });

  it('passes with a client added after construction', async () => {
    const { app, cluster, api } = base();
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
    db.connections.allowFrom(api);
    expectCompliant(await run(app), 'NET-DB3');
  });

  it('is silenced by an acknowledgement', async () => {
    const { app, cluster } = base();
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
    Acknowledgements.of(db).add('NET-DB3', 'restored from backup first, clients come next week');
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    expect(out.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toEqual(['NET-DB3']);
  });
});

describe('NET-DB4 each database is reachable exactly from its declared clients', () => {
  /** A hand-written policy that opens the database to its whole namespace — what the seed's check would catch. */
  const widen = (scope: Component) =>
    new k8s.KubeNetworkPolicy(scope, 'Widen', {
      metadata: { name: 'allow-namespace-to-db', namespace: 'clients' },
      spec: { podSelector: { matchLabels: { 'cnpg.io/cluster': 'clients-db' } }, ingress: [{ from: [{ podSelector: {} }] }] },
    });

  it('fails when another policy lets a non-client pod of the namespace reach 5432', async () => {
    const { app, cluster, api } = base();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    widen(new Component(cluster, 'Extra', { layer: Layer.APPS }));
    const out = await run(app);
    expect(out.ok).toBe(false);
    const f = only(out.findings, 'NET-DB4');
    expect(f.map((x) => x.message)).toEqual(['database clients/clients-db is reachable on 5432 from clients/stranger, which is not a declared client']);
    expect(String(f[0].value)).toContain('allowed by NetworkPolicy clients/allow-namespace-to-db ingress[0]');
  });

  it('fails when a declared client is egress-isolated elsewhere and its own egress was not written', async () => {
    const { app, cluster, api } = base();
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
    db.connections.allowFrom(api, { egress: false });
    new k8s.KubeNetworkPolicy(new Component(cluster, 'Extra', { layer: Layer.APPS }), 'DenyEgress', {
      metadata: { name: 'api-deny-egress', namespace: 'clients' },
      spec: { podSelector: { matchLabels: { app: 'clients-api' } }, policyTypes: ['Egress'] },
    });
    const out = await run(app);
    expect(only(out.findings, 'NET-DB4').map((x) => x.message)).toEqual([
      'declared client clients/clients-api cannot reach database clients/clients-db on 5432',
    ]);
  });

  it('fails when the operator and the instances are admitted on the status port only (CloudNativePG needs 5432 too)', async () => {
    const { app, cluster, api } = base();
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    // An escape hatch narrowing the operator/instances rule to 8000 (ports [5432, 8000] → [8000]), as the first
    // release of this construct rendered it.
    ApiObject.of(db.node.findChild('Ingress')).addJsonPatch(JsonPatch.remove('/spec/ingress/1/ports/0'));
    const out = await run(app);
    expect(out.ok).toBe(false);
    expect(only(out.findings, 'NET-DB4').map((x) => x.message)).toEqual([
      'its own instances cannot reach database clients/clients-db on 5432',
      'the CloudNativePG operator cannot reach database clients/clients-db on 5432',
    ]);
  });

  it('passes for the policies IsolatedDatabase renders', async () => {
    const { app, cluster, api } = base();
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    const out = await run(app);
    expectCompliant(out, 'NET-DB4');
  });

  it('is silenced by an acknowledgement', async () => {
    const { app, cluster, api } = base();
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    widen(new Component(cluster, 'Extra', { layer: Layer.APPS }));
    Acknowledgements.of(db).add('NET-DB4', 'the namespace is one trust zone during the migration');
    const out = await run(app);
    expect(out.ok, JSON.stringify(out.findings)).toBe(true);
    expect(out.result!.clusters[0].acknowledged.map((a) => a.ruleId)).toEqual(['NET-DB4']);
  });
});

describe('NET-DB5 on Cilium, ipBlock rules for the API server need policyCIDRMatchMode: nodes', () => {
  it('fails when a NetworkPolicy-engine database runs on a Cilium release without policyCIDRMatchMode: nodes', async () => {
    const { app, cluster, api } = base();
    new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
    new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    const out = await run(app);
    const [f] = only(out.findings, 'NET-DB5');
    expect(out.ok).toBe(false);
    expect(f.message).toBe('database clients/clients-db allows the API server by ipBlock, which Cilium does not match against node addresses');
    expect(f.value).toEqual({ policyEngine: 'kubernetes', policyCIDRMatchMode: null });
  });

  it('passes with policyCIDRMatchMode: [nodes], with the CILIUM engine, and without Cilium', async () => {
    for (const setup of [
      (c: Cluster, api: Workload) => {
        new CiliumRelease(c, 'Cilium', { version: '1.20', extraValues: { policyCIDRMatchMode: ['nodes'] } });
        new IsolatedDatabase(c, 'clients-db', { namespace: 'clients', clients: [api] });
      },
      (c: Cluster, api: Workload) => {
        new CiliumRelease(c, 'Cilium', { version: '1.20' });
        new IsolatedDatabase(c, 'clients-db', { namespace: 'clients', clients: [api], policyEngine: PolicyEngine.CILIUM });
      },
      (c: Cluster, api: Workload) => {
        new IsolatedDatabase(c, 'clients-db', { namespace: 'clients', clients: [api] });
      },
    ]) {
      const { app, cluster, api } = base();
      setup(cluster, api);
      const out = await run(app);
      expectCompliant(out, 'NET-DB5');
    }
  });

  it('is silenced by an acknowledgement', async () => {
    const { app, cluster, api } = base();
    new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
    const db = new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
    Acknowledgements.of(db).add('NET-DB5', 'the agent config is managed outside this repository');
    const out = await run(app);
    expectCompliant(out, 'NET-DB5');
    expect(out.result?.clusters[0].acknowledged.map((a) => a.ruleId) ?? []).toContain('NET-DB5');
  });
});

describe('NET-DB6 an external database is allowed by host name on Cilium, or by an address the user pins', () => {
  const HOST = 'p.abc.db.postgresbridge.com';
  const external = (props: Partial<ExternalDatabaseProps> = {}, cilium: Partial<CiliumReleaseProps> | false = {}) => {
    const { app, cluster, api } = base();
    if (cilium !== false) new CiliumRelease(cluster, 'Cilium', { version: '1.20', ...cilium });
    const db = new ExternalDatabase(cluster, 'labelfish-db', { host: HOST, clients: [api], ...props });
    return { app, db };
  };

  it('fails when a host name is to be allowed by a Kubernetes NetworkPolicy', async () => {
    const out = await run(external({ policyEngine: PolicyEngine.KUBERNETES }).app);
    expect(out.ok).toBe(false);
    const [f] = only(out.findings, 'NET-DB6');
    expect(f.message).toBe(
      `external database labelfish-db is reached by host name ${HOST}, which a Kubernetes NetworkPolicy cannot allow (it matches addresses only)`,
    );
    expect(f.path).toBe('test/labelfish-db');
    expectCompliant(out, 'NET-DB4', { otherErrors: ['NET-DB6'] }); // one finding for one cause
  });

  it('fails when the cluster runs no Cilium, or Cilium without its L7 (DNS) proxy', async () => {
    const [none] = only((await run(external({}, false).app)).findings, 'NET-DB6');
    expect(none.message).toBe('external database labelfish-db is allowed by host name with a CiliumNetworkPolicy (toFQDNs), but the cluster runs no Cilium');
    const [noProxy] = only((await run(external({}, { extraValues: { l7Proxy: false } }).app)).findings, 'NET-DB6');
    expect(noProxy.message).toContain('Cilium runs without its L7 proxy (l7Proxy: false)');
    expect(noProxy.value).toEqual({ l7Proxy: false });
  });

  it('fails with neither a host nor a pin, with two pins, and with an address given as the host', async () => {
    const messages = async (props: Partial<ExternalDatabaseProps>) => only((await run(external(props).app)).findings, 'NET-DB6').map((f) => f.message);
    expect(await messages({ host: undefined })).toEqual([
      "external database labelfish-db has neither a host name nor a pinned address, so its clients' egress allows nothing but DNS",
    ]);
    expect(await messages({ address: '18.116.211.217', cidr: '18.116.211.0/28' })).toEqual([
      'external database labelfish-db is pinned twice, by address and by cidr',
    ]);
    expect(await messages({ host: '18.116.211.217' })).toEqual([
      'external database labelfish-db has host "18.116.211.217", which is not a DNS name, and no pinned address',
    ]);
  });

  it('passes for a host name on Cilium (the default engine), and for an address the user pins, with or without Cilium', async () => {
    for (const setup of [
      external(),
      external({ address: '18.116.211.217' }),
      external({ address: '18.116.211.217' }, false),
      external({ cidr: '18.116.211.0/28', policyEngine: PolicyEngine.CILIUM }),
    ]) {
      const out = await run(setup.app);
      expectCompliant(out, 'NET-DB6');
      expectCompliant(out, 'NET-DB4');
    }
  });

  it('is silenced by an acknowledgement (Cilium installed outside the tree)', async () => {
    const { app, db } = external({}, false);
    Acknowledgements.of(db).add('NET-DB6', 'Cilium is installed by the platform team, outside this repository');
    const out = await run(app);
    expectCompliant(out, 'NET-DB6');
    expect(out.result?.clusters[0].acknowledged.map((a) => a.ruleId) ?? []).toContain('NET-DB6');
  });
});
