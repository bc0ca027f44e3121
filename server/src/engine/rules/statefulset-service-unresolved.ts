import type { KubeObject } from '../model/objects';
import { hasServiceName } from '../model/references';
import { missingServiceHint, relatedService } from './backends';
import { formatSelector, missingMaybeUnseen, serviceElsewhere, withNamespaceHintElsewhere, type ReferenceRule, type RuleReport } from './rule';

type MessageId = 'noService' | 'notHeadless' | 'notSelected';

/**
 * A StatefulSet's `serviceName` names the headless Service that "is responsible for the network
 * identity of the Pods": each Pod gets the DNS name `<pod>.<serviceName>.<namespace>.svc` only
 * when that Service exists in the StatefulSet's namespace and has `clusterIP: None`
 * (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id,
 * https://kubernetes.io/docs/concepts/services-networking/service/#headless-services). The names
 * come from the headless Service's endpoints, so its selector must select the StatefulSet's Pods
 * ("a headless Service with a selector … creates A records for the Pods it selects":
 * https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pods); a Service
 * without a selector (Endpoints written by hand) is not judged.
 */
export const statefulsetServiceUnresolved: ReferenceRule<MessageId> = {
  id: 'statefulset-service-unresolved',
  target: 'reference',
  defaultSeverity: 'warning',
  description: 'A StatefulSet serviceName names no Service in its namespace, a Service that is not headless, or one whose selector does not select its Pods: its Pods get no DNS names.',
  summary:
    'A StatefulSet `serviceName` that names no Service in its namespace, a Service that is not headless (`clusterIP: None`), or one whose selector does not select the StatefulSet Pods: the Pods get no stable DNS names.',
  otherSeverity: 'information when the Service may be in what is not analysed: the part of a kustomize build left out, or templated documents nearby that were not rendered',
  messages: {
    noService: 'Service {service} does not exist in namespace {namespace}{hint}: the Pods of StatefulSet/{set} get no DNS names.',
    notHeadless: 'Service/{service} is not headless (clusterIP: None): the Pods of StatefulSet/{set} get no DNS names of their own.',
    notSelected: 'Service/{service} selects {selector}, which the Pods of StatefulSet/{set} do not carry: they are not its endpoints and get no DNS names of their own.',
  },
  check(object: KubeObject, context) {
    if (!hasServiceName(object) || object.shape !== 'template' || !object.serviceName) return [];
    // A workload with several templates reports once, with its first.
    if (object.order % 256 !== 0) return [];
    const name = object.serviceName.value;
    let services = [...context.index.servicesNamed(object.namespace, name)];
    const reports: RuleReport<MessageId>[] = [];
    const hint = services.length === 0 ? missingServiceHint(context.index, object.namespace, name) : '';
    // A Service another build of the workspace makes is checked as this scope's own (analysis/elsewhere.ts).
    const own = services.length > 0;
    if (!own) services = serviceElsewhere(context, object.namespace, name).flatMap((answer) => answer.services);
    if (services.length === 0) {
      const report = withNamespaceHintElsewhere<MessageId>(
        { span: object.serviceName.span, messageId: 'noService', data: { service: name, namespace: object.namespace, set: object.name, hint } },
        context,
        object.namespace,
        name,
      );
      reports.push(missingMaybeUnseen(report, context, object.fileId, String(report.data['hint'] ?? '') !== ''));
    } else if (!services.some((service) => service.clusterIP === 'None')) {
      const service = services[0]!;
      reports.push({
        span: object.serviceName.span,
        messageId: 'notHeadless',
        data: { service: name, set: object.name },
        related: [{ ...relatedService(service, `Service/${name} has no clusterIP: None`), span: service.nameSpan }],
      });
    } else if (own) {
      // Services of this scope: their links say whether they select the StatefulSet's Pods.
      const headless = services.filter((service) => service.clusterIP === 'None');
      const links = headless.map((service) => context.link(service));
      const selectsIt = links.some((link) => !link.selecting || link.matches.includes(object) || link.alsoMatches.includes(object));
      const service = headless[0]!;
      if (!selectsIt) {
        reports.push({
          span: object.serviceName.span,
          messageId: 'notSelected',
          data: { service: name, selector: formatSelector(service.selector ?? []), set: object.name },
          related: [{ fileId: service.fileId, span: service.selectorSpan ?? service.nameSpan, message: `the selector of Service/${name}` }],
        });
      }
    }
    return reports;
  },
};
