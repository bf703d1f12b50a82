/**
 * The CiliumNetworkPolicy subset: default-deny by section, endpoint selectors with the namespace label,
 * CIDRs, entities, toPorts, and the union with Kubernetes NetworkPolicies.
 */
import { describe, expect, it } from 'vitest';
import { type KubeObject, NetworkModel, type Verdict } from '../../constructs/reachability/index.js';
import { deployment, namespace, policy } from './helpers.js';

function expectVerdict(v: Verdict, allowed: boolean): void {
  expect(v.allowed, `expected ${allowed ? 'ALLOWED' : 'DENIED'}, got:\n${v.explanation}`).toBe(allowed);
}

function cnp(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, spec };
}

const db = deployment('data', 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]);
const api = deployment('web', 'api', { app: 'api' });
const localApi = deployment('data', 'api', { app: 'api' });
const objects = [namespace('data', { tier: 'data' }), namespace('web', { tier: 'front' }), db, api, localApi];

describe('CiliumNetworkPolicy', () => {
  it('fromEndpoints without a namespace label means the policy namespace; ingress section makes default-deny', () => {
    const p = cnp('data', 'db', {
      endpointSelector: { matchLabels: { app: 'db' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] }],
    });
    const m = new NetworkModel([...objects, p]);
    expectVerdict(m.canReach('data/api', 'data/db', 5432), true);
    expectVerdict(m.canReach('web/api', 'data/db', 5432), false);
    expectVerdict(m.canReach('data/api', 'data/db', 5433), false);
    // No egress section: egress of db stays open.
    expectVerdict(m.canReach('data/db', 'web/api', 80), true);
  });

  it('k8s:io.kubernetes.pod.namespace selects another namespace', () => {
    const p = cnp('data', 'db', {
      endpointSelector: { matchLabels: { app: 'db' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:app': 'api', 'k8s:io.kubernetes.pod.namespace': 'web' } }] }],
    });
    const m = new NetworkModel([...objects, p]);
    expectVerdict(m.canReach('web/api', 'data/db', 5432), true);
    expectVerdict(m.canReach('data/api', 'data/db', 5432), false);
  });

  it('egress toCIDRSet with except, toEntities world and protocol ANY', () => {
    const p = cnp('web', 'api-out', {
      endpointSelector: { matchLabels: { app: 'api' } },
      egress: [
        { toCIDRSet: [{ cidr: '18.116.0.0/16', except: ['18.116.211.0/24'] }], toPorts: [{ ports: [{ port: '443' }] }] },
        { toEntities: ['cluster'], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] },
      ],
    });
    const m = new NetworkModel([...objects, p]);
    expectVerdict(m.canReach('web/api', '18.116.1.1', 443), true);
    expectVerdict(m.canReach('web/api', '18.116.1.1', 443, 'UDP'), true); // protocol ANY
    expectVerdict(m.canReach('web/api', '18.116.211.217', 443), false);
    expectVerdict(m.canReach('web/api', 'data/db', 53, 'UDP'), true);
    expectVerdict(m.canReach('web/api', 'data/db', 5432), false);
  });

  it('unions with a Kubernetes NetworkPolicy on the same pod', () => {
    const c = cnp('data', 'db-cnp', { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }] });
    const k = policy('data', 'db-knp', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { tier: 'front' } } }], ports: [{ port: 'pg' }] }],
    });
    const m = new NetworkModel([...objects, c, k]);
    expectVerdict(m.canReach('data/api', 'data/db', 5432), true); // by the CNP
    expectVerdict(m.canReach('web/api', 'data/db', 5432), true); // by the NetworkPolicy
    expectVerdict(m.canReach('web/api', 'data/db', 9187), false);
  });

  it('enableDefaultDeny.ingress: false leaves other traffic open', () => {
    const p = cnp('data', 'db', {
      endpointSelector: { matchLabels: { app: 'db' } },
      enableDefaultDeny: { ingress: false },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }],
    });
    const m = new NetworkModel([...objects, p]);
    expectVerdict(m.canReach('web/api', 'data/db', 5432), true);
  });

  it('is skipped with cilium: false', () => {
    const p = cnp('data', 'db', { endpointSelector: {}, ingress: [] });
    expectVerdict(new NetworkModel([...objects, p], { cilium: false }).canReach('web/api', 'data/db', 5432), true);
    expectVerdict(new NetworkModel([...objects, p]).canReach('web/api', 'data/db', 5432), false);
  });
});
