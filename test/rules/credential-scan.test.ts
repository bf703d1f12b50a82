/**
 * The credential scan (scanText, isCredentialName, the walks of NET-SEC2 and NET-SEC3) skips work it can prove
 * useless. Its findings must stay those of the plain implementation kept below as the reference. The reference runs the
 * same heuristic — the credential words, the reference prefixes, the patterns, the harmless values, the Secret-name
 * test, all imported from credentials.ts — the plain way: every pattern over the whole text, every line through the
 * assignment pattern, every name normalised, a JSON pointer for every value.
 */
import { App } from 'cdk8s';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../constructs/cluster.js';
import { renderObjects } from '../../constructs/output/render.js';
import { CredentialEnvFromSecret } from '../../constructs/rules/hygiene/CredentialEnvFromSecret.js';
import {
  ASSIGNMENT_PATTERN,
  CREDENTIAL_PATTERNS,
  CREDENTIAL_WORDS,
  forEachJson,
  isCredentialName,
  isHarmlessValue,
  namesASecret,
  normaliseName,
  pointerOf,
  REFERENCE_PREFIXES,
  scanText,
} from '../../constructs/rules/hygiene/credentials.js';
import { CredentialsNotRendered } from '../../constructs/rules/hygiene/CredentialsNotRendered.js';
import type { RenderedObject, RuleContext, RuleResult } from '../../constructs/rules/rule.js';
import { buildFleet } from '../../main.js';

// ---- reference: the scan as it was before it learned to skip work ----

/** The walk the rules used before: every value of a JSON tree with its JSON pointer, its key and its parent. */
function* walkJson(value: unknown, pointer = ''): Generator<{ pointer: string; key: string; value: unknown; parent: unknown }> {
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const p = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    yield { pointer: p, key, value: child, parent: value };
    yield* walkJson(child, p);
  }
}

/** isCredentialName without its shortcut: normalise every name, then compare. */
function refIsCredentialName(name: string): boolean {
  const n = normaliseName(name);
  if (!n) return false;
  if (REFERENCE_PREFIXES.some((p) => n.startsWith(p) && n.length > p.length)) return false;
  return CREDENTIAL_WORDS.some((w) => n.endsWith(w));
}

/** The assignment pattern, global for matchAll. */
const REF_ASSIGNMENT = new RegExp(ASSIGNMENT_PATTERN.source, 'g');

function refScanText(text: string): { what: string; line?: number }[] {
  const hits: { what: string; line?: number }[] = [];
  const multiLine = text.includes('\n');
  const seen = new Set<string>();
  const add = (what: string, line?: number) => {
    const key = `${what}\u0000${line ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    hits.push(multiLine && line !== undefined ? { what, line } : { what });
  };
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  for (const p of CREDENTIAL_PATTERNS) {
    const re = new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (!p.accept || p.accept(m)) add(p.what, lineOf(m.index));
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(REF_ASSIGNMENT)) {
      const [, key, , value] = m;
      const name = key.split('.').pop()!;
      if (refIsCredentialName(name) && !isHarmlessValue(value) && !namesASecret(name, value)) add(`a literal value for ${JSON.stringify(key)}`, i + 1);
    }
  });
  return hits;
}

type Ctx = Pick<RuleContext, 'cluster' | 'objects' | 'extraFiles'>;

/** NET-SEC2's check before: walkJson over every object, then every extra file. */
function* refNetSec2({ cluster, objects, extraFiles }: Ctx): Generator<RuleResult> {
  for (const o of objects) {
    const seen = new Set<string>();
    for (const { pointer, key, value, parent } of walkJson(o.json)) {
      if (o.kind === 'Secret' && /^\/(data|stringData)(\/|$)/.test(pointer)) continue;
      const hits: string[] = [];
      if (typeof value === 'string') {
        for (const h of refScanText(value)) hits.push(h.line ? `${h.what} (line ${h.line})` : h.what);
        const isReference = parent !== null && typeof parent === 'object' && !Array.isArray(parent) && 'remoteRef' in parent;
        if (!Array.isArray(parent) && refIsCredentialName(key) && !isHarmlessValue(value) && !namesASecret(key, value) && !isReference)
          hits.push(`a literal value for ${JSON.stringify(key)}`);
      } else if (value !== null && typeof value === 'object' && !Array.isArray(parent) && /tunnelsecret$/i.test(key)) {
        hits.push('Cloudflare tunnel credentials (TunnelSecret)');
      }
      for (const what of hits) {
        const id = `${pointer}\u0000${what}`;
        if (seen.has(id)) continue;
        seen.add(id);
        yield {
          at: o.path,
          message: `${o.kind} ${o.name} carries ${what} at ${pointer}`,
          value: `${o.file}#${pointer}`,
          expected: 'a reference to a Secret, never the credential',
        };
      }
    }
  }
  for (const [file, content] of [...(extraFiles ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const h of refScanText(content)) {
      yield {
        at: cluster,
        message: `clusters/${cluster.clusterName}/${file} carries ${h.what}${h.line ? ` on line ${h.line}` : ''}`,
        value: h.line ? `${file}:${h.line}` : file,
        expected: 'a reference to a credential kept outside Git (a file path on the host, a Secret)',
      };
    }
  }
}

/** NET-SEC3's check before. */
function* refNetSec3({ objects }: Ctx): Generator<RuleResult> {
  for (const o of objects) {
    for (const { pointer, value } of walkJson(o.json)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const entry = value as Record<string, unknown>;
      if (typeof entry.name !== 'string' || typeof entry.value !== 'string' || 'valueFrom' in entry) continue;
      if (!refIsCredentialName(entry.name) || isHarmlessValue(entry.value)) continue;
      yield {
        at: o.path,
        message: `${o.kind} ${o.name} sets ${entry.name} to a literal value at ${pointer}/value`,
        value: `${o.file}#${pointer}/value`,
        expected: `${entry.name} from valueFrom.secretKeyRef or envFrom`,
      };
    }
  }
}

// ---- generated input ----

/**
 * Pieces of text the patterns look for, the characters around them, and runs long enough to complete a token.
 * Credential shapes only form when pieces meet, so this file holds no credential.
 */
const PIECES = [
  'password',
  'PASS_WORD',
  'Passwd',
  'passphrase',
  'pwd',
  'secret',
  'Secret',
  'SECRET',
  'token',
  'TOKEN',
  'api_key',
  'apiKey',
  'key',
  'KEY',
  'tlsSecret',
  'caSecret',
  'clientSecret',
  'existing',
  'use',
  'secretName',
  'ref',
  'a.b.',
  'DB_',
  'x-',
  'K',
  'é',
  'P_ASS',
  'pass-word',
  'P-W_D',
  'SE_CRET',
  'to-ken',
  'K_E-Y',
  'api_k_ey',
  '=',
  ':',
  ' = ',
  ': ',
  ' ',
  '  ',
  '\n',
  '\n',
  '\r',
  '\t',
  '"',
  "'",
  '{',
  '}',
  ',',
  ';',
  '#',
  '.',
  '-',
  '_',
  '/',
  '@',
  '+',
  '~',
  '$',
  '(',
  ')',
  '<',
  '>',
  '[',
  ']',
  '*',
  '://',
  '://u:p@',
  ':p@',
  'https',
  'HTTPS',
  'redis',
  'postgres',
  'host',
  '-----BEGIN ',
  'RSA ',
  'OPENSSH ',
  'PRIVATE KEY-----',
  'TunnelSecret',
  'AccountTag',
  'AKIA',
  'ASIA',
  'aws_secret_access_key',
  'AWS_SECRET_ACCESS_KEY',
  'awsSecretAccessKey',
  'eyJ',
  'eyJhIjoi',
  '.eyJ',
  'Bearer ',
  'Bearer',
  'ghp_',
  'gho_',
  'github_pat_',
  'xoxb-',
  'xoxp-',
  'hooks.slack.com/',
  'services/',
  'workflows/',
  'T00000000/',
  'B00000000/',
  'XXXXXXXX',
  'dp.st.',
  'dp.ct.',
  'sk_live_',
  'rk_live_',
  '${VAR}',
  '$(VAR)',
  '{{ .x }}',
  '<set me>',
  '***',
  'xxxx',
  'true',
  'null',
  '12345',
  'ENC[AES256_GCM,',
  'changeme-in-secret',
  './file',
  '/etc/x',
  'wildcard',
  'wildcard-tls',
  'homelab',
  'grafana',
  'Tr0ub4dor3x',
  'hunter2hunter2',
  'ABCDEFGHIJKLMNOP',
  'Q7RS2TUV',
  'abcdEFGH1234ijkl',
  'mnOP5678',
  'AbC9',
  'zZ09+/',
  '==',
  '0000',
];
/** Runs of the characters tokens are made of, around the lengths the patterns ask for. */
const run = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{0,50}$/),
  fc.stringMatching(/^[A-Za-z0-9_+/=.~-]{0,50}$/),
  fc.stringMatching(/^[A-Z0-9]{14,18}$/),
  fc.stringMatching(/^[A-Z0-9]{16}$/),
  fc.stringMatching(/^[A-Za-z0-9]{30,45}$/),
  fc.stringMatching(/^[TB0X/]{40,46}$/),
);
/** A token start with a run behind it: shapes that come close to a credential, or are one. */
const shaped = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'AKIA',
        'ASIA',
        'ghp_',
        'ghs_',
        'github_pat_',
        'xoxb-',
        'xoxs-',
        'dp.st.',
        'dp.scim.',
        'sk_live_',
        'rk_live_',
        'eyJhIjoi',
        'Bearer ',
        'Bearer\t',
        'hooks.slack.com/services/',
        'https://hooks.slack.com/workflows/',
        'http://hooks.slack.com/triggers/',
        'aws_secret_access_key=',
        'AWS_SECRET_ACCESS_KEY: "',
        'awssecretaccesskey:',
        'TunnelSecret: ',
        '"TunnelSecret":"',
        "'TunnelSecret'='",
        'password=',
        'apiKey: ',
        '"token": "',
        'DB_PASSWORD=',
      ),
      run,
      fc.constantFrom('', ' ', '\n', '"', ',', '_', 'x'),
    )
    .map(([a, b, c]) => a + b + c),
  fc
    .tuple(
      fc.constantFrom('https', 'redis', 'Postgres', 'a+b.c-d', '1x'),
      fc.constantFrom('', 'u', 'user.name'),
      fc.oneof(run, fc.constantFrom('${PW}', 'xxxx', '***', '12345')),
      fc.constantFrom('@host', '@', '/x@h', ' @h'),
    )
    .map(([scheme, user, pass, host]) => `${scheme}://${user}:${pass}${host}`),
  fc
    .tuple(fc.constantFrom('', 'RSA ', 'EC ', 'OPENSSH ', 'rsa ', 'A B '), fc.constantFrom('PRIVATE KEY-----', 'PRIVATE KEY----', 'PUBLIC KEY-----'))
    .map(([words, end]) => `-----BEGIN ${words}${end}`),
  fc.tuple(run, run, run).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`),
);
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 2, arbitrary: shaped },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,44}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);
const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

// ---- the tests ----

describe('scanText', () => {
  it('finds what the reference finds, for any text', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(scanText(t)).toStrictEqual(refScanText(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('finds what the reference finds in lines shaped like config files', () => {
    const line = fc
      .tuple(
        fc.constantFrom('', ' ', '  ', '- ', '{', ',', ';', '"', 'x '),
        fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
        fc.constantFrom(':', '=', ': ', ' = ', '":"', "='", ' :'),
        fc.constantFrom('', '"', "'"),
        fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
        fc.constantFrom('', '"', "'", ',', ';', ' # note', '}'),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n', ' ', ','), (lines, sep) => {
        const t = lines.join(sep);
        expect(scanText(t)).toStrictEqual(refScanText(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same answer as the reference on the edge cases the gates rest on', () => {
    const cases = [
      '',
      '\n',
      ':',
      '=',
      'a=',
      '=b',
      'password',
      'password=',
      'password=hunter2hunter2',
      'x password=hunter2hunter2',
      'k\npassword: "hunter2hunter2"\n',
      'PASS-WORD:hunter2hunter2',
      'a.b.apiKey: hunter2hunter2',
      'password\n=hunter2hunter2',
      'password =\nhunter2hunter2',
      'redis://' + ':Tr0ub4dor3x@redis',
      'x\nhttps://u:' + 'Tr0ub4dor3x@host\ny',
      'AKIA' + 'ABCDEFGHIJKLMNOP',
      'Bearer ' + 'abcdEFGH1234ijklmnOP5678',
      'AccountTag\n'.repeat(3) + 'TunnelSecret',
      'hooks.slack.com/services/' + 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      '\u2028password=hunter2hunter2',
      'a\r\npassword=hunter2hunter2\r\n',
      'password=hunter2hunter2;token=hunter2hunter2,secret=hunter2hunter2',
    ];
    for (const t of cases) expect(scanText(t), JSON.stringify(t)).toStrictEqual(refScanText(t));
  });

  it('keeps no state between calls', () => {
    const t = 'a: 1\npassword: hunter2hunter2\n' + 'ghp_' + 'a'.repeat(36);
    const first = scanText(t);
    scanText('password: ' + 'x'.repeat(3) + 'hunter2\nAKIA' + 'ABCDEFGHIJKLMNOP');
    expect(scanText(t)).toStrictEqual(first);
    expect(first).toStrictEqual(refScanText(t));
  });
});

describe('isCredentialName', () => {
  it('answers as the reference for any name, non-ASCII letters included', () => {
    const name = fc.oneof(
      fc.array(fc.constantFrom(...PIECES, 'K', 'İ', 'ſ', 'Σ', 'ß', 'ﬀ', '\u0130', '0', '9'), { maxLength: 6 }).map((p) => p.join('')),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    fc.assert(
      fc.property(name, (n) => {
        expect(isCredentialName(n), JSON.stringify(n)).toBe(refIsCredentialName(n));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('forEachJson and pointerOf', () => {
  it('visit what walkJson visits, in its order, with its pointers', () => {
    const key = fc.oneof(fc.constantFrom('a', 'b', 'x/y', 'x~1y', '~', '/', '', '0', 'data'), fc.string({ maxLength: 4 }));
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small', maxDepth: 5 },
        fc.constant(null),
        fc.string(),
        fc.integer(),
        fc.array(tie('json'), { maxLength: 3 }),
        fc.dictionary(key, tie('json'), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(json, (value) => {
        const seen: unknown[] = [];
        forEachJson(value, (k, v, parent, keys) => {
          seen.push({ pointer: pointerOf(keys), key: k, value: v, parent });
        });
        expect(seen).toStrictEqual([...walkJson(value)]);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Objects of the example fleet, and each cluster's extra files, as the synthesizer hands them to the rules. */
let fleet: Ctx[] = [];
beforeAll(() => {
  const app = buildFleet(new App());
  fleet = app.node
    .findAll()
    .filter((c): c is Cluster => c instanceof Cluster)
    .map((cluster) => {
      cluster.prepare();
      return { cluster, objects: renderObjects(cluster).objects, extraFiles: cluster.renderExtraFiles() };
    });
});

const results = (check: (ctx: RuleContext) => Iterable<RuleResult>, ctx: Ctx) => [...check(ctx as RuleContext)];

describe('NET-SEC2 and NET-SEC3 report what the reference reports', () => {
  it('on the example fleet', () => {
    expect(fleet.length).toBeGreaterThan(0);
    for (const ctx of fleet) {
      expect(results(CredentialsNotRendered.check, ctx)).toStrictEqual([...refNetSec2(ctx)]);
      expect(results(CredentialEnvFromSecret.check, ctx)).toStrictEqual([...refNetSec3(ctx)]);
    }
  });

  it('on the example fleet with credentials planted in its values', () => {
    const planted = [
      'password: hunter2hunter2',
      'x\ntoken=' + 'Tr0ub4dor3x\n',
      'redis://' + ':Tr0ub4dor3x@redis',
      'AKIA' + 'ABCDEFGHIJKLMNOP',
      'ghp_' + 'a'.repeat(36),
    ];
    for (const ctx of fleet) {
      let n = 0;
      const objects = ctx.objects.map((o) => {
        const json = structuredClone(o.json);
        forEachJson(json, (key, value, parent) => {
          if (typeof value === 'string' && n++ % 7 === 0) (parent as Record<string, unknown>)[key] = `${value} ${planted[n % planted.length]}`;
        });
        return { ...o, json };
      });
      const extraFiles = new Map([...(ctx.extraFiles ?? [])].map(([f, c], i) => [f, `${c}\n${planted[i % planted.length]}\n`]));
      const planted2 = { ...ctx, objects, extraFiles };
      const found = results(CredentialsNotRendered.check, planted2);
      expect(found.length).toBeGreaterThan(0);
      expect(found).toStrictEqual([...refNetSec2(planted2)]);
    }
  });

  it('on generated objects', () => {
    const key = fc.constantFrom(
      'data',
      'stringData',
      'env',
      'name',
      'value',
      'valueFrom',
      'remoteRef',
      'password',
      'API_TOKEN',
      'clientSecret',
      'tlsSecret',
      'tunnelSecret',
      'TunnelSecret',
      'secretName',
      'existingSecret',
      'config.yaml',
      'a/b',
      'x~y',
      '',
      '0',
      'spec',
      'values',
    );
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small', maxDepth: 5 },
        text,
        text,
        fc.constant(null),
        fc.integer(),
        fc.array(tie('json'), { maxLength: 3 }),
        fc.dictionary(key, tie('json'), { maxKeys: 5 }),
        fc.record({ name: fc.constantFrom('DB_PASSWORD', 'API_TOKEN', 'HOME', 'secret'), value: text }, { requiredKeys: ['name'] }),
      ),
    }));
    const object = fc.record({
      kind: fc.constantFrom('Secret', 'ConfigMap', 'Deployment'),
      body: fc.dictionary(key, json, { maxKeys: 5 }),
    });
    const cluster = { clusterName: 'gen' } as unknown as Cluster;
    fc.assert(
      fc.property(
        fc.array(object, { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('edge/a.yaml', 'reports/b.md', 'c'), text, { maxKeys: 3 }),
        (objs, files) => {
          const objects: RenderedObject[] = objs.map((o, i) => ({
            path: `gen/o${i}`,
            file: `f${i}.yaml`,
            apiVersion: 'v1',
            kind: o.kind,
            name: `o${i}`,
            json: { apiVersion: 'v1', kind: o.kind, ...o.body },
          }));
          const ctx: Ctx = { cluster, objects, extraFiles: new Map(Object.entries(files)) };
          expect(results(CredentialsNotRendered.check, ctx)).toStrictEqual([...refNetSec2(ctx)]);
          expect(results(CredentialEnvFromSecret.check, ctx)).toStrictEqual([...refNetSec3(ctx)]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
