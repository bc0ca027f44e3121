/**
 * Rename (F2): a label key or value in a Pod template, every selector of the namespace that uses
 * the pair and the workload's own `matchLabels`; a Service with every reference to it by name
 * (Ingress backends, StatefulSet `serviceName`, an Endpoints object of the same name).
 * Refused, with the reason, where the rename would break what the engine cannot see or edit:
 * templated documents near the files (Helm, envsubst), a pair also used in `matchExpressions`,
 * a label a controller sets, an EndpointSlice that names the Service by label.
 */
import type { Snapshot } from '../analysis/snapshot';
import type { ServiceObject } from '../model/objects';
import type { FileSpan, Span, TextEdit } from '../types';
import { referencesOfTarget } from './navigation';
import { targetAt, type CursorTarget } from './targets';

export type PrepareRename = { readonly span: Span; readonly placeholder: string } | { readonly refused: string };

export interface RenameResult {
  readonly edits: readonly (TextEdit & { readonly fileId: string })[];
}

/** What a rename at `offset` would rename, or why it cannot. Undefined where nothing is renamed. */
export function prepareRenameAt(snapshot: Snapshot, fileId: string, offset: number): PrepareRename | undefined {
  const target = targetAt(snapshot, fileId, offset);
  if (!target) return undefined;
  const subject = subjectOf(target);
  if (!subject) return undefined;
  const refusal = refusalOf(snapshot, target);
  return refusal ? { refused: refusal } : subject;
}

/** The edits of a rename to `newName`, or why it is refused. */
export function renameAt(snapshot: Snapshot, fileId: string, offset: number, newName: string): RenameResult | { readonly refused: string } | undefined {
  const target = targetAt(snapshot, fileId, offset);
  if (!target || !subjectOf(target)) return undefined;
  const refusal = refusalOf(snapshot, target);
  if (refusal) return { refused: refusal };
  const invalid = invalidName(target, newName);
  if (invalid) return { refused: invalid };
  const cover = target.kind === 'service-name' || target.kind === 'name-reference' ? 'pair' : (target as { part: 'key' | 'value' }).part;
  const locations: FileSpan[] = referencesOfTarget(snapshot, target, cover);
  return { edits: locations.map((location) => ({ fileId: location.fileId, span: location.span, newText: newName })) };
}

function subjectOf(target: CursorTarget): { span: Span; placeholder: string } | undefined {
  switch (target.kind) {
    case 'template-label':
    case 'selector-pair':
    case 'match-label': {
      const { pair, part } = target;
      return part === 'key' ? { span: pair.keySpan, placeholder: pair.key } : { span: pair.valueSpan, placeholder: pair.value };
    }
    case 'service-name':
      return { span: target.service.nameSpan, placeholder: target.service.name };
    case 'name-reference':
      return target.reference.targetKind === 'Service' ? { span: target.reference.span, placeholder: target.reference.name } : undefined;
    default:
      return undefined;
  }
}

function refusalOf(snapshot: Snapshot, target: CursorTarget): string | undefined {
  const locations = referencesOfTarget(snapshot, target, 'pair');
  for (const location of locations) {
    const templated = snapshot.templatedNear(location.fileId);
    if (templated !== undefined) return `Templated documents of ${templated} were not read and may use this name; rename it there by hand.`;
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
  if (target.kind === 'service-name' || target.kind === 'name-reference') {
    const service = serviceOf(snapshot, target);
    if (service) {
      const slices = snapshot.scopeOf(service).linkIndex.endpointsFor(service.namespace, service.name).filter((endpoints) => endpoints.kind !== 'Endpoints');
      if (slices.length > 0) return `${slices[0]!.kind}/${slices[0]!.name} names this Service in its kubernetes.io/service-name label, which rename does not edit.`;
    }
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
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `name` cannot be the new name: a Service name is a DNS label (RFC 1035,
 * concepts/services-networking/service/#defining-a-service); label keys and values follow the label
 * syntax (concepts/overview/working-with-objects/labels/#syntax-and-character-set).
 */
function invalidName(target: CursorTarget, name: string): string | undefined {
  if (target.kind === 'service-name' || target.kind === 'name-reference') {
    return DNS_LABEL.test(name) ? undefined : `${name} is not a valid Service name: lowercase letters, digits and "-", starting with a letter, at most 63 characters.`;
  }
  const part = (target as { part: 'key' | 'value' }).part;
  if (part === 'key') return LABEL_KEY.test(name) ? undefined : `${name} is not a valid label key.`;
  if (!LABEL_VALUE.test(name)) return `${name} is not a valid label value.`;
  if (/^(y|yes|n|no|true|false|on|off|null|~|[-+]?[0-9][0-9_.]*)$/i.test(name)) return `${name} would read as a ${/^[-+0-9]/.test(name) ? 'number' : 'boolean or null'} in YAML; rename to it by hand with quotes.`;
  return undefined;
}
