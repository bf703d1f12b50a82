/**
 * cert-manager for the gateways: the chart release (services layer) and the ACME directories its issuers use
 * (the issuer itself: cloudflare-cluster-issuer.ts; the wildcard certificates: gateway/certificate.ts).
 */
import { Construct } from 'constructs';
import type { SecretSource } from './secret-source.js';
import type { Cluster } from './cluster.js';
import { ChartRepository, HelmChart } from './helm-chart.js';
import { Component, Layer } from './component.js';
import { CERT_MANAGER_VERSION, CHART_SOURCES } from './core/versions.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** A key of a Kubernetes Secret: credentials are only ever referenced, never rendered. */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
  /**
   * Where the Secret comes from: a secret store (an ExternalSecret is rendered beside the consumer) or out of band
   * (named in reports/bootstrap.md). A referenced Secret without a source fails the synth (NET-SEC4).
   *
   * @default - none declared here: declare it with `SecretSources.ensure(scope).declare(...)`
   */
  readonly source?: SecretSource;
}

/** An ACME directory. */
export class AcmeServer {
  /** Let's Encrypt production. */
  public static readonly LETS_ENCRYPT = new AcmeServer('https://acme-v02.api.letsencrypt.org/directory', 'letsencrypt');
  /** Let's Encrypt staging (untrusted certificates, generous rate limits): for first runs. */
  public static readonly LETS_ENCRYPT_STAGING = new AcmeServer('https://acme-staging-v02.api.letsencrypt.org/directory', 'letsencrypt-staging');

  /** Any ACME directory URL, with a short name for the issuer's name. */
  public static directory(url: string, name: string): AcmeServer {
    return new AcmeServer(url, name);
  }

  /** @deprecated Use {@link AcmeServer.directory}, which this calls: `X.of(scope)` looks up what a scope has. */
  public static of(url: string, name: string): AcmeServer {
    return AcmeServer.directory(url, name);
  }

  private constructor(
    public readonly url: string,
    /** Short name, used in the issuer's name. */
    public readonly name: string,
  ) {}
}

export interface CertManagerReleaseProps {
  /**
   * Namespace cert-manager runs in (also where a ClusterIssuer's Secrets live).
   *
   * @default 'cert-manager'
   */
  readonly namespace?: string;
  /**
   * Controller replicas (leader-elected).
   *
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Recursive resolvers for the DNS-01 self check. A split-horizon domain (the internal gateway's records) must not
   * answer the check: cert-manager then asks these public resolvers only.
   *
   * @default ['1.1.1.1:53', '1.0.0.1:53']
   * @see https://cert-manager.io/docs/configuration/acme/dns01/#setting-nameservers-for-dns01-self-check
   */
  readonly dns01RecursiveNameservers?: readonly string[];
}

/**
 * The cert-manager chart (jetstack), pinned in versions.ts, installed with its CRDs (`crds.enabled`) in the services
 * layer so Certificates and Issuers in later layers find them.
 *
 * @see https://cert-manager.io/docs/installation/helm/
 */
/** What a CertManagerRelease accepts (NET-IN1, NET-IN2). */
export const CERT_MANAGER_SPEC = p.object({
  namespace: p.optional(p.name('label', { landsAs: 'a namespace' })),
  replicas: p.optional(p.integer({ min: 1, max: 10 })),
  dns01RecursiveNameservers: p.optional(
    p.array(p.string({ maxLength: 300, pattern: /^[^\s,]+:[0-9]{1,5}$/, expected: 'a nameserver as host:port, e.g. 1.1.1.1:53' }), { minLength: 1 }),
  ),
});

export class CertManagerRelease extends Component {
  /** The cluster's cert-manager release, if one was added. */
  public static ofCluster(cluster: Cluster): CertManagerRelease | undefined {
    return cluster.constructsOf(CertManagerRelease)[0];
  }

  public readonly namespace: string;
  public readonly chart: HelmChart;

  public constructor(scope: Construct, id: string, given: CertManagerReleaseProps = {}) {
    super(scope, id, { layer: Layer.SERVICES, folder: 'cert-manager' });
    const props = checkProps<CertManagerReleaseProps>(this, CERT_MANAGER_SPEC, given, {});
    this.namespace = props.namespace ?? 'cert-manager';
    const nameservers = props.dns01RecursiveNameservers ?? ['1.1.1.1:53', '1.0.0.1:53'];
    const replicas = props.replicas ?? 2;
    this.chart = new HelmChart(this, 'Chart', {
      chart: 'cert-manager',
      version: CERT_MANAGER_VERSION,
      repository: ChartRepository.helm('jetstack', CHART_SOURCES.certManager.helm),
      namespace: this.namespace,
      values: () => ({
        crds: { enabled: true, keep: true },
        replicaCount: replicas,
        podDisruptionBudget: { enabled: replicas > 1 },
        dns01RecursiveNameservers: nameservers.join(','),
        dns01RecursiveNameserversOnly: true,
      }),
    });
  }
}
