import { objectLabel } from '../model/objects';
import { declaredPorts, relatedTemplates, templatesPhrase } from './ports';
import type { RuleReport, ServiceRule } from './rule';

type MessageId = 'undeclared' | 'undeclaredNoPorts';

/**
 * A numeric targetPort is used as is, declared or not (containerPort is informational). When the
 * template declares other ports, a number it does not declare is most likely a typo (8081 for
 * 8080): a warning. When it declares none, nothing can be checked: information only.
 */
export const serviceTargetPortUndeclared: ServiceRule<MessageId> = {
  id: 'service-target-port-undeclared',
  target: 'service',
  defaultSeverity: 'warning',
  description: 'A numeric targetPort is not declared as a containerPort by a Pod template the Service selects.',
  summary:
    'A numeric `targetPort` a selected template does not declare: a warning when it declares other ports (8081 vs 8080), information when it declares none (containerPort is informational in Kubernetes).',
  otherSeverity: 'information when the template declares no ports',
  messages: {
    undeclared: 'targetPort {target} is not a declared port of {templates}; {first} declares {ports}.',
    undeclaredNoPorts:
      'targetPort {target} is not declared by {templates}, which {declare} no container ports; traffic arrives only if the container listens on {target}.',
  },
  check(link) {
    const reports: RuleReport<MessageId>[] = [];
    for (const port of link.ports) {
      if (typeof port.target !== 'number') continue;
      const undeclared = port.outcomes.filter((outcome) => outcome.kind === 'undeclared');
      const withPorts = undeclared.filter((outcome) => outcome.declaresPorts);
      const withoutPorts = undeclared.filter((outcome) => !outcome.declaresPorts);
      const first = withPorts[0];
      if (first) {
        reports.push({
          span: port.targetSpan,
          messageId: 'undeclared',
          data: {
            target: port.target,
            templates: templatesPhrase(withPorts.map((outcome) => objectLabel(outcome.template)), link.matches.length),
            first: objectLabel(first.template),
            ports: declaredPorts(first.template),
          },
          related: relatedTemplates(withPorts, (template) => `${objectLabel(template)} declares ${declaredPorts(template)}`),
        });
      }
      if (withoutPorts.length > 0) {
        reports.push({
          span: port.targetSpan,
          messageId: 'undeclaredNoPorts',
          severity: 'information',
          data: {
            target: port.target,
            templates: templatesPhrase(withoutPorts.map((outcome) => objectLabel(outcome.template)), link.matches.length),
            declare: withoutPorts.length === 1 ? 'declares' : 'declare',
          },
          related: relatedTemplates(withoutPorts, (template) => `${objectLabel(template)} declares no container ports`),
        });
      }
    }
    return reports;
  },
};
