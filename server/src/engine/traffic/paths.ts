/**
 * The path traffic takes for each Service port, as a graph drawn left to right:
 * client → Gateway (listeners) → HTTPRoute rule (hostnames, matches) or Ingress `host/path` →
 * load balancer `:port` → every node `:nodePort` → cluster IP `:port` → each selected Pod
 * template's container `:targetPort`
 * (https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types,
 * https://gateway-api.sigs.k8s.io/api-types/httproute/). A ServiceMonitor that scrapes the port is
 * drawn beside the routes: its scrape path reaches the same Pods.
 * A broken hop stays in the path, marked with its reason: for a backend or a monitor, the message
 * of the rule that reports it (rules/backends.ts and the rules' messages). Traffic policies
 * (https://kubernetes.io/docs/reference/networking/virtual-ips/#traffic-policies), session affinity
 * and Pods without a readiness probe are noted on the hops they affect. Each port carries its
 * `kubectl port-forward` command (portForward.ts).
 */
import type { Hop, HopEdge, PortPath } from '../../protocol/traffic';
import type { PortLink, ServiceLink } from '../analysis/link';
import { servingContainers } from '../analysis/link';
import { endpointPortOf, endpointPortsText } from '../analysis/report';
import type {
  EndpointsObject,
  IngressBackend,
  IngressObject,
  MonitorEndpoint,
  MonitorObject,
  PodTemplate,
  RouteBackend,
  RouteObject,
  RouteRule,
  ServiceObject,
} from '../model/objects';
import type { FileSpan } from '../types';
import { serviceFqdn } from './dns';
import { portForward } from './portForward';

export const COLUMN = { client: 0, gateway: 1, ingress: 2, loadBalancer: 3, nodePort: 4, service: 5, pods: 6 } as const;

/** An Ingress backend that names the Service. */
export interface IngressRoute {
  readonly ingress: IngressObject;
  readonly backend: IngressBackend;
  /** The index of the Service port it reaches, if it names one the Service has. */
  readonly portIndex: number | undefined;
  /** The rule's message when the backend does not resolve. */
  readonly broken: string | undefined;
}

/** A Gateway a route attaches to, as a hop. */
export interface GatewayEntry {
  readonly label: string;
  readonly detail: string;
  readonly location: FileSpan | undefined;
  /** Set when the parent Gateway is not in the workspace. */
  readonly missing: boolean;
}

/** A Gateway API route rule whose backendRef names the Service. */
export interface GatewayRoute {
  readonly route: RouteObject;
  readonly rule: RouteRule;
  readonly backend: RouteBackend;
  readonly gateways: readonly GatewayEntry[];
  readonly portIndex: number | undefined;
  readonly broken: string | undefined;
}

/** A ServiceMonitor endpoint that scrapes the Service. */
export interface ScrapePath {
  readonly monitor: MonitorObject;
  readonly endpoint: MonitorEndpoint;
  readonly portIndex: number | undefined;
  readonly broken: string | undefined;
}

/** What enters a Service from outside its own spec: Ingress backends, route rules, monitors. */
export interface Entries {
  readonly ingresses: readonly IngressRoute[];
  readonly routes: readonly GatewayRoute[];
  readonly monitors: readonly ScrapePath[];
}

export function portPaths(link: ServiceLink, endpoints: readonly EndpointsObject[], entries: Entries, zone: string): PortPath<FileSpan>[] {
  return link.ports.map((port, index) => portPath(link, port, endpoints, entries, zone, index === 0));
}

/** `shop.example.com/api`, `* (default backend)` */
function ingressLabel(backend: IngressBackend): string {
  return `${backend.host}${backend.path.startsWith('/') || backend.path.startsWith('(') ? '' : '/'}${backend.path === '(default backend)' ? ' (default backend)' : backend.path}`;
}

/** `shop.example.com PathPrefix /api` */
function routeLabel(route: RouteObject, rule: RouteRule): string {
  const hosts = route.hostnames.length > 0 ? route.hostnames.join(', ') : '*';
  if (route.kind !== 'HTTPRoute' && route.kind !== 'GRPCRoute') return hosts === '*' ? `${route.kind} rule ${rule.index + 1}` : hosts;
  const matches = rule.matches.length > 0 ? rule.matches.join(' | ') : route.kind === 'HTTPRoute' ? 'PathPrefix /' : 'every method';
  return `${hosts} ${matches}`;
}

function portPath(link: ServiceLink, port: PortLink, endpoints: readonly EndpointsObject[], entries: Entries, zone: string, first: boolean): PortPath<FileSpan> {
  const { service } = link;
  const hops: Hop<FileSpan>[] = [];
  const edges: HopEdge[] = [];
  const number = port.fact.port?.value ?? 0;
  const protocol = port.fact.protocol;
  const at = (span: FileSpan['span']): FileSpan => ({ fileId: service.fileId, span });

  hops.push({ id: 'client', kind: 'client', column: COLUMN.client, label: 'Client', detail: clientDetail(service), notes: [] });

  // The Service hop: cluster IP, headless, or ExternalName.
  const serviceHop = serviceHopOf(service, port, zone, at);
  hops.push(serviceHop);

  // Entries into this port (and, on the first port's path, those that reach a port the Service lacks).
  const here = (portIndex: number | undefined) => portIndex === port.fact.index || (portIndex === undefined && first);
  entries.ingresses.forEach(({ ingress, backend, portIndex, broken }, index) => {
    if (!here(portIndex)) return;
    const wanted = backend.portName ?? (backend.portNumber !== undefined ? String(backend.portNumber) : undefined);
    const id = `ingress-${index}`;
    hops.push({
      id,
      kind: 'ingress',
      column: COLUMN.ingress,
      label: ingressLabel(backend),
      detail: `Ingress/${ingress.name} → port ${wanted ?? '?'}`,
      location: { fileId: ingress.fileId, span: backend.span },
      notes: [],
      ...(broken ? { broken } : {}),
    });
    edges.push({ from: 'client', to: id });
    edges.push({ from: id, to: serviceHop.id, ...(broken ? { broken } : {}) });
  });
  const gatewayIds = new Map<string, string>();
  entries.routes.forEach(({ route, rule, backend, gateways, portIndex, broken }, index) => {
    if (!here(portIndex)) return;
    const id = `route-${index}`;
    hops.push({
      id,
      kind: 'route',
      column: COLUMN.ingress,
      label: routeLabel(route, rule),
      detail: `${route.kind}/${route.name} rule ${rule.index + 1} → port ${backend.port?.value ?? '?'}`,
      location: { fileId: route.fileId, span: backend.span },
      notes: [],
      ...(broken ? { broken } : {}),
    });
    if (gateways.length === 0) edges.push({ from: 'client', to: id });
    for (const gateway of gateways) {
      let gatewayId = gatewayIds.get(gateway.label);
      if (gatewayId === undefined) {
        gatewayId = `gateway-${gatewayIds.size}`;
        gatewayIds.set(gateway.label, gatewayId);
        hops.push({
          id: gatewayId,
          kind: 'gateway',
          column: COLUMN.gateway,
          label: gateway.label,
          detail: gateway.detail,
          ...(gateway.location ? { location: gateway.location } : {}),
          notes: gateway.missing ? ['not in the workspace'] : [],
        });
        edges.push({ from: 'client', to: gatewayId });
      }
      edges.push({ from: gatewayId, to: id });
    }
    edges.push({ from: id, to: serviceHop.id, ...(broken ? { broken } : {}) });
  });
  entries.monitors.forEach(({ monitor, endpoint, portIndex, broken }, index) => {
    if (!here(portIndex)) return;
    const id = `monitor-${index}`;
    hops.push({
      id,
      kind: 'monitor',
      column: COLUMN.ingress,
      label: `${monitor.kind}/${monitor.name}`,
      detail: `scrapes port ${endpoint.port?.value ?? '?'}${endpoint.path ? ` ${endpoint.path}` : ''}`,
      location: { fileId: monitor.fileId, span: endpoint.port?.span ?? endpoint.span },
      notes: [],
      ...(broken ? { broken } : {}),
    });
    edges.push({ from: id, to: serviceHop.id, ...(broken ? { broken } : {}) });
  });

  // External entry points.
  let entry = 'client';
  if (service.type === 'LoadBalancer') {
    hops.push({
      id: 'load-balancer',
      kind: 'load-balancer',
      column: COLUMN.loadBalancer,
      label: `load balancer :${number}`,
      detail: 'external address from the cloud provider',
      location: at(service.typeSpan ?? service.nameSpan),
      notes: externalPolicyNotes(service),
    });
    edges.push({ from: entry, to: 'load-balancer' });
    entry = 'load-balancer';
  }
  if (service.type === 'NodePort' || service.type === 'LoadBalancer') {
    const nodePort = port.fact.nodePort?.value;
    hops.push({
      id: 'node-port',
      kind: 'node-port',
      column: COLUMN.nodePort,
      label: nodePort ? `every node :${nodePort}` : 'every node :(allocated)',
      detail: nodePort ? `nodePort ${nodePort}/${protocol}` : 'allocated from 30000-32767',
      location: at(port.fact.nodePort?.span ?? port.fact.span),
      notes: externalPolicyNotes(service),
    });
    edges.push({ from: entry, to: 'node-port' });
    entry = 'node-port';
  }
  edges.push({ from: entry, to: serviceHop.id });

  if (service.type === 'ExternalName') return pathOf(service, port, hops, edges);

  // Endpoints: selected Pod templates, or hand-written Endpoints / EndpointSlices.
  if (!service.selector) {
    if (endpoints.length === 0) {
      addEnd(hops, edges, serviceHop.id, {
        id: 'endpoints',
        kind: 'endpoints',
        column: COLUMN.pods,
        label: 'no endpoints',
        detail: 'no selector, and no Endpoints or EndpointSlices for it',
        broken: 'No Endpoints or EndpointSlices name this Service in the workspace',
        notes: [],
      });
    }
    endpoints.forEach((object, index) => {
      const ready = object.addresses.filter((address) => address.ready).map((address) => address.ip);
      const reached = endpointPort(object, port);
      const portNumber = reached === undefined ? '?' : String(reached);
      const unmatched = reached === undefined ? `No port named ${port.fact.name?.value ?? '(unnamed)'} (its ports: ${endpointPortsText(object)}): a Service without a selector reaches the endpoint port of its port's name` : undefined;
      addEnd(hops, edges, serviceHop.id, {
        id: `endpoints-${index}`,
        kind: 'endpoints',
        column: COLUMN.pods,
        label: `${object.kind}/${object.name}`,
        detail: ready.length > 0 ? `${ready.join(', ')} :${portNumber}` : `no ready addresses :${portNumber}`,
        location: { fileId: object.fileId, span: object.nameSpan },
        notes: object.addresses.some((address) => !address.ready) ? ['some addresses are not ready'] : [],
        ...(unmatched !== undefined ? { broken: unmatched } : ready.length === 0 ? { broken: 'No ready addresses' } : {}),
      });
    });
    return pathOf(service, port, hops, edges);
  }

  // Pod templates another build makes are the Service's endpoints too (analysis/elsewhere.ts): its ports resolved on them.
  if (link.matches.length === 0 && link.elsewhere === undefined) {
    const elsewhere = link.otherNamespace.map((template) => `${template.kind}/${template.name} in ${template.namespace}`);
    addEnd(hops, edges, serviceHop.id, {
      id: 'pods',
      kind: 'pod',
      column: COLUMN.pods,
      label: 'no Pods',
      detail: `selector ${service.selector.map((pair) => `${pair.key}=${pair.value}`).join(', ')}`,
      location: at(service.selectorSpan ?? service.nameSpan),
      broken:
        elsewhere.length > 0
          ? `No Pod template in namespace ${service.namespace} matches the selector (it matches ${elsewhere.join(', ')})`
          : `No Pod template in namespace ${service.namespace} matches the selector`,
      notes: [],
    });
    return pathOf(service, port, hops, edges);
  }

  port.outcomes.forEach((outcome, index) => {
    const template = outcome.template;
    const target = String(port.target);
    const notes = readinessNotes(template, outcome.kind === 'name' || outcome.kind === 'number' ? outcome.container : undefined);
    const hop = (fields: { detail: string; broken?: string; notes?: string[]; span?: FileSpan['span'] }): Hop<FileSpan> => ({
      id: `pod-${index}`,
      kind: 'pod',
      column: COLUMN.pods,
      label: `${template.kind}/${template.name}`,
      detail: fields.detail,
      location: { fileId: template.fileId, span: fields.span ?? template.nameSpan },
      notes: [...(fields.notes ?? []), ...notes],
      ...(fields.broken ? { broken: fields.broken } : {}),
    });
    switch (outcome.kind) {
      case 'name':
      case 'number':
        addEnd(hops, edges, serviceHop.id, hop({ detail: `container ${outcome.container} :${outcome.containerPort ?? target}/${outcome.protocol}`, span: outcome.portSpan }));
        break;
      case 'undeclared':
        addEnd(hops, edges, serviceHop.id, hop({ detail: `:${target}/${protocol} (not declared)`, notes: [`${target} is not a declared container port: it works only if a container listens on it`] }));
        break;
      case 'unresolved':
        addEnd(hops, edges, serviceHop.id, hop({ detail: `targetPort ${target}`, broken: `No ${protocol} container port named ${target}` }));
        break;
      case 'protocol':
        addEnd(hops, edges, serviceHop.id, hop({ detail: `targetPort ${target}/${protocol}`, broken: `${target} is declared only as ${outcome.otherProtocols.join('/')}` }));
        break;
    }
  });
  return pathOf(service, port, hops, edges);
}

function pathOf(service: ServiceObject, port: PortLink, hops: Hop<FileSpan>[], edges: HopEdge[]): PortPath<FileSpan> {
  const forwarded = { name: service.name, namespace: service.namespace, type: service.type, hasSelector: (service.selector?.length ?? 0) > 0 };
  return {
    name: port.fact.name?.value,
    port: port.fact.port?.value ?? 0,
    protocol: port.fact.protocol,
    targetPort: port.target ?? 0,
    nodePort: port.fact.nodePort?.value,
    hops,
    edges,
    portForward: portForward(forwarded, { port: port.fact.port?.value, protocol: port.fact.protocol }),
  };
}

function addEnd(hops: Hop<FileSpan>[], edges: HopEdge[], from: string, hop: Hop<FileSpan>): void {
  hops.push(hop);
  edges.push({ from, to: hop.id, ...(hop.broken ? { broken: hop.broken } : {}) });
}

function serviceHopOf(service: ServiceObject, port: PortLink, zone: string, at: (span: FileSpan['span']) => FileSpan): Hop<FileSpan> {
  const number = port.fact.port?.value ?? 0;
  const fqdn = serviceFqdn(service.name, service.namespace, zone);
  const location = at(port.fact.span);
  if (service.type === 'ExternalName') {
    return {
      id: 'service',
      kind: 'external-name',
      column: COLUMN.service,
      label: `${service.externalName ?? '(no externalName)'}:${number}`,
      detail: `CNAME ${fqdn}`,
      location,
      notes: ['the client connects to the external host directly; HTTP Host and TLS name are the Service name'],
      ...(service.externalName ? {} : { broken: 'externalName is not set' }),
    };
  }
  if (service.clusterIP === 'None') {
    return {
      id: 'service',
      kind: 'headless',
      column: COLUMN.service,
      label: `headless ${service.name}:${number}`,
      detail: 'DNS returns Pod IPs; no cluster IP, no port mapping',
      location,
      notes: service.publishNotReadyAddresses ? ['publishNotReadyAddresses: not-ready Pods are in DNS'] : [],
    };
  }
  const notes: string[] = [];
  if (service.internalTrafficPolicy === 'Local') notes.push('internalTrafficPolicy: Local: only endpoints on the client\'s node');
  if (service.sessionAffinity === 'ClientIP') notes.push('sessionAffinity: ClientIP: a client sticks to one Pod');
  if (service.publishNotReadyAddresses) notes.push('publishNotReadyAddresses: not-ready Pods get traffic');
  return {
    id: 'service',
    kind: 'cluster-ip',
    column: COLUMN.service,
    label: `${service.clusterIP ?? 'cluster IP'} :${number}`,
    detail: `${service.name}.${service.namespace}.svc :${number}/${port.fact.protocol}`,
    location,
    notes,
  };
}

function clientDetail(service: ServiceObject): string {
  switch (service.type) {
    case 'LoadBalancer':
      return 'outside or inside the cluster';
    case 'NodePort':
      return 'anything that reaches a node';
    default:
      return 'a Pod in the cluster';
  }
}

function externalPolicyNotes(service: ServiceObject): string[] {
  return service.externalTrafficPolicy === 'Local'
    ? ['externalTrafficPolicy: Local: only nodes with a ready endpoint answer; the client source IP is kept']
    : [];
}

function readinessNotes(template: PodTemplate, container: string | undefined): string[] {
  const serving = servingContainers(template).filter((candidate) => container === undefined || candidate.name === container);
  return serving.some((candidate) => !candidate.readinessProbe) ? ['no readinessProbe: receives traffic as soon as it starts'] : [];
}

/** The endpoint port a Service port reaches on an Endpoints object (its port of the same name: `endpointPortOf`), or undefined. */
function endpointPort(object: EndpointsObject, port: PortLink): number | undefined {
  return endpointPortOf(object, port.fact.name?.value, port.fact.protocol)?.port;
}
