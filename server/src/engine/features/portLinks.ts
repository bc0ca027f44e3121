/**
 * The links by port and by object labels that navigation and rename follow beyond selectors:
 * - an Ingress backend names a port of its Service by `port.name` or `port.number` (legacy
 *   `servicePort`: either) (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/#IngressBackend);
 * - a Gateway API backendRef names the Service port by number (`port`, the Service port, not the
 *   target port: https://gateway-api.sigs.k8s.io/reference/spec/#backendref);
 * - a ServiceMonitor selects Services by their own labels and its `endpoints[].port` is the name of
 *   a Service port; a PodMonitor selects Pods by their labels and its `podMetricsEndpoints[].port` is
 *   the name of a container port (https://prometheus-operator.dev/docs/api-reference/api/).
 * Which objects a monitor selects is the rule's answer (analysis/monitors.ts), so that navigation
 * and `monitor-unresolved` agree.
 */
import { compareObjects } from '../analysis/order';
import { monitoredServices, monitoredTemplates, monitorsOfService } from '../analysis/monitors';
import type { Snapshot } from '../analysis/snapshot';
import type { ContainerPortFact, LabelPair, MonitorObject, PodTemplate, ServiceObject, ServicePortFact } from '../model/objects';
import type { FileSpan } from '../types';
import { at, backendPortsOf, uniqueLocations, type BackendPort } from './targets';

/** A port of a Service. */
export interface ServicePortRef {
  readonly service: ServiceObject;
  readonly port: ServicePortFact;
}

/** A container port of a Pod template. */
export interface ContainerPortRef {
  readonly template: PodTemplate;
  readonly port: ContainerPortFact;
}

/** Which uses of a Service port: those naming it, those giving its number, or both. */
export type PortUse = 'name' | 'number' | 'both';

/** The Service ports a backend's port value resolves to (none when the Service or the port is missing). */
export function servicePortsOfBackend(snapshot: Snapshot, backend: BackendPort): ServicePortRef[] {
  const index = snapshot.scopeOf(backend.from).linkIndex;
  const out: ServicePortRef[] = [];
  for (const service of [...index.servicesNamed(backend.namespace, backend.serviceName)].sort(compareObjects)) {
    for (const port of service.ports) if (backendNames(backend, port)) out.push({ service, port });
  }
  return out;
}

function backendNames(backend: BackendPort, port: ServicePortFact): boolean {
  if (backend.portName !== undefined) return port.name?.value === backend.portName;
  return backend.portNumber !== undefined && port.port?.value === backend.portNumber;
}

/** The Services a ServiceMonitor selects, or the Pod templates a PodMonitor selects. */
export function monitorSelection(snapshot: Snapshot, monitor: MonitorObject): { services: ServiceObject[]; templates: PodTemplate[] } {
  const index = snapshot.scopeOf(monitor).linkIndex;
  return { services: monitoredServices(monitor, index), templates: monitoredTemplates(monitor, index) };
}

/** The label pair of the selected objects that a monitor's selector pair matches. */
export function monitorPairTargets(snapshot: Snapshot, monitor: MonitorObject, pair: LabelPair): FileSpan[] {
  const { services, templates } = monitorSelection(snapshot, monitor);
  const out: FileSpan[] = [];
  for (const service of services) {
    const label = service.objectLabels.find((candidate) => candidate.key === pair.key);
    if (label) out.push(at(service, label.span));
  }
  for (const template of templates) {
    const label = template.labels.find((candidate) => candidate.key === pair.key);
    out.push(at(template, label?.span ?? template.labelsSpan ?? template.nameSpan));
  }
  return uniqueLocations(out);
}

/** The Service ports a ServiceMonitor endpoint port names, on the Services the monitor selects. */
export function servicePortsOfMonitor(snapshot: Snapshot, monitor: MonitorObject, name: string): ServicePortRef[] {
  if (monitor.selects !== 'Service') return [];
  return monitorSelection(snapshot, monitor).services.flatMap((service) => service.ports.filter((port) => port.name?.value === name).map((port) => ({ service, port })));
}

/** The container ports a PodMonitor endpoint port names, on the Pod templates the monitor selects (init containers included, as Prometheus discovers them). */
export function containerPortsOfMonitor(snapshot: Snapshot, monitor: MonitorObject, name: string): ContainerPortRef[] {
  if (monitor.selects !== 'Pod') return [];
  const out: ContainerPortRef[] = [];
  for (const template of monitorSelection(snapshot, monitor).templates) {
    for (const container of template.containers) for (const port of container.ports) if (port.name === name) out.push({ template, port });
  }
  return out;
}

/** Where a Service port is declared: its name value, or its port number (for a use by number). */
export function servicePortLocation(reference: ServicePortRef, use: PortUse): FileSpan {
  const { service, port } = reference;
  const span = use === 'number' ? (port.port?.span ?? port.name?.span) : (port.name?.span ?? port.port?.span);
  return at(service, span ?? port.span);
}

/**
 * A Service port and what names it: Ingress backends (by name or number), route backendRefs (by
 * number) and the endpoints of the ServiceMonitors that select the Service (by name). `use` keeps
 * the uses by name only (what a rename of the port name edits), by number only, or both.
 */
export function servicePortUses(snapshot: Snapshot, reference: ServicePortRef, use: PortUse): FileSpan[] {
  const { service, port } = reference;
  const index = snapshot.scopeOf(service).linkIndex;
  const name = port.name?.value;
  const number = port.port?.value;
  const out: FileSpan[] = [];
  if (use !== 'number' && port.name) out.push(at(service, port.name.span));
  if (use !== 'name' && port.port) out.push(at(service, port.port.span));
  const referrers = new Set(index.referencesTo('Service', service.namespace, service.name).map((other) => other.from));
  for (const from of referrers) {
    for (const backend of backendPortsOf(from)) {
      if (backend.namespace !== service.namespace || backend.serviceName !== service.name) continue;
      const byName = backend.portName !== undefined && backend.portName === name;
      const byNumber = backend.portName === undefined && backend.portNumber !== undefined && backend.portNumber === number;
      if ((byName && use !== 'number') || (byNumber && use !== 'name')) out.push(at(from, backend.span));
    }
  }
  if (use !== 'number' && name !== undefined) {
    for (const monitor of monitorsOfService(service, index)) {
      for (const endpoint of monitor.endpoints) if (endpoint.port?.value === name) out.push(at(monitor, endpoint.port.span));
    }
  }
  return uniqueLocations(out);
}

/** The PodMonitor endpoints that name a container port of a template they select. */
export function podMonitorUsesOf(snapshot: Snapshot, template: PodTemplate, port: ContainerPortFact): FileSpan[] {
  if (port.name === undefined) return [];
  const index = snapshot.scopeOf(template).linkIndex;
  const out: FileSpan[] = [];
  for (const monitor of index.monitors()) {
    if (monitor.selects !== 'Pod' || !monitoredTemplates(monitor, index).includes(template)) continue;
    for (const endpoint of monitor.endpoints) if (endpoint.port?.value === port.name) out.push(at(monitor, endpoint.port.span));
  }
  return out;
}

/** The ServiceMonitors that select a Service, each at its first `matchLabels` pair (else its `selector` key). */
export function monitorsSelecting(snapshot: Snapshot, service: ServiceObject): FileSpan[] {
  const index = snapshot.scopeOf(service).linkIndex;
  return monitorsOfService(service, index).map((monitor) => at(monitor, monitor.selector?.matchLabels[0]?.span ?? monitor.selector?.span ?? monitor.nameSpan));
}
