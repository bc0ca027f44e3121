import { editDistance } from '../analysis/editDistance';
import { servingContainers } from '../analysis/link';
import { objectLabel, type PodTemplate } from '../model/objects';
import { setScalar } from './fixes';
import { declaredPorts, namedPorts, relatedTemplates, templatesPhrase } from './ports';
import type { RuleReport, ServiceRule } from './rule';
import { isIanaServiceName } from './service-ports-invalid';

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
    unresolved: 'targetPort {target} names no {protocol} port of {templates}; named ports of {first}: {ports}{hint}.',
    unresolvedNoNames: 'targetPort {target} names no {protocol} port of {templates}; {first} declares no named ports{declared}{hint}.',
  },
  check(link) {
    const reports: RuleReport<MessageId>[] = [];
    for (const port of link.ports) {
      if (typeof port.target !== 'string') continue;
      // A name that is no IANA service name (`"8080"`) makes the API server reject the Service:
      // service-ports-invalid reports it, and no Pod port could carry it.
      if (!isIanaServiceName(port.target)) continue;
      const failing = port.outcomes.filter((outcome) => outcome.kind === 'unresolved');
      const first = failing[0];
      if (!first) continue;
      const names = namedPorts(first.template);
      const declared = declaredPorts(first.template);
      // A port of a regular init container never serves: the container has exited when the Pod runs.
      const init = first.template.containers.find((container) => container.init && !container.restartable && container.ports.some((candidate) => candidate.name === port.target));
      const hint = init
        ? `; ${port.target} is a port of init container ${init.name || '(unnamed)'}, which has finished before the Pod serves (only a sidecar, an init container with restartPolicy: Always, serves ports)`
        : '';
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
          hint,
        },
        related: relatedTemplates(failing, (template) => `${objectLabel(template)} has no port named ${port.target}`),
        fixes: closestNames(first.template, port.target, port.fact.protocol).map((name) => ({
          title: `Set targetPort to ${name}`,
          edits: [setScalar(link.service.fileId, port.targetSpan, name)],
        })),
      });
    }
    return reports;
  },
};

/** The template's port names of `protocol`, closest to `wanted` first (edit distance, then name); at most three. */
function closestNames(template: PodTemplate, wanted: string, protocol: string): string[] {
  const names = new Set<string>();
  for (const container of servingContainers(template)) for (const port of container.ports) if (port.name && port.protocol === protocol) names.add(port.name);
  return [...names]
    .map((name) => ({ name, distance: editDistance(name.toLowerCase(), wanted.toLowerCase()) }))
    .sort((left, right) => left.distance - right.distance || (left.name < right.name ? -1 : 1))
    .slice(0, 3)
    .map((entry) => entry.name);
}
