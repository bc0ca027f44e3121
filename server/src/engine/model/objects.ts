/**
 * The facts the rules read, narrowed from the pruned YAML tree. Everything is readonly data with
 * spans into the file text; raw YAML shapes never leave narrow.ts.
 */
import type { Span } from '../types';

export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

/** One `key: value` of a label map or selector. */
export interface LabelPair {
  readonly key: string;
  readonly value: string;
  readonly keySpan: Span;
  /** From the key to the end of the value: where a finding about the pair points. */
  readonly span: Span;
}

interface ObjectBase {
  readonly fileId: string;
  /** Position of the object in its file (document index, then item index of a List). */
  readonly order: number;
  readonly apiVersion: string;
  readonly name: string;
  /** The `metadata.name` value, or the `kind` value when the object has no name. */
  readonly nameSpan: Span;
  /** Effective namespace: `metadata.namespace`, else the configured default. */
  readonly namespace: string;
  /** Whether `metadata.namespace` is written (else the default namespace applies). */
  readonly explicitNamespace: boolean;
  readonly span: Span;
  /** Rule ids disabled by the object's `service-lens/disable` annotation. */
  readonly disabledRules: ReadonlySet<string>;
}

export interface ServicePortFact {
  readonly index: number;
  /** The port item: from its first key to the end of its last value. */
  readonly span: Span;
  readonly name: Located<string> | undefined;
  readonly port: Located<number> | undefined;
  /** As written; absent when not given. Numbers stay numbers, strings stay strings (`"8080"` is a name). */
  readonly targetPort: Located<number | string> | undefined;
  /** Effective protocol (defaults to TCP) and where it is written, if it is. */
  readonly protocol: string;
  readonly protocolSpan: Span | undefined;
  readonly nodePort: Located<number> | undefined;
}

export interface ServiceObject extends ObjectBase {
  readonly kind: 'Service';
  /** Effective type (defaults to ClusterIP). */
  readonly type: string;
  readonly typeSpan: Span | undefined;
  readonly clusterIP: string | undefined;
  readonly externalName: string | undefined;
  /** Null when absent or empty: a selectorless Service. */
  readonly selector: readonly LabelPair[] | null;
  /** The `selector` key. */
  readonly selectorSpan: Span | undefined;
  readonly ports: readonly ServicePortFact[];
  readonly externalTrafficPolicy: string | undefined;
  readonly internalTrafficPolicy: string | undefined;
  readonly sessionAffinity: string | undefined;
  readonly publishNotReadyAddresses: boolean;
}

export interface ContainerPortFact {
  readonly name: string | undefined;
  readonly containerPort: number | undefined;
  readonly protocol: string;
  readonly span: Span;
}

export interface ContainerFact {
  readonly name: string;
  readonly init: boolean;
  /** An init container with `restartPolicy: Always` (a sidecar): it runs beside the app and serves ports. */
  readonly restartable: boolean;
  readonly ports: readonly ContainerPortFact[];
  /** Names of the variables the container sets itself (`env[].name`). */
  readonly env: readonly Located<string>[];
  readonly readinessProbe: boolean;
}

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorExpression {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
  readonly span: Span;
}

/** `spec.selector` of a Deployment, ReplicaSet, StatefulSet or DaemonSet (a LabelSelector). */
export interface WorkloadSelector {
  readonly span: Span;
  readonly matchLabels: readonly LabelPair[];
  readonly matchExpressions: readonly SelectorExpression[];
}

/** A Pod template: a bare Pod, or the template of a workload. */
export interface PodTemplate extends ObjectBase {
  /** The owning object's kind: Pod, Deployment, CronJob, … */
  readonly kind: string;
  readonly labels: readonly LabelPair[];
  readonly labelMap: ReadonlyMap<string, string>;
  /** The `labels` key of the template metadata (or of the Pod). */
  readonly labelsSpan: Span | undefined;
  readonly containers: readonly ContainerFact[];
  readonly workloadSelector: WorkloadSelector | undefined;
  /** `spec.replicas` of a workload (undefined when not written). */
  readonly replicas: number | undefined;
  /** `spec.serviceName` of a StatefulSet: the headless Service that gives its Pods DNS names. */
  readonly serviceName: string | undefined;
  readonly hostname: string | undefined;
  readonly subdomain: string | undefined;
  /** `enableServiceLinks` of the Pod spec; Kubernetes defaults it to true. */
  readonly enableServiceLinks: boolean;
}

export interface EndpointAddress {
  readonly ip: string;
  readonly ready: boolean;
  readonly span: Span;
}

export interface EndpointPort {
  readonly name: string | undefined;
  readonly port: number | undefined;
  readonly protocol: string;
}

/** An Endpoints object, or an EndpointSlice labelled with the Service it serves. */
export interface EndpointsObject extends ObjectBase {
  readonly kind: 'Endpoints' | 'EndpointSlice';
  /** The Service these endpoints belong to. */
  readonly serviceName: string;
  readonly addresses: readonly EndpointAddress[];
  readonly ports: readonly EndpointPort[];
}

/** One Ingress rule path (or default backend) that sends traffic to a Service port. */
export interface IngressBackend {
  /** `*` when the rule has no host. */
  readonly host: string;
  /** `/` when absent; `(default backend)` for the default backend. */
  readonly path: string;
  readonly serviceName: string;
  /** The Service port, by name or by number (either may be missing in a broken manifest). */
  readonly portName: string | undefined;
  readonly portNumber: number | undefined;
  /** The backend's service name value. */
  readonly span: Span;
}

export interface IngressObject extends ObjectBase {
  readonly kind: 'Ingress';
  readonly backends: readonly IngressBackend[];
}

export type KubeObject = ServiceObject | PodTemplate | EndpointsObject | IngressObject;

export function isService(object: KubeObject): object is ServiceObject {
  return object.kind === 'Service';
}

export function isEndpoints(object: KubeObject): object is EndpointsObject {
  return object.kind === 'Endpoints' || object.kind === 'EndpointSlice';
}

export function isIngress(object: KubeObject): object is IngressObject {
  return object.kind === 'Ingress';
}

export function isTemplate(object: KubeObject): object is PodTemplate {
  return !isService(object) && !isEndpoints(object) && !isIngress(object);
}

export function objectLabel(object: { readonly kind: string; readonly name: string }): string {
  return `${object.kind}/${object.name}`;
}
