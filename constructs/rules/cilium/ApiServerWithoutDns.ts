import { Distribution } from '../../cluster.js';
import { KUBEPRISM } from '../../cilium/defaults.js';
import { isIpLiteral, isLoopbackHost } from '../../cluster/address.js';
import { defineRule } from '../rule.js';
import { renderedCilium } from './model.js';

/** NET-CIL1: Cilium reaches the API server by an IP literal, or by localhost only where Talos KubePrism serves it. */
export const ApiServerWithoutDns = defineRule({
  id: 'NET-CIL1',
  level: 'error',
  title: 'k8sServiceHost never depends on cluster DNS',
  lesson:
    'Cilium must reach the API server before any pod network exists. A host name needs CoreDNS, CoreDNS needs a pod ' +
    'network, the pod network needs Cilium: seed 001 deadlocked this way. An IP literal breaks the cycle; localhost ' +
    'works only where every node serves the API locally (Talos KubePrism on port 7445).',
  source: 'seed 001 (Cilium bootstrap deadlock); https://docs.siderolabs.com/kubernetes-guides/cni/deploying-cilium',
  fix: 'Leave k8sServiceHost to CiliumRelease (Talos: localhost:7445; otherwise the Cluster apiEndpoint), or give an IP address.',
  *check(ctx) {
    const r = renderedCilium(ctx);
    if (!r) return;
    const host = r.values.k8sServiceHost;
    const port = r.values.k8sServicePort;
    const talos = ctx.cluster.distribution === Distribution.TALOS;
    const endpoint = talos ? `localhost:${KUBEPRISM.port} (KubePrism)` : `${ctx.cluster.apiEndpoint.host}:${ctx.cluster.apiEndpoint.port}`;
    if (typeof host !== 'string' || host === '' || host === 'auto') {
      yield {
        at: r.release,
        message:
          'k8sServiceHost is not set to an address: the agent would look the API server up through cluster DNS or Helm lookups, which do not exist at bootstrap',
        value: host ?? null,
        expected: `an IP address or, on Talos, localhost (use ${endpoint})`,
      };
      return;
    }
    if (isLoopbackHost(host)) {
      if (!talos) {
        yield {
          at: r.release,
          message: `k8sServiceHost is a loopback address, but ${ctx.cluster.distribution} does not serve the API server on every node's loopback (only Talos KubePrism does)`,
          value: host,
          expected: `a routable IP address of the API server (use ${endpoint})`,
        };
      } else if (port !== KUBEPRISM.port && String(port) !== String(KUBEPRISM.port)) {
        yield {
          at: r.release,
          level: 'warning',
          message: `k8sServiceHost is localhost on Talos, but the port is not KubePrism's default ${KUBEPRISM.port}`,
          value: `${host}:${port}`,
          expected: `localhost:${KUBEPRISM.port}, unless machine.features.kubePrism.port says otherwise`,
        };
      }
      return;
    }
    if (!isIpLiteral(host)) {
      const api = ctx.cluster.apiEndpoint;
      // The Cluster's API endpoint is a host name too (NET-CLU5), and CiliumRelease took k8sServiceHost from it: the
      // endpoint is no address to suggest, and the fix belongs on the Cluster.
      const fromCluster = !talos && !isIpLiteral(api.host);
      yield {
        at: r.release,
        message: 'k8sServiceHost is a host name: resolving it needs cluster DNS, which needs the CNI that is trying to start (seed 001 deadlock)',
        value: host,
        expected: fromCluster ? 'an IP address of the API server' : `an IP address (use ${endpoint})`,
        ...(fromCluster && host === api.host
          ? {
              fix: 'Give the Cluster an IP address as apiEndpoint (ApiEndpoint.vip("<VIP on the node subnet>")); CiliumRelease takes k8sServiceHost from it (NET-CLU5 reports the same name).',
            }
          : {}),
      };
    }
  },
});
