/**
 * Shared by the rules about objects that point at Services (Ingress and route backends, monitors,
 * StatefulSet `serviceName`) and by the traffic preview, so that a broken hop and its finding say
 * the same thing.
 */
import type { LinkIndex } from '../index/linkIndex';
import { GATEWAY_GROUP } from '../kinds/gateway';
import type { IngressBackend, IngressObject, ReferenceGrantObject, RouteBackend, RouteObject, ServiceObject } from '../model/objects';
import type { Span } from '../types';
import { formatList, type RelatedReport } from './rule';

/** `http (80/TCP), 9090/TCP`, or `none`. */
export function servicePortsPhrase(service: ServiceObject): string {
  if (service.ports.length === 0) return 'none';
  return service.ports
    .map((port) => {
      const number = `${port.port?.value ?? '?'}/${port.protocol}`;
      return port.name ? `${port.name.value} (${number})` : number;
    })
    .join(', ');
}

/** Levenshtein distance, bounded: returns `limit + 1` as soon as it exceeds `limit`. */
function distance(left: string, right: string, limit: number): number {
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    let best = row;
    for (let column = 1; column <= right.length; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      const value = Math.min(previous[column]! + 1, current[column - 1]! + 1, previous[column - 1]! + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[right.length]!;
}

/**
 * Why a Service name does not resolve, as a clause after "does not exist in namespace N":
 * a Service of that name in another namespace, or the closest name in the namespace.
 */
export function missingServiceHint(index: LinkIndex, namespace: string, name: string): string {
  const elsewhere = [...index.servicesNamedAnywhere(name)].filter((service) => service.namespace !== namespace).map((service) => service.namespace);
  if (elsewhere.length > 0) return ` (a Service ${name} is in namespace ${formatList([...new Set(elsewhere)].sort())})`;
  // The closest name wins, then the first in name order: the order the Services are visited in does not matter.
  let best: { name: string; distance: number } | undefined;
  for (const service of index.servicesOfNamespace(namespace)) {
    if (Math.abs(service.name.length - name.length) > 2) continue;
    const gap = distance(service.name, name, 2);
    if (gap <= 2 && (!best || gap < best.distance || (gap === best.distance && service.name < best.name))) best = { name: service.name, distance: gap };
  }
  return best ? ` (did you mean ${best.name}?)` : '';
}

/** ` (8080 is the targetPort of port 80: a backend names the Service port)`, or nothing. */
export function targetPortHint(service: ServiceObject, wanted: string | number): string {
  const targeting = service.ports.find((port) => port.targetPort?.value === wanted);
  if (!targeting) return '';
  const port = targeting.name ? `${targeting.name.value} (${targeting.port?.value ?? '?'})` : String(targeting.port?.value ?? '?');
  return ` (${wanted} is the targetPort of port ${port}: a backend names the Service port)`;
}

/** Related information pointing at a Service's ports (or its name when it has none). */
export function relatedService(service: ServiceObject, message: string): RelatedReport {
  const first = service.ports[0];
  return { fileId: service.fileId, span: first ? first.span : service.nameSpan, message };
}

export type IngressProblemId = 'noService' | 'noPort' | 'noPortGiven' | 'bothPorts';

/** What is wrong with an Ingress backend, as message data; undefined when it resolves. */
export interface IngressProblem {
  readonly messageId: IngressProblemId;
  readonly data: Readonly<Record<string, string | number>>;
  readonly span: Span;
  readonly related: readonly RelatedReport[];
}

/** The port of a Service an Ingress backend names (`port.name` or `port.number`; legacy `servicePort`), if it has it. */
export function ingressBackendPort(service: ServiceObject, backend: IngressBackend): number | undefined {
  for (const port of service.ports) {
    if (backend.portName !== undefined && port.name?.value === backend.portName) return port.index;
    if (backend.portNumber !== undefined && port.port?.value === backend.portNumber) return port.index;
  }
  return undefined;
}

/**
 * An Ingress backend resolves when a Service of that name exists in the Ingress's namespace ("The
 * service must exist in the same namespace as the Ingress object") and has the port it names by
 * name or number ("A port name or port number is required"):
 * https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/#IngressBackend .
 * An ExternalName Service's ports are not checked (controllers that support it connect to the
 * external host on the backend's port), but a backend must still give one.
 */
export function ingressBackendProblem(ingress: IngressObject, backend: IngressBackend, index: LinkIndex): IngressProblem | undefined {
  // ServiceBackendPort: `name` "is mutually exclusive with Number"; the API server rejects both.
  if (backend.portName !== undefined && backend.portNumber !== undefined) {
    return { messageId: 'bothPorts', data: { service: backend.serviceName, name: backend.portName, number: backend.portNumber }, span: backend.portSpan ?? backend.span, related: [] };
  }
  const services = [...index.servicesNamed(ingress.namespace, backend.serviceName)];
  const service = services[0];
  if (!service) {
    return {
      messageId: 'noService',
      data: { service: backend.serviceName, namespace: ingress.namespace, hint: missingServiceHint(index, ingress.namespace, backend.serviceName) },
      span: backend.span,
      related: [],
    };
  }
  // The API server requires the port whatever the Service's type (ValidateIngressBackend): an
  // ExternalName Service's ports are not checked, but a backend without one is rejected.
  if (backend.portName === undefined && backend.portNumber === undefined) {
    return {
      messageId: 'noPortGiven',
      data: { service: service.name, ports: servicePortsPhrase(service) },
      span: backend.span,
      related: [relatedService(service, `the ports of Service/${service.name}`)],
    };
  }
  if (services.some((candidate) => candidate.type === 'ExternalName')) return undefined;
  if (services.some((candidate) => ingressBackendPort(candidate, backend) !== undefined)) return undefined;
  const byName = backend.portName !== undefined;
  const wanted = byName ? backend.portName! : backend.portNumber!;
  return {
    messageId: 'noPort',
    data: { service: service.name, how: byName ? 'named' : 'numbered', port: wanted, ports: servicePortsPhrase(service), hint: targetPortHint(service, wanted) },
    span: backend.portSpan ?? backend.span,
    related: [relatedService(service, `the ports of Service/${service.name}`)],
  };
}

export type RouteProblemId = 'noService' | 'notGranted' | 'noPortGiven' | 'noPort';

export interface RouteProblem {
  readonly messageId: RouteProblemId;
  readonly data: Readonly<Record<string, string | number>>;
  readonly span: Span;
  readonly related: readonly RelatedReport[];
}

/**
 * Whether a ReferenceGrant of the Service's namespace lets this route kind from the route's
 * namespace refer to the Service: some `from` names the route's group, kind and namespace, and some
 * `to` names core Services (every Service, or this one by `name`):
 * https://gateway-api.sigs.k8s.io/api-types/referencegrant/ ("entries MUST be combined using OR").
 */
export function routeGranted(index: LinkIndex, route: RouteObject, namespace: string, serviceName: string): boolean {
  return grantsAllow(index.grantsIn(namespace), route, serviceName);
}

/** Whether one of `grants` (of the Service's namespace) lets `route` refer to the Service `serviceName`. */
export function grantsAllow(grants: readonly ReferenceGrantObject[], route: RouteObject, serviceName: string): boolean {
  return grants.some((grant) => admitsRoute(grant, route) && grant.to.some((to) => to.group === '' && to.kind === 'Service' && (to.name === undefined || to.name === serviceName)));
}

/** Whether some `from` of a grant names the route's group, kind and namespace. */
function admitsRoute(grant: ReferenceGrantObject, route: RouteObject): boolean {
  return grant.from.some((from) => from.group === GATEWAY_GROUP && from.kind === route.kind && from.namespace === route.namespace);
}

/**
 * Why no ReferenceGrant lets `route` refer to a Service of the grants' namespace: a grant that
 * admits the route but names other Services (`to.name`) says so; else none admits the route.
 */
export function notGrantedReason(grants: readonly ReferenceGrantObject[], route: RouteObject): string {
  for (const grant of grants) {
    if (!admitsRoute(grant, route)) continue;
    const names = grant.to.filter((to) => to.group === '' && to.kind === 'Service' && to.name !== undefined).map((to) => `Service/${to.name}`);
    if (names.length > 0) return `ReferenceGrant/${grant.name} there allows ${route.kind} from namespace ${route.namespace} only to ${names.join(', ')}`;
  }
  return `no ReferenceGrant there allows ${route.kind} from namespace ${route.namespace}`;
}

/** The index of the Service port a backendRef's `port` names, if the Service has it. */
export function routeBackendPort(service: ServiceObject, backend: RouteBackend): number | undefined {
  return service.ports.find((port) => backend.port !== undefined && port.port?.value === backend.port.value)?.index;
}

/**
 * What is wrong with a Gateway API backendRef to a Service (group `""`, kind `Service`, the
 * default: https://gateway-api.sigs.k8s.io/reference/spec/#backendref): the Service must exist in
 * `namespace` (default: the route's); a reference to another namespace needs a ReferenceGrant there
 * ("Without a ReferenceGrant, a cross namespace reference is invalid",
 * https://gateway-api.sigs.k8s.io/api-types/referencegrant/); `port` is "required when the
 * referent is a Kubernetes Service" and is the Service port, not the target port. Undefined when
 * it resolves, or when the backend is not a core Service.
 */
/**
 * What is wrong with a route backendRef to a Service of `index`, in order: no such Service, no
 * ReferenceGrant for another namespace (`granted`, by default the grants of `index`: a grant
 * belongs to its namespace whoever applies it, so a caller may look wider), no port, a port the
 * Service lacks. Undefined when it resolves, or names something other than a Service.
 */
export function routeBackendProblem(
  route: RouteObject,
  backend: RouteBackend,
  index: LinkIndex,
  granted: (namespace: string) => boolean = (namespace) => routeGranted(index, route, namespace, backend.name),
): RouteProblem | undefined {
  if (backend.group !== '' || backend.kind !== 'Service') return undefined;
  const namespace = backend.namespace?.value ?? route.namespace;
  const services = [...index.servicesNamed(namespace, backend.name)];
  const service = services[0];
  if (!service) {
    return { messageId: 'noService', data: { service: backend.name, namespace, hint: missingServiceHint(index, namespace, backend.name) }, span: backend.span, related: [] };
  }
  if (namespace !== route.namespace && !granted(namespace)) {
    return {
      messageId: 'notGranted',
      data: { route: `${route.kind}/${route.name}`, kind: route.kind, from: route.namespace, service: backend.name, namespace, reason: notGrantedReason(index.grantsIn(namespace), route) },
      span: backend.span,
      related: index.grantsIn(namespace).slice(0, 5).map((grant) => ({ fileId: grant.fileId, span: grant.nameSpan, message: `ReferenceGrant/${grant.name} does not allow ${route.kind} from ${route.namespace} to Service/${backend.name}` })),
    };
  }
  // The port is part of the route's own schema (the CEL rule of BackendObjectReference, "Must have
  // port for Service reference"): a route without one is rejected, whatever the Service's type.
  if (backend.port === undefined) {
    return {
      messageId: 'noPortGiven',
      data: { service: service.name, ports: servicePortsPhrase(service) },
      span: backend.span,
      related: [relatedService(service, `the ports of Service/${service.name}`)],
    };
  }
  if (services.some((candidate) => candidate.type === 'ExternalName')) return undefined;
  if (services.some((candidate) => routeBackendPort(candidate, backend) !== undefined)) return undefined;
  const wanted = backend.port.value;
  return {
    messageId: 'noPort',
    data: {
      service: service.name,
      port: wanted,
      ports: servicePortsPhrase(service),
      hint: targetPortHint(service, wanted),
    },
    span: backend.port.span,
    related: [relatedService(service, `the ports of Service/${service.name}`)],
  };
}
