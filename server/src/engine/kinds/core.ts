/**
 * Core-group kinds (`v1`): Service, Pod, ReplicationController, Endpoints.
 * - Service: https://kubernetes.io/docs/concepts/services-networking/service/
 * - Pod templates: https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates
 * - ReplicationController (`spec.selector` is a plain label map):
 *   https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/
 * - Endpoints: https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/
 */
import { ANY, LEAF, type Schema } from '../syntax/schema';
import type { KindSpec } from './kind';

const SERVICE_PORT: Schema = { keys: { name: LEAF, port: LEAF, targetPort: LEAF, protocol: LEAF, nodePort: LEAF }, recordSkipped: true };

const ENDPOINT_ADDRESS: Schema = { keys: { ip: LEAF } };
const ENDPOINT_PORT: Schema = { keys: { name: LEAF, port: LEAF, protocol: LEAF } };

export const CORE_KINDS: readonly KindSpec[] = [
  {
    group: '',
    kind: 'Service',
    shape: 'service',
    reads: {
      keys: {
        spec: {
          keys: {
            type: LEAF,
            clusterIP: LEAF,
            externalName: LEAF,
            ports: { items: SERVICE_PORT },
            externalTrafficPolicy: LEAF,
            internalTrafficPolicy: LEAF,
            sessionAffinity: LEAF,
            publishNotReadyAddresses: LEAF,
            selector: ANY,
          },
        },
      },
    },
    docs: 'https://kubernetes.io/docs/concepts/services-networking/service/',
  },
  {
    group: '',
    kind: 'Pod',
    shape: 'workload',
    templates: [{ path: [] }],
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/',
  },
  {
    group: '',
    kind: 'ReplicationController',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    selector: 'map',
    docs: 'https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/',
  },
  {
    group: '',
    kind: 'Endpoints',
    shape: 'endpoints',
    reads: {
      keys: {
        subsets: {
          items: {
            keys: {
              addresses: { items: ENDPOINT_ADDRESS },
              notReadyAddresses: { items: ENDPOINT_ADDRESS },
              ports: { items: ENDPOINT_PORT },
            },
          },
        },
      },
    },
    docs: 'https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/',
  },
];

/** EndpointSlice (`discovery.k8s.io`): https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/ */
export const DISCOVERY_KINDS: readonly KindSpec[] = [
  {
    group: 'discovery.k8s.io',
    kind: 'EndpointSlice',
    shape: 'endpointSlice',
    reads: {
      keys: {
        endpoints: { items: { keys: { addresses: { items: LEAF }, conditions: { keys: { ready: LEAF } } } } },
        ports: { items: ENDPOINT_PORT },
      },
    },
    docs: 'https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/',
  },
];
