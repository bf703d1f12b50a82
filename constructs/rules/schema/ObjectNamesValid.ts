import { defineRule } from '../rule.js';

/** The name formats the API server enforces, by how strict they are. */
type NameFormat = 'subdomain' | 'label' | 'rfc1035' | 'path-segment';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const FORMATS: Record<NameFormat, { readonly re: RegExp; readonly max?: number; readonly words: string }> = {
  subdomain: {
    re: new RegExp(`^${LABEL}(\\.${LABEL})*$`),
    max: 253,
    words: "a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
  },
  label: {
    re: new RegExp(`^${LABEL}$`),
    max: 63,
    words: "a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
  },
  rfc1035: {
    re: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    max: 63,
    words: "an RFC 1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit",
  },
  'path-segment': {
    re: /^(?!\.{1,2}$)[^/%]+$/,
    words: "a path segment: any characters but '/' and '%', and not '.' or '..'",
  },
};

/** RBAC objects take any path segment (`system:controller:...`). */
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

function nameFormat(apiVersion: string, kind: string): NameFormat {
  const core = apiVersion === 'v1';
  if (core && kind === 'Namespace') return 'label';
  if (core && kind === 'Service') return 'rfc1035';
  if (apiVersion.startsWith('rbac.authorization.k8s.io/') && RBAC_KINDS.has(kind)) return 'path-segment';
  return 'subdomain';
}

/** Why `name` is not of `format`, or undefined when it is. */
function nameProblem(name: unknown, format: NameFormat): string | undefined {
  if (typeof name !== 'string' || name === '') return 'it is empty';
  const f = FORMATS[format];
  if (f.max !== undefined && name.length > f.max) return `it is ${name.length} characters long (at most ${f.max})`;
  if (f.re.test(name)) return undefined;
  if (format === 'path-segment') return "it is '.' or '..', or holds '/' or '%'";
  if (/[A-Z]/.test(name)) return 'it has upper-case letters';
  const bad = [...new Set(name.replace(format === 'subdomain' ? /[-a-z0-9.]/g : /[-a-z0-9]/g, ''))];
  if (bad.length) return `it holds ${bad.map((c) => `'${c}'`).join(', ')}`;
  if (format === 'rfc1035' && /^[0-9]/.test(name)) return 'it starts with a digit';
  return format === 'subdomain' ? "a part between dots is empty or starts or ends with '-'" : "it starts or ends with '-'";
}

/** A close valid name to offer in the fix. */
function suggestion(name: unknown, format: NameFormat): string | undefined {
  if (typeof name !== 'string' || format === 'path-segment') return undefined;
  const f = FORMATS[format];
  let s = name
    .toLowerCase()
    .replace(format === 'subdomain' ? /[^-a-z0-9.]+/g : /[^-a-z0-9]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-*\.-*/g, '.');
  if (format === 'rfc1035') s = s.replace(/^[^a-z]+/, '');
  s = s.slice(0, f.max).replace(/^[-.]+|[-.]+$/g, '');
  return s && f.re.test(s) ? s : undefined;
}

/** NET-SCH4: object names and namespaces are names the API server accepts. */
export const ObjectNamesValid = defineRule({
  id: 'NET-SCH4',
  level: 'error',
  title: 'Object names and namespaces are valid Kubernetes names',
  lesson:
    'The API server rejects an object whose metadata.name is not of the form its kind requires: a DNS-1123 subdomain ' +
    'for most kinds, a DNS-1123 label for a Namespace, an RFC 1035 label for a Service (it becomes a DNS name), a ' +
    'path segment for RBAC roles and bindings; metadata.namespace must be a DNS-1123 label. The schemas type names ' +
    'as plain strings, so only apply time would tell, and a GitOps engine then stops at the first such object.',
  source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  fix: "Use lower-case letters, digits and '-' (and '.' where the kind allows a subdomain), starting and ending with a letter or digit.",
  *check({ objects }) {
    for (const o of objects) {
      const format = nameFormat(o.apiVersion, o.kind);
      const name: unknown = o.json.metadata?.name;
      const why = nameProblem(name, format);
      if (why) {
        const better = suggestion(name, format);
        yield {
          at: o.path,
          message: `${o.kind} ${JSON.stringify(name ?? '')} has a metadata.name the API server rejects: ${why}`,
          value: name ?? null,
          expected: FORMATS[format].words,
          ...(better
            ? {
                fix: `Name it "${better}" (or another ${format === 'subdomain' ? 'DNS-1123 subdomain' : format === 'label' ? 'DNS-1123 label' : 'RFC 1035 label'}).`,
              }
            : {}),
        };
      }
      const ns: unknown = o.json.metadata?.namespace;
      if (ns === undefined) continue;
      const nsWhy = nameProblem(ns, 'label');
      if (nsWhy) {
        const better = suggestion(ns, 'label');
        yield {
          at: o.path,
          message: `${o.kind} ${JSON.stringify(name ?? '')} has a metadata.namespace the API server rejects: ${nsWhy}`,
          value: ns,
          expected: FORMATS.label.words,
          ...(better ? { fix: `Use the namespace "${better}" (or another DNS-1123 label).` } : {}),
        };
      }
    }
  },
});
