/**
 * Container port fields the API server rejects. Kubernetes API reference, ContainerPort
 * (reference/kubernetes-api/workload-resources/pod-v1/#ports), as the API server validates it
 * (pkg/apis/core/validation, `validateContainerPorts`, for each container):
 * - name: "If specified, this must be an IANA_SVC_NAME"; a name used by two ports of one
 *   container is rejected (`field.Duplicate`). A strategic-merge patch (kustomize, `kubectl
 *   patch`) matches container ports by `containerPort`, so a patch port with a new number and a
 *   name the container already has adds a second port of that name.
 * - containerPort: "a valid port number, 0 < x < 65536", and required (`field.Required` when it is
 *   0 or missing). It is an int32 (core/v1 `ContainerPort.ContainerPort`): a quoted `"8080"` or any
 *   other string fails to decode, and the API server rejects the whole object before validating.
 *   A template of an undeclared kind (assumed) may follow another schema: a missing
 *   `containerPort` is not reported there.
 * - protocol: "Must be UDP, TCP, or SCTP", exactly so written.
 * The Pods are never created, so the Services that select them get no endpoints.
 */
import type { ContainerFact, ContainerPortFact, PodTemplate } from '../model/objects';
import { isIanaServiceName } from './service-ports-invalid';
import type { RuleReport, TemplateRule } from './rule';

type MessageId = 'duplicateName' | 'badName' | 'portRange' | 'notNumber' | 'missingPort' | 'badProtocol';

const PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP']);

function containerLabel(container: ContainerFact): string {
  return `${container.init ? 'init container' : 'container'} ${container.name || '(unnamed)'}`;
}

function portLabel(port: ContainerPortFact): string {
  return port.containerPort === undefined ? 'a port without containerPort' : `containerPort ${port.containerPort}`;
}

/**
 * The ports holding a key that field-misspelt reads as `containerPort`: for each such key, the port
 * of the same file that starts last before it (a port's span covers the fields kept, not the
 * misspelt key after them).
 */
function portsWithMisspeltContainerPort(template: PodTemplate): Set<ContainerPortFact> {
  const out = new Set<ContainerPortFact>();
  for (const { field, keySpan } of template.misspeltFields) {
    if (field !== 'containerPort') continue;
    let holder: ContainerPortFact | undefined;
    for (const container of template.containers) {
      for (const port of container.ports) {
        if (port.span.fileId === keySpan.fileId && port.span.start <= keySpan.start && (!holder || port.span.start > holder.span.start)) holder = port;
      }
    }
    if (holder) out.add(holder);
  }
  return out;
}

export const containerPortsInvalid: TemplateRule<MessageId> = {
  id: 'container-ports-invalid',
  target: 'template',
  defaultSeverity: 'error',
  description: 'A container port has a name used twice in its container or that is no IANA service name, a containerPort that is missing, not a number or outside 1-65535, or an unknown protocol.',
  summary:
    'A container port whose `name` another port of the same container has (often added by a strategic-merge patch, which matches ports by `containerPort`) or is not an IANA service name, a `containerPort` that is missing, written as a string (`"8080"`) or outside 1–65535, a `protocol` other than `TCP`, `UDP` or `SCTP`: the API server rejects the Pod template.',
  messages: {
    duplicateName: 'Port name {name} is also the name of {other} in {container}; the API server rejects two ports of one container with one name.',
    badName: 'Port name {name} is not a valid port name (IANA service name: at most 15 lowercase letters, digits or "-", at least one letter, no leading, trailing or double "-").',
    portRange: 'containerPort {value} is not a port number (an integer in 1-65535).',
    notNumber: 'containerPort {value} is not a number: containerPort is an integer, and the API server rejects the object when it is not{hint}.',
    missingPort: 'This container port has no containerPort; the API server requires one (the port number the container listens on).',
    badProtocol: 'protocol {value} is not TCP, UDP or SCTP (written exactly so).',
  },
  check(template: PodTemplate) {
    const reports: RuleReport<MessageId>[] = [];
    const misspelt = portsWithMisspeltContainerPort(template);
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
        if (port.containerPortText !== undefined) {
          const text = port.containerPortText.value;
          const hint = /^\d+$/.test(text) ? ` (write ${text} without quotes)` : isIanaServiceName(text) ? ` (a name goes in name: ${text})` : '';
          // A collection shows as `{…}` or `[…]`; a scalar in quotes.
          const shown = text === '{…}' || text === '[…]' ? text : JSON.stringify(text);
          reports.push({ span: port.containerPortText.span, messageId: 'notNumber', data: { value: shown, hint } });
        } else if (port.containerPort === undefined) {
          // A misspelt `containerport` is reported as such (field-misspelt), not a second time here.
          if (!template.assumed && !misspelt.has(port)) reports.push({ span: port.span, messageId: 'missingPort', data: {} });
        } else if (!Number.isInteger(port.containerPort) || port.containerPort < 1 || port.containerPort > 65535) {
          reports.push({ span: port.span, messageId: 'portRange', data: { value: port.containerPort } });
        }
        if (!PROTOCOLS.has(port.protocol)) reports.push({ span: port.span, messageId: 'badProtocol', data: { value: port.protocol } });
      }
    }
    return reports;
  },
};
