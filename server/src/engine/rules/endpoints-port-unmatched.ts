import { endpointPortOf, endpointPortsText } from '../analysis/report';
import type { KubeObject } from '../model/objects';
import { objectLabel } from '../model/objects';
import type { ReferenceRule, RuleReport } from './rule';

type MessageId = 'noPort' | 'noUnnamedPort';

/**
 * A Service without a selector gets its endpoints from the Endpoints and EndpointSlices written for
 * it, and kube-proxy sends each Service port's traffic to the endpoint port of the same name (both
 * unnamed for a single-port Service) and protocol; `targetPort` is not used. The EndpointPort name "must match
 * the `name` field in the corresponding ServicePort"
 * (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/#EndpointSubset;
 * https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors).
 * A Service port whose name no Endpoints or EndpointSlice of the Service carries reaches no
 * endpoint. Reported once per Service port, on the first of the Service's Endpoints objects (in
 * file order), whose own ports are listed; the related location is the Service port.
 */
export const endpointsPortUnmatched: ReferenceRule<MessageId> = {
  id: 'endpoints-port-unmatched',
  target: 'reference',
  defaultSeverity: 'warning',
  description: 'A port of a Service without a selector has no port of its name in the Endpoints or EndpointSlices written for the Service: its traffic reaches no endpoint.',
  summary:
    "A port of a Service without a selector whose name no Endpoints or EndpointSlice of the Service has: kube-proxy pairs a Service port with the endpoint port of the same name (`targetPort` is not used), so the port's traffic reaches no endpoint.",
  messages: {
    noPort:
      '{object} has no {protocol} port named {name}, the name of port {port} of Service/{service} (its ports: {ports}): a Service without a selector sends each port to the endpoint port of the same name and protocol, so port {port} reaches no endpoint.',
    noUnnamedPort:
      '{object} has no unnamed {protocol} port for the unnamed port {port} of Service/{service} (its ports: {ports}): a Service without a selector sends each port to the endpoint port of the same name and protocol, so port {port} reaches no endpoint.',
  },
  check(object: KubeObject, context) {
    if (object.shape !== 'endpoints') return [];
    const reports: RuleReport<MessageId>[] = [];
    for (const service of context.index.servicesNamed(object.namespace, object.serviceName)) {
      if (service.selector !== null || service.type === 'ExternalName') continue;
      const all = context.index.endpointsFor(service.namespace, service.name);
      if (all[0] !== object) continue;
      for (const port of service.ports) {
        const name = port.name?.value;
        if (all.some((endpoints) => endpointPortOf(endpoints, name, port.protocol) !== undefined)) continue;
        const number = port.port?.value ?? '?';
        reports.push({
          span: object.nameSpan,
          messageId: name === undefined ? 'noUnnamedPort' : 'noPort',
          data: { object: objectLabel(object), name: name ?? '', protocol: port.protocol, port: number, service: service.name, ports: endpointPortsText(object) },
          related: [{ fileId: service.fileId, span: port.span, message: `port ${number} of Service/${service.name}${name === undefined ? ' (unnamed)' : `, named ${name}`}` }],
        });
      }
    }
    return reports;
  },
};
