import { DualGateway } from '../../dual-gateway.js';
import { ARGOCD_SERVICES } from '../../gitops/argocd-install.js';
import { GitOpsFlavour } from '../../gitops/gitops.js';
import type { Cluster } from '../../cluster.js';
import type { RenderedObject } from '../rule.js';
import { defineRule } from '../rule.js';
import { backendRefsOf, routesOf } from './model.js';

/** A Service the cluster will have: its namespace, name, ports and what provides it. */
interface KnownService {
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly number[];
  readonly from: string;
}

/** CloudNativePG creates these Services for each Cluster, all on the PostgreSQL port. */
const CNPG_SERVICE_SUFFIXES = ['-rw', '-ro', '-r'];
const POSTGRES_PORT = 5432;

/**
 * The Services the tree renders or installs: Service objects, the Services of rendered CloudNativePG clusters, and
 * those of the GitOps engine the tree installs (Argo CD's, from bootstrap/argocd/).
 */
function knownServices(cluster: Cluster, objects: readonly RenderedObject[]): KnownService[] {
  const out: KnownService[] = [];
  for (const o of objects) {
    const namespace = o.namespace ?? 'default';
    if (o.kind === 'Service' && o.apiVersion === 'v1' && o.name) {
      out.push({ namespace, name: o.name, ports: ((o.json.spec?.ports ?? []) as any[]).map((p) => p.port), from: o.path });
    }
    if (o.kind === 'Cluster' && o.apiVersion.startsWith('postgresql.cnpg.io/') && o.name) {
      for (const suffix of CNPG_SERVICE_SUFFIXES) out.push({ namespace, name: `${o.name}${suffix}`, ports: [POSTGRES_PORT], from: o.path });
    }
  }
  if (cluster.gitops.flavour === GitOpsFlavour.ARGOCD) {
    for (const s of ARGOCD_SERVICES)
      out.push({ namespace: cluster.gitops.namespace, name: s.name, ports: s.ports, from: 'the Argo CD install (bootstrap/argocd)' });
  }
  return out;
}

/** NET-GW3: every route backend is a Service the tree renders or installs, or one declared as installed outside it. */
export const BackendsExist = defineRule({
  id: 'NET-GW3',
  level: 'error',
  title: 'Every route backend exists: a Service the tree renders or installs, or one declared external',
  lesson:
    'A route to a Service or port that does not exist is accepted and answers 500 for every request; nothing fails ' +
    'at apply time. Seed 003 shipped a tunnel rule to `label-studio` when the Service was `label-studio-ls-app`, on the ' +
    "wrong port; seed 002's PostgreSQL listener routes to `database/postgres-rw`, which nothing in the tree creates. A " +
    'Service installed by other means is declared as such, and the exposure report names who installs it.',
  source: 'seed 003 (service name and port fixed by hand), seed 002 (TCP listener to database/postgres-rw), Gateway API BackendRef ResolvedRefs',
  fix: 'Point the backend at a rendered Workload (Backend.workload) with an existing port name, or at a Service the tree renders (Backend.service); declare a Service installed by other means with Backend.external(namespace, name, port, { installedBy }).',
  *check({ cluster, objects }) {
    const known = knownServices(cluster, objects);
    const external = DualGateway.ofCluster(cluster).flatMap((g) => g.declaredExternalBackends());
    for (const route of routesOf(objects)) {
      for (const ref of backendRefsOf(route)) {
        if (external.some((e) => e.namespace === ref.namespace && e.name === ref.name && (ref.port === undefined || e.port === ref.port))) continue;
        const matches = known.filter((s) => s.name === ref.name && s.namespace === ref.namespace);
        const target = `${ref.namespace}/${ref.name}${ref.port !== undefined ? `:${ref.port}` : ''}`;
        if (!matches.length) {
          yield {
            at: route.path,
            message: `${route.kind} ${route.namespace}/${route.name} sends traffic to Service ${ref.namespace}/${ref.name}, which this tree neither renders nor installs, and nobody declared external`,
            value: target,
            expected: 'a Service the tree renders or installs, or Backend.external(...) for one installed otherwise',
          };
          continue;
        }
        const ports = [...new Set(matches.flatMap((s) => s.ports))];
        if (ref.port !== undefined && !ports.includes(ref.port)) {
          yield {
            at: route.path,
            message: `${route.kind} ${route.namespace}/${route.name} sends traffic to port ${ref.port} of Service ${ref.namespace}/${ref.name}, which has no such port`,
            value: target,
            expected: `one of ports ${ports.join(', ')}`,
          };
        }
      }
    }
  },
});
