/**
 * A secret store, declared once per cluster: the External Secrets operator (layer `secrets`) and a ClusterSecretStore
 * (layer `secret-store`, which no other layer waits for). The store's own credential is the one Secret the bootstrap
 * needs made by hand; every other Secret read from the store is an ExternalSecret next to its consumer
 * ({@link SecretSource.fromStore}).
 */
import { Construct } from 'constructs';
import type { ISecretStoreProvider } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStoreProvider';
import { ClusterSecretStore } from '../imports/external-secrets.js';
import { Cluster } from './cluster.js';
import { Component, Layer } from './component.js';
import { ChartRepository, HelmChart } from './helm-chart.js';
import { CHART_SOURCES, EXTERNAL_SECRETS_CHART_VERSION } from './core/versions.js';
import { declareSecret, SECRET_KEY_REF_SPEC, SecretSource, type ISecretStore, type OutOfBandOptions } from './secret-source.js';
import type { SecretKeyRef } from './cert-manager-release.js';
import * as p from './core/props.js';
import { checkProps, idAsName } from './findings.js';

/** Namespace the operator runs in (and where the store's credential lives). */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';

/** The External Secrets operator release, once per cluster, in the `secrets` layer. Use {@link ExternalSecretsOperator.ensure}. */
export class ExternalSecretsOperator extends Component {
  /** The cluster's operator, if one was added. */
  public static of(cluster: Cluster): ExternalSecretsOperator | undefined {
    return cluster.node.tryFindChild(ExternalSecretsOperator.ID) as ExternalSecretsOperator | undefined;
  }

  /** The cluster's operator, created on first use. */
  public static ensure(scope: Construct): ExternalSecretsOperator {
    const cluster = Cluster.of(scope);
    return ExternalSecretsOperator.of(cluster) ?? new ExternalSecretsOperator(cluster);
  }

  private static readonly ID = 'ExternalSecrets';

  public readonly namespace = EXTERNAL_SECRETS_NAMESPACE;
  public readonly release: HelmChart;

  private constructor(cluster: Cluster) {
    super(cluster, ExternalSecretsOperator.ID, { layer: Layer.SECRETS, folder: 'external-secrets' });
    this.release = new HelmChart(this, 'Chart', {
      chart: 'external-secrets',
      version: EXTERNAL_SECRETS_CHART_VERSION,
      repository: ChartRepository.helm('external-secrets', CHART_SOURCES.externalSecrets.helm),
      namespace: EXTERNAL_SECRETS_NAMESPACE,
      values: () => ({ installCRDs: true }),
      owns: [{ kind: 'Deployment', name: 'external-secrets', namespace: EXTERNAL_SECRETS_NAMESPACE }],
    });
  }
}

const DOPPLER_SPEC = p.object({
  tokenSecret: SECRET_KEY_REF_SPEC,
  project: p.optional(p.string({ maxLength: 253 })),
  config: p.optional(p.string({ maxLength: 253 })),
});
const ONE_PASSWORD_SPEC = p.object({
  connectHost: p.string({ maxLength: 2048 }),
  tokenSecret: SECRET_KEY_REF_SPEC,
  vaults: p.record(p.integer({ min: 0, max: 1000 })),
});
const VAULT_SPEC = p.object({
  server: p.string({ maxLength: 2048 }),
  path: p.string({ maxLength: 1024 }),
  version: p.optional(p.oneOf(['v1', 'v2'])),
  tokenSecret: SECRET_KEY_REF_SPEC,
});
const CUSTOM_SPEC = p.object({
  description: p.string({ maxLength: 256 }),
  credential: SECRET_KEY_REF_SPEC,
  provider: p.object({}, { expected: 'a ClusterSecretStore provider block (an object)', unknownKeys: 'keep' }),
});

/** A provider of a ClusterSecretStore and the credential it authenticates with. */
export class StoreProvider {
  /**
   * Doppler, with a service token (seed 004). One store reads one Doppler config: give `project` and `config` for a
   * personal or a service-account token; a service token is bound to its config already.
   *
   * @see https://external-secrets.io/latest/provider/doppler/
   */
  public static doppler(given: { readonly tokenSecret: SecretKeyRef; readonly project?: string; readonly config?: string }): StoreProvider {
    const options = p.fieldsOf(given) as typeof given;
    const where = [options.project && `project ${p.textOf(options.project)}`, options.config && `config ${p.textOf(options.config)}`]
      .filter(Boolean)
      .join(', ');
    return new StoreProvider(`Doppler${where ? ` (${where})` : ''}`, options.tokenSecret, given, DOPPLER_SPEC, (ns) => ({
      doppler: {
        auth: { secretRef: { dopplerToken: { name: options.tokenSecret.name, key: options.tokenSecret.key, namespace: ns } } },
        ...(options.project ? { project: options.project } : {}),
        ...(options.config ? { config: options.config } : {}),
      },
    }));
  }

  /**
   * 1Password through a Connect server, with its token; `vaults` maps vault names to their search order.
   *
   * @see https://external-secrets.io/latest/provider/1password-automation/
   */
  public static onePasswordConnect(given: {
    readonly connectHost: string;
    readonly tokenSecret: SecretKeyRef;
    readonly vaults: Readonly<Record<string, number>>;
  }): StoreProvider {
    const options = p.fieldsOf(given) as typeof given;
    return new StoreProvider(`1Password Connect (${p.textOf(options.connectHost)})`, options.tokenSecret, given, ONE_PASSWORD_SPEC, (ns) => ({
      onepassword: {
        connectHost: options.connectHost,
        vaults: { ...options.vaults },
        auth: { secretRef: { connectTokenSecretRef: { name: options.tokenSecret.name, key: options.tokenSecret.key, namespace: ns } } },
      },
    }));
  }

  /**
   * HashiCorp Vault (KV engine at `path`), with a token.
   *
   * @see https://external-secrets.io/latest/provider/hashicorp-vault/
   */
  public static vault(given: {
    readonly server: string;
    readonly path: string;
    readonly version?: 'v1' | 'v2';
    readonly tokenSecret: SecretKeyRef;
  }): StoreProvider {
    const options = p.fieldsOf(given) as typeof given;
    return new StoreProvider(`Vault (${p.textOf(options.server)}, ${p.textOf(options.path)})`, options.tokenSecret, given, VAULT_SPEC, (ns) => ({
      vault: {
        server: options.server,
        path: options.path,
        version: options.version ?? 'v2',
        auth: { tokenSecretRef: { name: options.tokenSecret.name, key: options.tokenSecret.key, namespace: ns } },
      },
    }));
  }

  /**
   * Any provider the ClusterSecretStore CRD accepts, typed by the model; `credential` is the Secret it reads (its
   * namespace must be the operator's).
   */
  public static custom(description: string, credential: SecretKeyRef, provider: ISecretStoreProvider): StoreProvider {
    return new StoreProvider(p.textOf(description), credential, { description, credential, provider }, CUSTOM_SPEC, () => provider);
  }

  private constructor(
    public readonly description: string,
    /** The Secret the provider authenticates with. */
    public readonly credential: SecretKeyRef,
    /** What the factory was given, as given: the SecretStore checks it with `spec` (NET-IN1, NET-IN2). */
    public readonly options: unknown,
    /** What the factory accepts. */
    public readonly optionsSpec: p.Spec,
    /** The provider block, given the namespace of the credential. */
    public readonly spec: (credentialNamespace: string) => ISecretStoreProvider,
  ) {}
}

/** A StoreProvider, with what its factory was given. */
const STORE_PROVIDER_SPEC: p.Spec = {
  expected: 'a StoreProvider from StoreProvider.doppler(), onePasswordConnect(), vault() or custom()',
  clean: (v, path, issues) => {
    const sp = p.instance(StoreProvider, 'a StoreProvider from StoreProvider.doppler(), onePasswordConnect(), vault() or custom()').clean(v, path, issues);
    if (sp === p.INVALID) return sp;
    const provider = sp as StoreProvider;
    const before = issues.filter((i) => i.level === 'error').length;
    const out = provider.optionsSpec.clean(provider.options, path, issues);
    return out === p.INVALID || issues.filter((i) => i.level === 'error').length > before ? p.INVALID : sp;
  },
};

export interface SecretStoreProps {
  /**
   * Name of the ClusterSecretStore.
   *
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
  readonly provider: StoreProvider;
  /**
   * How the provider's credential (the one Secret the bootstrap needs made by hand) is created, in namespace
   * `external-secrets`: a command or a SOPS file. It is listed first in reports/bootstrap.md.
   */
  readonly credential: OutOfBandOptions;
  /**
   * How often the operator checks the store.
   *
   * @default - the operator's default
   */
  readonly refreshIntervalSeconds?: number;
}

/**
 * A ClusterSecretStore and the operator that reads it. The store is in a layer of its own: no other layer depends on
 * it or checks its health, so a store that cannot reach its provider never blocks unrelated layers; only the consumers
 * of its Secrets wait (their pods do not start without them).
 *
 * @example
 * const doppler = new SecretStore(cluster, 'Doppler', {
 *   provider: StoreProvider.doppler({ tokenSecret: { name: 'doppler-token', key: 'dopplerToken' } }),
 *   credential: { command: 'kubectl -n external-secrets create secret generic doppler-token --from-literal=dopplerToken="$DOPPLER_TOKEN"' },
 * });
 * new Workload(cluster, 'api', { ..., envFromSecrets: [{ name: 'api-env', source: SecretSource.fromStore(doppler) }] });
 */
/** What a SecretStore goes on with when its provider is not one (the synth fails with NET-IN1). */
const FALLBACK_PROVIDER = StoreProvider.custom('(no provider given)', { name: 'secret-store-credential', key: 'token' }, {});

/** What SecretStore accepts (NET-IN1, NET-IN2). */
const SECRET_STORE_SPEC = p.object({
  name: p.optional(p.name('subdomain', { landsAs: 'the ClusterSecretStore name' })),
  provider: p.withFallback(STORE_PROVIDER_SPEC, () => FALLBACK_PROVIDER),
  credential: p.withFallback(
    p.object({ command: p.optional(p.string({ minLength: 1, maxLength: 4096 })), sopsFile: p.optional(p.string({ minLength: 1, maxLength: 4096 })) }),
    () => ({ command: '(not given)' }),
  ),
  refreshIntervalSeconds: p.optional(p.integer({ min: 1, max: 31_536_000 })),
});

export class SecretStore extends Component implements ISecretStore {
  public readonly storeName: string;
  public readonly description: string;
  public readonly operator: ExternalSecretsOperator;
  public readonly resource: ClusterSecretStore;

  public constructor(scope: Construct, id: string, given: SecretStoreProps) {
    super(scope, id, { layer: Layer.SECRET_STORE, folder: 'secret-store' });
    const props = checkProps<SecretStoreProps>(this, SECRET_STORE_SPEC, given, { provider: FALLBACK_PROVIDER, credential: { command: '(not given)' } });
    this.storeName = props.name ?? idAsName(this, id, 'subdomain', 'the ClusterSecretStore');
    this.description = props.provider.description;
    this.operator = ExternalSecretsOperator.ensure(this);
    const ns = this.operator.namespace;
    this.resource = new ClusterSecretStore(this, 'Resource', {
      metadata: { name: this.storeName },
      spec: {
        provider: props.provider.spec(ns),
        ...(props.refreshIntervalSeconds !== undefined ? { refreshInterval: props.refreshIntervalSeconds } : {}),
      },
    });
    declareSecret(this, {
      name: props.provider.credential.name,
      namespace: ns,
      keys: [props.provider.credential.key],
      source: SecretSource.outOfBand(props.credential),
    });
  }
}
