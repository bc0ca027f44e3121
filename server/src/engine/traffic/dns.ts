/**
 * DNS names of a Service, following the Kubernetes DNS specification
 * (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/ and
 * https://github.com/kubernetes/dns/blob/master/docs/specification.md):
 * - a Service gets `<svc>.<ns>.svc.<zone>`; a Pod resolves `<svc>` within its namespace and
 *   `<svc>.<ns>` from other namespaces through its DNS search list;
 * - a normal Service's A record is its cluster IP; a headless Service (`clusterIP: None`) has one A
 *   record per ready Pod, and Pods with a hostname get `<hostname>.<svc>.<ns>.svc.<zone>`
 *   (StatefulSet Pods `<sts>-<ordinal>` when the StatefulSet's `serviceName` is the Service; other
 *   Pods when their `subdomain` is the Service and they set `hostname`);
 * - named ports get SRV records `_<port>._<proto>.<svc>.<ns>.svc.<zone>`;
 * - an ExternalName Service is a CNAME to `externalName`.
 */
import type { DnsInfo, DnsRecord } from '../../protocol/traffic';
import type { EndpointsObject, PodTemplate, ServiceObject } from '../model/objects';
import type { FileSpan } from '../types';

const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

export function serviceFqdn(name: string, namespace: string, zone: string): string {
  return `${name}.${namespace}.svc.${zone}`;
}

/** Hostnames of Pods that get a DNS name under a headless Service. */
export function podHostnames(service: ServiceObject, templates: readonly PodTemplate[]): { hostname: string; template: PodTemplate }[] {
  const out: { hostname: string; template: PodTemplate }[] = [];
  for (const template of templates) {
    if (template.kind === 'StatefulSet' && template.serviceName?.value === service.name) {
      // StatefulSet Pods are named <statefulset>-<ordinal>: the values of the pod-name label its
      // controller adds (kinds/apps.ts: from spec.ordinals.start, replicas of them).
      const podNames = template.controllerLabels.find((label) => label.key === POD_NAME_LABEL)?.values;
      if (podNames !== undefined && podNames !== 'any') {
        for (const hostname of podNames) out.push({ hostname, template });
      } else {
        const replicas = Math.max(0, Math.min(template.replicas ?? 1, 1000));
        for (let ordinal = 0; ordinal < replicas; ordinal++) out.push({ hostname: `${template.name}-${ordinal}`, template });
      }
    } else if (template.subdomain === service.name && template.hostname) {
      out.push({ hostname: template.hostname, template });
    }
  }
  return out;
}

/**
 * Whose address a per-Pod name resolves to: a StatefulSet's Pod is named as its hostname; a Pod
 * that sets `hostname` and `subdomain` keeps its own name, and every Pod of a workload that sets
 * them gets that hostname
 * (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-hostname-and-subdomain-fields).
 */
function podAddress(hostname: string, template: PodTemplate): string {
  if (template.kind === 'StatefulSet') return `the IP of Pod ${hostname}`;
  if (template.kind === 'Pod') return `the IP of Pod ${template.name} (hostname ${hostname})`;
  return `the IP of each Pod of ${template.kind}/${template.name} (hostname ${hostname})`;
}

export function dnsInfo(
  service: ServiceObject,
  matches: readonly PodTemplate[],
  endpoints: readonly EndpointsObject[],
  zone: string,
  sameNamespaceTemplates: readonly PodTemplate[],
): DnsInfo<FileSpan> {
  const fqdn = serviceFqdn(service.name, service.namespace, zone);
  const location: FileSpan = { fileId: service.fileId, span: service.nameSpan };
  const records: DnsRecord<FileSpan>[] = [];
  const notes: string[] = [];
  const shortNames = [
    { name: service.name, from: `Pods in namespace ${service.namespace}` },
    { name: `${service.name}.${service.namespace}`, from: 'Pods in any namespace' },
  ];
  const headless = service.clusterIP === 'None';

  if (service.type === 'ExternalName') {
    records.push({ type: 'CNAME', name: fqdn, value: service.externalName ?? '(externalName not set)', location });
    notes.push(
      'A CNAME is all the cluster adds: clients connect to the external host directly, with the Service name as the HTTP Host header and TLS server name, which the external server may not accept.',
    );
    if (!service.externalName) notes.push('externalName is not set: the name resolves to nothing.');
    return { fqdn, shortNames, records, notes };
  }

  const hostnames = headless ? podHostnames(service, sameNamespaceTemplates) : [];
  if (headless) {
    if (service.selector) {
      records.push({ type: 'A', name: fqdn, value: `the IP of each ready Pod of ${describe(matches)}`, location });
      if (matches.length === 0) notes.push('No Pod template matches the selector: the name resolves to no address.');
    } else {
      const addresses = endpointAddresses(endpoints);
      records.push({ type: 'A', name: fqdn, value: addresses.length > 0 ? addresses.join(', ') : 'the addresses of its Endpoints (none in the workspace)', location });
    }
    for (const { hostname, template } of hostnames) {
      records.push({ type: 'A', name: `${hostname}.${fqdn}`, value: podAddress(hostname, template), location: { fileId: template.fileId, span: template.nameSpan } });
    }
    if (service.publishNotReadyAddresses) notes.push('publishNotReadyAddresses: Pods are in DNS before they are ready.');
  } else {
    records.push({ type: 'A', name: fqdn, value: service.clusterIP ? `cluster IP ${service.clusterIP}` : 'the cluster IP (allocated when the Service is created)', location });
  }
  if (!service.selector) {
    const addresses = endpointAddresses(endpoints);
    notes.push(
      addresses.length > 0
        ? `No selector: traffic goes to the addresses of ${endpoints.map((object) => `${object.kind}/${object.name}`).join(', ')}: ${addresses.join(', ')}.`
        : 'No selector and no Endpoints or EndpointSlices for it in the workspace: the Service has no endpoints.',
    );
  }

  for (const port of service.ports) {
    if (!port.name || !port.port) continue;
    const protocol = port.protocol.toLowerCase();
    const srv = `_${port.name.value}._${protocol}.${fqdn}`;
    const target = headless && hostnames.length > 0 ? `${hostnames.map(({ hostname }) => `${hostname}.${fqdn}`).join(', ')}` : fqdn;
    records.push({ type: 'SRV', name: srv, value: `port ${port.port.value} on ${target}`, location: { fileId: service.fileId, span: port.name.span } });
  }
  return { fqdn, shortNames, records, notes };
}

function endpointAddresses(endpoints: readonly EndpointsObject[]): string[] {
  const addresses: string[] = [];
  for (const object of endpoints) {
    for (const address of object.addresses) addresses.push(address.ready ? address.ip : `${address.ip} (not ready)`);
  }
  return [...new Set(addresses)];
}

function describe(templates: readonly PodTemplate[]): string {
  if (templates.length === 0) return 'no Pod template';
  const names = [...new Set(templates.map((template) => `${template.kind}/${template.name}`))];
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
