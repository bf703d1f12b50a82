/**
 * The kinds schema validation knows to have no model must really have none in the installed packages: when a
 * package update brings one, the kind belongs in BUILTIN_MODELS, or its objects go unvalidated.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS, UNMODELED_KINDS } from '../../constructs/schema/models.js';
import { loadModel, modelModule } from '../../constructs/schema/schema.js';

const split = (key: string) => {
  const cut = key.lastIndexOf('/');
  return [key.slice(0, cut), key.slice(cut + 1)] as const;
};

describe('models', () => {
  it.each([...UNMODELED_KINDS])('%s has no model in its package', async (key) => {
    const [apiVersion, kind] = split(key);
    const spec = modelModule(apiVersion, kind);
    expect(spec).toBeDefined();
    const found = await import(spec!).then(
      (m: Record<string, unknown>) => m[kind],
      () => undefined,
    );
    expect(found, `${spec} now exports ${kind}: add it to BUILTIN_MODELS`).toBeUndefined();
    expect(BUILTIN_MODELS.has(key)).toBe(false);
    await expect(loadModel(apiVersion, kind)).resolves.toBeUndefined();
  });

  it.each([...BUILTIN_MODELS.keys()])('%s is the model its package exports', async (key) => {
    const [apiVersion, kind] = split(key);
    const m = (await import(modelModule(apiVersion, kind)!)) as Record<string, unknown>;
    expect(m[kind]).toBe(BUILTIN_MODELS.get(key));
  });
});
