/**
 * Seed 001 isolates a CloudNativePG database so that only clients-api reaches it, and checks by hand with a
 * `kubectl run` pod that lacks the label. These tests are that check, offline.
 */
import { describe, expect, it } from 'vitest';
import { NetworkModel, renderMatrix } from '../../constructs/reachability/index.js';
import { deployment, namespace, policy } from './helpers.js';

const objects = [
  namespace('clients'),
  deployment('clients', 'clients-api', { app: 'clients-api' }, [{ name: 'http', containerPort: 8080 }]),
  {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'clients-db', namespace: 'clients' },
    spec: { instances: 1, storage: { size: '1Gi' } },
  },
  // As in the seed.
  policy('clients', 'clients-db-allow-only-api', {
    podSelector: { matchLabels: { 'cnpg.io/cluster': 'clients-db' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: { app: 'clients-api' } } }],
        ports: [{ protocol: 'TCP', port: 5432 }],
      },
    ],
  }),
];

const model = new NetworkModel(objects, {
  workloads: [{ name: 'test-isolation', namespace: 'clients', labels: { run: 'test-isolation' } }],
});

describe('seed 001: clients-db reachable only from clients-api', () => {
  it('derives the CNPG instance pods with their labels and ports', () => {
    const db = model.workloads().find((w) => w.id === 'clients/clients-db');
    expect(db).toMatchObject({
      kind: 'Cluster',
      labels: { 'cnpg.io/cluster': 'clients-db', 'cnpg.io/podRole': 'instance' },
    });
    expect(db!.ports.map((p) => `${p.name}=${p.containerPort}`)).toEqual(['postgresql=5432', 'status=8000', 'metrics=9187']);
  });

  it('clients-api reaches clients-db on 5432', () => {
    const v = model.canReach('clients/clients-api', 'clients/clients-db', 5432);
    expect(v.allowed, v.explanation).toBe(true);
    expect(v.ingress.allowedBy).toBe('NetworkPolicy clients/clients-db-allow-only-api ingress[0]');
    expect(v.egress.isolated).toBe(false);
  });

  it('clients-api reaches clients-db by the port name "postgresql"', () => {
    const v = model.canReach('clients/clients-api', 'clients/clients-db', 'postgresql');
    expect(v.allowed, v.explanation).toBe(true);
    expect(v.port).toBe(5432);
  });

  it('the kubectl-run pod without app=clients-api cannot reach clients-db on 5432', () => {
    const v = model.canReach('clients/test-isolation', 'clients/clients-db', 5432);
    expect(v.allowed, v.explanation).toBe(false);
    expect(v.ingress.isolatedBy[0]).toContain('NetworkPolicy clients/clients-db-allow-only-api');
    expect(v.explanation).toContain('source clients/test-isolation matches none of from [pods {app=clients-api} in namespace clients]');
  });

  it('an ad-hoc pod with app: other, asked inline, is denied too', () => {
    const v = model.canReach({ namespace: 'clients', labels: { app: 'other' } }, 'clients/clients-db', 5432);
    expect(v.allowed, v.explanation).toBe(false);
  });

  it('clients-api cannot reach the status or metrics ports (the rule names only 5432)', () => {
    expect(model.canReach('clients/clients-api', 'clients/clients-db', 8000).allowed).toBe(false);
    const v = model.canReach('clients/clients-api', 'clients/clients-db', 'metrics');
    expect(v.allowed).toBe(false);
    expect(v.explanation).toContain('9187/TCP not in ports [5432/TCP]');
  });

  it('a pod labelled app: clients-api in another namespace is denied (podSelector alone = policy namespace)', () => {
    const v = model.canReach({ namespace: 'other', labels: { app: 'clients-api' } }, 'clients/clients-db', 5432);
    expect(v.allowed, v.explanation).toBe(false);
  });

  it('the database itself is not isolated for egress and clients-api accepts everything', () => {
    expect(model.canReach('clients/clients-db', 'clients/clients-api', 8080).allowed).toBe(true);
  });

  it('renders the matrix as a plain-text table', () => {
    const text = renderMatrix(model, {
      sources: ['clients/clients-api', 'clients/test-isolation'],
      targets: [
        { peer: 'clients/clients-db', port: 5432 },
        { peer: 'clients/clients-db', port: 'metrics' },
      ],
      allow: 'yes',
      deny: 'no',
    });
    expect(text).toBe(
      [
        'from \\ to              | clients/clients-db:5432 | clients/clients-db:metrics',
        '-----------------------+-------------------------+---------------------------',
        'clients/clients-api    | yes                     | no',
        'clients/test-isolation | no                      | no',
        '',
      ].join('\n'),
    );
  });
});
