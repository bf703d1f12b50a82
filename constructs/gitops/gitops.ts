/**
 * How the rendered tree reaches a cluster: Flux or Argo CD. Both read the same constructs.
 */

/**
 * Argo CD sync options that keep an object when it leaves the tree (`Prune=false`) and when the Application that
 * applied it is deleted (`Delete=false`).
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 */
export const ARGO_KEEP = 'Prune=false,Delete=false';

/** Flux: never garbage-collect this object, whether it leaves the tree or its Kustomization is deleted. */
export const FLUX_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';

/**
 * Sync retry of every Application: never gives up (a negative limit retries without end: a CRD or a webhook that is
 * late must not leave a layer failed for good after five attempts), backing off from 10 s to at most 3 min.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/
 */
export const ARGO_RETRY = { limit: -1, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } as const;

/** The annotation that carries Argo CD sync options on an object. */
export const ARGO_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

export enum GitOpsFlavour {
  FLUX = 'flux',
  ARGOCD = 'argocd',
}

export interface FluxOptions {
  /**
   * Name of the GitRepository that `flux bootstrap` created (in flux-system).
   *
   * @default 'flux-system'
   */
  readonly sourceName?: string;
  /**
   * Reconcile interval of the layer Kustomizations.
   *
   * @default '10m'
   */
  readonly interval?: string;
}

export interface ArgoCdOptions {
  /** URL of the Git repository that holds `clusters/`. */
  readonly repoUrl: string;
  /**
   * Branch, tag or commit Argo CD follows.
   *
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Argo CD project of the generated Applications.
   *
   * @default 'default'
   */
  readonly project?: string;
  /**
   * Namespace Argo CD runs in.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Whether the Argo CD that syncs this tree reports the health of Applications: its argocd-cm has the Lua check
   * `resource.customizations.health.argoproj.io_Application` (removed from Argo CD in 1.8). Without it a sync wave
   * does not wait for the health of the Applications of the wave before it, so the layers are ordered by creation only
   * (rule NET-BOOT4). The Argo CD install the tree renders (`bootstrap/argocd/`, which the bootstrap script applies)
   * carries the check; an Argo CD you install yourself has it once you apply `bootstrap/argocd/argocd-cm.yaml` to it
   * as a patch. Say false when the Argo CD that syncs the tree does not have it.
   *
   * @default true
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app
   */
  readonly applicationHealthCheck?: boolean;
}

/** The GitOps engine of a cluster. Create with {@link GitOps.flux} or {@link GitOps.argocd}. */
export class GitOps {
  /**
   * Flux: `flux bootstrap ... --path=clusters/<name>` owns `clusters/<name>/flux-system/`; the synthesizer adds one
   * Flux Kustomization per layer beside it.
   *
   * @see https://fluxcd.io/flux/installation/bootstrap/
   */
  public static flux(options: FluxOptions = {}): GitOps {
    return new GitOps(GitOpsFlavour.FLUX, {
      fluxSourceName: options.sourceName ?? 'flux-system',
      interval: options.interval ?? '10m',
      namespace: 'flux-system',
    });
  }

  /**
   * Argo CD: an app-of-apps. `clusters/<name>/bootstrap/` holds the root Application to apply once; it syncs one
   * Application per layer, ordered by sync waves.
   *
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/
   */
  public static argocd(options: ArgoCdOptions): GitOps {
    return new GitOps(GitOpsFlavour.ARGOCD, {
      repoUrl: options.repoUrl,
      revision: options.revision ?? 'main',
      project: options.project ?? 'default',
      namespace: options.namespace ?? 'argocd',
      interval: '',
      applicationHealthCheck: options.applicationHealthCheck ?? true,
    });
  }

  private constructor(
    public readonly flavour: GitOpsFlavour,
    private readonly o: {
      fluxSourceName?: string;
      interval: string;
      namespace: string;
      repoUrl?: string;
      revision?: string;
      project?: string;
      applicationHealthCheck?: boolean;
    },
  ) {}

  /** Namespace the engine runs in (flux-system or argocd). */
  public get namespace(): string {
    return this.o.namespace;
  }
  public get fluxSourceName(): string {
    return this.o.fluxSourceName ?? 'flux-system';
  }
  public get interval(): string {
    return this.o.interval;
  }
  public get repoUrl(): string | undefined {
    return this.o.repoUrl;
  }
  public get revision(): string {
    return this.o.revision ?? 'main';
  }
  public get project(): string {
    return this.o.project ?? 'default';
  }
  /** Argo CD: whether the engine is declared to report Application health (see {@link ArgoCdOptions.applicationHealthCheck}). */
  public get applicationHealthCheck(): boolean {
    return this.o.applicationHealthCheck ?? true;
  }
}
