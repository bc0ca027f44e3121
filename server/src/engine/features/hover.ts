/**
 * What a hover shows, as plain data (reports.ts): on a Service its links and the objects that point
 * at it; on a selector pair that misses, the nearest miss; on a Pod template's labels the Services
 * that select it; on an Ingress or route backend name or a StatefulSet's `serviceName`, the Service
 * it reaches and its ports.
 */
import { monitorsOfService } from '../analysis/monitors';
import { serviceReport, templateRef } from '../analysis/report';
import type { Snapshot } from '../analysis/snapshot';
import { isService, isTemplate, type KubeObject, type PodTemplate, type ServiceObject } from '../model/objects';
import { referencesOf, type ReferenceRole } from '../model/references';
import type { BuiltIdentity, HoverModel, Referrer, ServiceReport } from '../reports';
import type { Span } from '../types';
import { grantsAllow, notGrantedReason } from '../rules/backends';

export function hoverAt(snapshot: Snapshot, fileId: string, offset: number): HoverModel | undefined {
  for (const object of snapshot.objectsOf(fileId)) {
    if (offset < object.span.start || offset > object.span.end) continue;
    if (isService(object)) {
      const hover = serviceHover(snapshot, object, offset);
      if (hover?.kind === 'service') return withOthersHere(snapshot, fileId, object, hover, offset);
      if (hover) return hover;
    } else if (isTemplate(object)) {
      const hover = templateHover(snapshot, object, offset) ?? referenceHover(snapshot, object, offset);
      if (hover) return hover;
    } else {
      const hover = referenceHover(snapshot, object, offset);
      if (hover) return hover;
    }
  }
  return undefined;
}

/** On a reference by name to a Service: that Service (the first definition) and its ports. */
function referenceHover(snapshot: Snapshot, object: KubeObject, offset: number): HoverModel | undefined {
  const reference = referencesOf(object).find((candidate) => candidate.targetKind === 'Service' && (candidate.span.fileId === undefined || candidate.span.fileId === object.fileId) && contains(candidate.span, offset));
  if (!reference) return undefined;
  const scope = snapshot.scopeOf(object);
  const service = [...scope.linkIndex.servicesNamed(reference.namespace, reference.name)][0];
  const refused = refusedReason(snapshot, object, reference.namespace, reference.name);
  const base = { kind: 'reference', span: reference.span, name: reference.name, namespace: reference.namespace, ...(refused === undefined ? {} : { refused }) } as const;
  if (service) return { ...base, service: serviceReport(scope.linkOf(service), scope.linkIndex, snapshot.config.clusterDomain) };
  // Another build of the workspace may make it (analysis/elsewhere.ts), as the reference rules find.
  const answer = snapshot.elsewhere(scope.id, { kind: 'service', namespace: reference.namespace, name: reference.name });
  const there = answer && snapshot.scopeById(answer.scopeId);
  const found = answer?.services[0];
  if (!there || !found) return { ...base, service: undefined };
  return { ...base, service: serviceReport(there.linkOf(found), there.linkIndex, snapshot.config.clusterDomain), elsewhere: answer.label };
}

/**
 * Why a route may not refer to the Service `name` of `namespace`, when it is a route in another
 * namespace and no ReferenceGrant there (in any build of the workspace) allows it
 * (https://gateway-api.sigs.k8s.io/api-types/referencegrant/, as route-backend-unresolved judges).
 */
function refusedReason(snapshot: Snapshot, object: KubeObject, namespace: string, name: string): string | undefined {
  if (object.shape !== 'route' || namespace === object.namespace) return undefined;
  const scope = snapshot.scopeOf(object);
  const allows = (grants: Parameters<typeof grantsAllow>[0]): boolean => grantsAllow(grants, object, name);
  if (allows(scope.linkIndex.grantsIn(namespace)) || snapshot.elsewhere(scope.id, { kind: 'grant', namespace, allows }) !== undefined) return undefined;
  return notGrantedReason(scope.linkIndex.grantsIn(namespace), object);
}

const VIA: Readonly<Record<ReferenceRole, string>> = {
  'ingress-backend': 'backend',
  'route-backend': 'backendRef',
  'statefulset-service': 'serviceName',
  'workload-ref': 'workloadRef',
  'route-parent': 'parentRef',
};

/** The Ingresses, routes, StatefulSets (by name) and ServiceMonitors (by selector) that point at a Service. */
function referrersOf(snapshot: Snapshot, service: ServiceObject): Referrer[] {
  const scope = snapshot.scopeOf(service);
  const out: Referrer[] = [];
  const seen = new Set<string>();
  for (const reference of scope.linkIndex.referencesTo('Service', service.namespace, service.name)) {
    const from = reference.from;
    const key = `${from.fileId}\u0000${from.order}\u0000${reference.role}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const refused = reference.role === 'route-backend' ? refusedReason(snapshot, from, service.namespace, service.name) : undefined;
    out.push({ kind: from.kind, name: from.name, namespace: from.namespace, fileId: from.fileId, span: reference.span, via: `${from.kind} ${VIA[reference.role]}${refused === undefined ? '' : ` (refused: ${refused})`}` });
  }
  for (const monitor of monitorsOfService(service, scope.linkIndex)) {
    out.push({ kind: monitor.kind, name: monitor.name, namespace: monitor.namespace, fileId: monitor.fileId, span: monitor.selector?.span ?? monitor.nameSpan, via: `${monitor.kind} selector` });
  }
  return out;
}

function serviceHover(snapshot: Snapshot, service: ServiceObject, offset: number): HoverModel | undefined {
  const scope = snapshot.scopeOf(service);
  const report = () => serviceReport(scope.linkOf(service), scope.linkIndex, snapshot.config.clusterDomain);
  for (const pair of service.selector ?? []) {
    if (contains(pair.span, offset) && (pair.span.fileId === undefined || pair.span.fileId === service.fileId)) {
      const miss = scope.linkOf(service).nearestMiss;
      return {
        kind: 'selector-pair',
        span: pair.span,
        service: report(),
        key: pair.key,
        value: pair.value,
        nearestMiss: miss
          ? { template: templateRef(miss.template), satisfied: miss.satisfied, key: miss.pair.key, wanted: miss.pair.value, actual: miss.actual }
          : undefined,
      };
    }
  }
  const spans: Span[] = [service.nameSpan];
  if (service.selectorSpan) spans.push(service.selectorSpan);
  if (service.typeSpan) spans.push(service.typeSpan);
  for (const port of service.ports) spans.push(port.span);
  const hit = spans.find((span) => contains(span, offset) && (span.fileId === undefined || span.fileId === service.fileId));
  if (!hit) return undefined;
  const builds = buildsOf(snapshot, service);
  return { kind: 'service', span: hit, service: report(), referrers: referrersOf(snapshot, service), ...(builds ? { builds } : {}) };
}

/**
 * A Service's hover with the other Services whose hover covers the same span (`alsoHere`): only
 * rendered objects share spans, when a Helm `range` writes several Services from one template
 * text and each maps back to it.
 */
function withOthersHere(snapshot: Snapshot, fileId: string, service: ServiceObject, hover: Extract<HoverModel, { kind: 'service' }>, offset: number): HoverModel {
  const alsoHere: ServiceReport[] = [];
  for (const other of snapshot.objectsOf(fileId)) {
    if (other === service || !isService(other) || offset < other.span.start || offset > other.span.end) continue;
    const twin = serviceHover(snapshot, other, offset);
    if (twin?.kind === 'service' && twin.span.start === hover.span.start && twin.span.end === hover.span.end) alsoHere.push(twin.service);
  }
  return alsoHere.length > 0 ? { ...hover, alsoHere } : hover;
}

/**
 * The identity of an object of a base in every kustomize overlay that builds its file (name,
 * namespace and labels as built), or undefined for a plain file.
 */
function buildsOf(snapshot: Snapshot, object: ServiceObject | PodTemplate): BuiltIdentity[] | undefined {
  const scopes = snapshot.scopesOfFile(object.fileId).filter((scope) => scope.options.label.startsWith('overlay '));
  if (scopes.length === 0) return undefined;
  const out: BuiltIdentity[] = [];
  for (const scope of scopes) {
    const built = scope.objectsOf(object.fileId).find((candidate) => candidate.order === object.order && candidate.shape === object.shape);
    if (!built) continue;
    const pairs = built.shape === 'service' ? (built.selector ?? []) : built.shape === 'template' ? built.labels : [];
    out.push({
      overlay: scope.options.label.slice('overlay '.length),
      kind: built.kind,
      name: built.name,
      namespace: built.namespace,
      labels: Object.fromEntries(pairs.map((pair) => [pair.key, pair.value])),
    });
  }
  return out;
}

function templateHover(snapshot: Snapshot, template: PodTemplate, offset: number): HoverModel | undefined {
  const spans: Span[] = [template.nameSpan];
  if (template.labelsSpan) spans.push(template.labelsSpan);
  for (const pair of template.labels) spans.push(pair.span);
  const hit = spans.find((span) => contains(span, offset) && (span.fileId === undefined || span.fileId === template.fileId));
  if (!hit) return undefined;
  const builds = buildsOf(snapshot, template);
  const scope = snapshot.scopeOf(template);
  // The Services that reach this template: those whose (nearest) matches include it.
  const services = scope.linkIndex
    .servicesSelecting(template, true)
    .filter((service) => service.type !== 'ExternalName' && scope.linkOf(service).matches.some((match) => match === template || (match.fileId === template.fileId && match.order === template.order)))
    .map((service) => serviceReport(scope.linkOf(service), scope.linkIndex, snapshot.config.clusterDomain));
  return {
    kind: 'template',
    span: hit,
    template: templateRef(template),
    labels: Object.fromEntries(template.labels.map((pair) => [pair.key, pair.value])),
    services,
    ...(builds ? { builds } : {}),
  };
}

function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
