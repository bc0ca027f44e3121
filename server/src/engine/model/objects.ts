/**
 * The objects the rules read, in two layers:
 * - **facts**: what one document says, narrowed from its pruned YAML tree (narrow.ts). Plain,
 *   JSON-serialisable data that depends on the file's text alone, never on settings or on other
 *   files: the namespace is the one written (or none).
 * - **instances**: facts placed in a scope (instances.ts): the file they belong to, the effective
 *   namespace, and a label map for matching. Links, rules and reports work on instances.
 * Spans are offsets into the object's file, unless a span names another file (`Span.fileId`).
 */
import type { MisspeltField } from './misspeltFields';
import type { ControllerLabel } from '../kinds/kind';
import type { Span } from '../types';

export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

/** How a label value was written: Kubernetes label values are strings; anything else is rejected by the API server. */
export type ScalarType = 'string' | 'number' | 'boolean' | 'null';

/** One `key: value` of a label map or selector. */
export interface LabelPair {
  readonly key: string;
  /** The value as text (`2` for a number, `true` for a boolean, `` for null). */
  readonly value: string;
  /** The YAML type of the value as kubectl reads it (YAML 1.1). */
  readonly valueType: ScalarType;
  readonly keySpan: Span;
  /** The value, or the end of the key when there is none. */
  readonly valueSpan: Span;
  /** From the key to the end of the value: where a finding about the pair points. */
  readonly span: Span;
}

/** Objects a document may hold in `order` (see `FactsBase.order`). */
export const ORDER_PER_DOCUMENT = 65536;

/** The index (0-based) of the document of its file an object was read from. */
export function documentIndexOf(object: { readonly order: number }): number {
  return Math.floor(object.order / ORDER_PER_DOCUMENT);
}

interface FactsBase {
  /** Position of the object in its file (document index × `ORDER_PER_DOCUMENT`, plus item or template index). */
  readonly order: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The `metadata.name` value, or the `kind` value when the object has no name. */
  readonly nameSpan: Span;
  /** The `name` key of `metadata` (where a fix adds `namespace:` beside it). */
  readonly nameKeySpan: Span | undefined;
  /** `metadata.namespace` as written; undefined when absent (then the scope's default applies). */
  readonly writtenNamespace: string | undefined;
  /** The `metadata.namespace` value, when written. */
  readonly namespaceSpan: Span | undefined;
  readonly span: Span;
  /** Rule ids disabled by the object's `service-lens/disable` annotation. */
  readonly disabledRules: readonly string[];
  /** `metadata.labels` of a Service itself (read for Services only; empty for other objects: monitors select Services by them). */
  readonly objectLabels: readonly LabelPair[];
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

export interface ServiceFacts extends FactsBase {
  readonly shape: 'service';
  /** Keys of the spec and its ports that look like misspelt fields (model/misspeltFields.ts). */
  readonly misspeltFields: readonly MisspeltField[];
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
  /**
   * `containerPort` as written when it is there but no YAML number (a quoted `"8080"`, a name,
   * `true`; `{…}` or `[…]` for a collection), with the value's span. Absent for a number and for
   * no value at all (`containerPort` missing or empty: both `containerPort` and this are undefined).
   */
  readonly containerPortText: Located<string> | undefined;
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

export interface SelectorExpression {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
  readonly span: Span;
}

/** `spec.selector` of a workload: a LabelSelector, or a plain map (ReplicationController, DeploymentConfig). */
export interface WorkloadSelector {
  readonly span: Span;
  readonly matchLabels: readonly LabelPair[];
  readonly matchExpressions: readonly SelectorExpression[];
}

/** A reference by name from a workload to another object (Argo Rollouts `spec.workloadRef`). */
export interface WorkloadReference {
  readonly kind: string;
  readonly name: string;
  readonly span: Span;
}

/** A Pod template: a bare Pod, or one template of a workload. */
export interface TemplateFacts extends FactsBase {
  readonly shape: 'template';
  /**
   * Keys that look like misspelt fields in the template's metadata, Pod spec, containers and their
   * ports, and (with the first template of a built-in workload) the workload's spec and selector.
   */
  readonly misspeltFields: readonly MisspeltField[];
  /** Names the template when its workload has several (`leader`, `worker`, a JobSet replicated job). */
  readonly role: string | undefined;
  /** The kind is not declared: its `spec.template` is assumed to be a Pod template. */
  readonly assumed: boolean;
  readonly labels: readonly LabelPair[];
  /** Labels the workload's controller adds to every Pod it creates from this template. */
  readonly controllerLabels: readonly ControllerLabel[];
  /** The `labels` key of the template metadata (or of the Pod). */
  readonly labelsSpan: Span | undefined;
  readonly containers: readonly ContainerFact[];
  readonly workloadSelector: WorkloadSelector | undefined;
  /** `spec.replicas` of a workload (undefined when not written). */
  readonly replicas: number | undefined;
  /** `spec.serviceName` of a StatefulSet: the headless Service that gives its Pods DNS names. */
  readonly serviceName: Located<string> | undefined;
  readonly hostname: string | undefined;
  readonly subdomain: string | undefined;
  /** `enableServiceLinks` of the Pod spec; Kubernetes defaults it to true. */
  readonly enableServiceLinks: boolean;
  /** A workload whose Pods come from another object's template (Rollout `workloadRef`). */
  readonly workloadRef: WorkloadReference | undefined;
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
export interface EndpointsFacts extends FactsBase {
  readonly shape: 'endpoints';
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
  /** The backend's port value, when written. */
  readonly portSpan: Span | undefined;
}

export interface IngressFacts extends FactsBase {
  readonly shape: 'ingress';
  readonly backends: readonly IngressBackend[];
}

/** A Gateway API `backendRefs[]` item of a route rule. */
export interface RouteBackend {
  /** `group`, defaulting to `""` (the core group). */
  readonly group: string;
  /** `kind`, defaulting to `Service`. */
  readonly kind: string;
  readonly name: string;
  /** `namespace` as written; undefined means the route's own namespace. */
  readonly namespace: Located<string> | undefined;
  /** The port number on the Service (not the target port); required for a Service backend. */
  readonly port: Located<number> | undefined;
  /** The `name` value. */
  readonly span: Span;
  /** The backendRef item. */
  readonly itemSpan: Span;
}

/** One rule of a route: what it matches, and where it sends traffic. */
export interface RouteRule {
  readonly index: number;
  /** Match descriptions: `PathPrefix /api`, `Exact /login`, `method shop.Cart/Add`; empty when the rule matches everything. */
  readonly matches: readonly string[];
  readonly backends: readonly RouteBackend[];
  /**
   * The backendRefs of its `RequestMirror` filters (the rule's own and its backendRefs'): they get
   * a copy of each request, not its traffic.
   */
  readonly mirrors: readonly RouteBackend[];
}

/** Every backendRef of a route rule that may name a Service: its backends, then its mirrors. */
export function ruleBackendRefs(rule: RouteRule): readonly RouteBackend[] {
  return rule.mirrors.length === 0 ? rule.backends : [...rule.backends, ...rule.mirrors];
}

/** A `parentRefs[]` item of a route: the Gateway (usually) it attaches to. */
export interface ParentReference {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly sectionName: string | undefined;
  readonly span: Span;
}

/** A Gateway API route (`HTTPRoute`, `GRPCRoute`, `TCPRoute`, `TLSRoute`, `UDPRoute`). */
export interface RouteFacts extends FactsBase {
  readonly shape: 'route';
  readonly parents: readonly ParentReference[];
  readonly hostnames: readonly string[];
  readonly rules: readonly RouteRule[];
}

export interface GatewayListener {
  readonly name: string;
  readonly hostname: string | undefined;
  readonly port: number | undefined;
  readonly protocol: string | undefined;
  readonly span: Span;
}

/** A Gateway API `Gateway`. */
export interface GatewayFacts extends FactsBase {
  readonly shape: 'gateway';
  readonly gatewayClassName: string | undefined;
  readonly listeners: readonly GatewayListener[];
}

/** A Gateway API `ReferenceGrant`: who (`from`) may refer to what (`to`) in its namespace. */
export interface ReferenceGrantFacts extends FactsBase {
  readonly shape: 'referenceGrant';
  readonly from: readonly { readonly group: string; readonly kind: string; readonly namespace: string }[];
  /** `name` undefined: every object of the group and kind. */
  readonly to: readonly { readonly group: string; readonly kind: string; readonly name: string | undefined }[];
}

/** A scrape endpoint of a monitor: `endpoints[]` of a ServiceMonitor, `podMetricsEndpoints[]` of a PodMonitor. */
export interface MonitorEndpoint {
  /** `port`: a Service port name (ServiceMonitor) or a container port name (PodMonitor). */
  readonly port: Located<string> | undefined;
  readonly path: string | undefined;
  readonly span: Span;
}

/** A prometheus-operator `ServiceMonitor` (selects Services) or `PodMonitor` (selects Pods). */
export interface MonitorFacts extends FactsBase {
  readonly shape: 'monitor';
  readonly selects: 'Service' | 'Pod';
  /** `spec.selector`; undefined when absent. An empty selector selects every object of its namespaces. */
  readonly selector: WorkloadSelector | undefined;
  /** `namespaceSelector.any: true` */
  readonly anyNamespace: boolean;
  /** `namespaceSelector.matchNames`; empty: the monitor's own namespace. */
  readonly namespaceNames: readonly string[];
  readonly endpoints: readonly MonitorEndpoint[];
}

/** An object of a custom API group that is no workload: it may own Pods an operator makes. */
export interface ResourceFacts extends FactsBase {
  readonly shape: 'resource';
  /** The API group of its `apiVersion` (`postgresql.cnpg.io`). */
  readonly group: string;
  /**
   * Every label of the Pods its operator makes, for a kind that declares them
   * (`KindSpec.operatorPodLabels`: prometheus-operator's Prometheus, Alertmanager, …); empty for
   * any other custom resource, whose Pods are known by the naming heuristic alone.
   */
  readonly podLabels: readonly ControllerLabel[];
}

export type ObjectFacts =
  | ServiceFacts
  | TemplateFacts
  | EndpointsFacts
  | IngressFacts
  | ResourceFacts
  | RouteFacts
  | GatewayFacts
  | ReferenceGrantFacts
  | MonitorFacts;

/** What placing facts in a scope adds. */
export interface Placement {
  /** The file the object belongs to (findings without a span of another file land here). */
  readonly fileId: string;
  /** The scope the object was placed in (a workspace folder, a kustomize overlay, a chart). */
  readonly scopeId: string;
  /** Effective namespace: the written one, else the scope's default. */
  readonly namespace: string;
  /** Whether the namespace is written (else the default namespace applies). */
  readonly explicitNamespace: boolean;
}

export type ServiceObject = ServiceFacts & Placement;
export type EndpointsObject = EndpointsFacts & Placement;
export type IngressObject = IngressFacts & Placement;
export type ResourceObject = ResourceFacts & Placement;
export type RouteObject = RouteFacts & Placement;
export type GatewayObject = GatewayFacts & Placement;
export type ReferenceGrantObject = ReferenceGrantFacts & Placement;
export type MonitorObject = MonitorFacts & Placement;
export type PodTemplate = TemplateFacts &
  Placement & {
    /** The template's own labels by key. */
    readonly labelMap: ReadonlyMap<string, string>;
  };

export type KubeObject =
  | ServiceObject
  | PodTemplate
  | EndpointsObject
  | IngressObject
  | ResourceObject
  | RouteObject
  | GatewayObject
  | ReferenceGrantObject
  | MonitorObject;

export function isService(object: KubeObject): object is ServiceObject {
  return object.shape === 'service';
}

export function isEndpoints(object: KubeObject): object is EndpointsObject {
  return object.shape === 'endpoints';
}

export function isIngress(object: KubeObject): object is IngressObject {
  return object.shape === 'ingress';
}

export function isTemplate(object: KubeObject): object is PodTemplate {
  return object.shape === 'template';
}

export function isResource(object: KubeObject): object is ResourceObject {
  return object.shape === 'resource';
}

/** `Kind/name`, with the template's role when its workload has several: `LeaderWorkerSet/lws (worker)`. */
export function objectLabel(object: { readonly kind: string; readonly name: string; readonly role?: string | undefined }): string {
  return object.role === undefined ? `${object.kind}/${object.name}` : `${object.kind}/${object.name} (${object.role})`;
}

/** Where a span of an object is: its own file unless the span names another. */
export function locate(object: { readonly fileId: string }, span: Span): { readonly fileId: string; readonly span: Span } {
  return { fileId: span.fileId ?? object.fileId, span };
}
