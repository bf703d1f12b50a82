/**
 * reports/bootstrap.md for one cluster: its apply order (constructs/bootstrap/model.ts) from the rendered objects
 * and files, as the NET-BOOT rules see it.
 */
import type { Cluster } from '../cluster.js';
import { applyOrder } from '../bootstrap/model.js';
import { BOOTSTRAP_REPORT, renderBootstrapReport } from '../bootstrap/report.js';
import type { RenderedObject } from '../rules/rule.js';
import { releaseValuesOf, treeFiles } from '../rules/values.js';
import { secretsSection } from '../secrets/report.js';

export { BOOTSTRAP_REPORT };

/** The report's text for the cluster's rendered objects and extra files. */
export function bootstrapReport(cluster: Cluster, objects: readonly RenderedObject[], extra: ReadonlyMap<string, string>): string {
  const files = treeFiles(cluster, extra);
  const order = applyOrder({ cluster, objects, valuesOf: (o) => releaseValuesOf(o, files), readFile: (path) => files.read(path) });
  const secrets = secretsSection(cluster, order, objects);
  return renderBootstrapReport(order) + (secrets.length ? `\n${secrets.join('\n')}` : '');
}
