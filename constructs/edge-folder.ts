/**
 * The `edge/` folder of a cluster: host files rendered from the same Cluster as the manifests (HAProxy, node
 * firewall, registry mirror, MSS clamp), and the edge/README.md that says how to apply each one.
 *
 * Flux and Argo CD never apply this folder: the root kustomization.yaml lists only the layer entries.
 */
import { Construct, type IConstruct } from 'constructs';
import { Cluster, type ClusterNode, NodeRole } from './cluster.js';
import type { EdgeNode, EdgeProblem } from './edge/types.js';

/**
 * Suffix of host files whose content is YAML (k3s registries.yaml, Talos patches).
 *
 * GitOps tools and the conformance check read every `*.yaml`/`*.yml` under clusters/ as a Kubernetes
 * manifest, so a host YAML file is written as `<destination name>.dist` and the suffix is dropped when it is
 * copied to its host (`registries.yaml.dist` → `/etc/rancher/k3s/registries.yaml`).
 */
export const HOST_YAML_SUFFIX = '.dist';

/**
 * Path of the edge folder's README. Lower-case: `Cluster.addFile` accepts lower-case names only.
 */
export const EDGE_README_PATH = 'edge/README.md';

/** One host file of the edge folder and how it reaches its host. */
export interface EdgeFileEntry {
  /** Path under `clusters/<cluster>/`, starting with `edge/`. */
  readonly path: string;
  /** Where the file goes, e.g. `/etc/haproxy/haproxy.cfg on the HAProxy host`. */
  readonly destination: string;
  /** How to apply it, one line of Markdown (commands in backticks). */
  readonly apply: string;
}

/**
 * The cluster's edge folder. One per cluster, created on first use by {@link EdgeFolder.ensure}; the edge
 * constructs register their files here and it writes edge/README.md listing them.
 */
export class EdgeFolder extends Construct {
  /** The edge folder of the cluster `scope` belongs to (created on first call). */
  public static ensure(scope: IConstruct): EdgeFolder {
    const cluster = Cluster.of(scope);
    const existing = cluster.node.tryFindChild(EDGE_FOLDER_ID);
    if (existing instanceof EdgeFolder) return existing;
    return new EdgeFolder(cluster);
  }

  /**
   * @deprecated Use {@link EdgeFolder.ensure}, which this calls: `X.of(scope)` finds what exists and never creates; `X.ensure(scope)` creates on first use.
   */
  public static of(scope: IConstruct): EdgeFolder {
    return EdgeFolder.ensure(scope);
  }

  private readonly entries: (EdgeFileEntry & { source: string })[] = [];
  private readonly notes: { title: string; lines: readonly string[] }[] = [];

  private constructor(private readonly cluster: Cluster) {
    super(cluster, EDGE_FOLDER_ID);
    cluster.addFile(EDGE_README_PATH, () => this.renderReadme(), this);
  }

  /**
   * Add a host file: registers it with the cluster (`cluster.addFile`) and lists it in edge/README.md.
   *
   * @param produce the content, produced at synth time
   * @param source the construct the file comes from (named in errors)
   */
  public addFile(entry: EdgeFileEntry, produce: () => string, source: IConstruct): void {
    if (!entry.path.startsWith('edge/')) throw new Error(`edge file "${entry.path}" must be under edge/ (at ${source.node.path})`);
    if (/\.ya?ml$/.test(entry.path)) {
      throw new Error(
        `edge file "${entry.path}" ends in .yaml/.yml, so GitOps tools would read it as a manifest; name it "${entry.path}${HOST_YAML_SUFFIX}" (at ${source.node.path})`,
      );
    }
    this.cluster.addFile(entry.path, produce, source);
    this.entries.push({ ...entry, source: source.node.path });
  }

  /** Add a free-text section to edge/README.md (e.g. how to run the registry cache). */
  public addNote(title: string, lines: readonly string[]): void {
    this.notes.push({ title, lines });
  }

  /** The registered files, sorted by path. */
  public files(): readonly EdgeFileEntry[] {
    return [...this.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private renderReadme(): string {
    const out = [
      `# Edge files of cluster ${this.cluster.clusterName}`,
      '',
      'Rendered by cdk8s-netkit from the same cluster description as the manifests, so they cannot drift from it.',
      'Edit the description and render again (`npm run synth`) rather than editing these files.',
      '',
      'Flux and Argo CD never apply this folder: the root kustomization.yaml lists only the layer entries.',
      `Host files that are YAML end in \`${HOST_YAML_SUFFIX}\` (GitOps tools and schema checks read every`,
      `\`*.yaml\` under clusters/ as a Kubernetes manifest); drop the \`${HOST_YAML_SUFFIX}\` suffix when copying such a file to its host.`,
      'Each file can be copied by hand, or by configuration management (an Ansible `ansible.builtin.copy`',
      'task with `src` pointing here and a handler running the apply command).',
      '',
    ];
    let group = '';
    for (const e of this.files()) {
      const rel = e.path.replace(/^edge\//, '');
      const dir = rel.includes('/') ? rel.slice(0, rel.indexOf('/') + 1) : './';
      if (dir !== group) {
        if (group) out.push('');
        out.push(`## ${dir}`, '');
        group = dir;
      }
      out.push(`- \`${rel}\` → ${e.destination}.`, `  ${e.apply}`);
    }
    if (group) out.push('');
    for (const n of this.notes) out.push(`## ${n.title}`, '', ...n.lines, '');
    return out.join('\n');
  }
}

const EDGE_FOLDER_ID = 'EdgeFolder';

/**
 * The cluster's nodes as the edge renderers see them.
 *
 * @param ingressNodes names of the nodes that serve the ingress on 80/443 (others get `ingress: false`)
 */
export function edgeNodesOf(nodes: readonly ClusterNode[], ingressNodes: ReadonlySet<string>): EdgeNode[] {
  return nodes.map((n) => ({
    name: n.name,
    address: n.address,
    roles: n.roles.includes(NodeRole.CONTROL_PLANE)
      ? [NodeRole.CONTROL_PLANE, ...(n.roles.includes(NodeRole.WORKER) ? [NodeRole.WORKER] : [])]
      : [NodeRole.WORKER],
    ingress: ingressNodes.has(n.name),
  }));
}

/** The placeholder written instead of a host file whose input has problems (the rules report them). */
export function notRendered(what: string, problems: readonly EdgeProblem[]): string {
  return [
    `# ${what} was not rendered: its input has ${problems.length} problem(s).`,
    ...problems.map((p) => `# ${p.id} ${p.message}`),
    '# The synth reports each one as a NET-EDGE finding with its fix.',
    '',
  ].join('\n');
}
