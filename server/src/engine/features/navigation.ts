/**
 * Go to definition and find references over the links the engine already made:
 * - a Service selector pair → the label of every Pod template the Service reaches (else the
 *   nearest miss's labels): a Service selects Pods by label
 *   (https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service);
 * - a workload's `matchLabels` pair → its own template's label;
 * - a targetPort → the container port it resolves to on each matched template (by name, or by number);
 * - a reference by name (Ingress backend, Gateway API backendRef, StatefulSet `serviceName`, Rollout
 *   `workloadRef`) → its target;
 * - a backend's port (Ingress `port.name`/`port.number`/`servicePort`, backendRef `port`) → the
 *   Service port it names;
 * - a ServiceMonitor selector pair → the labels of the Services it selects; its endpoint `port` →
 *   the Service ports of that name; a PodMonitor selector pair → the labels of the Pod templates it
 *   selects; its `port` → the container ports of that name (portLinks.ts).
 * References of a label pair are every label and selector of the namespace that writes the same
 * `key=value` (template labels, Service selectors, workload `matchLabels`); of a Service, every
 * reference to it by name and the ServiceMonitors that select it; of a Service port, the backends
 * and ServiceMonitor endpoints that name it; of a container port, the targetPorts and PodMonitor
 * endpoints that resolve to it.
 */
import type { Snapshot } from '../analysis/snapshot';
import { compareObjects } from '../analysis/order';
import { isService, isTemplate, type ContainerPortFact, type PodTemplate, type ServiceObject } from '../model/objects';
import type { FileSpan } from '../types';
import {
  containerPortsOfMonitor,
  monitorPairTargets,
  monitorsSelecting,
  podMonitorUsesOf,
  servicePortLocation,
  servicePortsOfBackend,
  servicePortsOfMonitor,
  servicePortUses,
  type PortUse,
  type ServicePortRef,
} from './portLinks';
import { at, targetAt, uniqueLocations, type CursorTarget } from './targets';

/** The definitions of what is at `offset`; empty when there is nothing to go to. */
export function definitionAt(snapshot: Snapshot, fileId: string, offset: number): FileSpan[] {
  const target = targetAt(snapshot, fileId, offset);
  if (!target) return [];
  switch (target.kind) {
    case 'selector-pair': {
      const link = snapshot.linkOf(target.service);
      const templates = link.matches.length > 0 ? link.matches : link.nearestMiss ? [link.nearestMiss.template] : [];
      return uniqueLocations(templates.map((template) => labelLocation(template, target.pair.key)));
    }
    case 'match-label':
      return uniqueLocations([labelLocation(target.template, target.pair.key)]);
    case 'target-port': {
      const link = snapshot.linkOf(target.service);
      const port = link.ports.find((candidate) => candidate.fact === target.port);
      const out: FileSpan[] = [];
      for (const outcome of port?.outcomes ?? []) {
        if (outcome.kind === 'name' || outcome.kind === 'number') out.push(at(outcome.template, outcome.portSpan));
      }
      return uniqueLocations(out);
    }
    case 'name-reference': {
      const { reference } = target;
      const scope = snapshot.scopeOf(reference.from);
      if (reference.targetKind === 'Service') {
        return uniqueLocations([...scope.linkIndex.servicesNamed(reference.namespace, reference.name)].map((service) => at(service, service.nameSpan)));
      }
      return uniqueLocations(scope.linkIndex.templatesNamed(reference.targetKind, reference.namespace, reference.name).map((template) => at(template, template.nameSpan)));
    }
    case 'backend-port': {
      const use: PortUse = target.backend.portName !== undefined ? 'name' : 'number';
      return uniqueLocations(servicePortsOfBackend(snapshot, target.backend).map((port) => servicePortLocation(port, use)));
    }
    case 'monitor-selector-pair':
      return monitorPairTargets(snapshot, target.monitor, target.pair);
    case 'monitor-port':
      return uniqueLocations([
        ...servicePortsOfMonitor(snapshot, target.monitor, target.port.value).map((port) => servicePortLocation(port, 'name')),
        ...containerPortsOfMonitor(snapshot, target.monitor, target.port.value).map(({ template, port }) => at(template, port.span)),
      ]);
    default:
      return [];
  }
}

/** The references of what is at `offset`, with its declaration when `includeDeclaration`. */
export function referencesAt(snapshot: Snapshot, fileId: string, offset: number, includeDeclaration: boolean): FileSpan[] {
  const target = targetAt(snapshot, fileId, offset);
  if (!target) return [];
  const out = uniqueLocations([...referencesOfTarget(snapshot, target, 'pair'), ...selectorReferrers(snapshot, target)]);
  if (!includeDeclaration) {
    const own = declarationOf(target);
    if (own) return out.filter((location) => !(location.fileId === own.fileId && location.span.start === own.span.start));
  }
  return out;
}

function declarationOf(target: CursorTarget): FileSpan | undefined {
  switch (target.kind) {
    case 'template-label':
      return at(target.template, target.pair.span);
    case 'service-name':
      return at(target.service, target.service.nameSpan);
    case 'container-port':
      return at(target.template, target.port.span);
    case 'service-port':
      return at(target.service, target.span);
    default:
      return undefined;
  }
}

/**
 * What points at a Service by labels rather than by name: the ServiceMonitors that select it. They
 * are references but not rename edits (a rename of the Service leaves them right).
 */
function selectorReferrers(snapshot: Snapshot, target: CursorTarget): FileSpan[] {
  if (target.kind === 'service-name') return monitorsSelecting(snapshot, target.service);
  if (target.kind !== 'name-reference' || target.reference.targetKind !== 'Service') return [];
  const { reference } = target;
  const services = [...snapshot.scopeOf(reference.from).linkIndex.servicesNamed(reference.namespace, reference.name)];
  return services.flatMap((service) => monitorsSelecting(snapshot, service));
}

/** The Service ports a cursor target is, or names (a backend port, a ServiceMonitor endpoint port). */
export function servicePortsOfTarget(snapshot: Snapshot, target: CursorTarget): ServicePortRef[] {
  switch (target.kind) {
    case 'service-port':
      return [{ service: target.service, port: target.port }];
    case 'backend-port':
      return servicePortsOfBackend(snapshot, target.backend);
    case 'monitor-port':
      return servicePortsOfMonitor(snapshot, target.monitor, target.port.value);
    default:
      return [];
  }
}

/** What a pair location covers: the whole pair, or only its key or value (for rename). */
export type PairCover = 'pair' | 'key' | 'value';

/** Every location that refers to the same thing as `target` (its declaration included). */
export function referencesOfTarget(snapshot: Snapshot, target: CursorTarget, cover: PairCover): FileSpan[] {
  switch (target.kind) {
    case 'selector-pair':
      return labelPairUses(snapshot, target.service, target.pair.key, target.pair.value, cover);
    case 'template-label':
    case 'match-label':
      return labelPairUses(snapshot, target.template, target.pair.key, target.pair.value, cover);
    case 'service-name':
      return serviceNameUses(snapshot, target.service);
    case 'name-reference': {
      const { reference } = target;
      if (reference.targetKind !== 'Service') return [at(reference.from, reference.span)];
      const services = [...snapshot.scopeOf(reference.from).linkIndex.servicesNamed(reference.namespace, reference.name)].sort(compareObjects);
      const first = services[0];
      return first ? serviceNameUses(snapshot, first) : uniqueLocations(snapshot.scopeOf(reference.from).linkIndex.referencesTo('Service', reference.namespace, reference.name).map((other) => at(other.from, other.span)));
    }
    case 'container-port':
      return containerPortUses(snapshot, target.template, target.port);
    case 'service-port':
    case 'backend-port':
    case 'monitor-port': {
      // A rename edits the port's name and what names it; references show its uses by name and by number.
      const use: PortUse = cover === 'pair' ? 'both' : 'name';
      const out = servicePortsOfTarget(snapshot, target).flatMap((port) => servicePortUses(snapshot, port, use));
      if (target.kind === 'monitor-port') {
        for (const { template, port } of containerPortsOfMonitor(snapshot, target.monitor, target.port.value)) out.push(...containerPortUses(snapshot, template, port));
      }
      const own = target.kind === 'service-port' ? at(target.service, target.span) : target.kind === 'backend-port' ? at(target.backend.from, target.backend.span) : at(target.monitor, target.port.span);
      return uniqueLocations([own, ...out]);
    }
    case 'monitor-selector-pair':
      return uniqueLocations([at(target.monitor, coverOf(target.pair, cover)), ...monitorPairTargets(snapshot, target.monitor, target.pair)]);
    case 'target-port': {
      const link = snapshot.linkOf(target.service);
      const port = link.ports.find((candidate) => candidate.fact === target.port);
      const out: FileSpan[] = [at(target.service, target.span)];
      for (const outcome of port?.outcomes ?? []) {
        if (outcome.kind === 'name' || outcome.kind === 'number') {
          out.push(at(outcome.template, outcome.portSpan));
          const declared = declaredPort(outcome.template, outcome.portSpan.start);
          if (declared) out.push(...containerPortUses(snapshot, outcome.template, declared));
        }
      }
      return uniqueLocations(out);
    }
  }
}

function labelLocation(template: PodTemplate, key: string): FileSpan {
  const pair = template.labels.find((candidate) => candidate.key === key);
  return at(template, pair?.span ?? template.labelsSpan ?? template.nameSpan);
}

function coverOf(pair: { readonly span: FileSpan['span']; readonly keySpan: FileSpan['span']; readonly valueSpan: FileSpan['span'] }, cover: PairCover): FileSpan['span'] {
  return cover === 'key' ? pair.keySpan : cover === 'value' ? pair.valueSpan : pair.span;
}

/** Template labels, Service selectors and workload `matchLabels` of the object's namespace that write `key=value`. */
function labelPairUses(snapshot: Snapshot, object: ServiceObject | PodTemplate, key: string, value: string, cover: PairCover): FileSpan[] {
  const index = snapshot.scopeOf(object).linkIndex;
  const out: FileSpan[] = [];
  for (const service of index.servicesWithPair(object.namespace, key, value)) {
    for (const pair of service.selector ?? []) if (pair.key === key && pair.value === value) out.push(at(service, coverOf(pair, cover)));
  }
  for (const template of index.templatesWithPair(object.namespace, key, value)) {
    for (const pair of template.labels) if (pair.key === key && pair.value === value) out.push(at(template, coverOf(pair, cover)));
  }
  for (const template of index.templatesWithAnyKey(object.namespace, [key])) {
    for (const pair of template.workloadSelector?.matchLabels ?? []) if (pair.key === key && pair.value === value) out.push(at(template, coverOf(pair, cover)));
  }
  if (isTemplate(object)) {
    for (const pair of object.workloadSelector?.matchLabels ?? []) if (pair.key === key && pair.value === value) out.push(at(object, coverOf(pair, cover)));
  }
  return uniqueLocations(out);
}

/**
 * A Service's name and every reference to it by name (Ingress backends, route backendRefs,
 * StatefulSet `serviceName`) in every build of its file (each kustomize overlay that builds it names
 * it as that overlay builds it), and the kustomize patches and patch targets that name it.
 */
export function serviceNameUses(snapshot: Snapshot, service: ServiceObject): FileSpan[] {
  const out: FileSpan[] = [];
  for (const built of buildsOfService(snapshot, service)) {
    const index = snapshot.scopeOf(built).linkIndex;
    for (const other of index.servicesNamed(built.namespace, built.name)) out.push(at(other, other.nameSpan));
    for (const reference of index.referencesTo('Service', built.namespace, built.name)) out.push(at(reference.from, reference.span));
  }
  for (const mention of snapshot.nameMentionsOf(service)) out.push({ fileId: mention.at, span: mention.span ?? mention.nodeSpan });
  return uniqueLocations(out);
}

/** The Service as each scope that holds its file builds it (the folder scope, each overlay, a chart); itself when none does. */
export function buildsOfService(snapshot: Snapshot, service: ServiceObject): ServiceObject[] {
  const out: ServiceObject[] = [];
  for (const scope of snapshot.scopesOfFile(service.fileId)) {
    for (const object of scope.objectsOf(service.fileId)) if (isService(object) && object.order === service.order) out.push(object);
  }
  return out.includes(service) ? out : [service, ...out];
}

/** A container port, the targetPorts (of Services that reach the template) and the PodMonitor endpoints that resolve to it. */
function containerPortUses(snapshot: Snapshot, template: PodTemplate, port: ContainerPortFact): FileSpan[] {
  const scope = snapshot.scopeOf(template);
  const out: FileSpan[] = [at(template, port.span), ...podMonitorUsesOf(snapshot, template, port)];
  for (const service of scope.linkIndex.servicesSelecting(template, true)) {
    for (const link of scope.linkOf(service).ports) {
      for (const outcome of link.outcomes) {
        if ((outcome.kind === 'name' || outcome.kind === 'number') && outcome.portSpan.start === port.span.start && sameTemplate(outcome.template, template)) {
          out.push(at(service, link.targetSpan));
        }
      }
    }
  }
  return uniqueLocations(out);
}

function sameTemplate(left: PodTemplate, right: PodTemplate): boolean {
  return left === right || (left.fileId === right.fileId && left.order === right.order);
}

function declaredPort(template: PodTemplate, start: number): ContainerPortFact | undefined {
  for (const container of template.containers) for (const port of container.ports) if (port.span.start === start) return port;
  return undefined;
}
