/**
 * Service port fields the API server would reject, or that collide across Services.
 * Kubernetes API reference, ServicePort (reference/kubernetes-api/service-resources/service-v1/#ServiceSpec):
 * - name: "This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names …
 *   Optional if only one ServicePort is defined on this service."
 * - port / numeric targetPort: 1–65535; a named targetPort "must be an IANA_SVC_NAME".
 * - nodePort: allocated from the `--service-node-port-range` (default 30000-32767,
 *   concepts/services-networking/service/#type-nodeport); "If this field is specified when creating a
 *   Service which does not need it, creation will fail"; one node port belongs to one Service.
 * - ports are "unique values on keys port, protocol": the API server rejects two ports with the same
 *   (port, protocol) pair (ValidateService: field.Duplicate on spec.ports[i]).
 * - a Service that is neither headless (`clusterIP: None`) nor ExternalName needs at least one port
 *   (ValidateService: field.Required on spec.ports).
 */
import { objectLabel, type ServicePortFact } from '../model/objects';
import { addFirstEntry, setValue } from './fixes';
import type { RuleReport, ServiceRule } from './rule';

type MessageId =
  | 'noPorts'
  | 'unnamed'
  | 'duplicateName'
  | 'badName'
  | 'badTargetName'
  | 'quotedTargetNumber'
  | 'portRange'
  | 'missingPort'
  | 'nodePortRange'
  | 'nodePortType'
  | 'nodePortDuplicate'
  | 'duplicatePort';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SERVICE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

export function isIanaServiceName(value: string): boolean {
  return value.length <= 15 && IANA_SERVICE_NAME.test(value) && /[a-z]/.test(value) && !value.includes('--');
}

function validPortNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

export const servicePortsInvalid: ServiceRule<MessageId> = {
  id: 'service-ports-invalid',
  target: 'service',
  defaultSeverity: 'error',
  description: 'A Service has no ports (and is neither headless nor ExternalName), or a port is unnamed in a multi-port Service, badly named, out of range, or reuses a node port.',
  summary:
    'A Service without `ports` that is neither headless nor ExternalName, unnamed or duplicate port names in a multi-port Service, names that are not DNS labels, `targetPort` names that are not IANA service names, ports outside 1–65535, `nodePort` outside 30000–32767 or on a ClusterIP/ExternalName Service, one `nodePort` on two Services, a repeated (`port`, `protocol`) pair.',
  messages: {
    noPorts: 'This {type} Service has no ports; the API server requires spec.ports unless the Service is headless (clusterIP: None) or ExternalName.',
    unnamed: 'Port {port} has no name; a Service with more than one port must name every port.',
    duplicateName: 'Port name {name} is used by more than one port of this Service; port names must be unique.',
    badName: 'Port name {name} is not a DNS label (at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit).',
    quotedTargetNumber:
      'targetPort "{name}" is a number in quotes: a string targetPort names a container port (an IANA service name, with at least one letter), so the API server rejects it; write {name} without quotes.',
    badTargetName:
      'targetPort {name} is not a valid port name (IANA service name: at most 15 lowercase letters, digits or "-", at least one letter, no leading, trailing or double "-").',
    portRange: '{field} {value} is outside 1-65535.',
    missingPort: 'This Service port has no port number.',
    nodePortRange: 'nodePort {value} is outside the default NodePort range {min}-{max}.',
    nodePortType: 'nodePort is set on a {type} Service; only NodePort and LoadBalancer Services allocate node ports.',
    nodePortDuplicate: 'nodePort {value} is also used by {other} in namespace {namespace}; a node port belongs to one Service only.',
    duplicatePort: 'Port {port}/{protocol} is declared twice in this Service (also {other}); the API server rejects a repeated (port, protocol) pair.',
  },
  check(link, context) {
    const { service } = link;
    const reports: RuleReport<MessageId>[] = [];
    const multiPort = service.ports.length > 1;
    const seenNames = new Map<string, ServicePortFact>();
    const seenPorts = new Map<string, ServicePortFact>();
    if (service.ports.length === 0 && service.clusterIP !== 'None' && service.type !== 'ExternalName') {
      reports.push({ span: service.nameSpan, messageId: 'noPorts', data: { type: service.type } });
    }
    for (const port of service.ports) {
      if (port.port) {
        const key = `${port.port.value}/${port.protocol}`;
        const first = seenPorts.get(key);
        if (first) {
          reports.push({
            span: port.port.span,
            messageId: 'duplicatePort',
            data: { port: port.port.value, protocol: port.protocol, other: first.name ? `port ${first.name.value}` : `the port at index ${first.index}` },
            related: [{ fileId: service.fileId, span: first.port?.span ?? first.span, message: `First declaration of ${key}` }],
          });
        } else {
          seenPorts.set(key, port);
        }
      }
      if (!port.port) {
        reports.push({ span: port.span, messageId: 'missingPort', data: {} });
      } else if (!validPortNumber(port.port.value)) {
        reports.push({ span: port.port.span, messageId: 'portRange', data: { field: 'port', value: port.port.value } });
      }
      if (port.name) {
        if (!isDnsLabel(port.name.value)) reports.push({ span: port.name.span, messageId: 'badName', data: { name: port.name.value } });
        if (seenNames.has(port.name.value)) {
          reports.push({ span: port.name.span, messageId: 'duplicateName', data: { name: port.name.value } });
        } else {
          seenNames.set(port.name.value, port);
        }
      } else if (multiPort) {
        const name = portName(port, service.ports);
        reports.push({
          span: port.port?.span ?? port.span,
          messageId: 'unnamed',
          data: { port: port.port?.value ?? port.index + 1 },
          fixes: [{ title: `Name the port ${name}`, edits: [addFirstEntry(context.layout, service.fileId, port.span, 'name', name)] }],
        });
      }
      const target = port.targetPort;
      if (target && typeof target.value === 'string' && target.value !== '' && !isIanaServiceName(target.value)) {
        // `"8080"` (as `| quote` renders a number): the API server takes a string as a name only.
        if (/^[0-9]+$/.test(target.value) && validPortNumber(Number(target.value))) {
          reports.push({ span: target.span, messageId: 'quotedTargetNumber', data: { name: target.value }, fixes: [{ title: `Write targetPort ${target.value} as a number`, edits: [setValue(target.span, target.value)] }] });
        } else {
          reports.push({ span: target.span, messageId: 'badTargetName', data: { name: target.value } });
        }
      }
      if (target && typeof target.value === 'number' && target.value !== 0 && !validPortNumber(target.value)) {
        reports.push({ span: target.span, messageId: 'portRange', data: { field: 'targetPort', value: target.value } });
      }
      const nodePort = port.nodePort;
      if (!nodePort || nodePort.value === 0) continue;
      if (service.type !== 'NodePort' && service.type !== 'LoadBalancer') {
        reports.push({ span: nodePort.span, messageId: 'nodePortType', data: { type: service.type } });
        continue;
      }
      if (nodePort.value < NODE_PORT_MIN || nodePort.value > NODE_PORT_MAX) {
        reports.push({ span: nodePort.span, messageId: 'nodePortRange', data: { value: nodePort.value, min: NODE_PORT_MIN, max: NODE_PORT_MAX } });
        continue;
      }
      // Alternative definitions of the same Service (same namespace and name) do not collide.
      const others = context
        .servicesWithNodePort(nodePort.value)
        .filter((other) => other.namespace !== service.namespace || other.name !== service.name);
      const other = others[0];
      if (other) {
        reports.push({
          span: nodePort.span,
          messageId: 'nodePortDuplicate',
          data: { value: nodePort.value, other: objectLabel(other), namespace: other.namespace },
          related: others.slice(0, 20).map((duplicate) => ({
            fileId: duplicate.fileId,
            span: duplicate.ports.find((candidate) => candidate.nodePort?.value === nodePort.value)?.nodePort?.span ?? duplicate.nameSpan,
            message: `${objectLabel(duplicate)} uses nodePort ${nodePort.value}`,
          })),
        });
      }
    }
    return reports;
  },
};

/**
 * A name for an unnamed port: its named targetPort when that is a free DNS label, else
 * `<protocol>-<port>` (`tcp-80`), made unique among the Service's port names.
 */
function portName(port: ServicePortFact, ports: readonly ServicePortFact[]): string {
  const taken = new Set(ports.flatMap((other) => (other.name ? [other.name.value] : [])));
  const target = port.targetPort?.value;
  if (typeof target === 'string' && isDnsLabel(target) && !taken.has(target)) return target;
  const base = `${port.protocol.toLowerCase()}-${port.port?.value ?? port.index + 1}`;
  let name = base;
  for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
  return name;
}
