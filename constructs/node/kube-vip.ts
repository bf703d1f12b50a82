/**
 * kube-vip in ARP mode as the holder of a k3s cluster's API VIP: its RBAC and a DaemonSet on the servers, as one
 * manifest for the k3s server manifests folder. Pure functions, no cdk8s; the objects are typed with kubernetes-models.
 *
 * @see https://kube-vip.io/docs/usage/k3s/
 * @see https://kube-vip.io/docs/installation/daemonset/
 */
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Document } from 'yaml';

/** The folder k3s applies at startup and whenever a file in it changes (each file becomes an AddOn in kube-system). */
export const K3S_SERVER_MANIFESTS = '/var/lib/rancher/k3s/server/manifests';

/** The port the k3s API server listens on, on every server (k3s' default `https-listen-port`). */
export const K3S_API_PORT = 6443;

/** Name of kube-vip's ServiceAccount, DaemonSet and container. */
export const KUBE_VIP_NAME = 'kube-vip';

const NAMESPACE = 'kube-system';

export interface KubeVipInput {
  readonly clusterName: string;
  /** The VIP (kube-vip's `address`). */
  readonly address: string;
  /** The API port on the VIP (kube-vip's `port`). */
  readonly port: number;
  /** The servers' link on the node subnet (`vip_interface`). */
  readonly interface: string;
  /** The pinned image. */
  readonly image: string;
}

export type KubeVipObject = IServiceAccount | IClusterRole | IClusterRoleBinding | IDaemonSet;

/**
 * The objects: ServiceAccount, ClusterRole and ClusterRoleBinding as kube-vip's own RBAC manifest has them, and the
 * DaemonSet `kube-vip manifest daemonset --inCluster --taint --controlplane --arp --leaderElection` generates, with one
 * addition: kube-vip talks to the API server on its own node.
 *
 * In-cluster, kube-vip would reach the API through the `kubernetes` Service (10.43.0.1), which works only once
 * kube-proxy or Cilium's kube-proxy replacement runs; without kube-proxy, Cilium needs the VIP first and neither ever
 * starts (kube-vip/kube-vip#721). The DaemonSet runs on servers only, each of which serves the API on
 * 127.0.0.1:6443 (in the k3s serving certificate), so KUBERNETES_SERVICE_HOST/PORT point there: the VIP also stays with
 * a server whose API server answers.
 */
export function kubeVipObjects(input: KubeVipInput): KubeVipObject[] {
  const labels = { 'app.kubernetes.io/name': KUBE_VIP_NAME };
  const serviceAccount: IServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: KUBE_VIP_NAME, namespace: NAMESPACE } };
  const role: IClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'system:kube-vip-role', annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules: [
      { apiGroups: [''], resources: ['services/status'], verbs: ['update'] },
      { apiGroups: [''], resources: ['services', 'endpoints'], verbs: ['list', 'get', 'watch', 'update'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'get', 'watch', 'update', 'patch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['list', 'get', 'watch', 'update', 'create'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'get', 'watch', 'update'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    ],
  };
  const binding: IClusterRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'system:kube-vip-binding' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kube-vip-role' },
    subjects: [{ kind: 'ServiceAccount', name: KUBE_VIP_NAME, namespace: NAMESPACE }],
  };
  const env: Record<string, string> = {
    vip_arp: 'true',
    port: String(input.port),
    vip_interface: input.interface,
    cp_enable: 'true',
    cp_namespace: NAMESPACE,
    vip_leaderelection: 'true',
    vip_leaseduration: '5',
    vip_renewdeadline: '3',
    vip_retryperiod: '1',
    address: input.address,
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(K3S_API_PORT),
  };
  const daemonSet: IDaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: KUBE_VIP_NAME, namespace: NAMESPACE, labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'node-role.kubernetes.io/master', operator: 'Exists' }] },
                  { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] },
                ],
              },
            },
          },
          containers: [
            {
              name: KUBE_VIP_NAME,
              image: input.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['manager'],
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } },
            },
          ],
          hostNetwork: true,
          serviceAccountName: KUBE_VIP_NAME,
          tolerations: [
            { effect: 'NoSchedule', operator: 'Exists' },
            { effect: 'NoExecute', operator: 'Exists' },
          ],
        },
      },
    },
  };
  return [serviceAccount, role, binding, daemonSet];
}

/** The manifest file: a header saying where it goes, then the objects as YAML documents. */
export function renderKubeVipManifest(input: KubeVipInput): string {
  const header = [
    ` kube-vip for cluster ${input.clusterName}, rendered by cdk8s-netkit: it holds the API VIP ${input.address} in ARP mode`,
    ` on ${input.interface} of one k3s server at a time (leader election through a Lease in kube-system).`,
    ` Copy it to ${K3S_SERVER_MANIFESTS}/kube-vip.yaml on every server (identical on each): k3s applies it at`,
    ' startup and whenever it changes. Deleting the file does not delete the objects.',
    ' It runs with host networking, so it starts before the CNI; it reaches the API server on its own node.',
  ].join('\n');
  return kubeVipObjects(input)
    .map((o, i) => {
      const doc = new Document(o, { aliasDuplicateObjects: false });
      if (i === 0) doc.commentBefore = header;
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
