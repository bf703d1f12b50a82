/**
 * NET-SCH4: metadata.name and metadata.namespace are names the API server accepts.
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { describe, expect, it } from 'vitest';
import { Acknowledgements } from '../../constructs/index.js';
import { run, testCluster } from '../helpers.js';
import { byId, configMap } from './support.js';

function service(scope: import('constructs').Construct, name: string, namespace = 'apps'): k8s.KubeService {
  return new k8s.KubeService(scope, `Svc-${name}`, { metadata: { name, namespace }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
}

describe('NET-SCH4 object names are valid Kubernetes names', () => {
  it('fails when a ConfigMap name has upper-case letters and an underscore (and offers a valid name)', async () => {
    const { app, cluster } = testCluster();
    configMap(cluster, 'Web_Config', { a: 'b' });
    const outcome = await run(app);
    expect(outcome.ok).toBe(false);
    const found = byId(outcome, 'NET-SCH4');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      level: 'error',
      path: 'test/Web_Config',
      value: 'Web_Config',
      message: 'ConfigMap "Web_Config" has a metadata.name the API server rejects: it has upper-case letters',
      fix: 'Name it "web-config" (or another DNS-1123 subdomain).',
    });
    expect(found[0]!.expected).toMatch(/DNS-1123 subdomain.*253/);
  });

  it('passes when compliant: subdomains with dots and digits first, Service labels, RBAC names with colons', async () => {
    const { app, cluster } = testCluster();
    configMap(cluster, '1st.config-v2', { a: 'b' });
    service(cluster, 'web');
    new ApiObject(cluster, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:netkit:reader' },
      rules: [],
    } as never);
    const outcome = await run(app);
    expect(byId(outcome, 'NET-SCH4')).toEqual([]);
  });

  it('passes when acknowledged', async () => {
    const { app, cluster } = testCluster();
    const cm = configMap(cluster, 'Web_Config', { a: 'b' });
    Acknowledgements.of(cm).add('NET-SCH4', 'renamed by a mutating webhook in this lab');
    const outcome = await run(app);
    expect(byId(outcome, 'NET-SCH4')).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.result!.clusters[0]!.acknowledged.map((a) => a.ruleId)).toContain('NET-SCH4');
  });

  it('holds a Service to an RFC 1035 label: no leading digit, no dot, at most 63 characters', async () => {
    const { app, cluster } = testCluster();
    service(cluster, '1web');
    service(cluster, 'web.internal');
    service(cluster, `s${'x'.repeat(63)}`);
    const outcome = await run(app);
    const found = byId(outcome, 'NET-SCH4');
    expect(found.map((f) => [f.value, f.message.replace(/^.*rejects: /, '')])).toEqual([
      ['1web', 'it starts with a digit'],
      [`s${'x'.repeat(63)}`, 'it is 64 characters long (at most 63)'],
      ['web.internal', "it holds '.'"],
    ]);
    for (const f of found) expect(f.expected).toMatch(/RFC 1035 label/);
    expect(found.find((f) => f.value === 'web.internal')!.fix).toBe('Name it "web-internal" (or another RFC 1035 label).');
  });

  it('fails for a subdomain longer than 253 characters or with an empty part between dots', async () => {
    const { app, cluster } = testCluster();
    configMap(cluster, 'a'.repeat(254), { a: 'b' });
    configMap(cluster, 'web..config', { a: 'b' });
    configMap(cluster, 'web-', { a: 'b' });
    const outcome = await run(app);
    expect(byId(outcome, 'NET-SCH4').map((f) => f.message.replace(/^.*rejects: /, ''))).toEqual([
      'it is 254 characters long (at most 253)',
      "a part between dots is empty or starts or ends with '-'",
      "a part between dots is empty or starts or ends with '-'",
    ]);
  });

  it('holds Namespace names and every metadata.namespace to a DNS-1123 label', async () => {
    const { app, cluster } = testCluster();
    configMap(cluster, 'ok', { a: 'b' });
    service(cluster, 'web', 'team.apps');
    const outcome = await run(app);
    const found = byId(outcome, 'NET-SCH4');
    expect(found.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        'Namespace "team.apps" has a metadata.name the API server rejects: it holds \'.\'',
        'Service "web" has a metadata.namespace the API server rejects: it holds \'.\'',
      ]),
    );
    expect(found.every((f) => f.value === 'team.apps')).toBe(true);
    expect(found.find((f) => f.message.startsWith('Service'))!.fix).toBe('Use the namespace "team-apps" (or another DNS-1123 label).');
  });

  it('fails for an object with no name', async () => {
    const { app, cluster } = testCluster();
    new ApiObject(cluster, 'Nameless', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '', namespace: 'apps' }, data: {} } as never);
    const outcome = await run(app);
    expect(byId(outcome, 'NET-SCH4').map((f) => f.message)).toEqual(['ConfigMap "" has a metadata.name the API server rejects: it is empty']);
  });
});
