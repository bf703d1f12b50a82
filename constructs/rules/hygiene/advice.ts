/** The one wording of "where a credential goes instead", shared by the secret rules. */
export const SECRET_FIX =
  "Keep credentials out of Git: reference an existing Secret (env valueFrom.secretKeyRef, envFrom.secretRef, a chart's " +
  'existingSecret value), let External Secrets create the Secret from your store (an ExternalSecret, e.g. from Doppler as in ' +
  'seed 004; typed kind ExternalSecret in imports/external-secrets.ts), or commit it encrypted with SOPS. ' +
  'A credential that was ever committed must be rotated.';
