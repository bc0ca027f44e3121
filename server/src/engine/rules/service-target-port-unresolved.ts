import { objectLabel } from '../model/objects';
import { declaredPorts, namedPorts, relatedTemplates, templatesPhrase } from './ports';
import type { RuleReport, ServiceRule } from './rule';

type MessageId = 'unresolved' | 'unresolvedNoNames';

/**
 * A named targetPort is looked up by name (and protocol) in each selected Pod. A Pod without that
 * port name gets no endpoint for this Service port: its traffic goes only to the other Pods, or nowhere.
 */
export const serviceTargetPortUnresolved: ServiceRule<MessageId> = {
  id: 'service-target-port-unresolved',
  target: 'service',
  defaultSeverity: 'error',
  description: 'A named targetPort is not defined (by name and protocol) on a Pod template the Service selects.',
  summary:
    'A named `targetPort` that a selected template does not define (name and protocol); lists its named ports.',
  messages: {
    unresolved: 'targetPort {target} names no {protocol} port of {templates}; named ports of {first}: {ports}.',
    unresolvedNoNames: 'targetPort {target} names no {protocol} port of {templates}; {first} declares no named ports{declared}.',
  },
  check(link) {
    const reports: RuleReport<MessageId>[] = [];
    for (const port of link.ports) {
      if (typeof port.target !== 'string') continue;
      const failing = port.outcomes.filter((outcome) => outcome.kind === 'unresolved');
      const first = failing[0];
      if (!first) continue;
      const names = namedPorts(first.template);
      const declared = declaredPorts(first.template);
      reports.push({
        span: port.targetSpan,
        messageId: names ? 'unresolved' : 'unresolvedNoNames',
        data: {
          target: port.target,
          protocol: port.fact.protocol,
          templates: templatesPhrase(failing.map((outcome) => objectLabel(outcome.template)), link.matches.length),
          first: objectLabel(first.template),
          ports: names,
          declared: declared ? `, only ${declared}` : '',
        },
        related: relatedTemplates(failing, (template) => `${objectLabel(template)} has no port named ${port.target}`),
      });
    }
    return reports;
  },
};
