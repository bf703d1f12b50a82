/**
 * Values produced at synth time, typed as the value they stand for.
 *
 * The typed props of the L1 classes (imports/) take plain values; cdk8s' `Lazy.any` returns an `IResolvable`, which
 * cdk8s resolves to the produced value when the object is rendered. `lazy` states that once, here, so a construct
 * passes a lazily produced list or map to a typed prop and the compiler still checks what it produces.
 */
import { Lazy } from 'cdk8s';

/**
 * A value `produce` computes when the tree is rendered (so `add*` calls made after construction count), typed as
 * what it produces.
 *
 * @example `spec: { listeners: lazy(() => this.listeners()) }`
 */
export function lazy<T>(produce: () => T): T {
  return Lazy.any({ produce }) as unknown as T;
}
