/**
 * prometheus-operator monitors (https://prometheus-operator.dev/docs/api-reference/api/):
 * - a ServiceMonitor selects Services by their own `metadata.labels` ("Label selector to select the
 *   Kubernetes `Endpoints` objects") in the namespaces of `namespaceSelector` (default: its own), and
 *   `endpoints[].port` is the "Name of the Service port which this endpoint refers to": a container
 *   port's name, a `targetPort` or a number does not match, and the target silently never appears;
 * - a PodMonitor selects Pods by their labels, and `podMetricsEndpoints[].port` is the name of a
 *   container port of those Pods.
 */
import { compareObjects } from '../analysis/order';
import {
  failingRequirements,
  monitorCandidateServices,
  monitorCandidateTemplates,
  monitorNamespaces,
  monitoredServices,
  monitoredTemplates,
  namespacesPhrase,
  serviceLabels,
  templateLabels,
  type LabelLookup,
} from '../analysis/monitors';
import type { KubeObject, LabelPair, MonitorObject, PodTemplate, SelectorExpression, ServiceObject, WorkloadSelector } from '../model/objects';
import { objectLabel } from '../model/objects';
import { formatObjects, formatSelector, missingMaybeUnseen, type ReferenceRuleContext, type ReferenceRule, type RuleReport } from './rule';

type MessageId = 'noService' | 'noPod' | 'servicePort' | 'podPort';

/** `app=web, tier In (a, b)`, or `{}` for the empty selector. */
export function selectorPhrase(selector: WorkloadSelector): string {
  const parts = [formatSelector(selector.matchLabels), ...selector.matchExpressions.map(expressionPhrase)].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(', ') : '{}';
}

function expressionPhrase(expression: SelectorExpression): string {
  return expression.values.length > 0 ? `${expression.key} ${expression.operator} (${expression.values.join(', ')})` : `${expression.key} ${expression.operator}`;
}

function isPair(requirement: LabelPair | SelectorExpression): requirement is LabelPair {
  return 'valueSpan' in requirement;
}

/** The candidate that satisfies most requirements (then file order), with its first failing one. */
function nearestMiss<T extends ServiceObject | PodTemplate>(
  selector: WorkloadSelector,
  candidates: readonly T[],
  lookup: (candidate: T) => LabelLookup,
): { candidate: T; failing: LabelPair | SelectorExpression } | undefined {
  let best: { candidate: T; failing: LabelPair | SelectorExpression; failed: number } | undefined;
  for (const candidate of [...candidates].sort(compareObjects)) {
    const failing = failingRequirements(selector, lookup(candidate));
    const first = failing[0];
    if (!first) continue;
    if (!best || failing.length < best.failed) best = { candidate, failing: first, failed: failing.length };
  }
  return best && { candidate: best.candidate, failing: best.failing };
}

function labelsPhrase(pairs: readonly { readonly key: string; readonly value: string }[]): string {
  return pairs.length > 0 ? formatSelector(pairs) : 'none';
}

function serviceMissHint(service: ServiceObject, failing: LabelPair | SelectorExpression): string {
  const name = objectLabel(service);
  if (!isPair(failing)) return `${name} does not satisfy ${expressionPhrase(failing)} (its labels: ${labelsPhrase(service.objectLabels)})`;
  const inSelector = service.selector?.some((pair) => pair.key === failing.key && pair.value === failing.value) === true;
  const actual = service.objectLabels.find((pair) => pair.key === failing.key)?.value;
  const base = actual === undefined
    ? `${name} has no label ${failing.key} (its labels: ${labelsPhrase(service.objectLabels)})`
    : `${name} has ${failing.key}=${actual}`;
  return inSelector ? `${base}; ${failing.key}=${failing.value} is in its Pod selector, but a ServiceMonitor selects the Service's own labels` : base;
}

function templateMissHint(template: PodTemplate, failing: LabelPair | SelectorExpression): string {
  const name = objectLabel(template);
  if (!isPair(failing)) return `${name} does not satisfy ${expressionPhrase(failing)} (its labels: ${labelsPhrase(template.labels)})`;
  const actual = template.labelMap.get(failing.key);
  return actual === undefined ? `${name} has no label ${failing.key} (its labels: ${labelsPhrase(template.labels)})` : `${name} has ${failing.key}=${actual}`;
}

/** Where a selector finding points: the failing requirement, else the first one, else the `selector` key. */
function selectorSpan(selector: WorkloadSelector, failing: LabelPair | SelectorExpression | undefined) {
  return failing?.span ?? selector.matchLabels[0]?.span ?? selector.matchExpressions[0]?.span ?? selector.span;
}

function checkServiceMonitor(monitor: MonitorObject, selector: WorkloadSelector, context: ReferenceRuleContext, out: RuleReport<MessageId>[]): void {
  let services = monitoredServices(monitor, context.index);
  // Services another build of the workspace makes are scraped as well (analysis/elsewhere.ts): a
  // plain monitoring folder beside the overlays that build the apps.
  if (services.length === 0) services = context.elsewhere({ kind: 'selected', find: (index) => monitoredServices(monitor, index) }).flatMap((answer) => answer.services);
  const namespaces = namespacesPhrase(monitorNamespaces(monitor));
  if (services.length === 0) {
    const miss = nearestMiss(selector, monitorCandidateServices(monitor, context.index), serviceLabels);
    const report: RuleReport<MessageId> = {
      span: selectorSpan(selector, miss?.failing),
      messageId: 'noService',
      data: { selector: selectorPhrase(selector), namespaces, hint: miss ? serviceMissHint(miss.candidate, miss.failing) : 'there is no Service there' },
      related: miss ? [{ fileId: miss.candidate.fileId, span: miss.candidate.nameSpan, message: `the nearest Service: ${objectLabel(miss.candidate)}` }] : [],
    };
    out.push(missingMaybeUnseen(report, context, monitor.fileId, miss !== undefined));
    return;
  }
  for (const endpoint of monitor.endpoints) {
    const port = endpoint.port;
    if (!port) continue;
    if (services.some((service) => service.ports.some((candidate) => candidate.name?.value === port.value))) continue;
    const names = [...new Set(services.flatMap((service) => service.ports.flatMap((candidate) => (candidate.name ? [candidate.name.value] : []))))];
    out.push({
      span: port.span,
      messageId: 'servicePort',
      data: {
        port: port.value,
        services: formatObjects(services.map(objectLabel)),
        names: names.length > 0 ? names.join(', ') : 'none (an endpoint port names a Service port by its name)',
        hint: servicePortHint(port.value, services, context),
      },
      related: services.slice(0, 5).map((service) => ({ fileId: service.fileId, span: service.ports[0]?.span ?? service.nameSpan, message: `the ports of ${objectLabel(service)}` })),
    });
  }
}

/** Why a name is not a Service port name: it is a `targetPort`, or a container port of the selected Pods. */
function servicePortHint(name: string, services: readonly ServiceObject[], context: ReferenceRuleContext): string {
  const nameOf = (port: ServiceObject['ports'][number]) => (port.name ? `the Service port ${port.name.value}` : `Service port ${port.port?.value ?? '?'}, which has no name: name it and use that name`);
  for (const service of services) {
    const targeting = service.ports.find((port) => port.targetPort?.value === name);
    if (targeting) return `; ${name} is the targetPort of ${objectLabel(service)} port ${targeting.port?.value ?? '?'}: use ${nameOf(targeting)}`;
  }
  for (const service of services) {
    for (const template of context.link(service).matches) {
      for (const container of template.containers) {
        const containerPort = container.ports.find((port) => port.name === name);
        if (!containerPort) continue;
        const reaching = service.ports.find((port) => port.targetPort?.value === containerPort.containerPort || (port.targetPort === undefined && port.port?.value === containerPort.containerPort));
        return reaching
          ? `; ${name} is a container port of ${objectLabel(template)}: use ${nameOf(reaching)}`
          : `; ${name} is a container port of ${objectLabel(template)}, and no port of ${objectLabel(service)} targets it`;
      }
    }
  }
  return '';
}

function checkPodMonitor(monitor: MonitorObject, selector: WorkloadSelector, context: ReferenceRuleContext, out: RuleReport<MessageId>[]): void {
  let templates = monitoredTemplates(monitor, context.index);
  // Pods another build of the workspace makes are scraped as well (analysis/elsewhere.ts).
  if (templates.length === 0) templates = context.elsewhere({ kind: 'selected', find: (index) => monitoredTemplates(monitor, index) }).flatMap((answer) => answer.templates);
  const namespaces = namespacesPhrase(monitorNamespaces(monitor));
  if (templates.length === 0) {
    const miss = nearestMiss(selector, monitorCandidateTemplates(monitor, context.index), templateLabels);
    const report: RuleReport<MessageId> = {
      span: selectorSpan(selector, miss?.failing),
      messageId: 'noPod',
      data: { selector: selectorPhrase(selector), namespaces, hint: miss ? templateMissHint(miss.candidate, miss.failing) : 'there is no Pod template there' },
      related: miss ? [{ fileId: miss.candidate.fileId, span: miss.candidate.labelsSpan ?? miss.candidate.nameSpan, message: `the nearest Pod template: ${objectLabel(miss.candidate)}` }] : [],
    };
    out.push(missingMaybeUnseen(report, context, monitor.fileId, miss !== undefined, 'pods'));
    return;
  }
  for (const endpoint of monitor.endpoints) {
    const port = endpoint.port;
    if (!port) continue;
    // Prometheus discovers the ports of every container of the Pod, init containers included.
    if (templates.some((template) => template.containers.some((container) => container.ports.some((candidate) => candidate.name === port.value)))) continue;
    const names = [...new Set(templates.flatMap((template) => template.containers.flatMap((container) => container.ports.flatMap((candidate) => (candidate.name ? [`${candidate.name} (${candidate.containerPort ?? '?'})`] : [])))))];
    out.push({
      span: port.span,
      messageId: 'podPort',
      data: { port: port.value, templates: formatObjects(templates.map(objectLabel)), names: names.length > 0 ? names.join(', ') : 'none' },
      related: templates.slice(0, 5).map((template) => ({ fileId: template.fileId, span: template.nameSpan, message: `the container ports of ${objectLabel(template)}` })),
    });
  }
}

export const monitorUnresolved: ReferenceRule<MessageId> = {
  id: 'monitor-unresolved',
  target: 'reference',
  defaultSeverity: 'warning',
  description: 'A ServiceMonitor or PodMonitor selects nothing, or its endpoint port names no port of what it selects: Prometheus never scrapes it.',
  summary:
    'A prometheus-operator `ServiceMonitor` whose selector (in its `namespaceSelector` namespaces) matches no Service labels, or whose endpoint `port` is not a Service port name (often a container port name or a `targetPort`); a `PodMonitor` whose selector matches no Pod template, or whose `port` names no container port of them.',
  otherSeverity: 'information when the Service or Pod template may be in what is not analysed: the part of a kustomize build left out, or templated documents nearby that were not rendered',
  messages: {
    noService: 'Selector {selector} matches the labels of no Service in {namespaces}; {hint}.',
    noPod: 'Selector {selector} matches no Pod template in {namespaces}; {hint}.',
    servicePort: 'port {port} names no port of {services}; Service port names: {names}{hint}.',
    podPort: 'port {port} names no container port of {templates}; named container ports: {names}.',
  },
  check(object: KubeObject, context) {
    if (object.shape !== 'monitor' || !object.selector) return [];
    const out: RuleReport<MessageId>[] = [];
    if (object.selects === 'Service') checkServiceMonitor(object, object.selector, context, out);
    else checkPodMonitor(object, object.selector, context, out);
    return out;
  },
};
