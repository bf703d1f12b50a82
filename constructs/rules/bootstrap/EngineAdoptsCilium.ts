import { CiliumRelease } from '../../cilium-release.js';
import { defineRule } from '../rule.js';
import { currentFiles, valueSources } from '../values.js';

/** NET-BOOT5: the engine's Cilium release is the bootstrap's: same release, namespace, chart version and values file. */
export const EngineAdoptsCilium = defineRule({
  id: 'NET-BOOT5',
  level: 'error',
  title: "The GitOps engine adopts the bootstrap's Cilium release: same release name, namespace, chart version and values file",
  lesson:
    'The bootstrap installs Cilium with helm before the engine exists; the engine must then take that release over, not ' +
    'install a second one. Flux adopts a Helm release only when the HelmRelease is named like it (or sets releaseName), ' +
    'lives in its namespace and keeps its storage there, without a targetNamespace that renames it: otherwise it ' +
    'installs anew over objects another release owns, or later uninstalls the CNI. Both engines must render the chart ' +
    'version and values the bootstrap used, from the one values file, or the first reconcile changes the running CNI.',
  source: 'fluxcd/helm-controller v1.6.3 docs/spec/v2/helmreleases.md (release name, storage namespace); seed 001 step 7',
  fix: 'Leave the release object to CiliumRelease: no targetNamespace, storageNamespace, releaseName or inline values added by an escape hatch; change values through the CiliumRelease, which writes the one values file.',
  *check(ctx) {
    const release = CiliumRelease.of(ctx.cluster);
    if (!release) return;
    const chart = release.chart;
    const o = ctx.objects.find((x) => x.path === `${chart.node.path}/Resource`);
    if (!o) return;
    const spec = o.json.spec ?? {};
    const problems: { what: string; value: unknown; expected: string }[] = [];
    if (o.kind === 'HelmRelease') {
      const target = spec.targetNamespace as string | undefined;
      const name = (spec.releaseName as string | undefined) ?? (target ? `${target}-${o.name}` : o.name);
      if (o.namespace !== chart.namespace)
        problems.push({ what: 'the HelmRelease lives in another namespace than the release', value: o.namespace, expected: chart.namespace });
      if (name !== chart.releaseName) problems.push({ what: 'the HelmRelease manages another Helm release name', value: name, expected: chart.releaseName });
      if (target !== undefined && target !== chart.namespace)
        problems.push({ what: 'spec.targetNamespace moves the release', value: target, expected: `unset (or ${chart.namespace})` });
      if (spec.storageNamespace !== undefined && spec.storageNamespace !== chart.namespace) {
        problems.push({
          what: 'spec.storageNamespace keeps the release history where the bootstrap did not',
          value: spec.storageNamespace,
          expected: `unset (or ${chart.namespace})`,
        });
      }
      const version = spec.chart?.spec?.version ?? ctx.objects.find((x) => x.kind === 'OCIRepository' && x.name === spec.chartRef?.name)?.json.spec?.ref?.tag;
      if (version !== chart.version)
        problems.push({ what: 'the HelmRelease pins another chart version than the bootstrap installs', value: version, expected: chart.version });
    } else if (o.kind === 'Application') {
      const src = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].find((s: any) => s?.chart === chart.chart) ?? {};
      const name = src.helm?.releaseName ?? o.name;
      if (spec.destination?.namespace !== chart.namespace)
        problems.push({ what: 'the Application renders the chart into another namespace', value: spec.destination?.namespace, expected: chart.namespace });
      if (name !== chart.releaseName) problems.push({ what: 'the Application renders another Helm release name', value: name, expected: chart.releaseName });
      if (src.targetRevision !== chart.version)
        problems.push({ what: 'the Application pins another chart version than the bootstrap installs', value: src.targetRevision, expected: chart.version });
    }
    const sources = valueSources(o, currentFiles(ctx)).map((s) => s.where);
    if (chart.valuesFilePath && (sources.length !== 1 || sources[0] !== chart.valuesFilePath)) {
      problems.push({
        what: `the release does not take its values from ${chart.valuesFilePath} alone, the file the bootstrap installs with`,
        value: sources,
        expected: `[${chart.valuesFilePath}]`,
      });
    }
    for (const p of problems) {
      yield {
        at: o.path,
        message: `${p.what}: the engine would not adopt the Cilium release the bootstrap installed (helm upgrade --install ${chart.releaseName} -n ${chart.namespace} --version ${chart.version} -f ${chart.valuesFilePath})`,
        value: p.value,
        expected: p.expected,
      };
    }
  },
});
