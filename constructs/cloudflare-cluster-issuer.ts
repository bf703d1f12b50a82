/**
 * The ACME issuer of the gateways' certificates: a cert-manager ClusterIssuer that solves DNS-01 through
 * Cloudflare's API, limited to the cluster's zones. The API token is referenced, never rendered.
 */
import { Construct } from 'constructs';
import { ClusterIssuer } from '../imports/cert-manager.js';
import { AcmeServer, CertManagerRelease, type SecretKeyRef } from './cert-manager-release.js';
import { Cluster } from './cluster.js';
import { declareSecret } from './secret-source.js';

/** An ACME DNS-01 issuer solved through Cloudflare's API. */
export interface CloudflareAcmeOptions {
  /** Account e-mail registered with the ACME server (expiry notices). */
  readonly email: string;
  /**
   * The Cloudflare API token (Zone:DNS:Edit on the domains), by Secret reference. For a ClusterIssuer the Secret must
   * live in cert-manager's cluster resource namespace (the namespace cert-manager runs in).
   *
   * @see https://cert-manager.io/docs/configuration/acme/dns01/cloudflare/
   */
  readonly apiTokenSecret: SecretKeyRef;
  /**
   * @default AcmeServer.LETS_ENCRYPT
   */
  readonly server?: AcmeServer;
  /**
   * Name of the ClusterIssuer.
   *
   * @default - `<server name>-cloudflare`
   */
  readonly issuerName?: string;
}

/** A ClusterIssuer: ACME, DNS-01 through Cloudflare, limited to the given zones. */
export class CloudflareClusterIssuer extends Construct {
  public readonly issuerName: string;
  public readonly resource: ClusterIssuer;

  public constructor(scope: Construct, id: string, options: CloudflareAcmeOptions & { readonly zones: readonly string[] }) {
    super(scope, id);
    const server = options.server ?? AcmeServer.LETS_ENCRYPT;
    this.issuerName = options.issuerName ?? `${server.name}-cloudflare`;
    this.resource = new ClusterIssuer(this, 'Resource', {
      metadata: { name: this.issuerName },
      spec: {
        acme: {
          server: server.url,
          email: options.email,
          privateKeySecretRef: { name: `${this.issuerName}-account-key` },
          solvers: [
            {
              selector: { dnsZones: [...options.zones] },
              dns01: { cloudflare: { apiTokenSecretRef: { name: options.apiTokenSecret.name, key: options.apiTokenSecret.key } } },
            },
          ],
        },
      },
    });
    const token = options.apiTokenSecret;
    if (token.source) {
      // a ClusterIssuer reads its Secrets in cert-manager's cluster resource namespace
      const namespace = CertManagerRelease.ofCluster(Cluster.of(this))?.namespace ?? 'cert-manager';
      declareSecret(this, { name: token.name, namespace, keys: [token.key], source: token.source });
    }
  }
}
