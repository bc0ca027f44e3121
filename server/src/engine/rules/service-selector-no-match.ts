import { objectLabel } from '../model/objects';
import { formatSelector, type RuleReport, type ServiceRule } from './rule';

type MessageId = 'differentValue' | 'missingKey' | 'noCandidate';

/**
 * A Service whose selector matches no Pod template anywhere gets no endpoints: connections to its
 * cluster IP are refused or time out. The message names the nearest miss, which is usually a typo.
 */
export const serviceSelectorNoMatch: ServiceRule<MessageId> = {
  id: 'service-selector-no-match',
  target: 'service',
  defaultSeverity: 'warning',
  description: 'The Service selector matches no Pod template in its namespace (nor in any other).',
  summary:
    "The selector matches no Pod template in the Service's namespace (nor elsewhere). Names the nearest miss: `Deployment/web has app=web-api, not app=web`.",
  messages: {
    differentValue: 'Selector {selector} matches no Pod template in namespace {namespace}; {template} has {key}={actual}, not {key}={wanted}.',
    missingKey: 'Selector {selector} matches no Pod template in namespace {namespace}; {template} has no label {key}.',
    noCandidate: 'Selector {selector} matches no Pod template in namespace {namespace}; no Pod template there has any of its label keys.',
  },
  check(link) {
    const { service } = link;
    if (!link.selecting || !service.selector || link.matches.length > 0 || link.otherNamespace.length > 0) return [];
    const selector = formatSelector(service.selector);
    const miss = link.nearestMiss;
    if (!miss) {
      return [{ span: service.selectorSpan ?? service.nameSpan, messageId: 'noCandidate', data: { selector, namespace: service.namespace } }];
    }
    const template = objectLabel(miss.template);
    const report: RuleReport<MessageId> = {
      span: miss.pair.span,
      messageId: miss.actual === undefined ? 'missingKey' : 'differentValue',
      data: { selector, namespace: service.namespace, template, key: miss.pair.key, actual: miss.actual ?? '', wanted: miss.pair.value },
      related: [
        {
          fileId: miss.template.fileId,
          span: miss.template.labelsSpan ?? miss.template.nameSpan,
          message: `Nearest miss: the Pod template labels of ${template}`,
        },
      ],
    };
    return [report];
  },
};
