/**
 * Completion where the links are made, and nowhere else (a schema-driven YAML server completes the
 * rest):
 * - Service `spec.selector` keys and values: the labels of the Pod templates of the Service's
 *   namespace, nearest first in the folder tree, the workload in the detail;
 * - Pod template labels (and a workload's `matchLabels`): the keys and values that Services of the
 *   namespace select;
 * - Service `targetPort`: the names and numbers of the matched templates' container ports;
 * - Ingress backend `service.name` and `service.port.name`/`number`: the Services of the namespace
 *   and the ports of the named one; StatefulSet `serviceName`: the Services of the namespace;
 * - `metadata.namespace`: the namespaces known in the folder.
 * Candidates do not depend on what is typed (the editor filters), so a list is complete.
 */
import type { Snapshot } from '../analysis/snapshot';
import { commonFolderDepth } from '../analysis/proximity';
import { servingContainers } from '../analysis/link';
import { isIngress, isService, objectLabel, type PodTemplate, type ServiceObject } from '../model/objects';
import type { Span } from '../types';
import { cursorPathAt, type CursorPath } from './yamlPath';

export interface CompletionModel {
  readonly label: string;
  /** The text that replaces `CompletionList.replace` (a key gets `: ` after it). */
  readonly insertText: string;
  readonly detail: string;
  /** Orders nearest first; compare as strings. */
  readonly sortText: string;
  readonly kind: 'label-key' | 'label-value' | 'port' | 'service' | 'namespace';
}

export interface CompletionList {
  readonly replace: Span;
  readonly items: readonly CompletionModel[];
}

/** Completions at `offset` of `text` (the editor's text of `fileId`); undefined where none apply. */
export function completionAt(snapshot: Snapshot, fileId: string, text: string, offset: number): CompletionList | undefined {
  const cursor = cursorPathAt(text, offset);
  if (!cursor) return undefined;
  const documentText = text.slice(cursor.document.start, cursor.document.end);
  const kind = /^kind:[ \t]*["']?([A-Za-z0-9]+)/m.exec(documentText)?.[1];
  if (!kind) return undefined;
  const namespace = namespaceOf(documentText) ?? snapshot.config.defaultNamespace;
  const items = candidates(snapshot, fileId, offset, cursor, kind, namespace);
  return items && items.length > 0 ? { replace: cursor.replace, items } : undefined;
}

function candidates(snapshot: Snapshot, fileId: string, offset: number, cursor: CursorPath, kind: string, namespace: string): CompletionModel[] | undefined {
  const path = cursor.path.join('.');
  if (path === 'metadata' && cursor.position === 'value' && cursor.key === 'namespace') return namespaces(snapshot);
  if (kind === 'Service') {
    if (path === 'spec.selector') return cursor.position === 'key' ? templateKeys(snapshot, fileId, namespace) : templateValues(snapshot, fileId, namespace, cursor.key!);
    if (path === 'spec.ports.[]' && cursor.position === 'value' && cursor.key === 'targetPort') return targetPorts(snapshot, fileId, offset, cursor.document);
    return undefined;
  }
  if (kind === 'Ingress' && cursor.position === 'value') {
    if (path.endsWith('backend.service') && cursor.key === 'name') return serviceNames(snapshot, fileId, namespace);
    if (path.endsWith('backend.service.port') && (cursor.key === 'name' || cursor.key === 'number')) return backendPorts(snapshot, fileId, offset, cursor.document, namespace, cursor.key);
    return undefined;
  }
  if (kind === 'StatefulSet' && path === 'spec' && cursor.position === 'value' && cursor.key === 'serviceName') return serviceNames(snapshot, fileId, namespace);
  const labels = (path.endsWith('metadata.labels') && (path !== 'metadata.labels' || kind === 'Pod')) || path.endsWith('selector.matchLabels');
  if (labels) return cursor.position === 'key' ? selectedKeys(snapshot, fileId, namespace) : selectedValues(snapshot, fileId, namespace, cursor.key!);
  return undefined;
}

/** `metadata.namespace` of a document's text (block style). */
function namespaceOf(documentText: string): string | undefined {
  const metadata = /^metadata:[ \t]*\r?\n((?:[ \t]+.*\r?\n?|[ \t]*\r?\n)*)/m.exec(documentText)?.[1];
  return metadata ? /^[ \t]+namespace:[ \t]*["']?([-a-z0-9.]+)/m.exec(metadata)?.[1] : undefined;
}

const SCOPE = (snapshot: Snapshot) => snapshot.scopes[0]!;

/** `0007`: nearer (deeper common folder) sorts first. */
function nearness(fileId: string, other: string): string {
  return String(9999 - commonFolderDepth(fileId, other)).padStart(4, '0');
}

/** Collects candidates by label, keeping the nearest source of each and naming up to three sources. */
class Candidates {
  private readonly byLabel = new Map<string, { item: Omit<CompletionModel, 'detail'>; sources: string[] }>();

  add(label: string, insertText: string, kind: CompletionModel['kind'], sortText: string, source: string): void {
    const entry = this.byLabel.get(label);
    if (!entry) {
      this.byLabel.set(label, { item: { label, insertText, kind, sortText: `${sortText}${label}` }, sources: [source] });
      return;
    }
    if (`${sortText}${label}` < entry.item.sortText) entry.item = { ...entry.item, sortText: `${sortText}${label}` };
    if (!entry.sources.includes(source)) entry.sources.push(source);
  }

  list(describe: (sources: readonly string[]) => string): CompletionModel[] {
    return [...this.byLabel.values()]
      .map(({ item, sources }) => ({ ...item, detail: describe([...sources].sort()) }))
      .sort((left, right) => (left.sortText < right.sortText ? -1 : left.sortText > right.sortText ? 1 : 0));
  }
}

function sourcesText(sources: readonly string[]): string {
  return sources.length <= 3 ? sources.join(', ') : `${sources.slice(0, 3).join(', ')} and ${sources.length - 3} more`;
}

/** Templates of a namespace (with one of `keys` when given); candidates sort themselves, so no order is needed here. */
function templatesIn(snapshot: Snapshot, namespace: string, keys?: readonly string[]): Iterable<PodTemplate> {
  const index = SCOPE(snapshot).linkIndex;
  return keys ? index.templatesWithAnyKey(namespace, keys) : index.templatesIn(namespace);
}

function templateKeys(snapshot: Snapshot, fileId: string, namespace: string): CompletionModel[] {
  const out = new Candidates();
  for (const template of templatesIn(snapshot, namespace)) {
    for (const pair of template.labels) out.add(pair.key, `${pair.key}: `, 'label-key', nearness(fileId, template.fileId), objectLabel(template));
  }
  return out.list((sources) => `label of ${sourcesText(sources)}`);
}

function templateValues(snapshot: Snapshot, fileId: string, namespace: string, key: string): CompletionModel[] {
  const out = new Candidates();
  for (const template of templatesIn(snapshot, namespace, [key])) {
    const value = template.labelMap.get(key);
    if (value !== undefined && value !== '') out.add(value, value, 'label-value', nearness(fileId, template.fileId), objectLabel(template));
  }
  return out.list((sources) => `${key}=… on ${sourcesText(sources)}`);
}

function servicesIn(snapshot: Snapshot, namespace: string): ServiceObject[] {
  return [...SCOPE(snapshot).linkIndex.services()].filter((service) => service.namespace === namespace);
}

function selectedKeys(snapshot: Snapshot, fileId: string, namespace: string): CompletionModel[] {
  const out = new Candidates();
  for (const service of servicesIn(snapshot, namespace)) {
    for (const pair of service.selector ?? []) out.add(pair.key, `${pair.key}: `, 'label-key', nearness(fileId, service.fileId), `Service/${service.name}`);
  }
  return out.list((sources) => `selected by ${sourcesText(sources)}`);
}

function selectedValues(snapshot: Snapshot, fileId: string, namespace: string, key: string): CompletionModel[] {
  const out = new Candidates();
  for (const service of servicesIn(snapshot, namespace)) {
    for (const pair of service.selector ?? []) if (pair.key === key && pair.value !== '') out.add(pair.value, pair.value, 'label-value', nearness(fileId, service.fileId), `Service/${service.name}`);
  }
  return out.list((sources) => `selected by ${sourcesText(sources)}`);
}

/** Whether an object was read from the cursor's document. */
function inDocument(object: { readonly span: Span; readonly fileId: string }, document: Span): boolean {
  return (object.span.fileId === undefined || object.span.fileId === object.fileId) && object.span.start >= document.start && object.span.start < document.end;
}

/**
 * Container ports for a Service port's `targetPort`: names before numbers, and the ports of the
 * Service port's own protocol (TCP when it names none) before the others, which it cannot reach
 * (a Service port forwards to the container port of its protocol: the `protocol` field of
 * https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec).
 */
function targetPorts(snapshot: Snapshot, fileId: string, offset: number, document: Span): CompletionModel[] | undefined {
  const service = snapshot.objectsOf(fileId).find((object): object is ServiceObject => isService(object) && inDocument(object, document));
  if (!service) return undefined;
  // The port item the cursor is in: the last that starts before it (an empty `targetPort:` being typed ends the item's span before the cursor).
  const servicePort = service.ports.filter((port) => (port.span.fileId === undefined || port.span.fileId === fileId) && port.span.start <= offset).at(-1);
  const protocol = servicePort?.protocol;
  const out = new Candidates();
  for (const template of snapshot.linkOf(service).matches) {
    for (const container of servingContainers(template)) {
      for (const port of container.ports) {
        const where = `${objectLabel(template)} container ${container.name}`;
        const rank = protocol === undefined || port.protocol === protocol ? 0 : 2;
        if (port.name) out.add(port.name, port.name, 'port', String(rank), `${where}: ${port.containerPort ?? '?'}/${port.protocol}`);
        if (port.containerPort !== undefined) out.add(String(port.containerPort), String(port.containerPort), 'port', String(rank + 1), `${where}${port.name ? ` (${port.name})` : ''}/${port.protocol}`);
      }
    }
  }
  return out.list(sourcesText);
}

function serviceNames(snapshot: Snapshot, fileId: string, namespace: string): CompletionModel[] {
  const out = new Candidates();
  for (const service of servicesIn(snapshot, namespace)) {
    const ports = service.ports.map((port) => port.port?.value).filter((value) => value !== undefined);
    out.add(service.name, service.name, 'service', nearness(fileId, service.fileId), `Service/${service.name} (${ports.join(', ') || 'no ports'})`);
  }
  return out.list((sources) => sources[0] ?? '');
}

function backendPorts(snapshot: Snapshot, fileId: string, offset: number, document: Span, namespace: string, key: 'name' | 'number'): CompletionModel[] | undefined {
  const ingress = snapshot.objectsOf(fileId).find((object) => isIngress(object) && inDocument(object, document));
  if (!ingress || !isIngress(ingress)) return undefined;
  const backend = [...ingress.backends].filter((candidate) => candidate.span.start < offset).sort((left, right) => right.span.start - left.span.start)[0];
  if (!backend) return undefined;
  const out = new Candidates();
  for (const service of SCOPE(snapshot).linkIndex.servicesNamed(namespace, backend.serviceName)) {
    for (const port of service.ports) {
      const text = key === 'name' ? port.name?.value : port.port !== undefined ? String(port.port.value) : undefined;
      if (text !== undefined) out.add(text, text, 'port', '0', `Service/${service.name} port ${port.name?.value ?? ''} ${port.port?.value ?? '?'}/${port.protocol}`.replace('  ', ' '));
    }
  }
  return out.list((sources) => sources[0] ?? '');
}

function namespaces(snapshot: Snapshot): CompletionModel[] {
  const all = new Set([...SCOPE(snapshot).linkIndex.namespaces(), snapshot.config.defaultNamespace]);
  return [...all].sort().map((namespace) => ({ label: namespace, insertText: namespace, detail: 'namespace in the workspace', sortText: namespace, kind: 'namespace' }));
}
