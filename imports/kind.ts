/**
 * Typed L1 ApiObjects for CRD kinds, built on the interfaces of the `@kubernetes-models/*` packages.
 *
 * The models give the spec's TypeScript type (compile time) and the kind's validator (synth time, see
 * constructs/schema). This base class only joins them to cdk8s' `ApiObject`.
 */
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/** The props of a typed ApiObject: the model minus the type meta and status, with cdk8s metadata. */
export type KindProps<T> = Omit<T, 'apiVersion' | 'kind' | 'metadata' | 'status'> & { readonly metadata: ApiObjectMetadata };

export interface GroupVersionKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/** Base of every typed L1 class in imports/. */
export abstract class TypedApiObject<T> extends ApiObject {
  protected constructor(scope: Construct, id: string, gvk: GroupVersionKind, props: KindProps<T>) {
    super(scope, id, { ...gvk, ...(props as object) } as never);
  }
}
