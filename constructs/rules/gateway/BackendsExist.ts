import { DualGateway } from '../../dual-gateway.js';
import { defineRule } from '../rule.js';
import { backendRefsOf, routesOf } from './model.js';

/** NET-GW3: every route backend is a rendered Service port, or declared as existing outside the tree. */
export const BackendsExist = defineRule({
  id: 'NET-GW3',
  level: 'error',
  title: 'Every route backend exists: a rendered Service and port, or one declared external',
  lesson:
    'A route to a Service or port that does not exist is accepted and answers 500 for every request; nothing fails ' +
    'at apply time. Seed 003 shipped a tunnel rule to `label-studio` when the Service was `label-studio-ls-app`, on the ' +
    'wrong port.',
  source: 'seed 003 (service name and port fixed by hand), Gateway API BackendRef ResolvedRefs',
  fix: 'Point the backend at a rendered Workload (Backend.workload) with an existing port name, or declare a Service installed by other means with Backend.service(namespace, name, port).',
  *check({ cluster, objects }) {
    const services = objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1');
    const external = DualGateway.ofCluster(cluster).flatMap((g) => g.declaredExternalBackends());
    for (const route of routesOf(objects)) {
      for (const ref of backendRefsOf(route)) {
        if (external.some((e) => e.namespace === ref.namespace && e.name === ref.name && (ref.port === undefined || e.port === ref.port))) continue;
        const svc = services.find((s) => s.name === ref.name && (s.namespace ?? 'default') === ref.namespace);
        const target = `${ref.namespace}/${ref.name}${ref.port !== undefined ? `:${ref.port}` : ''}`;
        if (!svc) {
          yield {
            at: route.path,
            message: `${route.kind} ${route.namespace}/${route.name} sends traffic to Service ${ref.namespace}/${ref.name}, which this tree does not render and nobody declared external`,
            value: target,
            expected: 'a rendered Service, or Backend.service(...) for one installed otherwise',
          };
          continue;
        }
        const ports: number[] = ((svc.json.spec?.ports ?? []) as any[]).map((p) => p.port);
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
