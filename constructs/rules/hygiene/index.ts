/** The hygiene rules, registered in the catalogue. Add each new rule of this area here. */
import type { Rule } from '../rule.js';
import { CredentialEnvFromSecret } from './CredentialEnvFromSecret.js';
import { CredentialsNotRendered } from './CredentialsNotRendered.js';
import { HelmOwnedNotManifest } from './HelmOwnedNotManifest.js';
import { HelmReleasesUnique } from './HelmReleasesUnique.js';
import { ImagesPinned } from './ImagesPinned.js';
import { SecretMadeBeforeConsumer } from './SecretMadeBeforeConsumer.js';
import { SecretsHaveSources } from './SecretsHaveSources.js';
import { SecretsNotInline } from './SecretsNotInline.js';
import { SecretStoreNotGated } from './SecretStoreNotGated.js';

export const HYGIENE_RULES: readonly Rule[] = [
  SecretsNotInline,
  CredentialsNotRendered,
  CredentialEnvFromSecret,
  SecretsHaveSources,
  SecretStoreNotGated,
  SecretMadeBeforeConsumer,
  HelmOwnedNotManifest,
  HelmReleasesUnique,
  ImagesPinned,
];
