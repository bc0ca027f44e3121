import type { KubeObject } from '../model/objects';
import { ingressBackendProblem, type IngressProblemId } from './backends';
import { missingMaybeUnseen, problemElsewhere, serviceElsewhere, withNamespaceHintElsewhere, type ReferenceRule, type RuleReport } from './rule';

/**
 * An Ingress backend (a rule path or the default backend; `service.name` + `service.port`, or the
 * older `serviceName` + `servicePort`) must name a Service of the Ingress's own namespace and a port
 * of it: https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource .
 * Otherwise the controller has no endpoints for the path and answers 503. A `port` with both
 * `name` and `number` is rejected by the API server (ServiceBackendPort: "This is a mutually
 * exclusive setting with "Number"",
 * https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/#IngressSpec).
 */
export const ingressBackendUnresolved: ReferenceRule<IngressProblemId> = {
  id: 'ingress-backend-unresolved',
  target: 'reference',
  defaultSeverity: 'error',
  description: 'An Ingress backend names a Service that does not exist in the Ingress namespace, or a port the Service does not have, or both a port name and a port number.',
  summary:
    'An Ingress backend or `defaultBackend` (also the older `serviceName`/`servicePort`) whose Service does not exist in the Ingress namespace, or whose port name or number is not a port of that Service.',
  otherSeverity: 'information when the Service may be in what is not analysed: the part of a kustomize build left out, or templated documents nearby that were not rendered',
  messages: {
    noService: 'Service {service} does not exist in namespace {namespace}{hint}.',
    noPort: 'Service/{service} has no port {how} {port}; its ports: {ports}{hint}.',
    noPortGiven: 'The backend names no port of Service/{service}: give port.name or port.number (its ports: {ports}).',
    bothPorts: 'The backend gives both port.name {name} and port.number {number} of Service/{service}; they are mutually exclusive, and the API server rejects the Ingress: keep one.',
  },
  check(object: KubeObject, context) {
    if (object.shape !== 'ingress') return [];
    const reports: RuleReport<IngressProblemId>[] = [];
    for (const backend of object.backends) {
      let problem = ingressBackendProblem(object, backend, context.index);
      if (!problem) continue;
      // A Service another build of the workspace makes is checked there (analysis/elsewhere.ts).
      const elsewhere = problem.messageId === 'noService' ? serviceElsewhere(context, object.namespace, backend.serviceName) : [];
      if (elsewhere.length > 0) problem = problemElsewhere(elsewhere, (answer) => ingressBackendProblem(object, backend, answer.index));
      if (!problem) continue;
      let report: RuleReport<IngressProblemId> = { span: problem.span, messageId: problem.messageId, data: problem.data, related: problem.related };
      if (problem.messageId === 'noService') {
        report = withNamespaceHintElsewhere(report, context, object.namespace, backend.serviceName);
        report = missingMaybeUnseen(report, context, object.fileId, String(report.data['hint'] ?? '') !== '');
      }
      reports.push(report);
    }
    return reports;
  },
};
