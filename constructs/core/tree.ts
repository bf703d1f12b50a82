/**
 * Walking a construct tree. The rules ask for the constructs of a cluster many times over (every `constructsOf`,
 * every `apiObjects`); while they run the tree cannot change, so the synthesizer lists it once for all of them.
 */
import type { IConstruct } from 'constructs';

const listed = new WeakMap<IConstruct, IConstruct[]>();

/** Every construct below `scope`, `scope` first, in `node.findAll()` order. */
export function descendants(scope: IConstruct): IConstruct[] {
  return listed.get(scope) ?? scope.node.findAll();
}

/** Run `fn` with the constructs below `scope` listed once: for checks that read the tree and never add to it. */
export function withTreeListed<T>(scope: IConstruct, fn: () => T): T {
  if (listed.has(scope)) return fn();
  listed.set(scope, scope.node.findAll());
  try {
    return fn();
  } finally {
    listed.delete(scope);
  }
}
