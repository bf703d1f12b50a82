import { HelmChart } from '../../helm-chart.js';
import { defineRule } from '../rule.js';

/** NET-OWN2: each Helm release name is used once per namespace. */
export const HelmReleasesUnique = defineRule({
  id: 'NET-OWN2',
  level: 'error',
  title: 'Two Helm charts never share a release name in one namespace',
  lesson:
    "Helm keeps a release's state in Secrets named after the release in its namespace. Two charts with one release name and " +
    "namespace are one release to Helm: each upgrade replaces the other chart's objects and the history mixes both, the " +
    'stale-release-metadata mess seed 003 had to clean by hand.',
  source: 'seed 003 (Flux Helm ownership conflicts, stale release metadata)',
  fix: 'Give one of the charts another releaseName (or install it into another namespace).',
  *check({ cluster }) {
    const seen = new Map<string, HelmChart>();
    for (const chart of cluster.constructsOf(HelmChart)) {
      const key = `${chart.namespace}/${chart.releaseName}`;
      const first = seen.get(key);
      if (first) {
        yield {
          at: chart,
          message: `Helm release ${key} (chart ${chart.chart}) is also defined at ${first.node.path} (chart ${first.chart})`,
          value: key,
          expected: 'a release name used once per namespace',
        };
      } else {
        seen.set(key, chart);
      }
    }
  },
});
