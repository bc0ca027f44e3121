/**
 * Container port fields the API server rejects. Kubernetes API reference, ContainerPort
 * (reference/kubernetes-api/workload-resources/pod-v1/#ports), as the API server validates it
 * (pkg/apis/core/validation, `validateContainerPorts`, for each container):
 * - name: "If specified, this must be an IANA_SVC_NAME"; a name used by two ports of one
 *   container is rejected (`field.Duplicate`). A strategic-merge patch (kustomize, `kubectl
 *   patch`) matches container ports by `containerPort`, so a patch port with a new number and a
 *   name the container already has adds a second port of that name.
 * - containerPort: "a valid port number, 0 < x < 65536".
 * - protocol: "Must be UDP, TCP, or SCTP", exactly so written.
 * The Pods are never created, so the Services that select them get no endpoints.
 */
import type { ContainerFact, ContainerPortFact, PodTemplate } from '../model/objects';
import { isIanaServiceName } from './service-ports-invalid';
import type { RuleReport, TemplateRule } from './rule';

type MessageId = 'duplicateName' | 'badName' | 'portRange' | 'badProtocol';

const PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP']);

function containerLabel(container: ContainerFact): string {
  return `${container.init ? 'init container' : 'container'} ${container.name || '(unnamed)'}`;
}

function portLabel(port: ContainerPortFact): string {
  return port.containerPort === undefined ? 'a port without containerPort' : `containerPort ${port.containerPort}`;
}

export const containerPortsInvalid: TemplateRule<MessageId> = {
  id: 'container-ports-invalid',
  target: 'template',
  defaultSeverity: 'error',
  description: 'A container port has a name used twice in its container or that is no IANA service name, a containerPort outside 1-65535, or an unknown protocol.',
  summary:
    'A container port whose `name` another port of the same container has (often added by a strategic-merge patch, which matches ports by `containerPort`) or is not an IANA service name, a `containerPort` outside 1–65535, a `protocol` other than `TCP`, `UDP` or `SCTP`: the API server rejects the Pod template.',
  messages: {
    duplicateName: 'Port name {name} is also the name of {other} in {container}; the API server rejects two ports of one container with one name.',
    badName: 'Port name {name} is not a valid port name (IANA service name: at most 15 lowercase letters, digits or "-", at least one letter, no leading, trailing or double "-").',
    portRange: 'containerPort {value} is not a port number (an integer in 1-65535).',
    badProtocol: 'protocol {value} is not TCP, UDP or SCTP (written exactly so).',
  },
  check(template: PodTemplate) {
    const reports: RuleReport<MessageId>[] = [];
    for (const container of template.containers) {
      const named = new Map<string, ContainerPortFact>();
      for (const port of container.ports) {
        if (port.name !== undefined && port.name !== '') {
          const first = named.get(port.name);
          if (!isIanaServiceName(port.name)) {
            reports.push({ span: port.span, messageId: 'badName', data: { name: port.name } });
          } else if (first) {
            // Reported on the port a patch brought when one did (kustomize may list it first).
            const patched = (candidate: ContainerPortFact): boolean => candidate.span.fileId !== undefined && candidate.span.fileId !== template.fileId;
            const [reported, other] = patched(first) && !patched(port) ? [first, port] : [port, first];
            reports.push({
              span: reported.span,
              messageId: 'duplicateName',
              data: { name: port.name, other: portLabel(other), container: containerLabel(container) },
              related: [{ fileId: template.fileId, span: other.span, message: `the other port named ${port.name}` }],
            });
          } else {
            named.set(port.name, port);
          }
        }
        if (port.containerPort !== undefined && (!Number.isInteger(port.containerPort) || port.containerPort < 1 || port.containerPort > 65535)) {
          reports.push({ span: port.span, messageId: 'portRange', data: { value: port.containerPort } });
        }
        if (!PROTOCOLS.has(port.protocol)) reports.push({ span: port.span, messageId: 'badProtocol', data: { value: port.protocol } });
      }
    }
    return reports;
  },
};
