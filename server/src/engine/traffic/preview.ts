/** Builds traffic previews (DNS names, env vars, paths) for Services of a scope. */
import { sourceOf } from '../analysis/elsewhere';
import type { ServiceTraffic, TrafficPreview } from '../../protocol/traffic';
import type { EngineConfig } from '../config';
import type { ServiceLink } from '../analysis/link';
import { compareObjects } from '../analysis/order';
import type { LinkIndex } from '../index/linkIndex';
import { monitoredServices } from '../analysis/monitors';
import { isService, type KubeObject, type PodTemplate, type RouteObject, type ServiceObject } from '../model/objects';
import { ingressBackendPort, ingressBackendProblem, routeBackendPort, routeBackendProblem } from '../rules/backends';
import { ingressBackendUnresolved } from '../rules/ingress-backend-unresolved';
import { monitorUnresolved } from '../rules/monitor-unresolved';
import { formatMessage, type ReferenceRuleContext } from '../rules/rule';
import { routeBackendUnresolved } from '../rules/route-backend-unresolved';
import type { FileSpan } from '../types';
import { dnsInfo } from './dns';
import { envInfo } from './envVars';
import { portPaths, type Entries, type GatewayEntry, type GatewayRoute, type ScrapePath } from './paths';
import type { TrafficRequest } from './request';

export interface TrafficContext {
  readonly index: LinkIndex;
  readonly config: EngineConfig;
  link(service: ServiceObject): ServiceLink;
  objectsOf(fileId: string): readonly KubeObject[];
  /** Whether the time given to a preview is over (the front end's clock); when it is, the Services built so far are shown. */
  readonly timeUp?: () => boolean;
}

/** At most this many Services in the preview of a namespace or workspace (each is a section of the page). */
export const PREVIEW_SERVICES = 300;

export function buildTrafficPreview(request: TrafficRequest, context: TrafficContext): TrafficPreview<FileSpan> | undefined {
  const selection = select(request, context);
  if (!selection || selection.services.length === 0) return undefined;
  const total = selection.services.length;
  const templates = new Map<string, PodTemplate[]>();
  const namespaceTemplates = (namespace: string): PodTemplate[] => {
    let list = templates.get(namespace);
    if (!list) templates.set(namespace, (list = context.index.templatesInOrder(namespace)));
    return list;
  };
  const services: ServiceTraffic<FileSpan>[] = [];
  let timedOut = false;
  for (const service of selection.services.slice(0, PREVIEW_SERVICES)) {
    if (services.length > 0 && context.timeUp?.()) {
      timedOut = true;
      break;
    }
    services.push(serviceTraffic(service, context, namespaceTemplates(service.namespace)));
  }
  const preview: TrafficPreview<FileSpan> = { version: 1, scope: request.scope, title: selection.title, clusterDomain: context.config.clusterDomain, services };
  if (services.length === total) return preview;
  return { ...preview, note: truncationNote(services.length, total, timedOut) };
}

/**
 * The note of a preview that shows `shown` of `total` Services: left out because the preview took
 * too long (`timedOut`) or because a preview shows at most `PREVIEW_SERVICES`.
 */
export function truncationNote(shown: number, total: number, timedOut: boolean): string {
  const why = timedOut ? 'the preview took too long to build' : `a preview shows at most ${PREVIEW_SERVICES} Services`;
  return `Showing the first ${shown} of ${total} Services in file order: ${why}. Preview a file or a single Service to see the others.`;
}

function select(request: TrafficRequest, context: TrafficContext): { title: string; services: ServiceObject[] } | undefined {
  if (request.scope === 'workspace') {
    return { title: 'All Services', services: [...context.index.services()].sort(compareObjects) };
  }
  const inFile = context.objectsOf(request.fileId).filter(isService);
  const here = serviceAt(inFile, request.offset);
  switch (request.scope) {
    case 'service':
      return here ? { title: `Service ${here.namespace}/${here.name}`, services: [here] } : undefined;
    case 'file':
      return { title: baseName(request.fileId), services: inFile };
    case 'namespace': {
      const namespace = here?.namespace ?? context.objectsOf(request.fileId)[0]?.namespace;
      if (namespace === undefined) return undefined;
      const services = [...context.index.services()].filter((service) => service.namespace === namespace).sort(compareObjects);
      return { title: `Namespace ${namespace}`, services };
    }
  }
}

/** The Service containing the offset, else the last one starting before it, else the first of the file. */
function serviceAt(services: readonly ServiceObject[], offset: number): ServiceObject | undefined {
  let before: ServiceObject | undefined;
  for (const service of services) {
    if (offset >= service.span.start && offset <= service.span.end) return service;
    if (service.span.start <= offset) before = service;
  }
  return before ?? services[0];
}

function serviceTraffic(service: ServiceObject, context: TrafficContext, namespaceTemplates: readonly PodTemplate[]): ServiceTraffic<FileSpan> {
  const { index, config } = context;
  const link = context.link(service);
  const endpoints = service.selector ? [] : index.endpointsFor(service.namespace, service.name);
  return {
    name: service.name,
    namespace: service.namespace,
    type: service.type,
    headless: service.clusterIP === 'None',
    selector: service.selector ? Object.fromEntries(service.selector.map((pair) => [pair.key, pair.value])) : null,
    location: { fileId: service.fileId, span: service.nameSpan },
    dns: dnsInfo(service, link.matches.length > 0 ? link.matches : (link.elsewhere?.templates ?? link.matches), endpoints, config.clusterDomain, namespaceTemplates),
    env: envInfo(service, namespaceTemplates),
    ports: portPaths(link, endpoints, entriesOf(service, context), config.clusterDomain),
    notes: serviceNotes(service, link),
  };
}

/**
 * What sends traffic to a Service from outside its spec, each with the message of the rule that
 * reports it when it is broken (the same words in the preview and in Problems).
 */
function entriesOf(service: ServiceObject, context: TrafficContext): Entries {
  const { index } = context;
  const ingresses = index.ingressBackendsFor(service.namespace, service.name).map(({ ingress, backend }) => {
    const problem = ingressBackendProblem(ingress, backend, index);
    return {
      ingress,
      backend,
      portIndex: ingressBackendPort(service, backend),
      broken: problem ? formatMessage(ingressBackendUnresolved.messages[problem.messageId], problem.data) : undefined,
    };
  });
  const routes: GatewayRoute[] = [];
  const seen = new Set<RouteObject>();
  for (const reference of index.referencesTo('Service', service.namespace, service.name)) {
    const route = reference.from;
    if (reference.role !== 'route-backend' || route.shape !== 'route' || seen.has(route)) continue;
    seen.add(route);
    const gateways = gatewaysOf(route, context);
    for (const rule of route.rules) {
      for (const backend of rule.backends) {
        if (backend.group !== '' || backend.kind !== 'Service' || backend.name !== service.name || (backend.namespace?.value ?? route.namespace) !== service.namespace) continue;
        const problem = routeBackendProblem(route, backend, index);
        routes.push({
          route,
          rule,
          backend,
          gateways,
          portIndex: routeBackendPort(service, backend),
          broken: problem ? formatMessage(routeBackendUnresolved.messages[problem.messageId], problem.data) : undefined,
        });
      }
    }
  }
  const monitors: ScrapePath[] = [];
  const ruleContext: ReferenceRuleContext = { index, link: (other) => context.link(other), partialBuild: undefined, templatedNear: () => undefined, invalidNear: () => undefined, chartBeside: () => undefined, elsewhere: () => [] };
  for (const monitor of index.monitors()) {
    if (monitor.selects !== 'Service' || !monitoredServices(monitor, index).includes(service)) continue;
    const reports = monitorUnresolved.check(monitor, ruleContext);
    for (const endpoint of monitor.endpoints) {
      if (!endpoint.port) continue;
      const port = service.ports.find((candidate) => candidate.name?.value === endpoint.port?.value);
      const report = port ? undefined : reports.find((candidate) => candidate.span.start === endpoint.port?.span.start);
      monitors.push({
        monitor,
        endpoint,
        portIndex: port?.index,
        broken: report ? formatMessage(monitorUnresolved.messages[report.messageId], report.data) : port ? undefined : `Service/${service.name} has no port named ${endpoint.port.value}`,
      });
    }
  }
  return { ingresses, routes, monitors };
}

/** The Gateways a route attaches to (`parentRefs` of kind Gateway), with their listeners. */
function gatewaysOf(route: RouteObject, context: TrafficContext): GatewayEntry[] {
  return route.parents
    .filter((parent) => parent.kind === 'Gateway')
    .map((parent) => {
      const namespace = parent.namespace ?? route.namespace;
      const gateway = context.index.gatewaysNamed(namespace, parent.name)[0];
      const listeners = (gateway?.listeners ?? [])
        .filter((listener) => parent.sectionName === undefined || listener.name === parent.sectionName)
        .map((listener) => `${listener.hostname ?? '*'}:${listener.port ?? '?'} ${listener.protocol ?? ''}`.trim());
      return {
        label: `Gateway/${parent.name}${namespace === route.namespace ? '' : ` (${namespace})`}`,
        detail: gateway ? (listeners.length > 0 ? listeners.join(', ') : 'no listeners') : parent.sectionName ? `listener ${parent.sectionName}` : '',
        location: gateway ? { fileId: gateway.fileId, span: gateway.nameSpan } : { fileId: route.fileId, span: parent.span },
        missing: gateway === undefined,
      };
    });
}

function serviceNotes(service: ServiceObject, link: ServiceLink): string[] {
  const notes: string[] = [];
  if (link.owner) {
    notes.push(`The Pods are made by the operator of ${link.owner.resource.kind}/${link.owner.resource.name} (selector ${link.owner.pair.key}=${link.owner.pair.value}); they are not in any manifest.`);
  } else if (link.elsewhere) {
    notes.push(`The Pods are made by ${sourceOf(link.elsewhere)} that this preview's build does not hold, applied apart to namespace ${service.namespace}.`);
  } else if (service.type !== 'ExternalName' && service.selector && link.matches.length === 0) {
    notes.push(`The selector matches no Pod template in namespace ${service.namespace}: the Service has no endpoints.`);
  }
  if (link.alsoMatches.length > 0) {
    notes.push(`The selector also matches ${link.alsoMatches.length} Pod template${link.alsoMatches.length === 1 ? '' : 's'} in other folders, not shown (the nearest in the folder tree are).`);
  }
  if (service.externalTrafficPolicy === 'Local') notes.push('externalTrafficPolicy: Local: external traffic goes only to endpoints on the receiving node, and keeps the client source IP.');
  if (service.internalTrafficPolicy === 'Local') notes.push('internalTrafficPolicy: Local: in-cluster traffic goes only to endpoints on the client\'s node.');
  if (service.sessionAffinity === 'ClientIP') notes.push('sessionAffinity: ClientIP: connections from one client IP go to the same Pod.');
  if (service.publishNotReadyAddresses) notes.push('publishNotReadyAddresses: Pods receive traffic and DNS records before they are ready.');
  if (service.ports.length === 0 && service.type !== 'ExternalName') notes.push('The Service declares no ports.');
  return notes;
}

function baseName(fileId: string): string {
  const parts = fileId.split(/[\\/]/);
  return decodeURIComponent(parts[parts.length - 1] ?? fileId);
}
