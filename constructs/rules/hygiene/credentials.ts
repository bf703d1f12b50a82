/**
 * What a credential looks like in rendered output: the detectors behind NET-SEC2 and NET-SEC3.
 *
 * Detectors never return the credential itself, only what kind of credential was seen and where, so that a
 * finding (printed, and written to reports/review.md) cannot leak what it found.
 */

/** One credential seen in a string, without the credential. */
export interface CredentialHit {
  /** What was seen, e.g. "a PEM private key block". */
  readonly what: string;
  /** 1-based line inside the string, for multi-line text. */
  readonly line?: number;
}

/** Words that, at the end of a key or variable name, say its value is a credential. */
const CREDENTIAL_WORDS = ['password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'apikey', 'privatekey', 'secretkey', 'accesskey', 'secretaccesskey', 'clientsecret', 'authkey'];

/** Prefixes that make a name a reference: `existingSecret`, `useSecret`. */
const REFERENCE_PREFIXES = ['existing', 'use', 'create', 'from', 'mount', 'auto'];

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * True when a key or environment variable name says its value is a credential (`password`, `API_TOKEN`,
 * `clientSecret`, `aws_secret_access_key`) and not a reference to one (`secretName`, `secretKeyRef`,
 * `apiTokenSecretRef`, `existingSecret`, `credentials-file`).
 */
export function isCredentialName(name: string): boolean {
  const n = normalise(name);
  if (!n) return false;
  if (REFERENCE_PREFIXES.some((p) => n.startsWith(p) && n.length > p.length)) return false;
  // `secretName`, `secretKeyRef`, `apiTokenSecretRef`, `passwordFile` end in a reference word and fall through
  return CREDENTIAL_WORDS.some((w) => n.endsWith(w));
}

/**
 * True when a literal value is not itself a credential: empty, a placeholder (`${VAR}`, `$(VAR)`, `<set me>`,
 * `***`), a file path, a boolean or number spelled as text, or an SOPS-encrypted value.
 */
export function isHarmlessValue(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v.length < 4) return true;
  if (/^\$\{[^}]*\}$|^\$\([^)]*\)$|^\{\{.*\}\}$|^<[^>]*>$|^\*+$|^x+$/i.test(v)) return true;
  if (/^(\/|\.\/|~\/)\S*$/.test(v)) return true;
  if (/^(true|false|yes|no|null|none|changeme-in-secret)$/i.test(v) || /^\d+$/.test(v)) return true;
  if (/^ENC\[[A-Z0-9_]+,/.test(v)) return true;
  return false;
}

/** The word before "secret" in keys whose Secret holds a certificate and its key: `tlsSecret`, `CA_SECRET`. */
const CERTIFICATE_SECRET_WORDS = ['tls', 'ssl', 'cert', 'certificate', 'ca', 'keystore', 'truststore'];

/** The word of `name` before its final "secret": `tlsSecret` → `tls`, `TLS_SECRET` → `tls`, `TLSSecret` → `tls`. */
function wordBeforeSecret(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const last = words.pop() ?? '';
  return last === 'secret' ? (words.pop() ?? '') : last.slice(0, -'secret'.length);
}

/**
 * True when a key that ends in "secret" holds the name of a Secret rather than a secret: `tlsSecret: wildcard-tls`,
 * `adminSecret: grafana-admin`, `tlsSecret: wildcard`. A name is a lower-case DNS label; one with a hyphen is read as
 * a name under any such key (generated secrets rarely are), one without only under a key whose Secret holds a
 * certificate (`tlsSecret`, `caSecret`): the secret material there is a PEM key, which the PEM pattern catches, so a
 * lone lower-case word can only be a name. Elsewhere a word without a hyphen may be a weak password
 * (`adminSecret: grafana`) and stays a finding. Keys that always hold the secret itself (`clientSecret`,
 * `TunnelSecret`) never count as references.
 */
export function namesASecret(key: string, value: string): boolean {
  const n = normalise(key);
  if (!n.endsWith('secret') || n.endsWith('clientsecret') || n.endsWith('tunnelsecret')) return false;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) return false;
  if (value.includes('-')) return true;
  return /^[a-z]+$/.test(value) && CERTIFICATE_SECRET_WORDS.includes(wordBeforeSecret(key));
}

interface Pattern {
  readonly what: string;
  readonly re: RegExp;
  /** Further test on the match (group 1 when present). */
  readonly accept?: (m: RegExpExecArray) => boolean;
}

/** Credentials recognisable by their shape wherever they appear. */
const PATTERNS: readonly Pattern[] = [
  { what: 'a PEM private key block', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { what: 'Cloudflare tunnel credentials (TunnelSecret)', re: /["']?TunnelSecret["']?\s*[:=]\s*["']?[A-Za-z0-9+/=]{16,}/ },
  { what: 'Cloudflare tunnel credentials (AccountTag with TunnelSecret)', re: /AccountTag[\s\S]{0,400}TunnelSecret|TunnelSecret[\s\S]{0,400}AccountTag/ },
  { what: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'an AWS secret access key', re: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}\b/i },
  {
    what: 'a URL with user:password@',
    // the user may be empty: `redis://:password@host` is how Redis URLs carry a password
    re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:([^\s/@'"]+)@/i,
    accept: (m) => !isHarmlessValue(m[1]),
  },
  { what: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { what: 'a Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  {
    // whoever holds the URL can post to the channel; the shape is the one gitleaks' slack-webhook-url rule matches
    what: 'a Slack webhook URL',
    re: /\b(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/]{43,})/,
    // Slack's documentation placeholder: T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
    accept: (m) => !/^[TB0X/]+$/.test(m[1]),
  },
  { what: 'a Doppler token', re: /\bdp\.(?:st|pt|ct|sa|scim|audit)\.[A-Za-z0-9_.-]{20,}/ },
  { what: 'a Cloudflare tunnel token', re: /\beyJhIjoi[A-Za-z0-9+/=]{40,}/ },
  { what: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { what: 'a bearer token', re: /\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)/, accept: (m) => !isHarmlessValue(m[1]) },
  { what: 'a Stripe secret key', re: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}/ },
];

/** `password = x`, `API_TOKEN: x`, `"clientSecret": "x"` inside free text (config files, ConfigMap data, edge files). */
const ASSIGNMENT = /(?:^|[\s{,;])["']?([A-Za-z][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(["']?)([^\s"',;}#]+)\2/g;

/** Scan one string (a value or a whole file) for credentials. Every hit at most once per line and kind. */
export function scanText(text: string): CredentialHit[] {
  const hits: CredentialHit[] = [];
  const multiLine = text.includes('\n');
  const seen = new Set<string>();
  const add = (what: string, line?: number) => {
    const key = `${what}\u0000${line ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    hits.push(multiLine && line !== undefined ? { what, line } : { what });
  };
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  for (const p of PATTERNS) {
    const re = new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (!p.accept || p.accept(m)) add(p.what, lineOf(m.index));
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(ASSIGNMENT)) {
      const [, key, , value] = m;
      const name = key.split('.').pop()!;
      if (isCredentialName(name) && !isHarmlessValue(value) && !namesASecret(name, value)) add(`a literal value for ${JSON.stringify(key)}`, i + 1);
    }
  });
  return hits;
}

/** Visit every value of a JSON tree with its JSON pointer, its key and its parent. */
export function* walkJson(value: unknown, pointer = ''): Generator<{ pointer: string; key: string; value: unknown; parent: unknown }> {
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const p = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    yield { pointer: p, key, value: child, parent: value };
    yield* walkJson(child, p);
  }
}
