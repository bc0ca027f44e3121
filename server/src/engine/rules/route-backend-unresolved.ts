import type { LinkIndex } from '../index/linkIndex';
import { ruleBackendRefs, type KubeObject, type ReferenceGrantObject } from '../model/objects';
import { grantsAllow, routeBackendProblem, type RouteProblemId } from './backends';
import { missingMaybeUnseen, problemElsewhere, serviceElsewhere, withNamespaceHintElsewhere, type ReferenceRule, type RuleReport } from './rule';

/**
 * A Gateway API route (`HTTPRoute`, `GRPCRoute`, `TCPRoute`, `TLSRoute`, `UDPRoute`) backendRef to a
 * Service must name an existing Service and one of its ports, and may refer to another namespace
 * only when a ReferenceGrant there allows it (https://gateway-api.sigs.k8s.io/reference/spec/#backendref,
 * https://gateway-api.sigs.k8s.io/api-types/referencegrant/). An unresolved backendRef gets no
 * traffic: for HTTP the gateway answers 500 for the requests it would have received. A
 * `RequestMirror` filter's backendRef is checked alike: one that does not resolve is dropped, and
 * the mirror gets nothing (https://gateway-api.sigs.k8s.io/reference/spec/#httprequestmirrorfilter).
 */
export const routeBackendUnresolved: ReferenceRule<RouteProblemId> = {
  id: 'route-backend-unresolved',
  target: 'reference',
  defaultSeverity: 'error',
  description: 'A Gateway API route backendRef names a Service that does not exist, lacks the port, or is in another namespace without a ReferenceGrant.',
  summary:
    'A Gateway API route (`HTTPRoute`, `GRPCRoute`, `TCPRoute`, `TLSRoute`, `UDPRoute`) `backendRef`, or a `RequestMirror` filter\'s `backendRef`, to a Service that does not exist, without the required `port` or with a port the Service lacks, or in another namespace with no `ReferenceGrant` there that allows it.',
  otherSeverity: 'information when the Service may be in what is not analysed: the part of a kustomize build left out, or templated documents nearby that were not rendered',
  messages: {
    noService: 'Service {service} does not exist in namespace {namespace}{hint}.',
    notGranted: '{route} may not refer to Service/{service} in namespace {namespace}: {reason}.',
    noPortGiven: 'The backendRef to Service/{service} has no port: it is required for a Service (its ports: {ports}).',
    noPort: 'Service/{service} has no port {port}; its ports: {ports}{hint}.',
  },
  check(object: KubeObject, context) {
    if (object.shape !== 'route') return [];
    const reports: RuleReport<RouteProblemId>[] = [];
    for (const rule of object.rules) {
      for (const backend of ruleBackendRefs(rule)) {
        // A ReferenceGrant is the target namespace's, whoever applies it: the route's scope, the
        // Service's, or another build of the workspace (a platform team's grants).
        const allows = (grants: readonly ReferenceGrantObject[]): boolean => grantsAllow(grants, object, backend.name);
        const granted = (namespace: string, index: LinkIndex): boolean =>
          allows(index.grantsIn(namespace)) || allows(context.index.grantsIn(namespace)) || context.elsewhere({ kind: 'grant', namespace, allows }).length > 0;
        let problem = routeBackendProblem(object, backend, context.index, (namespace) => granted(namespace, context.index));
        if (!problem) continue;
        // A Service another build of the workspace makes is checked there (analysis/elsewhere.ts).
        const elsewhere = problem.messageId === 'noService' ? serviceElsewhere(context, String(problem.data['namespace']), backend.name) : [];
        if (elsewhere.length > 0) problem = problemElsewhere(elsewhere, (answer) => routeBackendProblem(object, backend, answer.index, (namespace) => granted(namespace, answer.index)));
        if (!problem) continue;
        const report: RuleReport<RouteProblemId> = { span: problem.span, messageId: problem.messageId, data: problem.data, related: problem.related };
        if (problem.messageId !== 'noService') {
          reports.push(report);
          continue;
        }
        const hinted = withNamespaceHintElsewhere(report, context, String(problem.data['namespace']), backend.name);
        reports.push(missingMaybeUnseen(hinted, context, object.fileId, String(hinted.data['hint'] ?? '') !== ''));
      }
    }
    return reports;
  },
};
