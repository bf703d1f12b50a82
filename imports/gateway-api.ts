import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { ITLSRoute as ITLSRouteV1 } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/TLSRoute';
import type { IReferenceGrant } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant';
import type { ITCPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TCPRoute';
import type { ITLSRoute as ITLSRouteV1Alpha2 } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TLSRoute';
import type { Construct } from 'constructs';
import { TypedApiObject, type GroupVersionKind, type KindProps } from './kind.js';

/** Gateway API `Gateway` (gateway.networking.k8s.io/v1). */
export class Gateway extends TypedApiObject<IGateway> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' };
  public constructor(scope: Construct, id: string, props: KindProps<IGateway>) {
    super(scope, id, Gateway.GVK, props);
  }
}
/** Gateway API `HTTPRoute` (gateway.networking.k8s.io/v1). */
export class HttpRoute extends TypedApiObject<IHTTPRoute> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' };
  public constructor(scope: Construct, id: string, props: KindProps<IHTTPRoute>) {
    super(scope, id, HttpRoute.GVK, props);
  }
}
/** Gateway API `ReferenceGrant` (gateway.networking.k8s.io/v1beta1, served by every supported release). */
export class ReferenceGrant extends TypedApiObject<IReferenceGrant> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant' };
  public constructor(scope: Construct, id: string, props: KindProps<IReferenceGrant>) {
    super(scope, id, ReferenceGrant.GVK, props);
  }
}
/** Gateway API `TLSRoute` v1alpha2 (experimental channel up to Gateway API v1.4). */
export class TlsRouteV1Alpha2 extends TypedApiObject<ITLSRouteV1Alpha2> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute' };
  public constructor(scope: Construct, id: string, props: KindProps<ITLSRouteV1Alpha2>) {
    super(scope, id, TlsRouteV1Alpha2.GVK, props);
  }
}
/** Gateway API `TLSRoute` v1 (Gateway API v1.5 and later). */
export class TlsRouteV1 extends TypedApiObject<ITLSRouteV1> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute' };
  public constructor(scope: Construct, id: string, props: KindProps<ITLSRouteV1>) {
    super(scope, id, TlsRouteV1.GVK, props);
  }
}
/** Gateway API `TCPRoute` (gateway.networking.k8s.io/v1alpha2, experimental channel). */
export class TcpRoute extends TypedApiObject<ITCPRoute> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute' };
  public constructor(scope: Construct, id: string, props: KindProps<ITCPRoute>) {
    super(scope, id, TcpRoute.GVK, props);
  }
}
/**
 * Gateway API `TCPRoute` v1 (standard channel from Gateway API v1.6; the spec is the v1alpha2 one, unchanged:
 * gateway-api#4842). No typed model ships for it yet, so it is written unchecked by the local schema rules
 * (NET-SCH3) and checked by the upstream CRD in conformance.
 */
export class TcpRouteV1 extends TypedApiObject<ITCPRoute> {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TCPRoute' };
  public constructor(scope: Construct, id: string, props: KindProps<ITCPRoute>) {
    super(scope, id, TcpRouteV1.GVK, props);
  }
}
