/**
 * What the cursor is on, in terms of the model: a selector pair, a template label, a named
 * targetPort, a container port, a Service name or port, a reference by name to a Service, the port
 * of an Ingress or route backend, a monitor's selector pair or endpoint port. Navigation,
 * references and rename start from here. Offsets are UTF-16 offsets into the file.
 */
import type { Snapshot } from '../analysis/snapshot';
import type { NameReference } from '../model/references';
import { referencesOf } from '../model/references';
import {
  isService,
  isTemplate,
  ruleBackendRefs,
  type ContainerPortFact,
  type IngressObject,
  type KubeObject,
  type LabelPair,
  type Located,
  type MonitorObject,
  type PodTemplate,
  type RouteObject,
  type ServiceObject,
  type ServicePortFact,
} from '../model/objects';
import type { FileSpan, Span } from '../types';

/** Which part of a `key: value` pair the cursor is on. */
export type PairPart = 'key' | 'value';

export type CursorTarget =
  | { readonly kind: 'selector-pair'; readonly service: ServiceObject; readonly pair: LabelPair; readonly part: PairPart }
  | { readonly kind: 'template-label'; readonly template: PodTemplate; readonly pair: LabelPair; readonly part: PairPart }
  | { readonly kind: 'match-label'; readonly template: PodTemplate; readonly pair: LabelPair; readonly part: PairPart }
  | { readonly kind: 'target-port'; readonly service: ServiceObject; readonly port: ServicePortFact; readonly span: Span }
  | { readonly kind: 'container-port'; readonly template: PodTemplate; readonly port: ContainerPortFact }
  | { readonly kind: 'service-name'; readonly service: ServiceObject }
  | { readonly kind: 'name-reference'; readonly reference: NameReference }
  /** A Service port's `name` value or its `port` number. */
  | { readonly kind: 'service-port'; readonly service: ServiceObject; readonly port: ServicePortFact; readonly part: 'name' | 'number'; readonly span: Span }
  /** The port of an Ingress backend (`port.name`, `port.number`, legacy `servicePort`) or a route backendRef (`port`). */
  | { readonly kind: 'backend-port'; readonly backend: BackendPort }
  | { readonly kind: 'monitor-selector-pair'; readonly monitor: MonitorObject; readonly pair: LabelPair; readonly part: PairPart }
  /** A ServiceMonitor `endpoints[].port` (a Service port name) or a PodMonitor `podMetricsEndpoints[].port` (a container port name). */
  | { readonly kind: 'monitor-port'; readonly monitor: MonitorObject; readonly port: Located<string> };

/** A backend's reference to a port of a Service, by name or by number. */
export interface BackendPort {
  readonly from: IngressObject | RouteObject;
  /** The namespace of the Service: the Ingress's, or the backendRef's `namespace` (default: the route's). */
  readonly namespace: string;
  readonly serviceName: string;
  readonly portName: string | undefined;
  readonly portNumber: number | undefined;
  /** The port value. */
  readonly span: Span;
}

/** Whether `offset` is inside `span` (both ends included: a cursor right after a word is on it). */
export function touches(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/**
 * A span in the object's own file `fileId` (not one a kustomization or a render brought from
 * elsewhere). A built object's spans name their file, which is the object's own when the value
 * was written there.
 */
function ownSpan(span: Span, fileId: string): boolean {
  return span.fileId === undefined || span.fileId === fileId;
}

function pairAt(pairs: readonly LabelPair[], offset: number, fileId: string): { pair: LabelPair; part: PairPart } | undefined {
  for (const pair of pairs) {
    if (!ownSpan(pair.span, fileId) || !touches(pair.span, offset)) continue;
    return { pair, part: offset <= pair.keySpan.end ? 'key' : 'value' };
  }
  return undefined;
}

/** The target at `offset` in `fileId`, if the cursor is on something the model links. */
export function targetAt(snapshot: Snapshot, fileId: string, offset: number): CursorTarget | undefined {
  for (const object of snapshot.objectsOf(fileId)) {
    if (offset < object.span.start || offset > object.span.end) continue;
    const target = targetIn(object, offset);
    if (target) return target;
  }
  return undefined;
}

function targetIn(object: KubeObject, offset: number): CursorTarget | undefined {
  for (const reference of referencesOf(object)) {
    if (ownSpan(reference.span, object.fileId) && touches(reference.span, offset)) return { kind: 'name-reference', reference };
  }
  for (const backend of backendPortsOf(object)) {
    if (ownSpan(backend.span, object.fileId) && touches(backend.span, offset)) return { kind: 'backend-port', backend };
  }
  if (object.shape === 'monitor') {
    const hit = pairAt(object.selector?.matchLabels ?? [], offset, object.fileId);
    if (hit) return { kind: 'monitor-selector-pair', monitor: object, ...hit };
    for (const endpoint of object.endpoints) {
      const port = endpoint.port;
      if (port && ownSpan(port.span, object.fileId) && touches(port.span, offset)) return { kind: 'monitor-port', monitor: object, port };
    }
    return undefined;
  }
  if (isService(object)) {
    const hit = pairAt(object.selector ?? [], offset, object.fileId);
    if (hit) return { kind: 'selector-pair', service: object, ...hit };
    for (const port of object.ports) {
      const span = port.targetPort?.span;
      if (span && ownSpan(span, object.fileId) && touches(span, offset)) return { kind: 'target-port', service: object, port, span };
      if (port.name && ownSpan(port.name.span, object.fileId) && touches(port.name.span, offset)) return { kind: 'service-port', service: object, port, part: 'name', span: port.name.span };
      if (port.port && ownSpan(port.port.span, object.fileId) && touches(port.port.span, offset)) return { kind: 'service-port', service: object, port, part: 'number', span: port.port.span };
    }
    if (ownSpan(object.nameSpan, object.fileId) && touches(object.nameSpan, offset)) return { kind: 'service-name', service: object };
    return undefined;
  }
  if (isTemplate(object)) {
    const label = pairAt(object.labels, offset, object.fileId);
    if (label) return { kind: 'template-label', template: object, ...label };
    const match = pairAt(object.workloadSelector?.matchLabels ?? [], offset, object.fileId);
    if (match) return { kind: 'match-label', template: object, ...match };
    for (const container of object.containers) {
      for (const port of container.ports) {
        if (ownSpan(port.span, object.fileId) && touches(port.span, offset)) return { kind: 'container-port', template: object, port };
      }
    }
  }
  return undefined;
}

/**
 * The Service ports an object's backends name: Ingress backends (by `port.name` or `port.number`,
 * or the legacy `servicePort`) and Gateway API backendRefs to core Services (by `port`, the Service
 * port: https://gateway-api.sigs.k8s.io/reference/spec/#backendref). Backends without a port value
 * are left out.
 */
export function backendPortsOf(object: KubeObject): BackendPort[] {
  const out: BackendPort[] = [];
  if (object.shape === 'ingress') {
    for (const backend of object.backends) {
      if (!backend.portSpan) continue;
      out.push({ from: object, namespace: object.namespace, serviceName: backend.serviceName, portName: backend.portName, portNumber: backend.portName === undefined ? backend.portNumber : undefined, span: backend.portSpan });
    }
  } else if (object.shape === 'route') {
    for (const rule of object.rules) {
      for (const backend of ruleBackendRefs(rule)) {
        if (backend.group !== '' || backend.kind !== 'Service' || !backend.port) continue;
        out.push({ from: object, namespace: backend.namespace?.value ?? object.namespace, serviceName: backend.name, portName: undefined, portNumber: backend.port.value, span: backend.port.span });
      }
    }
  }
  return out;
}

/** A location in the file that holds `span` (its own file unless the span names another). */
export function at(object: { readonly fileId: string }, span: Span): FileSpan {
  return { fileId: span.fileId ?? object.fileId, span: { start: span.start, end: span.end } };
}

/** Locations once each, in a stable order (file, then offset). */
export function uniqueLocations(locations: readonly FileSpan[]): FileSpan[] {
  const seen = new Set<string>();
  const out: FileSpan[] = [];
  for (const location of locations) {
    const key = `${location.fileId}\u0000${location.span.start}\u0000${location.span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(location);
  }
  return out.sort((left, right) => (left.fileId === right.fileId ? left.span.start - right.span.start : left.fileId < right.fileId ? -1 : 1));
}
