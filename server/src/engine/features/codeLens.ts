/**
 * Code lenses: above each Service, what it reaches (`2 workloads · ports 80→http ✓, 443→https ✗`);
 * above each Pod template, who routes to it (`routed by web:80, web-internal:8080`). Each lens
 * carries the locations it summarises, which a click shows.
 */
import type { Snapshot } from '../analysis/snapshot';
import type { PortLink } from '../analysis/link';
import { isService, isTemplate, type PodTemplate, type ServiceObject } from '../model/objects';
import type { FileSpan, Span } from '../types';
import { at, uniqueLocations } from './targets';

export interface CodeLensModel {
  /** Where the lens sits (the object's name). */
  readonly span: Span;
  readonly title: string;
  /** What a click shows. */
  readonly locations: readonly FileSpan[];
}

export function codeLenses(snapshot: Snapshot, fileId: string): CodeLensModel[] {
  const out: CodeLensModel[] = [];
  for (const object of snapshot.objectsOf(fileId)) {
    // A name written in another file (a kustomization's prefix, a render) has its lens there.
    if (object.nameSpan.fileId !== undefined && object.nameSpan.fileId !== fileId) continue;
    if (isService(object)) {
      const lens = serviceLens(snapshot, object);
      if (lens) out.push(lens);
    } else if (isTemplate(object)) {
      out.push(templateLens(snapshot, object));
    }
  }
  return out;
}

function serviceLens(snapshot: Snapshot, service: ServiceObject): CodeLensModel | undefined {
  const link = snapshot.linkOf(service);
  if (!link.selecting) return undefined;
  const workloads = new Set(link.matches.map((template) => `${template.fileId}\u0000${template.kind}\u0000${template.name}`));
  const count = workloads.size === 1 ? '1 workload' : `${workloads.size} workloads`;
  const ports = link.ports.map(portSummary).filter((text) => text.length > 0);
  const title = ports.length > 0 ? `${count} · ports ${ports.join(', ')}` : count;
  const locations = uniqueLocations(link.matches.map((template) => at(template, template.labelsSpan ?? template.nameSpan)));
  return { span: service.nameSpan, title, locations };
}

function portSummary(port: PortLink): string {
  const number = port.fact.port?.value;
  if (number === undefined) return '';
  const target = port.target === undefined || port.target === number ? `${number}` : `${number}→${port.target}`;
  if (port.outcomes.length === 0) return `${target} ✗`;
  const resolved = port.outcomes.every((outcome) => outcome.kind === 'name' || outcome.kind === 'number' || (outcome.kind === 'undeclared' && !outcome.declaresPorts));
  return `${target} ${resolved ? '✓' : '✗'}`;
}

function templateLens(snapshot: Snapshot, template: PodTemplate): CodeLensModel {
  const scope = snapshot.scopeOf(template);
  const routes: string[] = [];
  const locations: FileSpan[] = [];
  for (const service of scope.linkIndex.servicesSelecting(template, true)) {
    if (service.type === 'ExternalName') continue;
    const link = scope.linkOf(service);
    if (!link.matches.some((match) => match === template || (match.fileId === template.fileId && match.order === template.order))) continue;
    locations.push(at(service, service.nameSpan));
    const numbers = service.ports.map((port) => port.port?.value).filter((value): value is number => value !== undefined);
    routes.push(numbers.length > 0 ? numbers.map((number) => `${service.name}:${number}`).join(', ') : service.name);
  }
  const title = routes.length > 0 ? `routed by ${routes.join(', ')}` : 'routed by no Service';
  return { span: template.nameSpan, title, locations: uniqueLocations(locations) };
}
