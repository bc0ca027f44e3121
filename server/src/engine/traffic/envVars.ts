/**
 * The environment variables the kubelet gives containers for a Service
 * (https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables and
 * https://kubernetes.io/docs/concepts/containers/container-environment/#cluster-information):
 * for each Service with a cluster IP in the Pod's namespace, `{SVC}_SERVICE_HOST`,
 * `{SVC}_SERVICE_PORT` (the first port), `{SVC}_SERVICE_PORT_{NAME}` per named port, and the
 * Docker-link variables `{SVC}_PORT`, `{SVC}_PORT_{port}_{PROTO}` with `_PROTO`, `_PORT`, `_ADDR`.
 * The name is upper-cased with dashes turned into underscores (`redis-primary` →
 * `REDIS_PRIMARY_SERVICE_HOST`). Only Pods created after the Service get them, and none when the
 * Pod sets `enableServiceLinks: false`. Variables a container sets itself win over these.
 */
import type { EnvCollision, EnvInfo, EnvVar } from '../../protocol/traffic';
import type { PodTemplate, ServiceObject } from '../model/objects';
import type { FileSpan } from '../types';

export function envPrefix(serviceName: string): string {
  return serviceName.toUpperCase().replace(/-/g, '_');
}

export function serviceEnvVariables(service: ServiceObject, clusterIp: string): EnvVar[] {
  const prefix = envPrefix(service.name);
  const ports = service.ports.filter((port) => port.port !== undefined);
  const first = ports[0];
  const variables: EnvVar[] = [{ name: `${prefix}_SERVICE_HOST`, value: clusterIp }];
  if (first?.port) variables.push({ name: `${prefix}_SERVICE_PORT`, value: String(first.port.value) });
  for (const port of ports) {
    if (port.name && port.port) variables.push({ name: `${prefix}_SERVICE_PORT_${envPrefix(port.name.value)}`, value: String(port.port.value) });
  }
  ports.forEach((port, index) => {
    const number = port.port!.value;
    const protocol = port.protocol.toLowerCase();
    const url = `${protocol}://${clusterIp}:${number}`;
    if (index === 0) variables.push({ name: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${number}_${port.protocol.toUpperCase()}`;
    variables.push(
      { name: portPrefix, value: url },
      { name: `${portPrefix}_PROTO`, value: protocol },
      { name: `${portPrefix}_PORT`, value: String(number) },
      { name: `${portPrefix}_ADDR`, value: clusterIp },
    );
  });
  return variables;
}

export function envInfo(service: ServiceObject, namespaceTemplates: readonly PodTemplate[]): EnvInfo<FileSpan> {
  if (service.type === 'ExternalName') {
    return { applies: false, notes: ['ExternalName Services have no cluster IP: Pods get no variables for them.'], variables: [], collisions: [] };
  }
  if (service.clusterIP === 'None') {
    return { applies: false, notes: ['Headless Services have no cluster IP: Pods get no variables for them.'], variables: [], collisions: [] };
  }
  const clusterIp = service.clusterIP || '<cluster IP>';
  const variables = serviceEnvVariables(service, clusterIp);
  const notes = [
    `Every container of a Pod in namespace ${service.namespace} gets these, if the Pod is created after the Service.`,
  ];
  const disabled = namespaceTemplates.filter((template) => !template.enableServiceLinks).map((template) => `${template.kind}/${template.name}`);
  if (disabled.length > 0) notes.push(`Not set in Pods of ${[...new Set(disabled)].join(', ')} (enableServiceLinks: false).`);
  const names = new Set(variables.map((variable) => variable.name));
  const collisions: EnvCollision<FileSpan>[] = [];
  for (const template of namespaceTemplates) {
    if (!template.enableServiceLinks) continue;
    for (const container of template.containers) {
      for (const variable of container.env) {
        if (names.has(variable.value)) {
          collisions.push({ template: `${template.kind}/${template.name}`, name: variable.value, location: { fileId: template.fileId, span: variable.span } });
        }
      }
    }
  }
  if (collisions.length > 0) notes.push('Some Pod templates set one of these names themselves; their own value wins.');
  return { applies: true, notes, variables, collisions };
}
