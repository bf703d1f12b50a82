/**
 * Derives workloads (sets of identical pods) and namespaces from rendered Kubernetes objects.
 */
import { type ContainerPort, type KubeObject, type Labels, type Protocol, type Workload, PROTOCOLS } from './types.js';

/**
 * The label every namespace carries with its own name (set by the API server since Kubernetes 1.22).
 *
 * @see https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The ports every CloudNativePG instance pod declares.
 *
 * @see https://cloudnative-pg.io/documentation/current/security/#exposed-ports
 */
export const CNPG_INSTANCE_PORTS: readonly ContainerPort[] = [
  { name: 'postgresql', containerPort: 5432, protocol: 'TCP' },
  { name: 'status', containerPort: 8000, protocol: 'TCP' },
  { name: 'metrics', containerPort: 9187, protocol: 'TCP' },
];

/** A pod the caller adds that no rendered object creates, e.g. a debugging pod run by hand. */
export interface HypotheticalWorkload {
  /** Name shown in verdicts and matrices. @default - the namespace and labels, e.g. `clients/{app=other}` */
  readonly name?: string;
  /** The namespace the pod runs in. */
  readonly namespace: string;
  /** The pod's labels. @default {} */
  readonly labels?: Labels;
  /** The pod's container ports. @default [] */
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: Protocol }[];
}

/** Kinds whose pod template sits at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

/** Kinds that are cluster-scoped (and so mention no namespace). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'GatewayClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'CiliumClusterwideNetworkPolicy',
  'CiliumLoadBalancerIPPool',
  'CiliumL2AnnouncementPolicy',
  'ClusterIssuer',
  'ClusterSecretStore',
]);

/** The namespace a namespaced object lands in, given the default for objects that name none. */
export function namespaceOf(obj: KubeObject, defaultNamespace: string): string {
  return obj.metadata?.namespace ?? defaultNamespace;
}

/** Is this object namespaced (as far as this evaluator cares)? */
export function isNamespaced(obj: KubeObject): boolean {
  return !CLUSTER_SCOPED.has(obj.kind ?? '');
}

function describe(obj: KubeObject): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind ?? '<no kind>'} ${ns}${obj.metadata?.name ?? '<no name>'}`;
}

function containerPorts(podSpec: any, where: string, problems: string[]): ContainerPort[] {
  const out: ContainerPort[] = [];
  const containers: any[] = [
    ...(Array.isArray(podSpec?.containers) ? podSpec.containers : []),
    // Native sidecars (init containers that keep running) serve their ports too.
    ...(Array.isArray(podSpec?.initContainers) ? podSpec.initContainers.filter((c: any) => c?.restartPolicy === 'Always') : []),
  ];
  for (const c of containers) {
    for (const p of Array.isArray(c?.ports) ? c.ports : []) {
      const protocol = (p?.protocol ?? 'TCP') as Protocol;
      if (!PROTOCOLS.includes(protocol)) {
        problems.push(
          `${where}: container "${c?.name}" port protocol ${JSON.stringify(p?.protocol)} is not one of ${PROTOCOLS.join(', ')}. Use TCP, UDP or SCTP.`,
        );
        continue;
      }
      if (!Number.isInteger(p?.containerPort) || p.containerPort < 1 || p.containerPort > 65535) {
        problems.push(`${where}: container "${c?.name}" containerPort ${JSON.stringify(p?.containerPort)} is not an integer 1-65535. Set a valid port number.`);
        continue;
      }
      out.push(p.name ? { name: String(p.name), containerPort: p.containerPort, protocol } : { containerPort: p.containerPort, protocol });
    }
  }
  return out;
}

interface RawWorkload {
  kind: string;
  name: string;
  namespace: string;
  labels: Labels;
  ports: ContainerPort[];
}

/**
 * Reads the pod-creating objects among `objects`.
 *
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController and Job use `spec.template`; CronJob uses
 * `spec.jobTemplate.spec.template`; a Pod is its own template. A CloudNativePG `Cluster` (`postgresql.cnpg.io/*`)
 * yields instance pods labelled `cnpg.io/cluster: <name>` and `cnpg.io/podRole: instance`, plus
 * `spec.inheritedMetadata.labels`, listening on {@link CNPG_INSTANCE_PORTS}. The per-instance labels
 * (`cnpg.io/instanceRole`, `role`, `cnpg.io/instanceName`) vary between pods and are left out, so a policy that
 * selects only the primary is not modelled.
 *
 * @param problems collects malformed input instead of throwing at the first.
 */
function readWorkloads(objects: readonly KubeObject[], defaultNamespace: string, problems: string[]): RawWorkload[] {
  const out: RawWorkload[] = [];
  for (const obj of objects) {
    const kind = obj.kind ?? '';
    const name = obj.metadata?.name;
    if (!name) continue;
    const namespace = namespaceOf(obj, defaultNamespace);
    let template: any;
    if (TEMPLATE_KINDS.has(kind) && /^(apps|batch)?\/?v1$/.test(obj.apiVersion ?? 'v1')) {
      template = obj.spec?.template;
    } else if (kind === 'CronJob') {
      template = obj.spec?.jobTemplate?.spec?.template;
    } else if (kind === 'Pod' && (obj.apiVersion ?? 'v1') === 'v1') {
      template = { metadata: obj.metadata, spec: obj.spec };
    } else if (kind === 'Cluster' && (obj.apiVersion ?? '').startsWith('postgresql.cnpg.io/')) {
      out.push({
        kind,
        name,
        namespace,
        labels: {
          ...(obj.spec?.inheritedMetadata?.labels ?? {}),
          'cnpg.io/cluster': name,
          'cnpg.io/podRole': 'instance',
        },
        ports: [...CNPG_INSTANCE_PORTS],
      });
      continue;
    } else {
      continue;
    }
    if (!template) {
      problems.push(`${describe(obj)} has no pod template (spec.template); expected one for a ${kind}. Render the object completely.`);
      continue;
    }
    out.push({
      kind,
      name,
      namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ports: containerPorts(template.spec, describe(obj), problems),
    });
  }
  return out;
}

function hypotheticalName(h: HypotheticalWorkload): string {
  const labels = h.labels ?? {};
  const keys = Object.keys(labels).sort();
  return `{${keys.map((k) => `${k}=${labels[k]}`).join(',')}}`;
}

/**
 * Builds the workload list: rendered objects first (in input order), then the caller's hypothetical pods.
 *
 * Ids are `namespace/name`; where two workloads share a namespace and name (a Deployment and a StatefulSet both
 * called `web`), both get `Kind/namespace/name`.
 */
export function deriveWorkloads(
  objects: readonly KubeObject[],
  extra: readonly HypotheticalWorkload[],
  defaultNamespace: string,
  problems: string[],
): Workload[] {
  const raw = readWorkloads(objects, defaultNamespace, problems);
  extra.forEach((h, i) => {
    if (!h.namespace) {
      problems.push(`extra workload #${i} has no namespace (value: ${JSON.stringify(h)}); expected { namespace, labels }. Add a namespace.`);
      return;
    }
    const ports: ContainerPort[] = [];
    for (const p of h.ports ?? []) {
      const protocol = p.protocol ?? 'TCP';
      ports.push(p.name ? { name: p.name, containerPort: p.containerPort, protocol } : { containerPort: p.containerPort, protocol });
    }
    raw.push({ kind: 'Hypothetical', name: h.name ?? hypotheticalName(h), namespace: h.namespace, labels: { ...(h.labels ?? {}) }, ports });
  });
  const count = new Map<string, number>();
  for (const w of raw) count.set(`${w.namespace}/${w.name}`, (count.get(`${w.namespace}/${w.name}`) ?? 0) + 1);
  const seen = new Set<string>();
  const out: Workload[] = [];
  for (const w of raw) {
    const short = `${w.namespace}/${w.name}`;
    const id = (count.get(short) ?? 0) > 1 ? `${w.kind}/${short}` : short;
    if (seen.has(id)) {
      problems.push(`two ${w.kind} objects are both named ${short}; expected unique names. Remove the duplicate.`);
      continue;
    }
    seen.add(id);
    out.push({ type: 'workload', id, kind: w.kind, name: w.name, namespace: w.namespace, labels: w.labels, ports: w.ports });
  }
  return out;
}

/**
 * Collects every namespace with its labels: Namespace objects (their labels), every namespace an object or extra
 * workload mentions, and `extra` (labels for namespaces not rendered, e.g. `kube-system`). Every namespace carries
 * {@link NAMESPACE_NAME_LABEL} with its own name, as the API server sets it.
 */
export function deriveNamespaces(
  objects: readonly KubeObject[],
  workloads: readonly Workload[],
  extra: Readonly<Record<string, Labels>>,
  defaultNamespace: string,
): Map<string, Labels> {
  const labels = new Map<string, Record<string, string>>();
  const touch = (ns: string): Record<string, string> => {
    let l = labels.get(ns);
    if (!l) {
      l = {};
      labels.set(ns, l);
    }
    return l;
  };
  for (const obj of objects) {
    if (obj.kind === 'Namespace' && obj.metadata?.name) {
      Object.assign(touch(obj.metadata.name), obj.metadata.labels ?? {});
    } else if (isNamespaced(obj) && obj.metadata?.name) {
      touch(namespaceOf(obj, defaultNamespace));
    }
  }
  for (const w of workloads) touch(w.namespace);
  for (const [ns, l] of Object.entries(extra)) Object.assign(touch(ns), l);
  const out = new Map<string, Labels>();
  for (const ns of [...labels.keys()].sort()) out.set(ns, { ...labels.get(ns), [NAMESPACE_NAME_LABEL]: ns });
  return out;
}
