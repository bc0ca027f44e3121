/**
 * References by name from one object to another, indexed generically so that hovers, navigation
 * and rules find "who points at this Service" without knowing each kind:
 * - an Ingress backend names a Service of the Ingress's namespace
 *   (https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource);
 * - a StatefulSet's `serviceName` names the headless Service that gives its Pods DNS names
 *   (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id);
 * - an Argo Rollout's `workloadRef` names the Deployment whose template it uses.
 */
import type { KubeObject } from './objects';
import type { Span } from '../types';

export type ReferenceRole = 'ingress-backend' | 'statefulset-service' | 'workload-ref';

export interface NameReference {
  readonly from: KubeObject;
  readonly role: ReferenceRole;
  readonly targetKind: string;
  readonly namespace: string;
  readonly name: string;
  /** The name value in the referring object. */
  readonly span: Span;
}

const NONE: readonly NameReference[] = [];

export function referencesOf(object: KubeObject): readonly NameReference[] {
  switch (object.shape) {
    case 'ingress':
      return object.backends.map((backend) => ({
        from: object,
        role: 'ingress-backend',
        targetKind: 'Service',
        namespace: object.namespace,
        name: backend.serviceName,
        span: backend.span,
      }));
    case 'template': {
      if (!object.serviceName && !object.workloadRef) return NONE;
      const out: NameReference[] = [];
      if (object.serviceName) {
        out.push({ from: object, role: 'statefulset-service', targetKind: 'Service', namespace: object.namespace, name: object.serviceName.value, span: object.serviceName.span });
      }
      if (object.workloadRef) {
        out.push({ from: object, role: 'workload-ref', targetKind: object.workloadRef.kind, namespace: object.namespace, name: object.workloadRef.name, span: object.workloadRef.span });
      }
      return out;
    }
    default:
      return NONE;
  }
}
