/**
 * Ingress (`networking.k8s.io/v1`, and the older `extensions/v1beta1` and `networking.k8s.io/v1beta1`
 * with `serviceName`/`servicePort`): https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
import { LEAF, type Schema } from '../syntax/schema';
import type { KindSpec } from './kind';

const SERVICE_BACKEND: Schema = {
  keys: {
    // networking.k8s.io/v1
    service: { keys: { name: LEAF, port: { keys: { name: LEAF, number: LEAF } } } },
    // extensions/v1beta1 and networking.k8s.io/v1beta1
    serviceName: LEAF,
    servicePort: LEAF,
  },
};

const INGRESS_READS: Schema = {
  keys: {
    spec: {
      keys: {
        rules: { items: { keys: { host: LEAF, http: { keys: { paths: { items: { keys: { path: LEAF, backend: SERVICE_BACKEND } } } } } } } },
        defaultBackend: SERVICE_BACKEND,
        backend: SERVICE_BACKEND,
      },
    },
  },
};

const docs = 'https://kubernetes.io/docs/concepts/services-networking/ingress/';

export const NETWORKING_KINDS: readonly KindSpec[] = [
  { group: 'networking.k8s.io', kind: 'Ingress', shape: 'ingress', reads: INGRESS_READS, docs },
  { group: 'extensions', kind: 'Ingress', shape: 'ingress', reads: INGRESS_READS, docs },
];
