/** IsolatedDatabase mistakes (NET-DB): seed 001's isolated database, seed 003's clients. */
import { k8s } from 'cdk8s-plus-30';
import { expect } from 'vitest';
import { CiliumRelease, Component, ExternalDatabase, IsolatedDatabase, Layer, PolicyEngine, Workload, type IPeer } from '../../../constructs/index.js';
import { testCluster } from '../../helpers.js';
import type { CorpusArea } from '../case.js';

function base() {
  const { app, cluster } = testCluster();
  const api = new Workload(cluster, 'clients-api', { namespace: 'clients', image: 'example/clients-api:1.0.0', ports: [{ name: 'http', port: 8080 }] });
  return { app, cluster, api };
}

export const DATABASE: CorpusArea = {
  area: 'database',
  cases: [
    {
      name: 'an external database allowed by its host name through a Kubernetes NetworkPolicy, which matches addresses only',
      from: 'seed 003 (the managed PostgreSQL reached by name; its /32 moves with the provider)',
      expect: 'NET-DB6',
      says: 'external database labelfish-db is reached by host name p.abc.db.postgresbridge.com, which a',
      value: { host: 'p.abc.db.postgresbridge.com', policyEngine: 'kubernetes' },
      build: () => {
        const { app, cluster, api } = base();
        new CiliumRelease(cluster, 'Cilium', { version: '1.20' });
        new ExternalDatabase(cluster, 'labelfish-db', { host: 'p.abc.db.postgresbridge.com', clients: [api], policyEngine: PolicyEngine.KUBERNETES });
        return app;
      },
    },
    {
      name: 'a database without any client',
      from: 'seed 001 (isolated database)',
      expect: 'NET-DB3',
      says: 'database clients-db has no client',
      value: [],
      build: () => {
        const { app, cluster } = base();
        new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients' });
        return app;
      },
    },
    {
      name: 'a client declared by a selector with a typo',
      from: 'seed 001 (policies that select nothing protect nothing)',
      expect: 'NET-DB2',
      says: 'client clients/client-api of database clients-db selects no workload: no pod in namespace clients',
      value: 'clients {app=client-api}',
      build: () => {
        const { app, cluster, api } = base();
        const typo: IPeer = { namespace: 'clients', selector: { app: 'client-api' }, displayName: 'clients/client-api' };
        new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api, typo] });
        return app;
      },
    },
    {
      name: 'a hand-written policy opening the database to its whole namespace',
      from: 'seed 001 (the stranger pod reaching the database)',
      expect: 'NET-DB4',
      says: 'database clients/clients-db is reachable on 5432 from clients/stranger, which is not a declared client',
      value: expect.stringContaining('ALLOWED: clients/stranger → clients/clients-db on 5432/TCP'),
      build: () => {
        const { app, cluster, api } = base();
        new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
        new k8s.KubeNetworkPolicy(new Component(cluster, 'Extra', { layer: Layer.APPS }), 'Widen', {
          metadata: { name: 'allow-namespace-to-db', namespace: 'clients' },
          spec: { podSelector: { matchLabels: { 'cnpg.io/cluster': 'clients-db' } }, ingress: [{ from: [{ podSelector: {} }] }] },
        });
        return app;
      },
    },
    {
      name: 'a NetworkPolicy that selects no pod',
      from: 'seed 001 (NetworkPolicy isolation)',
      expect: 'NET-DB1',
      says: 'NetworkPolicy clients/ghost selects no pod: no workload in namespace clients matches its selector',
      value: '{app=ghost}',
      build: () => {
        const { app, cluster, api } = base();
        new IsolatedDatabase(cluster, 'clients-db', { namespace: 'clients', clients: [api] });
        new k8s.KubeNetworkPolicy(new Component(cluster, 'Extra', { layer: Layer.APPS }), 'Ghost', {
          metadata: { name: 'ghost', namespace: 'clients' },
          spec: { podSelector: { matchLabels: { app: 'ghost' } }, policyTypes: ['Ingress'] },
        });
        return app;
      },
    },
  ],
};
