/**
 * Where each Secret the tree references comes from, as one typed model: a secret store (an ExternalSecret rendered next
 * to its consumer, read from a {@link SecretStore} declared once), or a Secret created out of band (a command or a SOPS
 * file, named in reports/bootstrap.md). Never a value in clusters/. Rule NET-SEC4 fails the synth for a referenced Secret
 * with no declared source.
 */
import { Construct, type IConstruct } from 'constructs';
import { ExternalSecret } from '../imports/external-secrets.js';
import { Cluster } from './cluster.js';
import { Findings } from './findings.js';
import { lazy } from './core/lazy.js';
import * as p from './core/props.js';

/** How a declared Secret comes to exist. */
export enum SecretOrigin {
  /** An ExternalSecret reads it from a secret store (External Secrets). */
  STORE = 'store',
  /** Created by hand or by a pipeline before it is needed: a command, or a SOPS-encrypted file. */
  OUT_OF_BAND = 'out-of-band',
}

/** What a {@link SecretStore} offers to the Secrets read from it. */
export interface ISecretStore extends IConstruct {
  /** Name of the ClusterSecretStore. */
  readonly storeName: string;
  /** The provider, for people: `Doppler (project oceanid, config prd)`. */
  readonly description: string;
}

/** Options of {@link SecretSource.fromStore}. */
export interface FromStoreOptions {
  /**
   * The Secret's keys, each with the key it has in the store (`{ 'api-token': 'CLOUDFLARE_API_TOKEN' }`).
   *
   * @default - the consumer's keys, each read from the store under the same name
   */
  readonly remoteKeys?: Readonly<Record<string, string>>;
  /**
   * The store key whose value holds the whole Secret (a JSON object, one field per key), for a consumer that reads the
   * whole Secret (`envFrom`): the ExternalSecret renders `dataFrom: [{ extract: { key } }]`. Without `remoteKeys` and
   * without named keys, the whole Secret is read this way from the key named after the Secret.
   *
   * @default - the Secret's name, when no consumer reads a named key and `remoteKeys` is not given
   * @see https://external-secrets.io/latest/guides/all-keys-one-secret/
   */
  readonly remoteKey?: string;
  /**
   * How often External Secrets reads the store again.
   *
   * @default '1h'
   * @see https://external-secrets.io/latest/api/externalsecret/
   */
  readonly refreshInterval?: string;
  /**
   * The bootstrap needs this Secret as soon as the store is there (a tunnel, a DNS-01 token): reports/bootstrap.md lists
   * it first, with the command that makes External Secrets read it at once (a new value of the
   * `external-secrets.io/force-sync` annotation) instead of at its next refresh.
   *
   * @default false
   * @see https://external-secrets.io/latest/introduction/faq/
   */
  readonly forceSync?: boolean;
}

/** Options of {@link SecretSource.outOfBand}: exactly one of `command` and `sopsFile`. */
export interface OutOfBandOptions {
  /** The command that creates the Secret (values from the environment or a file, never in the command itself). */
  readonly command?: string;
  /** The SOPS-encrypted file that holds it, applied by the bootstrap's operator (path in the repository). */
  readonly sopsFile?: string;
}

/** Where a Secret comes from. */
export class SecretSource {
  /** Read from a secret store by an ExternalSecret rendered next to the consumer. */
  public static fromStore(store: ISecretStore, options: FromStoreOptions = {}): SecretSource {
    // kept as given: the construct that receives the source checks it (SOURCE_SPEC), a factory never throws
    return new SecretSource(SecretOrigin.STORE, store, options, undefined);
  }

  /** Created outside the tree, before it is needed: by a command or from a SOPS file (give exactly one). */
  public static outOfBand(options: OutOfBandOptions): SecretSource {
    return new SecretSource(SecretOrigin.OUT_OF_BAND, undefined, {}, options);
  }

  private constructor(
    public readonly origin: SecretOrigin,
    /** The store, for {@link SecretOrigin.STORE}. */
    public readonly store: ISecretStore | undefined,
    public readonly storeOptions: FromStoreOptions,
    public readonly outOfBandOptions: OutOfBandOptions | undefined,
  ) {}

  /** How the Secret is made, one line for reports/bootstrap.md. */
  public get how(): string {
    if (this.origin === SecretOrigin.STORE)
      return typeof this.store?.storeName === 'string'
        ? `ExternalSecret from ClusterSecretStore ${this.store.storeName} (${p.textOf(this.store.description)})`
        : 'ExternalSecret from (no secret store given)';
    if (this.store) return `ExternalSecret from ClusterSecretStore ${this.store.storeName} (${this.store.description})`;
    const o = p.fieldsOf(this.outOfBandOptions) as OutOfBandOptions;
    if (typeof o.sopsFile === 'string') return `out of band, from the SOPS file \`${o.sopsFile}\` (\`sops -d ${o.sopsFile} | kubectl apply -f -\`)`;
    return `out of band: \`${typeof o.command === 'string' ? o.command : '(no command given)'}\``;
  }
}

const SOURCE_EXPECTED = 'a SecretSource from SecretSource.fromStore() or SecretSource.outOfBand()';
const SECRET_NAME = () => p.name('subdomain', { landsAs: 'a Secret name' });

const FROM_STORE_SPEC = p.object({
  store: p.shaped('a SecretStore', (s) => typeof s.storeName === 'string' && typeof s.description === 'string' && typeof s.node === 'object'),
  options: p.object({
    remoteKeys: p.optional(p.record(p.string({ maxLength: 1024 }))),
    remoteKey: p.optional(p.string({ minLength: 1, maxLength: 1024 })),
    refreshInterval: p.optional(p.string({ maxLength: 32, pattern: /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/, expected: 'a duration such as 1h or 30m' })),
    forceSync: p.optional(p.boolean()),
  }),
});
const OUT_OF_BAND_SPEC = p.object({
  command: p.optional(p.string({ maxLength: 4096 })),
  sopsFile: p.optional(p.string({ maxLength: 4096 })),
});

/** A SecretSource, with what its factory was given (NET-IN1): a store and its options, or a command or SOPS file. */
export const SOURCE_SPEC: p.Spec = {
  expected: SOURCE_EXPECTED,
  clean: (v, path, issues) => {
    const s = p.instance(SecretSource, SOURCE_EXPECTED).clean(v, path, issues);
    if (s === p.INVALID) return s;
    const source = s as SecretSource;
    const before = issues.filter((i) => i.level === 'error').length;
    const out =
      source.origin === SecretOrigin.STORE
        ? FROM_STORE_SPEC.clean({ store: source.store ?? undefined, options: source.storeOptions }, path, issues)
        : OUT_OF_BAND_SPEC.clean(source.outOfBandOptions, path, issues);
    return out === p.INVALID || issues.filter((i) => i.level === 'error').length > before ? p.INVALID : s;
  },
};

/** A {@link SecretKeyRef} given as a prop (NET-IN1, NET-IN2): name, key and the optional source. */
export const SECRET_KEY_REF_SPEC: p.Spec = p.object({
  name: SECRET_NAME(),
  key: p.string({ maxLength: 253 }),
  source: p.optional(SOURCE_SPEC),
});

const SOURCED_SECRET_OBJECT_SPEC = p.object({ name: SECRET_NAME(), source: SOURCE_SPEC });

/** A Secret named by a prop: its name, or `{ name, source }` (a {@link SourcedSecretRef}). */
export const SOURCED_SECRET_SPEC: p.Spec = {
  expected: 'a Secret name, or { name, source } with a SecretSource',
  clean: (v, path, issues) => (typeof v === 'string' ? SECRET_NAME().clean(v, path, issues) : SOURCED_SECRET_OBJECT_SPEC.clean(v, path, issues)),
};

/** A reference to a Secret with the source it comes from. */
export interface SourcedSecretRef {
  /** Secret name. */
  readonly name: string;
  /** Where it comes from. */
  readonly source: SecretSource;
}

/** One declared Secret. */
export interface DeclaredSecret {
  readonly name: string;
  readonly namespace: string;
  readonly source: SecretSource;
  /** The keys its consumers read by name. */
  readonly keys: readonly string[];
  /** A consumer reads the whole Secret (`envFrom`, a volume of all its keys): a store renders `dataFrom` for it. */
  readonly whole: boolean;
  /** Construct paths of what declared it (its consumers). */
  readonly consumers: readonly string[];
  /** The ExternalSecret rendered for it, for {@link SecretOrigin.STORE}. */
  readonly externalSecret?: ExternalSecret;
}

/** The `force-sync` annotation: changing its value makes External Secrets read the store at once. */
export const FORCE_SYNC_ANNOTATION = 'external-secrets.io/force-sync';

/**
 * When an ExternalSecret counts as healthy to a GitOps engine: once it has written its target Secret (status.binding or
 * status.syncedResourceVersion set), even if its latest refresh failed. A store outage then turns the ExternalSecret
 * Ready=False without holding up its layer or the layers after it; the Secret it wrote stays, and its consumers run.
 */
export const EXTERNAL_SECRET_SYNCED_CEL =
  "(has(status.binding) && has(status.binding.name) && status.binding.name != '') || (has(status.syncedResourceVersion) && status.syncedResourceVersion != '')";

/**
 * The Flux health check of an ExternalSecret (Kustomization `spec.healthCheckExprs`, kustomize-controller 1.5 and later):
 * current once synced once ({@link EXTERNAL_SECRET_SYNCED_CEL}), never failed because of a refresh.
 */
export const EXTERNAL_SECRET_HEALTH_EXPR = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  current: EXTERNAL_SECRET_SYNCED_CEL,
} as const;

const ID = 'SecretSources';

/**
 * The declared Secrets of one cluster. Constructs that take a Secret reference with a source declare it here; declare a
 * Secret that an escape-hatch object references with {@link SecretSources.declare}.
 */
export class SecretSources extends Construct {
  /** The cluster's declarations, created on first use. */
  public static ensure(scope: IConstruct): SecretSources {
    const cluster = Cluster.of(scope);
    return (cluster.node.tryFindChild(ID) as SecretSources | undefined) ?? new SecretSources(cluster);
  }

  /** The cluster's declarations, if any Secret was declared. */
  public static of(cluster: Cluster): SecretSources | undefined {
    return cluster.node.tryFindChild(ID) as SecretSources | undefined;
  }

  private readonly entries = new Map<string, DeclaredSecret>();

  private constructor(cluster: Cluster) {
    super(cluster, ID);
  }

  /**
   * Declare that the Secret `namespace/name` comes from `source`, for the consumer `scope`. A store source renders an
   * ExternalSecret beside the consumer (in its folder), once per Secret. Declaring one Secret with two different sources
   * is a NET-SEC4 finding on the second consumer.
   */
  public declare(scope: IConstruct, secret: { name: string; namespace: string; source: SecretSource; keys?: readonly string[] }): DeclaredSecret {
    const key = `${secret.namespace}/${secret.name}`;
    const keys = [...new Set(secret.keys ?? [])];
    const known = this.entries.get(key);
    const theirs = clusterOf(secret.source.store);
    if (theirs && theirs !== Cluster.of(scope)) {
      Findings.of(scope).addError('NET-SEC4', {
        message: `Secret ${key} is read from ClusterSecretStore ${secret.source.store!.storeName} of cluster ${theirs.clusterName}, which does not exist in cluster ${Cluster.of(scope).clusterName}`,
        value: secret.source.store!.node.path,
        expected: `a SecretStore of cluster ${Cluster.of(scope).clusterName}`,
        fix: `Declare a SecretStore in cluster ${Cluster.of(scope).clusterName} and read the Secret from it.`,
      });
      return { name: secret.name, namespace: secret.namespace, source: secret.source, keys, consumers: [scope.node.path], whole: keys.length === 0 };
    }
    if (known) {
      const remote = (s: SecretSource) => canonicalKeys(s.storeOptions?.remoteKeys);
      if (known.source !== secret.source && known.source.how === secret.source.how && remote(known.source) !== remote(secret.source)) {
        Findings.of(scope).addError('NET-SEC4', {
          message: `Secret ${key} is read from the store with two sets of remote keys: ${remote(known.source)} (at ${known.consumers[0]}) and ${remote(secret.source)} (at ${scope.node.path}); one ExternalSecret cannot follow both`,
          value: remote(secret.source),
          expected: `the remote keys ${remote(known.source)}, as at ${known.consumers[0]}`,
          fix: 'Give both consumers the same remoteKeys (one SecretSource), or use two Secrets.',
        });
        return known;
      }
      if (known.source !== secret.source && known.source.how !== secret.source.how) {
        Findings.of(scope).addError('NET-SEC4', {
          message: `Secret ${key} is declared with two sources: ${known.source.how} (at ${known.consumers[0]}) and ${secret.source.how}`,
          value: secret.source.how,
          expected: 'one source per Secret',
          fix: 'Give both consumers the same SecretSource, or use two Secrets.',
        });
        return known;
      }
      const merged: DeclaredSecret = {
        ...known,
        keys: [...new Set([...known.keys, ...keys])],
        whole: known.whole || keys.length === 0,
        consumers: [...known.consumers, scope.node.path],
      };
      this.entries.set(key, merged);
      return merged;
    }
    const o = secret.source.origin === SecretOrigin.OUT_OF_BAND ? (p.fieldsOf(secret.source.outOfBandOptions) as OutOfBandOptions) : undefined;
    if (o && (o.command === undefined) === (o.sopsFile === undefined)) {
      Findings.of(scope).addError('NET-SEC4', {
        message: `Secret ${key}: an out-of-band source names ${o.command === undefined ? 'neither a command nor a SOPS file' : 'both a command and a SOPS file'}`,
        value: o,
        expected: 'exactly one of command and sopsFile',
        fix: 'SecretSource.outOfBand({ command: "kubectl create secret ..." }) or SecretSource.outOfBand({ sopsFile: "secrets/x.sops.yaml" }).',
      });
    }
    const declared: DeclaredSecret = {
      name: secret.name,
      namespace: secret.namespace,
      source: secret.source,
      keys,
      whole: keys.length === 0,
      consumers: [scope.node.path],
      ...(secret.source.store
        ? { externalSecret: this.externalSecret(scope, secret.name, secret.namespace, secret.source, () => this.entries.get(key)!) }
        : {}),
    };
    this.entries.set(key, declared);
    return declared;
  }

  /** Every declared Secret, in declaration order. */
  public get declarations(): readonly DeclaredSecret[] {
    return [...this.entries.values()];
  }

  /** The declaration of `namespace/name`, if any. */
  public find(namespace: string, name: string): DeclaredSecret | undefined {
    return this.entries.get(`${namespace}/${name}`);
  }

  /**
   * The ExternalSecret of a store-made Secret: `data` for the keys its consumers read by name (and those `remoteKeys`
   * maps), `dataFrom` (the whole value of one store key) when no key is named (a whole-Secret consumer) or `remoteKey` is given. Never neither: the
   * External Secrets webhook rejects an ExternalSecret without data and dataFrom.
   */
  private externalSecret(scope: IConstruct, name: string, namespace: string, source: SecretSource, declared: () => DeclaredSecret): ExternalSecret {
    const store = source.store!;
    const o = source.storeOptions;
    const remote = o.remoteKeys ?? {};
    const id = `ExternalSecret-${namespace}-${name}`;
    const named = () => [...new Set([...declared().keys, ...Object.keys(remote)])].sort();
    // a whole-Secret consumer with remoteKeys has said what the Secret holds; without them (or with remoteKey) the Secret
    // is the value of one store key
    const whole = () => o.remoteKey !== undefined || named().length === 0;
    return new ExternalSecret(scope as Construct, id, {
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-netkit' } },
      spec: {
        refreshInterval: o.refreshInterval ?? '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: store.storeName },
        target: { name, creationPolicy: 'Owner' },
        data: lazy(() => (named().length ? named().map((k) => ({ secretKey: k, remoteRef: { key: remote[k] ?? k } })) : undefined)),
        dataFrom: lazy(() => (whole() ? [{ extract: { key: o.remoteKey ?? name } }] : undefined)),
      },
    });
  }
}

/** The cluster a store belongs to, when it is a construct in one. */
function clusterOf(store: ISecretStore | undefined): Cluster | undefined {
  try {
    return store && typeof store.node === 'object' ? Cluster.of(store) : undefined;
  } catch {
    return undefined;
  }
}

/** Remote keys, written the same for the same mapping. */
function canonicalKeys(remoteKeys: unknown): string {
  const o = p.fieldsOf(remoteKeys);
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    ),
  );
}

/** Declare the source of a Secret `scope` consumes (shorthand for `SecretSources.ensure(scope).declare(...)`). */
export function declareSecret(scope: IConstruct, secret: { name: string; namespace: string; source: SecretSource; keys?: readonly string[] }): DeclaredSecret {
  return SecretSources.ensure(scope).declare(scope, secret);
}
