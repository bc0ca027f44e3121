/** Helpers shared by the port rules: how a template's ports read in a message. */
import { servingContainers, type PortOutcome } from '../analysis/link';
import type { ContainerPortFact, PodTemplate } from '../model/objects';
import { formatObjects, type RelatedReport } from './rule';

/**
 * A container port's number as a message shows it: `8080`; `"8080"` for a number written as a
 * string (the API server rejects it: container-ports-invalid); `?` when it has none.
 */
export function containerPortNumber(port: ContainerPortFact): string {
  if (port.containerPort !== undefined) return String(port.containerPort);
  return port.containerPortText === undefined ? '?' : JSON.stringify(port.containerPortText.value);
}

/** `http (8080/TCP), metrics (9090/TCP)` */
export function namedPorts(template: PodTemplate): string {
  const names: string[] = [];
  for (const container of servingContainers(template)) {
    for (const port of container.ports) {
      if (port.name) names.push(`${port.name} (${containerPortNumber(port)}/${port.protocol})`);
    }
  }
  return names.join(', ');
}

/** `8080/TCP (http), 9090/TCP` */
export function declaredPorts(template: PodTemplate): string {
  const ports: string[] = [];
  for (const container of servingContainers(template)) {
    for (const port of container.ports) {
      const number = `${containerPortNumber(port)}/${port.protocol}`;
      ports.push(port.name ? `${number} (${port.name})` : number);
    }
  }
  return ports.join(', ');
}

export function relatedTemplates(outcomes: readonly PortOutcome[], message: (template: PodTemplate) => string): RelatedReport[] {
  return outcomes.slice(0, 20).map(({ template }) => ({
    fileId: template.fileId,
    span: firstPortSpan(template) ?? template.labelsSpan ?? template.nameSpan,
    message: message(template),
  }));
}

function firstPortSpan(template: PodTemplate) {
  for (const container of servingContainers(template)) {
    const port = container.ports[0];
    if (port) return port.span;
  }
  return undefined;
}

/** `Deployment/a` or `Deployment/a and Deployment/b (2 of 3 matched Pod templates)` */
export function templatesPhrase(labels: readonly string[], matched: number): string {
  const text = formatObjects(labels);
  return labels.length === matched || matched <= 1 ? text : `${text} (${labels.length} of ${matched} matched Pod templates)`;
}
