import { defineRule } from '../rule.js';

/**
 * NET-OUT4: a manifest someone adds to `clusters/<cluster>/` is applied. The synthesizer lists it in the
 * kustomization.yaml of its folder (output/foreign.ts); this rule reports what it cannot list.
 */
export const HandWrittenManifestsApplied = defineRule({
  id: 'NET-OUT4',
  level: 'warning',
  title: "A manifest added by hand to clusters/ is applied: its folder's kustomization.yaml lists it, or the synth says where to move it",
  lesson:
    'Flux and Argo CD build a folder that has a kustomization.yaml from that file alone, and the synthesizer writes one in ' +
    'every folder they apply: a manifest added beside the rendered files would sit in Git, look deployed, and be applied ' +
    'by nobody. The synthesizer lists every hand-written manifest of an applied folder (never editing the file); a ' +
    'manifest in reports/, edge/ or bootstrap/, which no engine applies, or YAML that is not a list of Kubernetes ' +
    'objects, cannot be listed and is reported here.',
  source: 'issue 18 (nothing silently ignored); Flux kustomize-controller (a kustomization.yaml decides what a path builds)',
  fix: 'Move the manifest into a layer folder (apps/, or a folder of its own below it) or the cluster folder, where the next synth lists it; keep files not meant for the cluster outside clusters/.',
  *check({ cluster, existing }) {
    for (const f of existing?.handWritten ?? []) {
      const where = `clusters/${cluster.clusterName}/${f.file}`;
      if (f.status === 'unapplied') {
        const target = f.suggest ? `${f.suggest}/` : 'the cluster folder';
        yield {
          at: cluster,
          message: `${where} is a manifest in ${f.folder}/, a folder no GitOps engine applies: nothing applies it`,
          value: f.file,
          expected: 'hand-written manifests in the cluster folder or a layer folder, whose kustomization.yaml lists them',
          fix: `Move it to ${target} (e.g. clusters/${cluster.clusterName}/${f.suggest ? `${f.suggest}/` : ''}${f.file.split('/').pop()}); the next synth lists it in that folder's kustomization.yaml.`,
        };
      } else if (f.status === 'not-a-manifest') {
        yield {
          at: cluster,
          message: `${where} is YAML in a folder the GitOps engine applies, but ${f.detail}: no kustomization.yaml can list it, so nothing applies it`,
          value: f.file,
          expected: 'YAML files whose every document is a Kubernetes object (apiVersion, kind, metadata)',
          fix: 'Make every document a Kubernetes object; a file not meant for the cluster (values, notes) goes outside clusters/ or gets another extension.',
        };
      }
    }
  },
});
