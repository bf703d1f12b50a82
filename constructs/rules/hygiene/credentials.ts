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
export const CREDENTIAL_WORDS: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
  'secretaccesskey',
  'clientsecret',
  'authkey',
];

/** Prefixes that make a name a reference: `existingSecret`, `useSecret`. */
export const REFERENCE_PREFIXES: readonly string[] = ['existing', 'use', 'create', 'from', 'mount', 'auto'];

/** A name as the credential words are matched against it: lower case, letters and digits only. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Last letters of {@link CREDENTIAL_WORDS}: a normalised name ending in none of them is no credential name. */
const CREDENTIAL_ENDINGS = new Set(CREDENTIAL_WORDS.map((w) => w.charCodeAt(w.length - 1)));

/**
 * The last character of `normaliseName(name)` as a char code, 0 when it is empty, or -1 when a non-ASCII character
 * is met first (its lower case may be an ASCII letter, so only normaliseName() can tell).
 */
function lastNormalisedChar(name: string): number {
  for (let i = name.length - 1; i >= 0; i--) {
    const c = name.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return c;
    if (c >= 65 && c <= 90) return c + 32;
    if (c >= 128) return -1;
  }
  return 0;
}

/**
 * True when a key or environment variable name says its value is a credential (`password`, `API_TOKEN`,
 * `clientSecret`, `aws_secret_access_key`) and not a reference to one (`secretName`, `secretKeyRef`,
 * `apiTokenSecretRef`, `existingSecret`, `credentials-file`).
 */
export function isCredentialName(name: string): boolean {
  // most names end in a letter no credential word ends in: answer those without normalising
  const last = lastNormalisedChar(name);
  if (last === 0 || (last > 0 && !CREDENTIAL_ENDINGS.has(last))) return false;
  const n = normaliseName(name);
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
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
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
  const n = normaliseName(key);
  if (!n.endsWith('secret') || n.endsWith('clientsecret') || n.endsWith('tunnelsecret')) return false;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) return false;
  if (value.includes('-')) return true;
  return /^[a-z]+$/.test(value) && CERTIFICATE_SECRET_WORDS.includes(wordBeforeSecret(key));
}

/** A credential recognisable by its shape. */
export interface CredentialPattern {
  readonly what: string;
  readonly re: RegExp;
  /** Every match of `re` holds one of these: a text without any of them skips the pattern. */
  readonly needs: readonly string[];
  /** Further test on the match (group 1 when present). */
  readonly accept?: (m: RegExpExecArray) => boolean;
}

/** Credentials recognisable by their shape wherever they appear. */
export const CREDENTIAL_PATTERNS: readonly CredentialPattern[] = [
  { what: 'a PEM private key block', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/, needs: ['-----BEGIN '] },
  { what: 'Cloudflare tunnel credentials (TunnelSecret)', re: /["']?TunnelSecret["']?\s*[:=]\s*["']?[A-Za-z0-9+/=]{16,}/, needs: ['TunnelSecret'] },
  {
    what: 'Cloudflare tunnel credentials (AccountTag with TunnelSecret)',
    re: /AccountTag[\s\S]{0,400}TunnelSecret|TunnelSecret[\s\S]{0,400}AccountTag/,
    needs: ['TunnelSecret'],
  },
  { what: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, needs: ['AKIA', 'ASIA'] },
  { what: 'an AWS secret access key', re: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}\b/i, needs: [':', '='] },
  {
    what: 'a URL with user:password@',
    // the user may be empty: `redis://:password@host` is how Redis URLs carry a password
    re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:([^\s/@'"]+)@/i,
    needs: ['://'],
    accept: (m) => !isHarmlessValue(m[1]),
  },
  { what: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/, needs: ['gh', 'github_pat_'] },
  { what: 'a Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, needs: ['xox'] },
  {
    // whoever holds the URL can post to the channel; the shape is the one gitleaks' slack-webhook-url rule matches
    what: 'a Slack webhook URL',
    re: /\b(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/]{43,})/,
    needs: ['hooks.slack.com/'],
    // Slack's documentation placeholder: T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
    accept: (m) => !/^[TB0X/]+$/.test(m[1]),
  },
  { what: 'a Doppler token', re: /\bdp\.(?:st|pt|ct|sa|scim|audit)\.[A-Za-z0-9_.-]{20,}/, needs: ['dp.'] },
  { what: 'a Cloudflare tunnel token', re: /\beyJhIjoi[A-Za-z0-9+/=]{40,}/, needs: ['eyJhIjoi'] },
  { what: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, needs: ['.eyJ'] },
  { what: 'a bearer token', re: /\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)/, needs: ['Bearer'], accept: (m) => !isHarmlessValue(m[1]) },
  { what: 'a Stripe secret key', re: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}/, needs: ['_live_'] },
];

/** The patterns as global expressions, compiled once; scanText resets `lastIndex` before each use. */
const SCANNERS = CREDENTIAL_PATTERNS.map((p) => ({ ...p, re: new RegExp(p.re.source, `${p.re.flags}g`) }));

/**
 * `password = x`, `API_TOKEN: x`, `"clientSecret": "x"` inside free text (config files, ConfigMap data, edge files),
 * line by line: group 1 is the key, group 3 the value.
 */
export const ASSIGNMENT_PATTERN = /(?:^|[\s{,;])["']?([A-Za-z][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(["']?)([^\s"',;}#]+)\2/;

/** {@link ASSIGNMENT_PATTERN} for exec loops; scanText resets `lastIndex` before each use. */
const ASSIGNMENT = new RegExp(ASSIGNMENT_PATTERN.source, 'g');

/** A part of every credential word: `pass` (password, passwd, passphrase), `pwd`, `secret`, `token`, `key` (apikey, ...). */
const CREDENTIAL_STEMS = ['pass', 'pwd', 'secret', 'token', 'key'];
if (!CREDENTIAL_WORDS.every((w) => CREDENTIAL_STEMS.some((s) => w.includes(s)))) throw new Error('a credential word holds none of CREDENTIAL_STEMS');

/**
 * Finds the lines where ASSIGNMENT may report something. A reported key ends in a credential word, so it holds a stem;
 * between letters of the key that normaliseName() keeps there can only be `_` or `-` (a dot ends the name), and the case
 * does not count.
 */
const CREDENTIAL_WORD = new RegExp(CREDENTIAL_STEMS.map((w) => [...w].join('[_-]*')).join('|'), 'gi');

/** What ASSIGNMENT needs: a text or line without either has no assignment. */
const ASSIGNMENT_NEEDS = [':', '='];

/** Matches every text that holds something one of the patterns or ASSIGNMENT needs; a text it misses has no hit. */
const MAY_HOLD_CREDENTIAL = new RegExp(
  [...new Set([...ASSIGNMENT_NEEDS, ...CREDENTIAL_PATTERNS.flatMap((p) => p.needs)])].map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'),
);

function holdsAny(text: string, needs: readonly string[]): boolean {
  for (const n of needs) if (text.includes(n)) return true;
  return false;
}

/** The hits of one text, each kind at most once per line. */
class Hits {
  readonly list: CredentialHit[] = [];
  private readonly multiLine: boolean;
  private readonly seen = new Set<string>();
  /** Positions of the line breaks, found when a line number is first needed. */
  private breaks?: number[];

  constructor(private readonly text: string) {
    this.multiLine = text.includes('\n');
  }

  /** Record `what`, seen at `index` of the text. */
  add(what: string, index: number): void {
    const line = this.lineOf(index);
    const key = `${what}\u0000${line}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(this.multiLine ? { what, line } : { what });
  }

  /** 1-based line of a position: one more than the line breaks before it. */
  private lineOf(index: number): number {
    if (!this.multiLine) return 1;
    const text = this.text;
    let breaks = this.breaks;
    if (!breaks) {
      breaks = this.breaks = [];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks.push(i);
    }
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid] < index) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }
}

/** Scan one string (a value or a whole file) for credentials. Every hit at most once per line and kind. */
export function scanText(text: string): CredentialHit[] {
  if (!MAY_HOLD_CREDENTIAL.test(text)) return [];
  const hits = new Hits(text);
  for (const p of SCANNERS) {
    if (!holdsAny(text, p.needs)) continue;
    const re = p.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (!p.accept || p.accept(m)) hits.add(p.what, m.index);
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  if (holdsAny(text, ASSIGNMENT_NEEDS)) {
    // only the lines that spell a credential word, each once
    const words = CREDENTIAL_WORD;
    words.lastIndex = 0;
    for (let w = words.exec(text); w; w = words.exec(text)) {
      const start = text.lastIndexOf('\n', w.index) + 1;
      const next = text.indexOf('\n', w.index);
      const end = next === -1 ? text.length : next;
      words.lastIndex = end + 1;
      const line = start === 0 && end === text.length ? text : text.slice(start, end);
      if (!holdsAny(line, ASSIGNMENT_NEEDS)) continue;
      ASSIGNMENT.lastIndex = 0;
      for (let m = ASSIGNMENT.exec(line); m; m = ASSIGNMENT.exec(line)) {
        const key = m[1];
        const value = m[3];
        const name = key.slice(key.lastIndexOf('.') + 1);
        if (isCredentialName(name) && !isHarmlessValue(value) && !namesASecret(name, value)) hits.add(`a literal value for ${JSON.stringify(key)}`, start);
      }
    }
  }
  return hits.list;
}

/**
 * Call `visit` for every value of a JSON tree, each before its children, keys in object order, without building pointers:
 * `keys` is the path to the value (one array, changed as the walk goes on; pass it to {@link pointerOf} when a
 * pointer is needed). When `visit` returns false, the value's children are not visited.
 */
export function forEachJson(root: unknown, visit: (key: string, value: unknown, parent: object, keys: readonly string[]) => boolean | void): void {
  visitChildren(root, visit, []);
}

function visitChildren(node: unknown, visit: (key: string, value: unknown, parent: object, keys: readonly string[]) => boolean | void, keys: string[]): void {
  if (node === null || typeof node !== 'object') return;
  for (const key of Object.keys(node)) {
    const child = (node as Record<string, unknown>)[key];
    keys.push(key);
    if (visit(key, child, node, keys) !== false) visitChildren(child, visit, keys);
    keys.pop();
  }
}

/** One key as a JSON pointer token (RFC 6901): `~` is written `~0`, `/` is written `~1`. */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The JSON pointer of a path of keys. */
export function pointerOf(keys: readonly string[]): string {
  let p = '';
  for (const key of keys) p += `/${pointerToken(key)}`;
  return p;
}
