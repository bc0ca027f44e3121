import { servingContainers } from '../analysis/link';
import { objectLabel, type PodTemplate } from '../model/objects';
import type { Span } from '../types';
import { addItemAfter, setValue } from './fixes';
import { declaredPorts, relatedTemplates, templatesPhrase } from './ports';
import type { Layout, RuleFix, RuleReport, ServiceRule } from './rule';

type MessageId = 'undeclared' | 'undeclaredNoPorts' | 'headlessTarget';

/**
 * A numeric targetPort is used as is, declared or not (containerPort is informational). When the
 * template declares other ports, a number it does not declare is most likely a typo (8081 for
 * 8080): a warning. When it declares none, nothing can be checked: information only.
 *
 * A headless Service (`clusterIP: None`) has no proxy: clients that resolve its name connect to
 * the Pods on the port they dial, and `targetPort` "is ignored for services with clusterIP=None,
 * and should be omitted or set equal to the 'port' field"
 * (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec);
 * only its SRV records and EndpointSlices carry it. A numeric targetPort that differs from `port`
 * there is reported as such, instead of as undeclared.
 */
export const serviceTargetPortUndeclared: ServiceRule<MessageId> = {
  id: 'service-target-port-undeclared',
  target: 'service',
  defaultSeverity: 'warning',
  description: 'A numeric targetPort is not declared as a containerPort by a Pod template the Service selects.',
  summary:
    'A numeric `targetPort` a selected template does not declare: a warning when it declares other ports (8081 vs 8080), information when it declares none (containerPort is informational in Kubernetes). On a headless Service, a numeric `targetPort` that differs from `port` (no proxy maps one to the other).',
  otherSeverity: 'information when the template declares no ports',
  messages: {
    undeclared: 'targetPort {target} is not a declared port of {templates}; {first} declares {ports}.',
    headlessTarget:
      'targetPort {target} differs from port {port} on a headless Service (clusterIP: None), where no proxy maps one to the other: clients that resolve its name reach the Pods on the port they dial ({port}), and only its SRV records and EndpointSlices carry {target} ({first} declares {ports}). Give port and targetPort one number, or leave targetPort out.',
    undeclaredNoPorts:
      'targetPort {target} is not declared by {templates}, which {declare} no container ports; traffic arrives only if the container listens on {target}.',
  },
  check(link, { layout }) {
    const reports: RuleReport<MessageId>[] = [];
    for (const port of link.ports) {
      if (typeof port.target !== 'number') continue;
      const number = port.fact.port?.value;
      if (link.service.clusterIP === 'None' && !port.defaulted && number !== undefined && port.target !== number && link.matches.length > 0) {
        const template = link.matches[0]!;
        const declares = (wanted: number): boolean => servingContainers(template).some((container) => container.ports.some((candidate) => candidate.containerPort === wanted && candidate.protocol === port.fact.protocol));
        reports.push({
          span: port.targetSpan,
          messageId: 'headlessTarget',
          data: { target: port.target, port: number, first: objectLabel(template), ports: declaredPorts(template) || 'no ports' },
          fixes: declares(number) ? [{ title: `Set targetPort to ${number}`, edits: [setValue(port.targetSpan, String(number))] }] : [],
        });
        continue;
      }
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
          fixes: undeclaredFixes(layout, first.template, port.target, port.fact.protocol, port.targetSpan),
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

/**
 * Set targetPort to the closest declared number of the protocol, or add the containerPort to the
 * template (after the last port of its first container that declares ports).
 */
function undeclaredFixes(layout: Layout, template: PodTemplate, target: number, protocol: string, targetSpan: Span): RuleFix[] {
  const fixes: RuleFix[] = [];
  let closest: number | undefined;
  let lastPort: Span | undefined;
  for (const container of servingContainers(template)) {
    for (const port of container.ports) {
      const number = port.containerPort;
      if (number !== undefined && port.protocol === protocol && (closest === undefined || Math.abs(number - target) < Math.abs(closest - target))) closest = number;
    }
    if (!lastPort && container.ports.length > 0) lastPort = container.ports[container.ports.length - 1]!.span;
  }
  if (closest !== undefined) fixes.push({ title: `Set targetPort to ${closest}`, edits: [setValue(targetSpan, String(closest))] });
  if (lastPort) {
    const file = lastPort.fileId ?? template.fileId;
    const edit = addItemAfter(layout, file, { ...lastPort, fileId: file }, protocol === 'TCP' ? [['containerPort', target]] : [['containerPort', target], ['protocol', protocol]]);
    if (edit) fixes.push({ title: `Add containerPort ${target} to ${objectLabel(template)}`, edits: [edit] });
  }
  return fixes;
}
