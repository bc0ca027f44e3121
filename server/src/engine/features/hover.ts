/**
 * What a hover shows, as plain data (reports.ts): on a Service its links; on a selector pair that
 * misses, the nearest miss; on a Pod template's labels the Services that select it.
 */
import { serviceReport, templateRef } from '../analysis/report';
import type { Snapshot } from '../analysis/snapshot';
import { isService, isTemplate, type PodTemplate, type ServiceObject } from '../model/objects';
import type { HoverModel } from '../reports';
import type { Span } from '../types';

export function hoverAt(snapshot: Snapshot, fileId: string, offset: number): HoverModel | undefined {
  for (const object of snapshot.objectsOf(fileId)) {
    if (offset < object.span.start || offset > object.span.end) continue;
    if (isService(object)) {
      const hover = serviceHover(snapshot, object, offset);
      if (hover) return hover;
    } else if (isTemplate(object)) {
      const hover = templateHover(snapshot, object, offset);
      if (hover) return hover;
    }
  }
  return undefined;
}

function serviceHover(snapshot: Snapshot, service: ServiceObject, offset: number): HoverModel | undefined {
  const scope = snapshot.scopeOf(service);
  const report = () => serviceReport(scope.linkOf(service), scope.linkIndex, snapshot.config.clusterDomain);
  for (const pair of service.selector ?? []) {
    if (contains(pair.span, offset)) {
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
  const hit = spans.find((span) => contains(span, offset));
  return hit ? { kind: 'service', span: hit, service: report() } : undefined;
}

function templateHover(snapshot: Snapshot, template: PodTemplate, offset: number): HoverModel | undefined {
  const spans: Span[] = [template.nameSpan];
  if (template.labelsSpan) spans.push(template.labelsSpan);
  for (const pair of template.labels) spans.push(pair.span);
  const hit = spans.find((span) => contains(span, offset) && span.fileId === undefined);
  if (!hit) return undefined;
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
  };
}

function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
