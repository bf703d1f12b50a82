/**
 * Which Secrets the rendered objects reference, and which sources the tree declares or renders for them: read by rule
 * NET-SEC4 and by the Secrets section of reports/bootstrap.md.
 */
import type { Cluster } from '../cluster.js';
import { GATEWAY_API_GROUP } from '../gateway/api-group.js';
import type { RenderedObject } from '../core/rendered.js';
import { SecretOrigin, SecretSources, type DeclaredSecret } from '../secret-source.js';
import { POD_SPEC_PATH } from '../core/pod-spec.js';

/** One place a rendered object names a Secret. */
export interface SecretReference {
  readonly object: RenderedObject;
  /** JSON pointer of the name inside the object. */
  readonly pointer: string;
  readonly namespace: string;
  readonly name: string;
  /** What takes it, for people: `envFrom`, `a volume`, `a listener certificate`, ... */
  readonly what: string;
}

/** Where a Secret comes from, as the tree says. */
export interface SecretProvision {
  readonly namespace: string;
  readonly name: string;
  /** How it is made, one line. */
  readonly how: string;
  readonly origin: SecretOrigin | 'generated' | 'rendered';
  /** The declaration, for declared Secrets. */
  readonly declared?: DeclaredSecret;
  /** The object that makes it (ExternalSecret, Certificate, CloudNativePG Cluster, ...), if the tree renders one. */
  readonly by?: RenderedObject;
}

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** The namespace cert-manager runs in (a ClusterIssuer's Secrets live there): from its rendered release. */
export function certManagerNamespace(objects: readonly RenderedObject[]): string {
  const release = objects.find(
    (o) =>
      (o.kind === 'HelmRelease' && o.json.spec?.chart?.spec?.chart === 'cert-manager') ||
      (o.kind === 'Application' && (o.json.spec?.source?.chart === 'cert-manager' || list(o.json.spec?.sources).some((s) => s?.chart === 'cert-manager'))),
  );
  if (!release) return 'cert-manager';
  return release.kind === 'Application' ? (release.json.spec?.destination?.namespace ?? 'cert-manager') : (release.namespace ?? 'cert-manager');
}

/** Every Secret reference of the rendered objects. */
export function secretReferences(objects: readonly RenderedObject[]): SecretReference[] {
  const out: SecretReference[] = [];
  const cmNs = certManagerNamespace(objects);
  for (const o of objects) {
    const ns = o.namespace ?? 'default';
    const add = (pointer: string, name: unknown, what: string, namespace = ns) => {
      if (str(name)) out.push({ object: o, pointer, namespace, name, what });
    };
    const path = POD_SPEC_PATH[o.kind];
    if (path && (o.apiVersion === 'v1' || o.apiVersion.startsWith('apps/') || o.apiVersion.startsWith('batch/'))) {
      let spec: any = o.json;
      for (const p of path) spec = spec?.[p];
      const base = `/${path.join('/')}`;
      list(spec?.imagePullSecrets).forEach((s, i) => add(`${base}/imagePullSecrets/${i}/name`, s?.name, 'an image pull secret'));
      list(spec?.volumes).forEach((v, i) => {
        if (v?.secret && v.secret.optional !== true) add(`${base}/volumes/${i}/secret/secretName`, v.secret.secretName, `volume ${v.name}`);
        list(v?.projected?.sources).forEach((s, j) => {
          if (s?.secret && s.secret.optional !== true)
            add(`${base}/volumes/${i}/projected/sources/${j}/secret/name`, s.secret.name, `projected volume ${v.name}`);
        });
      });
      for (const group of ['initContainers', 'containers']) {
        list(spec?.[group]).forEach((c, i) => {
          const at = `${base}/${group}/${i}`;
          list(c?.envFrom).forEach((e, j) => {
            if (e?.secretRef && e.secretRef.optional !== true) add(`${at}/envFrom/${j}/secretRef/name`, e.secretRef.name, `envFrom of container ${c.name}`);
          });
          list(c?.env).forEach((e, j) => {
            const ref = e?.valueFrom?.secretKeyRef;
            if (ref && ref.optional !== true) add(`${at}/env/${j}/valueFrom/secretKeyRef/name`, ref.name, `env ${e.name} of container ${c.name}`);
          });
        });
      }
      continue;
    }
    if (o.kind === 'Gateway' && o.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) {
      list(o.json.spec?.listeners).forEach((l, i) =>
        list(l?.tls?.certificateRefs).forEach((r, j) => {
          if ((r?.group ?? '') === '' && (r?.kind ?? 'Secret') === 'Secret')
            add(`/spec/listeners/${i}/tls/certificateRefs/${j}/name`, r.name, `the certificate of listener ${l.name}`, r.namespace ?? ns);
        }),
      );
      continue;
    }
    if ((o.kind === 'ClusterIssuer' || o.kind === 'Issuer') && o.apiVersion.startsWith('cert-manager.io/')) {
      const issuerNs = o.kind === 'ClusterIssuer' ? cmNs : ns;
      list(o.json.spec?.acme?.solvers).forEach((s, i) => {
        for (const [solver, cfg] of Object.entries(s?.dns01 ?? {})) {
          for (const [key, ref] of Object.entries((cfg ?? {}) as Record<string, any>)) {
            if (/SecretRef$/.test(key)) add(`/spec/acme/solvers/${i}/dns01/${solver}/${key}/name`, ref?.name, `the ${solver} DNS-01 solver`, issuerNs);
          }
        }
      });
      continue;
    }
    if (o.kind === 'Cluster' && o.apiVersion.startsWith('postgresql.cnpg.io/')) {
      add('/spec/bootstrap/initdb/secret/name', o.json.spec?.bootstrap?.initdb?.secret?.name, 'the initdb owner credentials');
      add('/spec/superuserSecret/name', o.json.spec?.superuserSecret?.name, 'the superuser credentials');
      list(o.json.spec?.imagePullSecrets).forEach((s, i) => add(`/spec/imagePullSecrets/${i}/name`, s?.name, 'an image pull secret'));
      continue;
    }
    if ((o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore') && o.apiVersion.startsWith('external-secrets.io/')) {
      // the provider's credential: every { name, key } selector under the provider
      const walk = (v: any, at: string) => {
        if (!v || typeof v !== 'object') return;
        if (str(v.name) && str(v.key)) add(`${at}/name`, v.name, "the store's credential", str(v.namespace) ? v.namespace : ns);
        for (const [k, c] of Object.entries(v)) if (c && typeof c === 'object') walk(c, `${at}/${k}`);
      };
      walk(o.json.spec?.provider, '/spec/provider');
      continue;
    }
    if (o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
      list(o.json.spec?.valuesFrom).forEach((v, i) => {
        if (v?.kind === 'Secret' && v.optional !== true) add(`/spec/valuesFrom/${i}/name`, v.name, 'Helm values');
      });
      continue;
    }
    if (o.apiVersion.startsWith('source.toolkit.fluxcd.io/')) add('/spec/secretRef/name', o.json.spec?.secretRef?.name, 'source credentials');
  }
  return out;
}

/** Every Secret the tree declares a source for, or renders something that makes it. */
export function secretProvisions(cluster: Cluster, objects: readonly RenderedObject[]): SecretProvision[] {
  const out: SecretProvision[] = [];
  const cmNs = certManagerNamespace(objects);
  for (const d of SecretSources.of(cluster)?.declarations ?? []) {
    const by = d.externalSecret ? objects.find((o) => o.path === d.externalSecret!.node.path) : undefined;
    out.push({ namespace: d.namespace, name: d.name, how: d.source.how, origin: d.source.origin, declared: d, ...(by ? { by } : {}) });
  }
  for (const o of objects) {
    const ns = o.namespace ?? 'default';
    const spec = o.json.spec ?? {};
    if (o.kind === 'ExternalSecret' && o.apiVersion.startsWith('external-secrets.io/')) {
      const store = spec.secretStoreRef ?? {};
      out.push({
        namespace: ns,
        name: spec.target?.name ?? o.name,
        how: `ExternalSecret ${ns}/${o.name} from ${store.kind ?? 'SecretStore'} ${store.name}`,
        origin: SecretOrigin.STORE,
        by: o,
      });
    } else if (o.kind === 'Certificate' && o.apiVersion.startsWith('cert-manager.io/') && str(spec.secretName)) {
      out.push({ namespace: ns, name: spec.secretName, how: `cert-manager, from Certificate ${ns}/${o.name}`, origin: 'generated', by: o });
    } else if (
      (o.kind === 'ClusterIssuer' || o.kind === 'Issuer') &&
      o.apiVersion.startsWith('cert-manager.io/') &&
      str(spec.acme?.privateKeySecretRef?.name)
    ) {
      const at = o.kind === 'ClusterIssuer' ? cmNs : ns;
      out.push({
        namespace: at,
        name: spec.acme.privateKeySecretRef.name,
        how: `cert-manager, the ACME account key of ${o.kind} ${o.name}`,
        origin: 'generated',
        by: o,
      });
    } else if (o.kind === 'Cluster' && o.apiVersion.startsWith('postgresql.cnpg.io/')) {
      // CloudNativePG makes the owner's credentials unless initdb names a Secret, and the superuser's when enabled
      if (!spec.bootstrap?.initdb?.secret)
        out.push({
          namespace: ns,
          name: `${o.name}-app`,
          how: `CloudNativePG, for Cluster ${ns}/${o.name} (the owner's credentials)`,
          origin: 'generated',
          by: o,
        });
      if (spec.enableSuperuserAccess === true && !spec.superuserSecret)
        out.push({ namespace: ns, name: `${o.name}-superuser`, how: `CloudNativePG, for Cluster ${ns}/${o.name} (superuser)`, origin: 'generated', by: o });
    } else if (o.kind === 'Secret' && o.apiVersion === 'v1') {
      out.push({ namespace: ns, name: o.name, how: `rendered in the tree (${o.file})`, origin: 'rendered', by: o });
    }
  }
  return out;
}
