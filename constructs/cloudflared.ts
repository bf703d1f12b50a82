/**
 * The external side of a DualGateway: a cloudflared Deployment connecting the cluster to a Cloudflare Tunnel.
 *
 * Each external host is sent to the external gateway's in-cluster Service over HTTPS, with `originServerName` set to
 * the host: the gateway terminates TLS with the same wildcard certificate LAN users see, cloudflared verifies it,
 * and the gateway's HTTP→HTTPS redirect never loops (plain HTTP to port 80 would be answered with a redirect to
 * https://host, which the browser sends back through Cloudflare to port 80 again).
 */
import { CoreConfigMap, CoreDeployment } from '../imports/core.js';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { Component, Layer } from './component.js';
import { CLOUDFLARED_IMAGE } from './core/versions.js';
import type { SecretKeyRef } from './cert-manager-release.js';
import { lazy } from './core/lazy.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';
import { declareSecret, SECRET_KEY_REF_SPEC } from './secret-source.js';
import { Cluster } from './cluster.js';
import { EdgeFolder } from './edge-folder.js';
import { jsonFile } from './core/json-file.js';

/** How the tunnel gets its ingress rules. */
export enum TunnelMode {
  /** Rules come from the ConfigMap this library renders. */
  LOCALLY_MANAGED = 'locally-managed',
  /** Rules live in Cloudflare (dashboard or API); cloudflared ignores any local config (seed 003). */
  REMOTELY_MANAGED = 'remotely-managed',
}

export interface LocallyManagedTunnelOptions {
  /** The tunnel's UUID (`cloudflared tunnel create` prints it). */
  readonly tunnelId: string;
  /**
   * The tunnel credentials JSON (`<tunnel-id>.json`), by Secret reference, in the cloudflared namespace.
   *
   * @see https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/local-management/
   */
  readonly credentialsSecret: SecretKeyRef;
}

export interface RemotelyManagedTunnelOptions {
  /**
   * The tunnel token, by Secret reference, in the cloudflared namespace.
   *
   * @see https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/remote-management/
   */
  readonly tokenSecret: SecretKeyRef;
  /**
   * Private access through the tunnel with Cloudflare WARP (seed 003): the tunnel routes the cluster's private networks
   * (Cloudflare turns WARP routing on for a tunnel with routes; the configuration body still carries `warp-routing`,
   * which the API accepts), and WARP's split-tunnel include list carries the same networks, on a device profile in
   * Include mode. All three are rendered under `edge/cloudflare/` from the Cluster model.
   *
   * @default - no private access: the tunnel carries public hostnames only
   * @see https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/private-net/cloudflared/
   */
  readonly privateAccess?: WarpPrivateAccessOptions;
}

/** A private network, by CIDR, with what it is. */
export interface PrivateNetwork {
  readonly cidr: string;
  readonly description: string;
}

/** Options of WARP private access through a remotely-managed tunnel. */
export interface WarpPrivateAccessOptions {
  /**
   * Networks the tunnel routes besides the cluster's service CIDR, pod CIDR and node subnet (a GPU node's own subnet,
   * a storage network).
   *
   * @default []
   */
  readonly extraRoutes?: readonly PrivateNetwork[];
  /**
   * Entries of the include list that other tunnels route (another site's networks in the same Zero Trust
   * organisation, as seed 003's Manowar networks): kept in the list, never routed by this tunnel.
   *
   * @default []
   */
  readonly routedElsewhere?: readonly PrivateNetwork[];
  /**
   * The include list as it is kept in Zero Trust, when it is kept by hand: rule NET-EDGE14 compares it with the routes.
   *
   * @default - derived from the routes and `routedElsewhere`
   */
  readonly includeList?: readonly PrivateNetwork[];
}

/** A Cloudflare Tunnel and how it is managed. */
export class Tunnel {
  /** A tunnel whose ingress rules this library renders (config.yaml in a ConfigMap). */
  public static locallyManaged(options: LocallyManagedTunnelOptions): Tunnel {
    const o = p.fieldsOf(options);
    return new Tunnel(TunnelMode.LOCALLY_MANAGED, o.tunnelId as string, o.credentialsSecret as SecretKeyRef, undefined, options);
  }

  /**
   * A dashboard/API-managed tunnel, run with a token. Its ingress rules must be set in Cloudflare: the rendered
   * ConfigMap and reports/exposure.md list them, and say so.
   */
  public static remotelyManaged(options: RemotelyManagedTunnelOptions): Tunnel {
    const o = p.fieldsOf(options);
    return new Tunnel(TunnelMode.REMOTELY_MANAGED, undefined, o.tokenSecret as SecretKeyRef, o.privateAccess as WarpPrivateAccessOptions | undefined, options);
  }

  private constructor(
    public readonly mode: TunnelMode,
    public readonly tunnelId: string | undefined,
    /** The credentials file (local) or the token (remote). */
    public readonly secret: SecretKeyRef,
    /** WARP private access, for a remotely-managed tunnel. */
    public readonly privateAccess?: WarpPrivateAccessOptions,
    /** What the factory was given, as given: the construct that receives the tunnel checks it (NET-IN1, NET-IN2). */
    public readonly options?: unknown,
  ) {}
}

/** The files of WARP private access under `clusters/<cluster>/`. */
export const TUNNEL_CONFIGURATION_FILE = 'edge/cloudflare/tunnel-configuration.json';
export const TUNNEL_ROUTES_FILE = 'edge/cloudflare/tunnel-private-routes.json';
export const WARP_INCLUDE_FILE = 'edge/cloudflare/warp-split-tunnel-include.json';

/**
 * The private networks a tunnel with WARP access routes: the cluster's service CIDR (the API server's ClusterIP among
 * them), pod CIDR and node subnet, then the extra routes, in that order.
 */
export function tunnelPrivateRoutes(cluster: Cluster, access: WarpPrivateAccessOptions): PrivateNetwork[] {
  const name = cluster.clusterName;
  return [
    { cidr: cluster.serviceCidr, description: `${name}: Kubernetes services (API server ClusterIP included)` },
    { cidr: cluster.podCidr, description: `${name}: pods` },
    { cidr: cluster.nodeSubnet, description: `${name}: nodes` },
    ...(access.extraRoutes ?? []).map((r) => ({ cidr: r.cidr, description: `${name}: ${r.description}` })),
  ];
}

/** WARP's split-tunnel include list: the tunnel's routes, then what other tunnels route; or the list kept by hand. */
export function warpIncludeList(cluster: Cluster, access: WarpPrivateAccessOptions): PrivateNetwork[] {
  if (access.includeList) return [...access.includeList];
  return [...tunnelPrivateRoutes(cluster, access), ...(access.routedElsewhere ?? [])];
}

/**
 * The body of `PUT /accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations` for a remotely-managed tunnel: its
 * ingress rules (ending with the catch-all) and, with private access, `warp-routing: { enabled: true }`. The API schema marks
 * `warp-routing` deprecated and derived (on when the tunnel has a private route; cloudflared 2023.10.0 and later ignore
 * it), and still accepts it: kept so the body says what the tunnel is for, and for older cloudflared.
 *
 * @see https://developers.cloudflare.com/api/resources/zero_trust/subresources/tunnels/subresources/cloudflared/subresources/configurations/methods/update/
 */
export function tunnelConfigurationBody(ingress: readonly TunnelIngressRule[], warpRouting: boolean): Record<string, unknown> {
  return { config: { ingress: [...ingress], ...(warpRouting ? { 'warp-routing': { enabled: true } } : {}) } };
}

/** One cloudflared ingress rule. */
export interface TunnelIngressRule {
  readonly hostname?: string;
  readonly service: string;
  readonly originRequest?: Record<string, unknown>;
}

export interface CloudflaredProps {
  readonly tunnel: Tunnel;
  /** Produces the ingress rules (external hosts, then the catch-all) at synth time. */
  readonly ingress: () => TunnelIngressRule[];
  /**
   * @default 'cloudflared'
   */
  readonly namespace?: string;
  /**
   * Write reports/exposure.md for this tunnel. A DualGateway writes its own report, with the tunnel in it, and says false.
   *
   * @default true
   */
  readonly exposureReport?: boolean;
  /**
   * Connector replicas; at least 2 so a node drain never cuts the internet side.
   *
   * @default 2
   */
  readonly replicas?: number;
}

/** The metrics port; `/ready` answers 200 once the connector holds a tunnel connection. */
export const CLOUDFLARED_METRICS_PORT = 2000;
const CONFIG_DIR = '/etc/cloudflared/config';
const CREDS_DIR = '/etc/cloudflared/creds';

/** The header of the rendered config, saying which mode it is for. */
export function cloudflaredConfigHeader(mode: TunnelMode): string {
  return mode === TunnelMode.LOCALLY_MANAGED
    ? '# Locally-managed tunnel: cloudflared reads this file (mounted at ' +
        CONFIG_DIR +
        '/config.yaml).\n' +
        '# Ingress rules are rendered by cdk8s-netkit: change them in code, not here.\n'
    : '# REMOTELY-MANAGED tunnel: cloudflared IGNORES this file. It is not mounted.\n' +
        '# Set these ingress rules in the Cloudflare dashboard (Zero Trust > Networks > Tunnels > Public hostnames)\n' +
        '# or with the API (PUT /accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations); they are listed\n' +
        '# here and in reports/exposure.md so the two can be compared.\n';
}

/** The cloudflared config file (locally-managed) or the rules to set in Cloudflare (remotely-managed). */
export function cloudflaredConfig(tunnel: Tunnel, ingress: readonly TunnelIngressRule[]): string {
  const body =
    tunnel.mode === TunnelMode.LOCALLY_MANAGED
      ? {
          tunnel: tunnel.tunnelId,
          'credentials-file': `${CREDS_DIR}/credentials.json`,
          metrics: `0.0.0.0:${CLOUDFLARED_METRICS_PORT}`,
          'no-autoupdate': true,
          ingress,
        }
      : { ingress };
  return cloudflaredConfigHeader(tunnel.mode) + stringify(body, { lineWidth: 0 });
}

/**
 * The exposure report's note on WARP private access: who reaches what through the tunnel, and how the three rendered
 * files fit together. Empty without private access.
 */
export function warpAccessLines(cloudflared: Cloudflared): string[] {
  const access = cloudflared.tunnel.privateAccess;
  if (!access) return [];
  const cluster = Cluster.of(cloudflared);
  const routes = cloudflared.privateRoutes();
  const include = cloudflared.warpInclude();
  const lines = [
    '## Private access through WARP',
    '',
    'Devices enrolled in the Cloudflare Zero Trust organisation with the WARP client, under the device profile whose split-tunnel',
    'include list is `' + WARP_INCLUDE_FILE + "`, reach these networks through the tunnel's cloudflared pods: Cloudflare",
    'routes WARP traffic to a tunnel that has private routes (`' + TUNNEL_ROUTES_FILE + '`). The profile must use Split Tunnels',
    "in Include mode: Cloudflare's default is Exclude mode, where the include list is not used and these networks stay off WARP.",
    'Traffic arrives from the',
    'cloudflared pods: NetworkPolicies see it as theirs, and nothing here filters it; restrict who may connect with Zero Trust',
    'Gateway network policies.',
    '',
    '| network | what | reachable through WARP |',
    '| --- | --- | --- |',
  ];
  const what = (r: PrivateNetwork) =>
    r.cidr === cluster.serviceCidr
      ? 'every ClusterIP Service, the API server at its ClusterIP (the kubeconfig of seed 003 points there) included'
      : r.cidr === cluster.podCidr
        ? 'every pod directly, past the gateways'
        : r.cidr === cluster.nodeSubnet
          ? `the nodes: the API server on ${cluster.apiEndpoint.host}:${cluster.apiEndpoint.port}, SSH, the kubelet, NodePorts`
          : r.description;
  for (const r of routes)
    lines.push(`| ${r.cidr} | ${what(r)} | ${include.some((i) => i.cidr === r.cidr) ? 'yes' : '**no: not in the include list (NET-EDGE14)**'} |`);
  for (const i of include.filter((x) => !routes.some((r) => r.cidr === x.cidr)))
    lines.push(`| ${i.cidr} | ${i.description} | through another tunnel, not this one |`);
  lines.push('');
  return lines;
}

/** cloudflared: ConfigMap + Deployment (networking layer, folder `cloudflared`). */
const FALLBACK_TUNNEL = () => Tunnel.remotelyManaged({ tokenSecret: { name: 'cloudflared-token', key: 'token' } });

const PRIVATE_NETWORKS_SPEC = p.optional(p.array(p.object({ cidr: p.cidr(), description: p.string({ maxLength: 256 }) })));

/** What Tunnel.locallyManaged() was given. */
const LOCAL_TUNNEL_OPTIONS_SPEC = p.object({
  tunnelId: p.string({ maxLength: 64, pattern: /^[0-9a-f-]{36}$/, expected: 'a tunnel UUID' }),
  credentialsSecret: SECRET_KEY_REF_SPEC,
});

/** What Tunnel.remotelyManaged() was given. */
const REMOTE_TUNNEL_OPTIONS_SPEC = p.object({
  tokenSecret: SECRET_KEY_REF_SPEC,
  privateAccess: p.optional(p.object({ extraRoutes: PRIVATE_NETWORKS_SPEC, routedElsewhere: PRIVATE_NETWORKS_SPEC, includeList: PRIVATE_NETWORKS_SPEC })),
});

/** A Tunnel, with what its factory was given. */
export const TUNNEL_SPEC: p.Spec = {
  expected: 'a Tunnel from Tunnel.locallyManaged() or Tunnel.remotelyManaged()',
  clean: (v, path, issues) => {
    const t = p.instance(Tunnel, 'a Tunnel from Tunnel.locallyManaged() or Tunnel.remotelyManaged()').clean(v, path, issues);
    if (t === p.INVALID) return t;
    const tunnel = t as Tunnel;
    const spec = tunnel.mode === TunnelMode.LOCALLY_MANAGED ? LOCAL_TUNNEL_OPTIONS_SPEC : REMOTE_TUNNEL_OPTIONS_SPEC;
    const before = issues.filter((i) => i.level === 'error').length;
    const out = spec.clean(tunnel.options, path, issues);
    return out === p.INVALID || issues.filter((i) => i.level === 'error').length > before ? p.INVALID : t;
  },
};

/** What the ingress callback of Cloudflared returns. */
const INGRESS_RULES_SPEC = p.array(
  p.object({
    hostname: p.optional(p.name('subdomain', { landsAs: 'a tunnel host name' })),
    service: p.string({ maxLength: 2048 }),
    originRequest: p.optional(p.json()),
  }),
);

/** What Cloudflared accepts (NET-IN1, NET-IN2). */
const CLOUDFLARED_SPEC = p.object({
  tunnel: p.withFallback(TUNNEL_SPEC, FALLBACK_TUNNEL),
  ingress: p.withFallback(p.func(), () => () => []),
  namespace: p.optional(p.name('label', { landsAs: 'a namespace' })),
  exposureReport: p.optional(p.boolean()),
  replicas: p.optional(p.integer({ min: 1, max: 100 })),
});

export class Cloudflared extends Component {
  public readonly namespace: string;
  public readonly tunnel: Tunnel;
  public readonly replicas: number;
  public readonly configMap: CoreConfigMap;
  public readonly deployment: CoreDeployment;
  private readonly produceIngress: () => TunnelIngressRule[];
  private ingressReported = false;

  public constructor(scope: Construct, id: string, given: CloudflaredProps) {
    super(scope, id, { layer: Layer.NETWORKING, folder: 'cloudflared' });
    const props = checkProps<CloudflaredProps>(this, CLOUDFLARED_SPEC, given, { tunnel: FALLBACK_TUNNEL(), ingress: () => [] });
    this.namespace = props.namespace ?? 'cloudflared';
    this.tunnel = props.tunnel;
    this.replicas = props.replicas ?? 2;
    this.produceIngress = props.ingress;
    const local = this.tunnel.mode === TunnelMode.LOCALLY_MANAGED;
    const labels = { app: 'cloudflared' };
    const configKey = local ? 'config.yaml' : 'remote-ingress-rules.yaml';

    this.configMap = new CoreConfigMap(this, 'Config', {
      metadata: { name: 'cloudflared', namespace: this.namespace, labels: { ...labels, 'netkit/tunnel-mode': this.tunnel.mode } },
      data: lazy(() => ({ [configKey]: cloudflaredConfig(this.tunnel, this.ingressRules()) })),
    });

    const metricsArgs = ['--metrics', `0.0.0.0:${CLOUDFLARED_METRICS_PORT}`];
    const container = {
      name: 'cloudflared',
      image: CLOUDFLARED_IMAGE,
      args: local ? ['tunnel', '--config', `${CONFIG_DIR}/config.yaml`, 'run'] : ['tunnel', '--no-autoupdate', ...metricsArgs, 'run'],
      ...(local ? {} : { env: [{ name: 'TUNNEL_TOKEN', valueFrom: { secretKeyRef: { name: this.tunnel.secret.name, key: this.tunnel.secret.key } } }] }),
      ports: [{ name: 'metrics', containerPort: CLOUDFLARED_METRICS_PORT, protocol: 'TCP' as const }],
      readinessProbe: { httpGet: { path: '/ready', port: CLOUDFLARED_METRICS_PORT }, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: {
        httpGet: { path: '/ready', port: CLOUDFLARED_METRICS_PORT },
        initialDelaySeconds: 10,
        periodSeconds: 10,
        failureThreshold: 6,
      },
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      ...(local
        ? {
            volumeMounts: [
              { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
              { name: 'credentials', mountPath: CREDS_DIR, readOnly: true },
            ],
          }
        : {}),
    };

    if (this.tunnel.mode === TunnelMode.REMOTELY_MANAGED) this.renderRemoteFiles();
    // A tunnel of its own (no DualGateway around it, e.g. for private access only) writes the exposure report itself.
    if (props.exposureReport ?? true) Cluster.of(this).addFile('reports/exposure.md', () => this.exposureReport(), this);

    if (this.tunnel.secret.source) {
      declareSecret(this, { name: this.tunnel.secret.name, namespace: this.namespace, keys: [this.tunnel.secret.key], source: this.tunnel.secret.source });
    }

    this.deployment = new CoreDeployment(this, 'Resource', {
      metadata: { name: 'cloudflared', namespace: this.namespace, labels },
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } } },
                ],
              },
            },
            containers: [container],
            ...(local
              ? {
                  volumes: [
                    { name: 'config', configMap: { name: 'cloudflared', items: [{ key: 'config.yaml', path: 'config.yaml' }] } },
                    {
                      name: 'credentials',
                      secret: { secretName: this.tunnel.secret.name, items: [{ key: this.tunnel.secret.key, path: 'credentials.json' }] },
                    },
                  ],
                }
              : {}),
          },
        },
      },
    });
  }

  /** The private networks this tunnel routes for WARP clients (none without private access). */
  public privateRoutes(): PrivateNetwork[] {
    return this.tunnel.privateAccess ? tunnelPrivateRoutes(Cluster.of(this), this.tunnel.privateAccess) : [];
  }

  /** WARP's split-tunnel include list (none without private access). */
  public warpInclude(): PrivateNetwork[] {
    return this.tunnel.privateAccess ? warpIncludeList(Cluster.of(this), this.tunnel.privateAccess) : [];
  }

  /** The remotely-managed tunnel's configuration body, and with private access its routes and WARP's include list. */
  private renderRemoteFiles(): void {
    const edge = EdgeFolder.ensure(this);
    const access = this.tunnel.privateAccess;
    edge.addFile(
      {
        path: TUNNEL_CONFIGURATION_FILE,
        destination: "the tunnel's remote configuration in Cloudflare (cloudflared ignores local configuration)",
        apply:
          'PUT it: `curl -X PUT "https://api.cloudflare.com/client/v4/accounts/$ACCOUNT_ID/cfd_tunnel/$TUNNEL_ID/configurations" ' +
          '-H "Authorization: Bearer $CF_API_TOKEN" -H "Content-Type: application/json" --data @' +
          TUNNEL_CONFIGURATION_FILE.split('/').pop() +
          '` (or give the same body to your Cloudflare provider).',
      },
      () => jsonFile(tunnelConfigurationBody(this.ingressRules(), access !== undefined)),
      this,
    );
    if (!access) return;
    edge.addFile(
      {
        path: TUNNEL_ROUTES_FILE,
        destination: "the tunnel's private network routes in Zero Trust (Networks > Routes)",
        apply: 'For each entry: `cloudflared tunnel route ip add <network> $TUNNEL_ID` (the comment is for people).',
      },
      () => jsonFile(this.privateRoutes().map((r) => ({ network: r.cidr, comment: r.description }))),
      this,
    );
    edge.addFile(
      {
        path: WARP_INCLUDE_FILE,
        destination: "WARP's split-tunnel include list of the device profile (Zero Trust > Settings > WARP Client)",
        apply:
          "First set the device profile's Split Tunnels to Include mode (Cloudflare's default is Exclude mode, where this list " +
          'is not used): Zero Trust > Settings > WARP Client > the profile > Split Tunnels > Include IPs and domains. Then ' +
          'PUT it with a Zero Trust-scoped token (an infrastructure token is refused, seed 003): `curl -X PUT ' +
          '"https://api.cloudflare.com/client/v4/accounts/$ACCOUNT_ID/devices/policy/include" -H "Authorization: Bearer $CF_ZT_TOKEN" ' +
          '-H "Content-Type: application/json" --data @warp-split-tunnel-include.json`; it replaces the whole list.',
      },
      () => jsonFile(this.warpInclude().map((r) => ({ address: r.cidr, description: r.description }))),
      this,
    );
  }

  /** reports/exposure.md of a tunnel that no DualGateway renders. */
  private exposureReport(): string {
    const cluster = Cluster.of(this);
    const rules = this.ingressRules();
    const lines = [`# Exposure — cluster ${cluster.clusterName}`, '', 'Generated by cdk8s-netkit from the Cloudflare tunnel; do not edit.', ''];
    lines.push('## Reached from the internet', '');
    const hosts = rules.filter((r) => r.hostname);
    if (hosts.length) {
      lines.push('| host | service |', '|---|---|');
      for (const r of hosts) lines.push(`| ${r.hostname} | ${r.service} |`);
    } else {
      lines.push('Nothing: the tunnel has no public hostname (every request gets its catch-all, `http_status:404`).');
    }
    lines.push('', '## Tunnel', '');
    lines.push(
      this.tunnel.mode === TunnelMode.LOCALLY_MANAGED
        ? `Locally-managed tunnel \`${this.tunnel.tunnelId}\`: cloudflared reads the rendered ConfigMap.`
        : `**Remotely-managed tunnel: cloudflared ignores local configuration.** Its configuration is \`${TUNNEL_CONFIGURATION_FILE}\`, the body of \`PUT /accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations\` (edge/README.md).`,
      '',
    );
    lines.push(...warpAccessLines(this));
    return lines.join('\n');
  }

  /** The ingress rules, ending with the `http_status:404` catch-all. */
  public ingressRules(): TunnelIngressRule[] {
    // the rules come from a callback: what it returns is checked like props (NET-IN1), once
    const given = this.produceIngress();
    const checked = p.check(INGRESS_RULES_SPEC, given);
    if (checked.issues.length && !this.ingressReported) {
      this.ingressReported = true;
      checkProps(this, INGRESS_RULES_SPEC, given, []);
    }
    const rules = (checked.value === p.INVALID ? [] : (checked.value as TunnelIngressRule[])).filter((r) => r.hostname !== undefined);
    return [...rules, { service: 'http_status:404' }];
  }
}
