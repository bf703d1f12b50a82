/**
 * The apply order of a cluster, proved offline: the order in which its objects reach the API server — the nodes,
 * the bootstrap steps, then the GitOps engine's layers (Flux Kustomizations by dependsOn, Argo CD Applications by sync
 * wave) — with what each step makes available (API kinds whose CRDs are established, the CNI), whether it needs
 * running pods, and which earlier steps it waits for: only applied, or healthy. The NET-BOOT rules and
 * reports/bootstrap.md read it.
 */
import type { IConstruct } from 'constructs';
import { BootstrapBundle } from '../bootstrap-bundle.js';
import { CiliumRelease } from '../cilium-release.js';
import { Distribution, type Cluster } from '../cluster.js';
import { GatewayApiChannel } from '../gateway-api-crds.js';
import { GitOpsFlavour } from '../gitops/gitops.js';
import { GATEWAY_API_REPOSITORY } from '../core/versions.js';
import type { RenderedObject } from '../core/rendered.js';
import { CHART_CRDS, CILIUM_OPERATOR_KINDS, distributionKinds, gatewayApiKinds, isBuiltIn, kindKey, kindOf, type ApiKind } from './kinds.js';
import { ARGOCD_INSTALL_DIR, bootstrapSteps } from './steps.js';

/** The Argo CD health check that lets a parent Application wait for its child Applications (argocd-cm). */
export const ARGOCD_APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/** Something a step makes available: an API kind, and what in the step installs it. */
export interface Provision {
  readonly kind: ApiKind;
  /** What installs it, for people: `the cert-manager chart (HelmRelease cert-manager/cert-manager)`. */
  readonly by: string;
  /** Construct path of what installs it. */
  readonly path: string;
  /** A CustomResourceDefinition manifest of the step itself (applied before the step's other objects by either engine). */
  readonly manifest: boolean;
}

/** One step of the apply order. */
export interface ApplyStep {
  /** Position, from 0 (the nodes). */
  readonly index: number;
  /** Stable id: `nodes`, `bootstrap/<id>`, `layer/<folder>`. */
  readonly id: string;
  readonly phase: 'nodes' | 'bootstrap' | 'engine';
  /** A short name: `Cilium 1.20.0`, `layer networking`. */
  readonly label: string;
  readonly title: string;
  /** How it reaches the API server. */
  readonly by: string;
  /** Construct path findings about the step point at. */
  readonly path: string;
  /** The tree's objects this step applies (engine steps, and the engine's entry objects). */
  readonly objects: readonly RenderedObject[];
  readonly provides: readonly Provision[];
  /** Whether pods can run once this step is done (it installs the CNI). */
  readonly startsCni: boolean;
  /** Whether this step needs running pods (a controller applies it, or it installs one that must run). */
  readonly needsPods: boolean;
  /** Whether this step installs Cilium (the bootstrap's release, or a Cilium chart release of a layer). */
  readonly installsCilium: boolean;
  /** The Cilium values this step installs with, when it installs Cilium. */
  readonly ciliumValues?: Record<string, any>;
  /** Steps that are done and healthy before this one starts (CRDs established, pods ready). */
  readonly healthyBefore: ReadonlySet<number>;
  /** Steps that were applied before this one starts, healthy or not. */
  readonly appliedBefore: ReadonlySet<number>;
  /** How this step waits for the steps before it, for people. */
  readonly waitsFor: string;
}

/** Whether and how the engine can report the health a layer waits on. */
export interface HealthReporting {
  readonly reported: boolean;
  /** How (`wait: true` on each Kustomization) or why not (no Application health check in argocd-cm). */
  readonly why: string;
}

export interface ApplyOrder {
  readonly cluster: string;
  readonly engine: GitOpsFlavour;
  readonly steps: readonly ApplyStep[];
  /** Argo CD: whether child Applications report health, so a sync wave waits for the one before it. */
  readonly applicationHealth?: HealthReporting;
}

export interface ApplyOrderInput {
  readonly cluster: Cluster;
  readonly objects: readonly RenderedObject[];
  /** The values a chart release object renders with (inline or from its values file). */
  readonly valuesOf: (o: RenderedObject) => Record<string, any>;
  /** Text of a rendered file under `clusters/<cluster>/` (the bootstrap reads Cilium's values file). */
  readonly readFile: (path: string) => string | undefined;
}

function parseJson(text: string | undefined): Record<string, any> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Argo CD sync options of an object (the annotation holds a comma-separated list). */
export function argoSyncOptions(o: RenderedObject): string[] {
  const raw = o.json.metadata?.annotations?.['argocd.argoproj.io/sync-options'];
  return typeof raw === 'string'
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** Whether Argo CD skips the dry run of an object whose CRD is missing (so it can arrive in the same sync). */
export function skipsDryRun(o: RenderedObject): boolean {
  return argoSyncOptions(o).includes('SkipDryRunOnMissingResource=true');
}

/**
 * Whether the cluster's Argo CD reports the health of child Applications: the tree renders argocd-cm (or a patch of
 * it) with the Application health check, or the GitOps config says the Argo CD installed by hand has it.
 */
export function argoApplicationHealth(cluster: Cluster, objects: readonly RenderedObject[]): HealthReporting {
  const rendered = objects.find(
    (o) =>
      o.kind === 'ConfigMap' &&
      o.name === 'argocd-cm' &&
      typeof o.json.data?.[ARGOCD_APPLICATION_HEALTH_KEY] === 'string' &&
      o.json.data[ARGOCD_APPLICATION_HEALTH_KEY].trim() !== '',
  );
  if (rendered) return { reported: true, why: `argocd-cm carries ${ARGOCD_APPLICATION_HEALTH_KEY} (${rendered.file})` };
  if (cluster.gitops.applicationHealthCheck)
    return {
      reported: true,
      why: `bootstrap/argocd/argocd-cm.yaml carries ${ARGOCD_APPLICATION_HEALTH_KEY} (applied by the bootstrap, or as a patch to an Argo CD installed otherwise)`,
    };
  return {
    reported: false,
    why: `GitOps.argocd({ applicationHealthCheck: false }): the Argo CD that syncs the tree has no ${ARGOCD_APPLICATION_HEALTH_KEY} in argocd-cm, so a sync wave does not wait for the health of the Applications of the wave before it`,
  };
}

/** The chart of a release object (Flux HelmRelease, Argo CD Application), if it is one. */
function chartOf(o: RenderedObject, objects: readonly RenderedObject[]): string | undefined {
  const spec = o.json.spec ?? {};
  if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
    if (typeof spec.chart?.spec?.chart === 'string') return spec.chart.spec.chart;
    const ref = spec.chartRef;
    if (ref?.kind === 'OCIRepository') {
      const repo = objects.find((x) => x.kind === 'OCIRepository' && x.name === ref.name && (x.namespace ?? '') === (ref.namespace ?? o.namespace ?? ''));
      const url = repo?.json.spec?.url;
      if (typeof url === 'string') return url.replace(/\/+$/, '').split('/').pop();
    }
    return undefined;
  }
  if (o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/')) {
    const sources: any[] = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].filter(Boolean);
    return sources.find((s) => typeof s.chart === 'string')?.chart;
  }
  return undefined;
}

function isGatewayApiRepo(url: unknown): boolean {
  return typeof url === 'string' && url.replace(/\.git$/, '').replace(/\/$/, '') === GATEWAY_API_REPOSITORY;
}

function channelOfPath(path: unknown): GatewayApiChannel | undefined {
  const m = typeof path === 'string' ? /config\/crd\/([a-z]+)/.exec(path) : null;
  return m?.[1] === 'experimental' ? GatewayApiChannel.EXPERIMENTAL : m?.[1] === 'standard' ? GatewayApiChannel.STANDARD : undefined;
}

/** What the objects of one engine step install: chart CRDs, the Gateway API bundle, CRD manifests, Cilium. */
function provisionsOf(
  stepObjects: readonly RenderedObject[],
  all: readonly RenderedObject[],
  valuesOf: (o: RenderedObject) => Record<string, any>,
): { provides: Provision[]; cilium?: { values: Record<string, any>; path: string } } {
  const provides: Provision[] = [];
  let cilium: { values: Record<string, any>; path: string } | undefined;
  for (const o of stepObjects) {
    const where = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    if (o.kind === 'CustomResourceDefinition' && o.apiVersion.startsWith('apiextensions.k8s.io/')) {
      const group = o.json.spec?.group;
      const kind = o.json.spec?.names?.kind;
      if (typeof group === 'string' && typeof kind === 'string')
        provides.push({ kind: { group, kind }, by: `the CRD manifest ${o.file}`, path: o.path, manifest: true });
      continue;
    }
    const chart = chartOf(o, all);
    if (chart === 'cilium') {
      const values = valuesOf(o);
      cilium ??= { values, path: o.path };
      for (const kind of CILIUM_OPERATOR_KINDS) provides.push({ kind, by: `Cilium's operator (${where})`, path: o.path, manifest: false });
    } else if (chart && CHART_CRDS[chart]?.installs(valuesOf(o))) {
      for (const kind of CHART_CRDS[chart]!.kinds) provides.push({ kind, by: `the ${chart} chart (${where})`, path: o.path, manifest: false });
    }
    // The Gateway API CRD bundle: a Flux GitRepository of the upstream repository with its Kustomization, or an Argo CD
    // Application on the repository's config/crd/<channel> path.
    if (o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') && o.json.spec?.sourceRef?.kind === 'GitRepository') {
      const repo = all.find((x) => x.kind === 'GitRepository' && x.name === o.json.spec.sourceRef.name && isGatewayApiRepo(x.json.spec?.url));
      const channel = channelOfPath(o.json.spec?.path);
      const tag = repo?.json.spec?.ref?.tag;
      if (repo && channel && typeof tag === 'string') {
        for (const kind of gatewayApiKinds(tag, channel))
          provides.push({ kind, by: `the Gateway API ${tag} bundle (${where})`, path: o.path, manifest: false });
      }
    }
    if (o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/')) {
      const src = o.json.spec?.source;
      const channel = channelOfPath(src?.path);
      if (src && isGatewayApiRepo(src.repoURL) && channel && typeof src.targetRevision === 'string') {
        for (const kind of gatewayApiKinds(src.targetRevision, channel))
          provides.push({ kind, by: `the Gateway API ${src.targetRevision} bundle (${where})`, path: o.path, manifest: false });
      }
    }
  }
  return { provides, ...(cilium ? { cilium } : {}) };
}

/** The folder under the cluster folder that an entry object (Flux Kustomization, Argo CD Application) applies. */
function entryFolder(o: RenderedObject, cluster: string): string | undefined {
  const path = o.kind === 'Kustomization' ? o.json.spec?.path : o.json.spec?.source?.path;
  if (typeof path !== 'string') return undefined;
  const prefix = `clusters/${cluster}/`;
  const p = path.replace(/^\.\//, '').replace(/\/+$/, '');
  return p.startsWith(prefix) ? p.slice(prefix.length) : undefined;
}

interface EngineUnit {
  readonly entry: RenderedObject;
  readonly folder: string;
  readonly objects: RenderedObject[];
  readonly order: number;
}

/** The apply order of a cluster. */
export function applyOrder(input: ApplyOrderInput): ApplyOrder {
  const { cluster, objects, valuesOf, readFile } = input;
  const flux = cluster.gitops.flavour === GitOpsFlavour.FLUX;
  const steps: ApplyStep[] = [];
  const all = new Set<number>();
  const push = (s: Omit<ApplyStep, 'index'>) => {
    const index = steps.length;
    steps.push({ ...s, index });
    all.add(index);
    return index;
  };
  const before = () => new Set(all);

  // 0. The nodes: the API server's own kinds, the distribution's, and its own CNI when the tree installs none.
  const ciliumAnywhere = CiliumRelease.of(cluster) !== undefined || objects.some((o) => chartOf(o, objects) === 'cilium');
  const distName = cluster.distribution === Distribution.TALOS ? 'Talos' : cluster.distribution === Distribution.K3S ? 'k3s' : 'the distribution';
  push({
    id: 'nodes',
    phase: 'nodes',
    label: 'the nodes',
    title: `The nodes (${distName}) and the API server`,
    by: 'the distribution',
    path: cluster.node.path,
    objects: [],
    provides: distributionKinds(cluster.distribution).map((kind) => ({ kind, by: distName, path: cluster.node.path, manifest: false })),
    startsCni: !ciliumAnywhere,
    needsPods: false,
    installsCilium: false,
    healthyBefore: new Set(),
    appliedBefore: new Set(),
    waitsFor: '-',
  });

  // 1. The bootstrap steps: the script waits for each before the next.
  const bundle = cluster.constructsOf(BootstrapBundle)[0];
  const bootstrap = bootstrapSteps(cluster, bundle ?? cluster);
  // The engine's own objects: the Argo CD install folder (when the tree renders one) goes with the install step; the
  // root entries (layer Kustomizations or Applications, the root Application) with the step that applies the root.
  const installObjects = objects.filter((o) => o.file.startsWith(`${ARGOCD_INSTALL_DIR}/`));
  const rootObjects = objects.filter((o) => !o.file.includes('/') || (o.file.startsWith('bootstrap/') && !installObjects.includes(o)));
  let previous: (typeof bootstrap)[number] | undefined;
  for (const b of bootstrap) {
    const isEngine = b.id === 'flux' || b.id === 'root-application';
    const cilium = b.id === 'cilium' ? CiliumRelease.of(cluster) : undefined;
    const valuesFile = cilium?.chart.valuesFilePath;
    push({
      id: `bootstrap/${b.id}`,
      phase: 'bootstrap',
      label: b.label,
      title: b.title,
      by: `bootstrap/bootstrap.sh: ${b.commands.join('; ')}`,
      path: (b.source as IConstruct).node.path,
      objects: isEngine ? rootObjects : b.id === 'argocd' ? installObjects : [],
      provides: b.provides.map((kind) => ({ kind, by: b.label, path: (b.source as IConstruct).node.path, manifest: false })),
      startsCni: b.startsCni,
      needsPods: b.needsPods,
      installsCilium: b.id === 'cilium',
      ...(cilium ? { ciliumValues: parseJson(valuesFile ? readFile(valuesFile) : undefined) ?? (cilium.values() as Record<string, any>) } : {}),
      healthyBefore: before(),
      appliedBefore: before(),
      waitsFor: previous ? `step ${steps.length - 1} done: the script waits for ${previous.waitsFor}` : 'the API server answering (the script checks /readyz)',
    });
    previous = b;
  }

  // 2. The engine's layers: one step per entry object at the root of the cluster folder.
  const name = cluster.clusterName;
  const entries = objects.filter(
    (o) =>
      !o.file.includes('/') &&
      ((flux && o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) || (!flux && o.kind === 'Application')),
  );
  const units: EngineUnit[] = entries
    .map((entry, order) => {
      const folder = entryFolder(entry, name);
      return folder === undefined ? undefined : { entry, folder, order, objects: objects.filter((o) => o.file.startsWith(`${folder}/`)) };
    })
    .filter((u): u is EngineUnit => u !== undefined);

  /** The step of one layer, whichever engine applies it: `by` says how, `order` what it waits for. */
  const layerStep = (u: EngineUnit, by: string, order: { healthy: Set<number>; applied: Set<number>; waitsFor: string }) => {
    const { provides, cilium } = provisionsOf(u.objects, objects, valuesOf);
    return {
      id: `layer/${u.folder}`,
      phase: 'engine' as const,
      label: `layer ${u.folder}`,
      title: `layer ${u.folder}`,
      by,
      path: u.entry.path,
      objects: u.objects,
      provides,
      startsCni: provides.some((p) => p.kind.group === 'cilium.io'),
      needsPods: true,
      installsCilium: cilium !== undefined,
      ...(cilium ? { ciliumValues: cilium.values } : {}),
      healthyBefore: order.healthy,
      appliedBefore: order.applied,
      waitsFor: order.waitsFor,
    };
  };

  let applicationHealth: HealthReporting | undefined;
  const engineBase = before();
  if (flux) {
    // Kustomizations start when every dependsOn is Ready; Ready means healthy only with wait (or healthChecks).
    const byName = new Map(units.map((u) => [u.entry.name, u]));
    const indexOf = new Map<EngineUnit, number>();
    const visiting = new Set<EngineUnit>();
    const place = (u: EngineUnit): number => {
      const known = indexOf.get(u);
      if (known !== undefined) return known;
      if (visiting.has(u)) throw new Error(`Flux Kustomization ${u.entry.name} depends on itself (dependsOn cycle)`);
      visiting.add(u);
      const deps = (Array.isArray(u.entry.json.spec?.dependsOn) ? u.entry.json.spec.dependsOn : [])
        .map((d: any) => byName.get(d?.name))
        .filter((d: EngineUnit | undefined): d is EngineUnit => d !== undefined);
      const healthy = new Set(engineBase);
      const applied = new Set(engineBase);
      const waits: string[] = [];
      for (const d of deps) {
        const di = place(d);
        const ds = steps[di]!;
        applied.add(di);
        ds.appliedBefore.forEach((i) => applied.add(i));
        ds.healthyBefore.forEach((i) => healthy.add(i));
        const health = d.entry.json.spec?.wait === true || (Array.isArray(d.entry.json.spec?.healthChecks) && d.entry.json.spec.healthChecks.length > 0);
        if (health) healthy.add(di);
        waits.push(`${d.entry.name} ${health ? 'Ready (healthy: wait: true)' : 'applied (no wait, no healthChecks: not its health)'}`);
      }
      const idx = push(
        layerStep(u, `Flux Kustomization ${u.entry.namespace ?? ''}/${u.entry.name} (${u.entry.file})`, {
          healthy,
          applied,
          waitsFor: waits.length ? `dependsOn ${waits.join(', ')}` : 'the engine only (no dependsOn)',
        }),
      );
      indexOf.set(u, idx);
      visiting.delete(u);
      return idx;
    };
    // place in dependency order, ties in file order
    for (const u of [...units].sort((a, b) => a.order - b.order)) place(u);
  } else {
    applicationHealth = argoApplicationHealth(cluster, objects);
    const wave = (u: EngineUnit) => Number(u.entry.json.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0) || 0;
    const sorted = [...units].sort((a, b) => wave(a) - wave(b) || a.order - b.order);
    const done: { wave: number; index: number }[] = [];
    for (const u of sorted) {
      const w = wave(u);
      const earlier = done.filter((d) => d.wave < w).map((d) => d.index);
      const healthy = new Set(engineBase);
      const applied = new Set(engineBase);
      for (const i of earlier) {
        applied.add(i);
        if (applicationHealth.reported) healthy.add(i);
      }
      const idx = push(
        layerStep(u, `Argo CD Application ${u.entry.namespace ?? ''}/${u.entry.name}, sync wave ${w} (${u.entry.file})`, {
          healthy,
          applied,
          waitsFor: earlier.length
            ? `the waves before it ${applicationHealth.reported ? 'Healthy (Application health check)' : 'applied only: without the Application health check Argo CD does not wait for their health'}`
            : 'the engine only (first wave)',
        }),
      );
      done.push({ wave: w, index: idx });
    }
  }
  return { cluster: name, engine: cluster.gitops.flavour, steps, ...(applicationHealth ? { applicationHealth } : {}) };
}

/** The steps that provide a kind, in order. */
export function providersOf(order: ApplyOrder, kind: ApiKind): { step: ApplyStep; provision: Provision }[] {
  const key = kindKey(kind);
  return order.steps.flatMap((step) => step.provides.filter((p) => kindKey(p.kind) === key).map((provision) => ({ step, provision })));
}

/** The kind of a rendered object, and whether the API server serves it without a CRD. */
export function objectKind(o: RenderedObject): { kind: ApiKind; builtIn: boolean } {
  const kind = kindOf(o.apiVersion, o.kind);
  return { kind, builtIn: isBuiltIn(kind) };
}

/** The first step after which pods can run (it installs the CNI), if any. */
export function cniStep(order: ApplyOrder): ApplyStep | undefined {
  return order.steps.find((s) => s.startsCni);
}
