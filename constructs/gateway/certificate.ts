/**
 * The wildcard certificate of each domain a DualGateway serves, and the Secret it is stored in.
 */
import type { Construct } from 'constructs';
import { Certificate } from '../../imports/cert-manager.js';

/** The Secret name a domain's wildcard certificate is stored in. */
export function wildcardSecretName(domain: string): string {
  return `wildcard-${domain.replace(/\./g, '-')}-tls`;
}

/** A wildcard Certificate (`<domain>` and `*.<domain>`) in the gateway namespace. */
export function wildcardCertificate(scope: Construct, domain: string, namespace: string, issuerName: string): Certificate {
  const secretName = wildcardSecretName(domain);
  return new Certificate(scope, `Certificate-${domain}`, {
    metadata: { name: secretName.replace(/-tls$/, ''), namespace },
    spec: {
      secretName,
      dnsNames: [domain, `*.${domain}`],
      issuerRef: { kind: 'ClusterIssuer', name: issuerName, group: 'cert-manager.io' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    },
  });
}
