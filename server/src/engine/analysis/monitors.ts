/**
 * What a prometheus-operator monitor selects. A ServiceMonitor selects Services by their own
 * `metadata.labels`, a PodMonitor selects Pods by theirs, through a LabelSelector (`matchLabels` and
 * `matchExpressions`, all of which must hold; an empty selector selects everything:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements),
 * in the namespaces of `namespaceSelector`: every namespace with `any: true`, the `matchNames`, or
 * else the monitor's own namespace
 * (https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.NamespaceSelector).
 */
import { podLabel, type LinkIndex } from '../index/linkIndex';
import type { LabelPair, MonitorObject, PodTemplate, SelectorExpression, ServiceObject, WorkloadSelector } from '../model/objects';

/** What objects carry for a label key: a value, the values a controller may give, `any` (unknown), or nothing. */
export type LabelLookup = (key: string) => string | readonly string[] | 'any' | undefined;

/** Whether a label of the object can equal `value`. */
function canEqual(label: string | readonly string[] | 'any' | undefined, value: string): boolean {
  if (label === undefined) return false;
  if (label === 'any') return true;
  return typeof label === 'string' ? label === value : label.includes(value);
}

export function pairHolds(lookup: LabelLookup, pair: { readonly key: string; readonly value: string }): boolean {
  return canEqual(lookup(pair.key), pair.value);
}

export function expressionHolds(lookup: LabelLookup, expression: SelectorExpression): boolean {
  const label = lookup(expression.key);
  switch (expression.operator) {
    case 'In':
      return expression.values.some((value) => canEqual(label, value));
    case 'NotIn':
      return label === undefined || label === 'any' || !(typeof label === 'string' ? expression.values.includes(label) : label.every((value) => expression.values.includes(value)));
    case 'Exists':
      return label !== undefined;
    case 'DoesNotExist':
      return label === undefined;
    default:
      // An unknown operator is rejected by the API server: the selector selects nothing.
      return false;
  }
}

/** Whether a LabelSelector holds for an object's labels. */
export function selectorHolds(selector: WorkloadSelector, lookup: LabelLookup): boolean {
  return selector.matchLabels.every((pair) => pairHolds(lookup, pair)) && selector.matchExpressions.every((expression) => expressionHolds(lookup, expression));
}

export function serviceLabels(service: ServiceObject): LabelLookup {
  return (key) => service.objectLabels.find((pair) => pair.key === key)?.value;
}

export function templateLabels(template: PodTemplate): LabelLookup {
  return (key) => podLabel(template, key);
}

/** The namespaces a monitor looks in: `all`, or a list. */
export function monitorNamespaces(monitor: MonitorObject): readonly string[] | 'all' {
  if (monitor.anyNamespace) return 'all';
  return monitor.namespaceNames.length > 0 ? monitor.namespaceNames : [monitor.namespace];
}

/** `namespace shop`, `namespaces a and b`, `any namespace`. */
export function namespacesPhrase(namespaces: readonly string[] | 'all'): string {
  if (namespaces === 'all') return 'any namespace';
  return namespaces.length === 1 ? `namespace ${namespaces[0]}` : `namespaces ${namespaces.join(', ')}`;
}

function candidates<T>(namespaces: readonly string[] | 'all', of: (namespace: string | 'all') => T[]): T[] {
  if (namespaces === 'all') return of('all');
  return [...new Set(namespaces)].flatMap((namespace) => of(namespace));
}

/** The Services a ServiceMonitor selects (none without a selector). */
export function monitoredServices(monitor: MonitorObject, index: LinkIndex): ServiceObject[] {
  const selector = monitor.selector;
  if (monitor.selects !== 'Service' || !selector) return [];
  return candidates(monitorNamespaces(monitor), (namespace) => index.servicesIn(namespace)).filter((service) => selectorHolds(selector, serviceLabels(service)));
}

/** The Services of a monitor's namespaces, for the nearest miss. */
export function monitorCandidateServices(monitor: MonitorObject, index: LinkIndex): ServiceObject[] {
  return candidates(monitorNamespaces(monitor), (namespace) => index.servicesIn(namespace));
}

/** The Pod templates a PodMonitor selects. */
export function monitoredTemplates(monitor: MonitorObject, index: LinkIndex): PodTemplate[] {
  const selector = monitor.selector;
  if (monitor.selects !== 'Pod' || !selector) return [];
  return candidates(monitorNamespaces(monitor), (namespace) => index.templatesAnywhere(namespace)).filter((template) => selectorHolds(selector, templateLabels(template)));
}

export function monitorCandidateTemplates(monitor: MonitorObject, index: LinkIndex): PodTemplate[] {
  return candidates(monitorNamespaces(monitor), (namespace) => index.templatesAnywhere(namespace));
}

/** The ServiceMonitors that select a Service. */
export function monitorsOfService(service: ServiceObject, index: LinkIndex): MonitorObject[] {
  return index.monitors().filter((monitor) => monitor.selects === 'Service' && monitoredServices(monitor, index).includes(service));
}

/** The selector requirements an object's labels fail: pairs and expressions, in order. */
export function failingRequirements(selector: WorkloadSelector, lookup: LabelLookup): (LabelPair | SelectorExpression)[] {
  return [
    ...selector.matchLabels.filter((pair) => !pairHolds(lookup, pair)),
    ...selector.matchExpressions.filter((expression) => !expressionHolds(lookup, expression)),
  ];
}
