/**
 * Schema validation records what the validator reads per path of the object instead of as pointer strings. Its
 * problems (kinds, pointers, messages, order) must stay those of the plain recorder kept below as the reference,
 * for the example fleet's objects and for objects with unknown fields planted at every depth, in open fields, and
 * under keys holding `/` that spell a pointer the validator did read.
 */
import { App } from 'cdk8s';
import fc from 'fast-check';
import { types as utilTypes } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../constructs/cluster.js';
import { renderObjects } from '../../constructs/output/render.js';
import { BUILTIN_MODELS } from '../../constructs/schema/models.js';
import { loadModel, OPEN_FIELDS, validateObject, type SchemaProblem } from '../../constructs/schema/schema.js';
import { buildFleet } from '../../main.js';

// ---- reference: every read recorded as a pointer string in one Set ----

type Model = { prototype: { validate(this: unknown): void } };

function refValidate(Model: Model | undefined, obj: { apiVersion: string; kind: string }): SchemaProblem[] {
  if (!Model) return [{ kind: 'unknown-kind', pointer: '', message: `no schema is known for ${obj.apiVersion} ${obj.kind}` }];
  const seen = new Set<string>();
  const open = new Set<string>();
  const problems: SchemaProblem[] = [];
  try {
    Model.prototype.validate.call(refRecord(obj, '', seen, open));
  } catch (e) {
    for (const line of String((e as Error).message ?? e)
      .split('\n')
      .filter(Boolean)) {
      const m = /^data(\/\S*)?\s+(.*)$/.exec(line.trim());
      problems.push({ kind: 'invalid', pointer: m?.[1] ?? '', message: m ? `${m[1] ?? '/'} ${m[2]}` : line.trim() });
    }
  }
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  const patterns = (OPEN_FIELDS[`${group}/${obj.kind}`] ?? []).map(refToRegExp);
  for (const pointer of refUnknownFields(obj, '', seen, open, patterns))
    problems.push({ kind: 'unknown-field', pointer, message: `${obj.kind} has no field ${pointer}` });
  return problems;
}

function refToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((seg) => (seg === '*' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}(/|$)`);
}

function refRecord(value: unknown, path: string, seen: Set<string>, open: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      const p = `${path}/${key}`;
      seen.add(p);
      return v !== null && typeof v === 'object' ? refRecord(v, p, seen, open) : v;
    },
    has(target, key) {
      if (typeof key === 'string') seen.add(`${path}/${key}`);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') seen.add(`${path}/${key}`);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      if (!Array.isArray(target)) open.add(path);
      return Reflect.ownKeys(target);
    },
  });
}

function refUnknownFields(value: unknown, path: string, seen: Set<string>, open: Set<string>, patterns: RegExp[]): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (patterns.some((re) => re.test(path))) return [];
  const out: string[] = [];
  const isArray = Array.isArray(value);
  for (const [key, child] of Object.entries(value)) {
    const p = `${path}/${key}`;
    if (patterns.some((re) => re.test(p))) continue;
    if (!isArray && !open.has(path) && !seen.has(p)) {
      out.push(p);
      continue;
    }
    out.push(...refUnknownFields(child, p, seen, open, patterns));
  }
  return out;
}

type Obj = { apiVersion: string; kind: string; [key: string]: unknown };

async function expectSame(obj: Obj): Promise<SchemaProblem[]> {
  const expected = refValidate(await loadModel(obj.apiVersion, obj.kind), obj);
  const actual = await validateObject(obj);
  expect(actual, `${obj.apiVersion} ${obj.kind} ${JSON.stringify(obj).slice(0, 300)}`).toStrictEqual(expected);
  return actual;
}

/** Every object (not array) inside `value`, with the keys leading to it; the root first. */
function objectsIn(value: unknown, keys: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  const out = Array.isArray(value) ? [] : [keys];
  for (const [k, child] of Object.entries(value)) out.push(...objectsIn(child, [...keys, k]));
  return out;
}

function at(value: unknown, keys: readonly string[]): Record<string, unknown> {
  return keys.reduce((v, k) => (v as Record<string, unknown>)[k], value) as Record<string, unknown>;
}

/** Set an own property, even one named like an inherited one. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

let objects: Obj[] = [];
beforeAll(() => {
  const app = buildFleet(new App());
  for (const cluster of app.node.findAll().filter((c): c is Cluster => c instanceof Cluster)) {
    cluster.prepare();
    objects.push(...renderObjects(cluster).objects.map((o) => o.json as Obj));
  }
  objects = objects.map((o) => structuredClone(o));
});

describe('schema validation gives the reference problems', () => {
  it('on every object of the example fleet', async () => {
    expect(objects.length).toBeGreaterThan(50);
    for (const o of objects) await expectSame(o);
  });

  it('with an unknown field planted in every object of every fleet object, at every depth', async () => {
    let reported = 0;
    for (const o of objects) {
      for (const keys of objectsIn(o)) {
        for (const [key, value] of [
          ['bogusField', 'x'],
          ['nested', { deeper: [1, { a: 'b' }] }],
        ] as const) {
          const copy = structuredClone(o);
          put(at(copy, keys), key, structuredClone(value));
          reported += (await expectSame(copy)).filter((p) => p.kind === 'unknown-field').length;
        }
      }
    }
    expect(reported).toBeGreaterThan(500);
  });

  it('with keys holding "/" that spell a pointer the validator read, or one of a listed map', async () => {
    let differs = 0;
    for (const o of objects) {
      for (const keys of objectsIn(o)) {
        const target = at(o, keys);
        const names = Object.keys(target);
        // "a/b" beside "a" spells the pointer of a.b; "a/zz" spells an unread one
        for (const key of names.flatMap((n) => [`${n}/name`, `${n}/0`, `${n}/zz`, `${n}/`, `/${n}`])) {
          const copy = structuredClone(o);
          put(at(copy, keys), key, 'x');
          const problems = await expectSame(copy);
          if (!problems.some((p) => p.pointer === `/${[...keys, key].join('/')}`)) differs++;
        }
      }
    }
    // some of these keys are taken for fields that were read: the case recording per path alone would get wrong
    expect(differs).toBeGreaterThan(0);
  });

  it('with fields planted in and beside open fields', async () => {
    const kinds = objects.filter((o) => ['HelmRelease', 'Application', 'Kustomization'].includes(o.kind));
    expect(kinds.map((o) => o.kind)).toEqual(expect.arrayContaining(['HelmRelease', 'Kustomization']));
    const plant = (o: Obj, path: string[], key: string) => {
      const copy = structuredClone(o);
      let v: Record<string, unknown> = copy;
      for (const k of path) {
        if (v[k] === null || typeof v[k] !== 'object') v[k] = /^\d+$/.test(path[path.indexOf(k) + 1] ?? '') ? [] : {};
        v = v[k] as Record<string, unknown>;
      }
      put(v, key, { free: ['form', { x: 1 }] });
      return copy;
    };
    const places: [string[], string][] = [
      [['spec', 'values'], 'anything'],
      [['spec', 'values', 'deep', 'er'], 'x'],
      [['spec'], 'values2'],
      [['spec'], 'valuesX'],
      [['spec', 'source', 'helm', 'valuesObject'], 'free'],
      [['spec', 'source', 'helm'], 'valuesObjectX'],
      [['spec', 'sources', '0', 'helm', 'valuesObject'], 'free'],
      [['spec', 'sources', '0', 'helm'], 'bogus'],
      [['spec', 'patches', '0', 'target'], 'free'],
      [['spec', 'patches', '0'], 'bogus'],
      [[], 'spec/values'],
      [['spec'], 'values/x'],
    ];
    for (const o of kinds) for (const [path, key] of places) await expectSame(plant(o, path, key));
  });

  it('for an object met at two places, kinds no package models, and values the validator rejects', async () => {
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const shared = structuredClone(deployment) as Record<string, any>;
    const labels = { app: 'x', bogus: 'y' };
    shared.metadata.labels = labels;
    shared.spec.template.metadata.labels = labels;
    shared.spec.selector = { matchLabels: labels, extra: labels };
    await expectSame(shared as Obj);
    await expectSame({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { a: 1 } });
    await expectSame({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 }, spec: {} } as Obj);
    await expectSame({ ...structuredClone(deployment), spec: { replicas: 'three', selector: 7, template: [] } });
  });

  it('for objects of the fleet changed at random', async () => {
    const key = fc.oneof(
      fc.constantFrom(
        'name',
        'labels',
        'spec',
        'metadata',
        'ports',
        'port',
        '0',
        '1',
        'a/b',
        'metadata/name',
        'spec/template',
        'x~y',
        '',
        'length',
        'constructor',
        'toString',
        'hasOwnProperty',
        'values',
        'bogus',
      ),
      fc.string({ maxLength: 5 }),
    );
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small', maxDepth: 3 },
        fc.constant(null),
        fc.string({ maxLength: 4 }),
        fc.integer(),
        fc.boolean(),
        fc.array(tie('json'), { maxLength: 3 }),
        fc.dictionary(key, tie('json'), { maxKeys: 3 }),
      ),
    }));
    const change = fc.record({ place: fc.nat(), key, value: json, replace: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(change, { minLength: 1, maxLength: 4 }), async (which, changes) => {
        const copy = structuredClone(objects[which % objects.length]);
        for (const { place, key: k, value, replace } of changes) {
          const places = objectsIn(copy);
          const target = at(copy, places[place % places.length]);
          const existing = Object.keys(target).filter((e) => target !== copy || (e !== 'apiVersion' && e !== 'kind'));
          put(target, replace && existing.length > 0 ? existing[place % existing.length] : k, value);
        }
        await expectSame(copy);
      }),
      { numRuns: 500 },
    );
  });

  it('for any way a validator reads an object', async () => {
    // A stand-in model whose validator reads what a generated program says, the ways a validator can: property
    // reads (repeated, absent, through keys holding "/"), `in`, listing keys (for...in, Object.keys, Reflect.ownKeys),
    // JSON.stringify, and an error in the validators' `data/pointer message` form.
    const models = BUILTIN_MODELS as Map<string, Model>;
    const key = fc.constantFrom('a', 'b', 'c', 'a/b', 'b/c', 'a/b/c', '0', '1', '', '/', 'length', 'constructor', 'toString');
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small', maxDepth: 4 },
        fc.constant(null),
        fc.string({ maxLength: 3 }),
        fc.integer(),
        fc.array(tie('json'), { maxLength: 3 }),
        fc.dictionary(key, tie('json'), { maxKeys: 4 }),
      ),
    }));
    const step = fc.record({
      path: fc.array(key, { maxLength: 4 }),
      op: fc.constantFrom('get', 'get', 'has', 'descriptor', 'forIn', 'keys', 'ownKeys', 'stringify', 'none'),
    });
    const program = fc.record({
      steps: fc.array(step, { maxLength: 8 }),
      error: fc.option(fc.constantFrom('data/a must be string', 'data must have required property b\ndata/a/b/0 must be integer', 'broken'), {
        nil: undefined,
      }),
    });
    const run = (self: unknown, { steps, error }: { steps: { path: string[]; op: string }[]; error?: string }) => {
      for (const { path, op } of steps) {
        let v = self as Record<string, unknown>;
        for (const k of path) {
          if (v === null || typeof v !== 'object') break;
          v = v[k] as Record<string, unknown>;
        }
        if (v === null || typeof v !== 'object') continue;
        const last = path[path.length - 1] ?? 'a';
        if (op === 'get') void v[last];
        else if (op === 'has') void (last in v);
        else if (op === 'descriptor') Object.getOwnPropertyDescriptor(v, last);
        else if (op === 'forIn') for (const k in v) void k;
        else if (op === 'keys') Object.keys(v);
        else if (op === 'ownKeys') Reflect.ownKeys(v);
        else if (op === 'stringify') JSON.stringify(v);
      }
      if (error) throw new Error(error);
    };
    const probe = async (body: Record<string, unknown>, prog: Parameters<typeof run>[1]) => {
      models.set('test.netkit.dev/v1/Probe', {
        prototype: {
          validate(this: unknown) {
            run(this, prog);
          },
        },
      });
      return expectSame({ ...body, apiVersion: 'test.netkit.dev/v1', kind: 'Probe' });
    };
    try {
      // paths spelt alike: the listed map a.b covers the fields of the key "a/b", a read of a.b.c the key "a/b/c"
      const alike = { a: { b: { c: 1 } }, 'a/b': { zz: 1 }, 'a/b/c': 2, 'a/x': 3 };
      expect(
        await probe(alike, {
          steps: [
            { path: ['a', 'b'], op: 'forIn' },
            { path: ['apiVersion'], op: 'get' },
            { path: ['kind'], op: 'get' },
          ],
        }),
      ).toStrictEqual([{ kind: 'unknown-field', pointer: '/a/x', message: 'Probe has no field /a/x' }]);
      expect(await probe(alike, { steps: [{ path: ['a', 'b', 'c'], op: 'get' }] })).toHaveLength(4);
      await fc.assert(
        fc.asyncProperty(fc.dictionary(key, json, { maxKeys: 5 }), program, async (body, prog) => {
          await probe(body, prog);
        }),
        { numRuns: 3000 },
      );
    } finally {
      models.delete('test.netkit.dev/v1/Probe');
    }
  });
});

describe('what the proxies teach about a kind', () => {
  // A model with a fixed schema: spec.ports[] of {port, name}, spec.labels a map, spec.mode a string. It reads the
  // way ajv's code does, and records whether it was handed a recording proxy.
  const models = BUILTIN_MODELS as Map<string, Model>;
  const proxied: boolean[] = [];
  const model: Model = {
    prototype: {
      validate(this: any) {
        proxied.push(utilTypes.isProxy(this));
        void this.apiVersion;
        void this.kind;
        void this.metadata;
        const spec = this.spec;
        if (spec === undefined) return;
        if (typeof spec !== 'object' || spec === null) throw new Error('data/spec must be object');
        void spec.mode;
        for (const p of spec.ports ?? []) {
          if (typeof p.port !== 'number') throw new Error('data/spec/ports/0/port must be integer');
          void p.name;
        }
        if (spec.labels) for (const k in spec.labels) void k;
      },
    },
  };
  const probe = (spec: unknown) => validateObject({ apiVersion: 'learn.netkit.dev/v1', kind: 'Shape', spec } as Obj);

  it('lets an object whose fields are all known skip the proxies, and sends any other through them', async () => {
    models.set('learn.netkit.dev/v1/Shape', model);
    try {
      expect(await probe({ mode: 'a', ports: [{ port: 1, name: 'x' }], labels: { app: 'x' } })).toEqual([]);
      expect(proxied.splice(0)).toEqual([true]);
      // more items, other map keys, fields left out: known at their places
      expect(await probe({ ports: [{ port: 2 }, { port: 3, name: 'y' }], labels: { other: 'y', more: 'z' } })).toEqual([]);
      expect(proxied.splice(0)).toEqual([false]);
      // a field never read at its place goes through the proxies, which report it
      expect(await probe({ ports: [{ port: 2, nmae: 'typo' }] })).toEqual([
        { kind: 'unknown-field', pointer: '/spec/ports/0/nmae', message: 'Shape has no field /spec/ports/0/nmae' },
      ]);
      expect(proxied.splice(0)).toEqual([true]);
      // `name` was read inside the items of ports, not beside them: still unknown in spec
      expect(await probe({ name: 'x', ports: [] })).toEqual([{ kind: 'unknown-field', pointer: '/spec/name', message: 'Shape has no field /spec/name' }]);
      expect(proxied.splice(0)).toEqual([true]);
      // an object below where no object of the kind had one before: nothing known there, so the proxies look
      expect(await probe({ mode: { deep: 1 } })).toEqual([
        { kind: 'unknown-field', pointer: '/spec/mode/deep', message: 'Shape has no field /spec/mode/deep' },
      ]);
      expect(proxied.splice(0)).toEqual([true]);
      // an unknown field stays unknown however often it is met: nothing learnt it
      expect(await probe({ ports: [{ port: 2, nmae: 'typo' }] })).toHaveLength(1);
      expect(proxied.splice(0)).toEqual([true]);
      // a rejected object is reported by the proxied run, exactly as the reference reports it
      const rejected = { apiVersion: 'learn.netkit.dev/v1', kind: 'Shape', spec: { ports: [{ port: 'one', bogus: 1 }] } } as Obj;
      expect(await validateObject(rejected)).toStrictEqual(refValidate(model, rejected));
      expect((await validateObject(rejected)).map((p) => p.kind)).toEqual(['invalid', 'unknown-field']);
      proxied.splice(0);
      // a rejected object teaches nothing: the validator may have stopped before reading every field
      models.set('learn.netkit.dev/v1/Shape', {
        prototype: {
          validate(this: any) {
            proxied.push(utilTypes.isProxy(this));
            if (this.spec?.stop) throw new Error('data/spec/stop must be false');
            model.prototype.validate.call(this);
            proxied.pop();
          },
        },
      });
      expect(await probe({ mode: 'x' })).toEqual([]);
      expect((await probe({ stop: true, mode: 'x' }))[0].kind).toBe('invalid');
      // had the rejected run taught, spec would have been read two ways and no longer be trusted
      expect(await probe({ mode: 'y' })).toEqual([]);
      // learnt, then the rejected one (its fields were known: the plain validator first, then the proxies), then known
      expect(proxied.splice(0)).toEqual([true, false, true, false]);
      // what one model taught is not another's: a new model of the kind starts from nothing
      models.set('learn.netkit.dev/v1/Shape', {
        prototype: {
          validate(this: unknown) {
            model.prototype.validate.call(this);
          },
        },
      });
      expect(await probe({ mode: 'a' })).toEqual([]);
      expect(proxied.splice(0)).toEqual([true]);
    } finally {
      models.delete('learn.netkit.dev/v1/Shape');
    }
  });

  it('stops trusting a place where two accepted objects were read differently', async () => {
    // not a structural schema: which key is read depends on a value, as anyOf or if/then could make it
    const branching: Model = {
      prototype: {
        validate(this: any) {
          proxied.push(utilTypes.isProxy(this));
          void this.apiVersion;
          void this.kind;
          void this.metadata;
          const spec = this.spec;
          if (spec?.type === 'A') void spec.a;
          else if (spec) void spec.b;
        },
      },
    };
    models.set('learn.netkit.dev/v1/Shape', branching);
    try {
      const unknownB = [{ kind: 'unknown-field', pointer: '/spec/b', message: 'Shape has no field /spec/b' }];
      expect(await probe({ type: 'A', a: 1 })).toEqual([]);
      expect(await probe({ type: 'B', b: 1 })).toEqual([]);
      // spec was read as {type, a} once and {type, b} once: b on an A goes through the proxies, which report it
      expect(await probe({ type: 'A', b: 1 })).toEqual(unknownB);
      expect(await probe({ type: 'A', a: 1 })).toEqual([]);
      expect(proxied.splice(0)).toEqual([true, true, true, true]);
    } finally {
      models.delete('learn.netkit.dev/v1/Shape');
    }
  });
});
