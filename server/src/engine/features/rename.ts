/**
 * Rename (F2): a label key or value in a Pod template, every selector of the namespace that uses
 * the pair and the workload's own `matchLabels`; a Service with every reference to it by name
 * (Ingress backends, Gateway API backendRefs, StatefulSet `serviceName`, in every kustomize overlay
 * that builds it; ServiceMonitors select it by labels and stay right) and the kustomize patches and
 * patch targets that name it; a Service port name with the Ingress backends (`port.name`,
 * `servicePort`) and ServiceMonitor endpoints that name it, from the port or from one of those uses.
 * Refused, with the reason, where the rename would break what the engine cannot see or edit:
 * templated documents near the files (Helm, envsubst), documents near them skipped as not valid
 * YAML, a pair also used in `matchExpressions`,
 * a label a controller sets, an EndpointSlice that names the Service by label, a patch target that
 * also selects other objects by the name, Endpoints that name the port, a ServiceMonitor endpoint that also names the port on another Service.
 */
import type { Snapshot } from '../analysis/snapshot';
import { monitorsOfService } from '../analysis/monitors';
import type { ServiceObject } from '../model/objects';
import { objectLabel } from '../model/objects';
import { resolvePlain } from '../syntax/scalars';
import type { FileSpan, Span, TextEdit } from '../types';
import { referencesOfTarget, servicePortsOfTarget } from './navigation';
import { monitorSelection, type ServicePortRef } from './portLinks';
import { targetAt, type CursorTarget } from './targets';

export type PrepareRename = { readonly span: Span; readonly placeholder: string } | { readonly refused: string };

export interface RenameResult {
  readonly edits: readonly (TextEdit & { readonly fileId: string })[];
}

/** What a rename at `offset` would rename, or why it cannot. Undefined where nothing is renamed. */
export function prepareRenameAt(snapshot: Snapshot, fileId: string, offset: number): PrepareRename | undefined {
  const target = targetAt(snapshot, fileId, offset);
  if (!target) return undefined;
  const subject = subjectOf(snapshot, target);
  if (!subject) return undefined;
  const refusal = refusalOf(snapshot, target);
  return refusal ? { refused: refusal } : subject;
}

/** The edits of a rename to `newName`, or why it is refused. */
export function renameAt(snapshot: Snapshot, fileId: string, offset: number, newName: string): RenameResult | { readonly refused: string } | undefined {
  const target = targetAt(snapshot, fileId, offset);
  if (!target || !subjectOf(snapshot, target)) return undefined;
  const refusal = refusalOf(snapshot, target);
  if (refusal) return { refused: refusal };
  const invalid = invalidName(snapshot, target, newName);
  if (invalid) return { refused: invalid };
  const cover = coverOf(target);
  const locations: FileSpan[] = referencesOfTarget(snapshot, target, cover);
  const service = serviceOf(snapshot, target);
  const mentions = service ? mentionEdits(snapshot, service, newName) : [];
  const edited = new Set(mentions.map((edit) => `${edit.fileId}\u0000${edit.span.start}`));
  const edits = locations.filter((location) => !edited.has(`${location.fileId}\u0000${location.span.start}`)).map((location) => ({ fileId: location.fileId, span: location.span, newText: newName }));
  return { edits: [...edits, ...mentions] };
}

/**
 * The edits of the kustomize patches and patch targets that name a renamed Service
 * (NameMention): the written name in each becomes `newName`; a name that also holds a prefix or
 * suffix (`prod-web`, a target's `web-.*`) keeps them. `mentionRefusal` says when one cannot be edited.
 */
function mentionEdits(snapshot: Snapshot, service: ServiceObject, newName: string): (TextEdit & { readonly fileId: string })[] {
  const written = snapshot.writtenName(service);
  const out: (TextEdit & { readonly fileId: string })[] = [];
  for (const mention of snapshot.nameMentionsOf(service)) {
    const at = mention.name.indexOf(written);
    if (mention.span === undefined || at < 0) continue;
    out.push({ fileId: mention.at, span: { start: mention.span.start + at, end: mention.span.start + at + written.length }, newText: newName });
  }
  return out;
}

/** Why the kustomize mentions of a Service (NameMention) keep it from being renamed here, if they do. */
function mentionRefusal(snapshot: Snapshot, service: ServiceObject): string | undefined {
  const written = snapshot.writtenName(service);
  for (const mention of snapshot.nameMentionsOf(service)) {
    const where = `${mention.at.slice(mention.at.lastIndexOf('/') + 1)}`;
    const at = mention.name.indexOf(written);
    if (mention.span === undefined || at < 0 || mention.name.indexOf(written, at + 1) >= 0) {
      return `A kustomize patch in ${where} names this Service as ${mention.name}, in a form rename does not edit; rename it there by hand.`;
    }
    if (mention.others.length > 0) {
      return `A kustomize patch target in ${where} selects this Service and ${mention.others.join(', ')} by the name ${mention.name}; renaming it there would unpatch ${mention.others.length === 1 ? 'that object' : 'those objects'}, so rename by hand.`;
    }
  }
  return undefined;
}

/** What the edits replace: a whole name value, or the key or value of a label pair. */
function coverOf(target: CursorTarget): 'pair' | 'key' | 'value' {
  switch (target.kind) {
    case 'template-label':
    case 'selector-pair':
    case 'match-label':
      return target.part;
    case 'service-port':
    case 'backend-port':
    case 'monitor-port':
      return 'value';
    default:
      return 'pair';
  }
}

/**
 * The one Service port whose name a port target renames: a Service port's name, or a backend or
 * ServiceMonitor endpoint that names exactly one Service port by name.
 */
function renamedPort(snapshot: Snapshot, target: CursorTarget): ServicePortRef | undefined {
  if (target.kind === 'service-port') return target.part === 'name' ? { service: target.service, port: target.port } : undefined;
  if (target.kind === 'backend-port' && target.backend.portName === undefined) return undefined;
  const ports = servicePortsOfTarget(snapshot, target);
  return ports.length === 1 ? ports[0] : undefined;
}

function subjectOf(snapshot: Snapshot, target: CursorTarget): { span: Span; placeholder: string } | undefined {
  switch (target.kind) {
    case 'service-port':
    case 'backend-port':
    case 'monitor-port': {
      const port = renamedPort(snapshot, target)?.port.name;
      if (!port) return undefined;
      const span = target.kind === 'service-port' ? target.span : target.kind === 'backend-port' ? target.backend.span : target.port.span;
      return { span, placeholder: port.value };
    }
    case 'template-label':
    case 'selector-pair':
    case 'match-label': {
      const { pair, part } = target;
      return part === 'key' ? { span: pair.keySpan, placeholder: pair.key } : { span: pair.valueSpan, placeholder: pair.value };
    }
    case 'service-name':
      // The name as the file writes it: a kustomize overlay may build it with a prefix or suffix.
      return { span: target.service.nameSpan, placeholder: snapshot.writtenName(target.service) };
    case 'name-reference': {
      if (target.reference.targetKind !== 'Service') return undefined;
      const service = serviceOf(snapshot, target);
      return { span: target.reference.span, placeholder: service ? snapshot.writtenName(service) : target.reference.name };
    }
    default:
      return undefined;
  }
}

function refusalOf(snapshot: Snapshot, target: CursorTarget): string | undefined {
  const locations = referencesOfTarget(snapshot, target, 'pair');
  for (const location of locations) {
    const templated = snapshot.templatedNear(location.fileId);
    if (templated !== undefined) return `Templated documents of ${templated} were not read and may use this name; rename it there by hand.`;
    const invalid = snapshot.invalidNear(location.fileId);
    if (invalid !== undefined) return `A document of ${invalid} was skipped as not valid YAML and may use this name; fix it, then rename.`;
  }
  if (target.kind === 'template-label' || target.kind === 'selector-pair' || target.kind === 'match-label') {
    const { key, value } = target.pair;
    const object = target.kind === 'selector-pair' ? target.service : target.template;
    const index = snapshot.scopeOf(object).linkIndex;
    for (const template of index.templatesWithAnyKey(object.namespace, [key])) {
      if (template.controllerLabels.some((label) => label.key === key) && !template.labelMap.has(key)) return `The controller of ${template.kind}/${template.name} sets the label ${key}; it cannot be renamed in the manifests.`;
      if (template.workloadSelector?.matchExpressions.some((expression) => expression.key === key && (expression.values.length === 0 || expression.values.includes(value)))) {
        return `${template.kind}/${template.name} uses ${key} in matchExpressions, which rename does not edit.`;
      }
    }
  }
  const port = renamedPort(snapshot, target);
  if (port) return portRefusal(snapshot, port);
  if (target.kind === 'service-name' || target.kind === 'name-reference') {
    const service = serviceOf(snapshot, target);
    if (service) {
      const mentioned = mentionRefusal(snapshot, service);
      if (mentioned) return mentioned;
      const slices = snapshot.scopeOf(service).linkIndex.endpointsFor(service.namespace, service.name).filter((endpoints) => endpoints.kind !== 'Endpoints');
      if (slices.length > 0) return `${slices[0]!.kind}/${slices[0]!.name} names this Service in its kubernetes.io/service-name label, which rename does not edit.`;
    }
  }
  return undefined;
}

/**
 * Why a Service port name cannot be renamed here: Endpoints or EndpointSlices name their ports as
 * the Service does (a selectorless Service pairs its ports with theirs by name:
 * https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors), and
 * rename does not edit them; a ServiceMonitor endpoint that names the port also scrapes a port of
 * that name on another Service, which the rename would leave behind.
 */
function portRefusal(snapshot: Snapshot, reference: ServicePortRef): string | undefined {
  const { service, port } = reference;
  const name = port.name?.value;
  if (name === undefined) return undefined;
  const index = snapshot.scopeOf(service).linkIndex;
  const endpoints = index.endpointsFor(service.namespace, service.name).find((candidate) => candidate.ports.some((other) => other.name === name));
  if (endpoints) return `${objectLabel(endpoints)} names the port ${name} of this Service, which rename does not edit.`;
  for (const monitor of monitorsOfService(service, index)) {
    if (!monitor.endpoints.some((endpoint) => endpoint.port?.value === name)) continue;
    const other = monitorSelection(snapshot, monitor).services.find((candidate) => candidate !== service && candidate.ports.some((candidatePort) => candidatePort.name?.value === name));
    if (other) return `${objectLabel(monitor)} also scrapes the port ${name} of ${objectLabel(other)}; rename the port on every Service it selects by hand.`;
  }
  return undefined;
}

function serviceOf(snapshot: Snapshot, target: CursorTarget): ServiceObject | undefined {
  if (target.kind === 'service-name') return target.service;
  if (target.kind !== 'name-reference') return undefined;
  const { reference } = target;
  return [...snapshot.scopeOf(reference.from).linkIndex.servicesNamed(reference.namespace, reference.name)][0];
}

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `name` cannot be the new name: a Service name is a DNS label (RFC 1035,
 * concepts/services-networking/service/#defining-a-service); label keys and values follow the label
 * syntax (concepts/overview/working-with-objects/labels/#syntax-and-character-set).
 */
function invalidName(snapshot: Snapshot, target: CursorTarget, name: string): string | undefined {
  const port = renamedPort(snapshot, target);
  if (port) {
    // A Service port name is a DNS label (RFC 1123), unique among the Service's ports:
    // https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
    if (!PORT_NAME.test(name)) return `${name} is not a valid Service port name: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters.`;
    if (/^[0-9]+$/.test(name)) return `${name} would read as a number in YAML; rename to it by hand with quotes.`;
    if (port.service.ports.some((other) => other !== port.port && other.name?.value === name)) return `${objectLabel(port.service)} already has a port named ${name}.`;
    return undefined;
  }
  if (target.kind === 'service-name' || target.kind === 'name-reference') {
    if (!DNS_LABEL.test(name)) return `${name} is not a valid Service name: lowercase letters, digits and "-", starting with a letter, at most 63 characters.`;
    // kubectl reads YAML 1.1, where these plain words are booleans or null, not the name.
    if (typeof resolvePlain(name) !== 'string') return `${name} would read as a boolean or null in YAML; rename to it by hand with quotes.`;
    return undefined;
  }
  const part = coverOf(target) === 'key' ? 'key' : 'value';
  if (part === 'key') return LABEL_KEY.test(name) ? undefined : `${name} is not a valid label key.`;
  if (!LABEL_VALUE.test(name)) return `${name} is not a valid label value.`;
  if (/^(y|yes|n|no|true|false|on|off|null|~|[-+]?[0-9][0-9_.]*)$/i.test(name)) return `${name} would read as a ${/^[-+0-9]/.test(name) ? 'number' : 'boolean or null'} in YAML; rename to it by hand with quotes.`;
  return undefined;
}
