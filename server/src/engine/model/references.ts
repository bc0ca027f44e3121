/**
 * References by name from one object to another, indexed generically so that hovers, navigation
 * and rules find "who points at this Service" without knowing each kind:
 * - an Ingress backend names a Service of the Ingress's namespace
 *   (https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource);
 * - a StatefulSet's `serviceName` names the headless Service that gives its Pods DNS names
 *   (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id);
 * - an Argo Rollout's `workloadRef` names the Deployment whose template it uses;
 * - a Gateway API route's `backendRefs` name Services (of the route's namespace unless `namespace`
 *   says otherwise) and its `parentRefs` name Gateways (https://gateway-api.sigs.k8s.io/reference/spec/#backendref).
 * Monitors refer by selector, not by name: `referredNamespaces` says which namespaces a referring
 * object reads, so that a change there re-evaluates it.
 */
import { ruleBackendRefs, type KubeObject } from './objects';
import type { Span } from '../types';

export type ReferenceRole = 'ingress-backend' | 'statefulset-service' | 'workload-ref' | 'route-backend' | 'route-parent';

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
    case 'route': {
      const out: NameReference[] = [];
      for (const parent of object.parents) {
        out.push({ from: object, role: 'route-parent', targetKind: parent.kind, namespace: parent.namespace ?? object.namespace, name: parent.name, span: parent.span });
      }
      for (const rule of object.rules) {
        for (const backend of ruleBackendRefs(rule)) {
          if (backend.group !== '') continue;
          out.push({ from: object, role: 'route-backend', targetKind: backend.kind, namespace: backend.namespace?.value ?? object.namespace, name: backend.name, span: backend.span });
        }
      }
      return out;
    }
    default:
      return NONE;
  }
}

/** Whether a StatefulSet (built-in, or a drop-in such as OpenKruise's) names its governing Service. */
export function hasServiceName(object: KubeObject): boolean {
  return object.shape === 'template' && object.kind === 'StatefulSet' && object.serviceName !== undefined && object.serviceName.value !== '';
}

/**
 * The namespaces whose Services, Pod templates and ReferenceGrants decide the findings of an object
 * that refers to others (`all` for a monitor with `namespaceSelector.any`), or undefined for an
 * object that refers to nothing the reference rules check.
 */
export function referredNamespaces(object: KubeObject): readonly string[] | 'all' | undefined {
  switch (object.shape) {
    case 'ingress':
      return object.backends.length > 0 ? [object.namespace] : undefined;
    case 'route': {
      const namespaces = new Set<string>([object.namespace]);
      for (const rule of object.rules) for (const backend of ruleBackendRefs(rule)) if (backend.namespace) namespaces.add(backend.namespace.value);
      return [...namespaces];
    }
    case 'monitor':
      if (object.anyNamespace) return 'all';
      return object.namespaceNames.length > 0 ? object.namespaceNames : [object.namespace];
    case 'template':
      return hasServiceName(object) ? [object.namespace] : undefined;
    // Endpoints pair their ports with their Service's by name (rules/endpoints-port-unmatched.ts).
    case 'endpoints':
      return [object.namespace];
    default:
      return undefined;
  }
}
