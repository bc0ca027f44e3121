/**
 * Gateway API (`gateway.networking.k8s.io`, every served version: v1, v1beta1, v1alpha2):
 * https://gateway-api.sigs.k8s.io/reference/spec/
 * - Routes (`HTTPRoute`, `GRPCRoute`, `TCPRoute`, `TLSRoute`, `UDPRoute`) attach to Gateways through
 *   `spec.parentRefs` and send traffic to `spec.rules[].backendRefs[]`; a backendRef is a Service
 *   (group `""`, kind `Service`) unless it says otherwise:
 *   https://gateway-api.sigs.k8s.io/reference/spec/#backendref
 * - An HTTPRoute or GRPCRoute filter of type `RequestMirror` (on a rule, or on one of its
 *   backendRefs) sends a copy of each request to `requestMirror.backendRef`, a reference with the
 *   same rules (a Service needs its `port`; another namespace needs a ReferenceGrant):
 *   https://gateway-api.sigs.k8s.io/reference/spec/#httprequestmirrorfilter
 * - A `Gateway` has `spec.listeners[]` (name, hostname, port, protocol):
 *   https://gateway-api.sigs.k8s.io/api-types/gateway/
 * - A `ReferenceGrant` in a namespace lets objects of the kinds and namespaces in `spec.from` refer
 *   to objects of the kinds (and names) in `spec.to` of that namespace:
 *   https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 */
import { LEAF, type Schema } from '../syntax/schema';
import type { KindSpec } from './kind';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

const BACKEND_REF: Schema = { keys: { group: LEAF, kind: LEAF, name: LEAF, namespace: LEAF, port: LEAF } };

/** A route filter: only a `RequestMirror`'s backendRef is read. */
const FILTERS: Schema = { items: { keys: { type: LEAF, requestMirror: { keys: { backendRef: BACKEND_REF } } } } };

const ROUTE_READS: Schema = {
  keys: {
    spec: {
      keys: {
        parentRefs: { items: { keys: { group: LEAF, kind: LEAF, name: LEAF, namespace: LEAF, sectionName: LEAF, port: LEAF } } },
        hostnames: { items: LEAF },
        rules: {
          items: {
            keys: {
              matches: { items: { keys: { path: { keys: { type: LEAF, value: LEAF } }, method: { keys: { service: LEAF, method: LEAF } } } } },
              backendRefs: { items: { keys: { ...BACKEND_REF.keys, filters: FILTERS } } },
              filters: FILTERS,
            },
          },
        },
      },
    },
  },
};

const GATEWAY_READS: Schema = {
  keys: {
    spec: {
      keys: {
        gatewayClassName: LEAF,
        listeners: { items: { keys: { name: LEAF, hostname: LEAF, port: LEAF, protocol: LEAF } } },
      },
    },
  },
};

const GRANT_READS: Schema = {
  keys: {
    spec: {
      keys: {
        from: { items: { keys: { group: LEAF, kind: LEAF, namespace: LEAF } } },
        to: { items: { keys: { group: LEAF, kind: LEAF, name: LEAF } } },
      },
    },
  },
};

/** The route kinds whose `backendRefs` may name Services. */
export const ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

const docs = 'https://gateway-api.sigs.k8s.io/reference/spec/';

export const GATEWAY_KINDS: readonly KindSpec[] = [
  ...ROUTE_KINDS.map((kind): KindSpec => ({ group: GATEWAY_GROUP, kind, shape: 'route', reads: ROUTE_READS, docs })),
  { group: GATEWAY_GROUP, kind: 'Gateway', shape: 'gateway', reads: GATEWAY_READS, docs: 'https://gateway-api.sigs.k8s.io/api-types/gateway/' },
  { group: GATEWAY_GROUP, kind: 'ReferenceGrant', shape: 'referenceGrant', reads: GRANT_READS, docs: 'https://gateway-api.sigs.k8s.io/api-types/referencegrant/' },
];
