/** Builds the plain-data reports (reports.ts) that hovers and the CLI show. */
import { sourceOf } from './elsewhere';
import type { EndpointPort, EndpointsObject, PodTemplate } from '../model/objects';
import type { PortResolution, ServicePortReport, ServiceReport, TemplateRef } from '../reports';
import type { ServiceLink } from './link';
import type { LinkIndex } from '../index/linkIndex';

export function templateRef(template: PodTemplate): TemplateRef {
  const ref: TemplateRef = { kind: template.kind, name: template.name, namespace: template.namespace, fileId: template.fileId, span: template.nameSpan };
  if (template.role === undefined && !template.assumed) return ref;
  return { ...ref, ...(template.role === undefined ? {} : { role: template.role }), ...(template.assumed ? { assumed: true } : {}) };
}

/**
 * The port of an Endpoints or EndpointSlice that a Service port of a Service without a selector
 * reaches: the one of the same name (both unnamed for a single-port Service) and protocol.
 * kube-proxy keys both by (namespace/name, port name, protocol) (`ServicePortName`); the
 * EndpointPort name "must match the `name` field in the corresponding ServicePort"
 * (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/#EndpointSubset).
 */
export function endpointPortOf(object: EndpointsObject, name: string | undefined, protocol: string): EndpointPort | undefined {
  return object.ports.find((candidate) => (candidate.name ?? '') === (name ?? '') && candidate.protocol === protocol);
}

/** An Endpoints object's ports as a list for a message: `web 8080/TCP, 9090/TCP`; `no ports` when it has none. */
export function endpointPortsText(object: EndpointsObject): string {
  if (object.ports.length === 0) return 'no ports';
  return object.ports.map((port) => `${port.name ? `${port.name} ` : ''}${port.port ?? '?'}/${port.protocol}`).join(', ');
}

/** Cluster DNS: `<service>.<namespace>.svc.<zone>` (concepts/services-networking/dns-pod-service/#services). */
export function serviceDnsName(name: string, namespace: string, clusterDomain: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

export function serviceReport(link: ServiceLink, index: LinkIndex, clusterDomain: string): ServiceReport {
  const { service } = link;
  const endpoints = service.selector || service.type === 'ExternalName' ? [] : index.endpointsFor(service.namespace, service.name);
  const ports: ServicePortReport[] = link.ports.map((port) => {
    const resolutions: PortResolution[] = [];
    const unresolved: { template: TemplateRef; reason: string }[] = [];
    for (const outcome of port.outcomes) {
      const template = templateRef(outcome.template);
      switch (outcome.kind) {
        case 'name':
        case 'number':
          resolutions.push({
            template,
            fileId: template.fileId,
            span: template.span,
            container: outcome.container,
            containerPort: outcome.containerPort,
            protocol: outcome.protocol,
            via: outcome.kind,
          });
          break;
        case 'undeclared':
          resolutions.push({
            template,
            fileId: template.fileId,
            span: template.span,
            container: outcome.template.containers.find((container) => !container.init)?.name ?? '',
            containerPort: undefined,
            protocol: port.fact.protocol,
            via: 'undeclared',
          });
          break;
        case 'unresolved':
          unresolved.push({ template, reason: `no ${port.fact.protocol} port named ${String(port.target)}` });
          break;
        case 'protocol':
          unresolved.push({ template, reason: `${String(port.target)} is declared only as ${outcome.otherProtocols.join('/')}` });
          break;
      }
    }
    return {
      name: port.fact.name?.value,
      port: port.fact.port?.value ?? 0,
      targetPort: port.target ?? 0,
      targetPortDefaulted: port.defaulted,
      protocol: port.fact.protocol,
      nodePort: port.fact.nodePort?.value,
      span: port.fact.span,
      resolutions,
      unresolved,
      endpointPorts: endpoints.map((object) => ({
        object: { kind: object.kind, name: object.name, namespace: object.namespace, fileId: object.fileId, span: object.nameSpan },
        port: endpointPortOf(object, port.fact.name?.value, port.fact.protocol)?.port,
        ports: endpointPortsText(object),
      })),
    };
  });
  const selector = service.selector ? Object.fromEntries(service.selector.map((pair) => [pair.key, pair.value])) : null;
  return {
    kind: 'Service',
    name: service.name,
    namespace: service.namespace,
    fileId: service.fileId,
    span: service.nameSpan,
    type: service.type,
    headless: service.clusterIP === 'None',
    selector,
    externalName: service.externalName,
    matches: link.matches.map(templateRef),
    otherNamespaceMatches: link.otherNamespace.map(templateRef),
    alsoMatches: link.alsoMatches.map(templateRef),
    owner: link.owner
      ? {
          kind: link.owner.resource.kind,
          name: link.owner.resource.name,
          namespace: link.owner.resource.namespace,
          apiVersion: link.owner.resource.apiVersion,
          fileId: link.owner.resource.fileId,
          span: link.owner.resource.nameSpan,
        }
      : undefined,
    elsewhere: link.elsewhere
      ? { label: sourceOf(link.elsewhere), build: link.elsewhere.build, matches: link.elsewhere.templates.map(templateRef) }
      : undefined,
    ports,
    dnsName: serviceDnsName(service.name, service.namespace, clusterDomain),
    endpointObjects: service.selector
      ? []
      : index.endpointsFor(service.namespace, service.name).map((object) => ({
          kind: object.kind,
          name: object.name,
          namespace: object.namespace,
          fileId: object.fileId,
          span: object.nameSpan,
        })),
  };
}
