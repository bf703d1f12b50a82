/**
 * objectJson() must give what cdk8s' own ApiObject.toJson() gives — the same JSON, or the same error — for the fleet's
 * objects and for any props: Lazy values, values with resolve(), IntOrString-like instances, null and undefined at
 * every depth, holes in arrays, class instances cdk8s refuses, and the cases it leaves to cdk8s (custom resolvers,
 * JSON patches, CDK8S_DISABLE_SORT).
 */
import { ApiObject, App, Chart, JsonPatch, Lazy, type IResolver, type ResolutionContext } from 'cdk8s';
import { Construct } from 'constructs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cluster } from '../../constructs/cluster.js';
import { objectJson } from '../../constructs/core/to-json.js';
import { buildFleet } from '../../main.js';

/** What cdk8s gives: its JSON, or its error message. */
function cdk8s(obj: ApiObject): unknown {
  try {
    return { json: ApiObject.prototype.toJson.call(obj) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** How many times objectJson handed an object to cdk8s. */
let handedOver = 0;

function ours(obj: ApiObject): unknown {
  const spy = vi.spyOn(ApiObject.prototype, 'toJson');
  try {
    return { json: objectJson(obj) };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    if (spy.mock.calls.length > 0) handedOver++;
    spy.mockRestore();
  }
}

/** Same result, and the same key order at every depth (toStrictEqual does not compare key order). */
function expectSame(obj: ApiObject): void {
  const expected = cdk8s(obj);
  const actual = ours(obj);
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

class IntOrString {
  constructor(public readonly value: number | string) {}
}
class Opaque {
  constructor(public readonly x = 1) {}
}

const key = fc.constantFrom('a', 'b', 'B', 'Z', '_', '10', '2', 'value', 'resolve', 'name', 'ä', 'spec', '');
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constant(null),
    fc.constant(undefined),
    fc.string({ maxLength: 4 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(tie('value'), { maxLength: 3 }).map((a) => {
      const holey = [...a];
      holey.length += 2; // holes at the end
      return holey;
    }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    tie('value').map((v) => Lazy.any({ produce: () => v })),
    tie('value').map((v) => ({ resolve: () => v })),
    fc.oneof(fc.integer(), fc.string({ maxLength: 3 })).map((v) => new IntOrString(v)),
    fc.constant(new Opaque()),
    fc.constant(Object.create(null)),
    fc.constant(() => 1),
  ),
}));

describe('objectJson gives what ApiObject.toJson() gives', () => {
  afterEach(() => {
    delete process.env.CDK8S_DISABLE_SORT;
  });

  it('for every object of the example fleet', () => {
    const app = buildFleet(new App());
    handedOver = 0;
    let n = 0;
    for (const cluster of app.node.findAll().filter((c): c is Cluster => c instanceof Cluster)) {
      cluster.prepare();
      for (const obj of cluster.apiObjects) {
        expectSame(obj);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
    // none of them needed cdk8s' path
    expect(handedOver).toBe(0);
  });

  it('for any props and metadata', () => {
    handedOver = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.dictionary(key, value, { maxKeys: 3 }), value, (props, extraMeta, labelValue) => {
        const chart = new Chart(new App(), 'c');
        const obj = new ApiObject(chart, 'o', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          ...props,
          metadata: { name: 'x', labels: { app: labelValue as string }, ...extraMeta },
        } as never);
        expectSame(obj);
      }),
      { numRuns: 2000 },
    );
    // most generated props are done without cdk8s, some (class instances, functions) are not
    expect(handedOver).toBeGreaterThan(100);
    expect(handedOver).toBeLessThan(1900);
  });

  it('by handing to cdk8s what it cannot be sure to do the same way', () => {
    const upper: IResolver = {
      resolve(context: ResolutionContext) {
        if (typeof context.value === 'string' && context.value !== context.value.toUpperCase()) context.replaceValue(context.value.toUpperCase());
      },
    };
    const withResolver = new ApiObject(new Chart(new App({ resolvers: [upper] }), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'low' } });
    expectSame(withResolver);
    expect(objectJson(withResolver).data.a).toBe('LOW');

    // resolvers added to an App after objects were rendered count for the next object
    const later = new App();
    const first = new ApiObject(new Chart(later, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'low' } });
    expect(objectJson(first).data.a).toBe('low');
    later.resolvers.unshift(upper);
    expectSame(first);
    expect(objectJson(first).data.a).toBe('LOW');

    // an object outside an App: cdk8s' own error, with the object's path
    const orphan = new ApiObject(new Chart(new Construct(undefined as never, 'root'), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
    expectSame(orphan);
    expect(ours(orphan)).toEqual({ error: expect.stringContaining("Failed serializing construct at path 'root/c/o'") });

    const patched = new ApiObject(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'x' } });
    patched.addJsonPatch(JsonPatch.add('/data/b', 'y'));
    expectSame(patched);
    expect(objectJson(patched).data).toEqual({ a: 'x', b: 'y' });

    process.env.CDK8S_DISABLE_SORT = '1';
    const unsorted = new ApiObject(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { b: '1', a: '2' } });
    expectSame(unsorted);
    expect(Object.keys(objectJson(unsorted).data)).toEqual(['b', 'a']);
    delete process.env.CDK8S_DISABLE_SORT;

    class Custom extends ApiObject {
      public override toJson(): any {
        return { custom: true };
      }
    }
    expect(objectJson(new Custom(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap' }))).toEqual({ custom: true });

    const failing = new ApiObject(new Chart(new App(), 'c'), 'o', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: Lazy.any({
        produce: () => {
          throw new Error('boom');
        },
      }),
    });
    expectSame(failing);
    expect(ours(failing)).toEqual({ error: expect.stringContaining('boom') });
  });
});
