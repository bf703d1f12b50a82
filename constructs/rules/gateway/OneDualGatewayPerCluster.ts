import { DualGateway } from '../../dual-gateway.js';
import { defineRule } from '../rule.js';

/** NET-GW11: a cluster has at most one DualGateway. */
export const OneDualGatewayPerCluster = defineRule({
  id: 'NET-GW11',
  level: 'error',
  title: 'A cluster has one DualGateway, which serves every domain and host',
  lesson:
    'A DualGateway is the pair seed 002 runs: one external and one internal gateway, with the ACME issuer, the split-DNS ' +
    'records for the LAN resolver, the CoreDNS records and the exposure report of the whole cluster. A second pair would ' +
    'render a second issuer of the same name and split-DNS files that each list half of the hosts, so the LAN resolver ' +
    'would answer for some of them only. Only the first one renders those cluster-wide files.',
  source: 'seed 002 (one external and one internal gateway, split DNS on the LAN)',
  fix: "Keep one DualGateway: give it every domain (domains: ['example.com', 'example.org']) and expose all hosts through it.",
  *check({ cluster }) {
    for (const gateway of DualGateway.ofCluster(cluster)) {
      if (!gateway.shadowedBy) continue;
      yield {
        at: gateway,
        message: `${cluster.node.path} already has the DualGateway ${gateway.shadowedBy.node.path}; this one renders no split-DNS files and no exposure report`,
        value: gateway.node.path,
        expected: 'one DualGateway per cluster',
      };
    }
  },
});
