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
import { declareSecret } from './secret-source.js';

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
}

/** A Cloudflare Tunnel and how it is managed. */
export class Tunnel {
  /** A tunnel whose ingress rules this library renders (config.yaml in a ConfigMap). */
  public static locallyManaged(options: LocallyManagedTunnelOptions): Tunnel {
    return new Tunnel(TunnelMode.LOCALLY_MANAGED, options.tunnelId, options.credentialsSecret);
  }

  /**
   * A dashboard/API-managed tunnel, run with a token. Its ingress rules must be set in Cloudflare: the rendered
   * ConfigMap and reports/exposure.md list them, and say so.
   */
  public static remotelyManaged(options: RemotelyManagedTunnelOptions): Tunnel {
    return new Tunnel(TunnelMode.REMOTELY_MANAGED, undefined, options.tokenSecret);
  }

  private constructor(
    public readonly mode: TunnelMode,
    public readonly tunnelId: string | undefined,
    /** The credentials file (local) or the token (remote). */
    public readonly secret: SecretKeyRef,
  ) {}
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

/** cloudflared: ConfigMap + Deployment (networking layer, folder `cloudflared`). */
export class Cloudflared extends Component {
  public readonly namespace: string;
  public readonly tunnel: Tunnel;
  public readonly replicas: number;
  public readonly configMap: CoreConfigMap;
  public readonly deployment: CoreDeployment;
  private readonly produceIngress: () => TunnelIngressRule[];

  public constructor(scope: Construct, id: string, props: CloudflaredProps) {
    super(scope, id, { layer: Layer.NETWORKING, folder: 'cloudflared' });
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

  /** The ingress rules, ending with the `http_status:404` catch-all. */
  public ingressRules(): TunnelIngressRule[] {
    const rules = this.produceIngress().filter((r) => r.hostname !== undefined);
    return [...rules, { service: 'http_status:404' }];
  }
}
