/**
 * Narrows pruned YAML trees to Kubernetes objects. The only module that knows manifest shapes.
 *
 * Kubernetes semantics used here (https://kubernetes.io/docs/…):
 * - A namespaced object without `metadata.namespace` lands in the namespace of the request, which
 *   kubectl takes from the context (`default` unless configured):
 *   concepts/overview/working-with-objects/namespaces/
 * - Pods are created from Pod templates; for a workload the labels a Service selects are the
 *   template's (`spec.template.metadata.labels`), not the workload's own `metadata.labels`:
 *   concepts/workloads/pods/#pod-templates. A CronJob's template is `spec.jobTemplate.spec.template`.
 * - Service `type` defaults to ClusterIP and `protocol` to TCP (concepts/services-networking/service/);
 *   a container port's protocol defaults to TCP too (reference/kubernetes-api/workload-resources/pod-v1/#ports).
 */
import { scalarText } from '../syntax/scalars';
import { at, child, entry, type PMap, type PNode } from '../syntax/tree';
import { SUPPRESSION_ANNOTATION } from '../syntax/schema';
import type { Span } from '../types';
import type {
  ContainerFact,
  ContainerPortFact,
  EndpointAddress,
  EndpointPort,
  EndpointsObject,
  IngressBackend,
  IngressObject,
  KubeObject,
  LabelPair,
  Located,
  PodTemplate,
  SelectorExpression,
  ServiceObject,
  ServicePortFact,
  WorkloadSelector,
} from './objects';

/**
 * A copy of a string that does not keep the file text alive. Strings cut from a file (names,
 * labels) are slices that pin the whole text in memory; objects outlive the text, so every string
 * they keep is copied once here.
 */
export function own(value: string): string {
  return value.length < 13 ? value : (' ' + value).slice(1);
}

const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);
/** Workloads whose `spec.selector` is a LabelSelector that must select their own template. */
export const SELECTOR_WORKLOADS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);
const LIST_KINDS = new Set(['List', 'ServiceList', 'PodList', 'DeploymentList']);

export interface NarrowContext {
  readonly fileId: string;
  readonly defaultNamespace: string;
}

/** The objects of one document (several for a `kind: List`). */
export function narrowDocument(root: PNode, documentIndex: number, context: NarrowContext): KubeObject[] {
  if (root.type !== 'map') return [];
  const order = documentIndex * 65536;
  const kind = stringAt(root, 'kind');
  if (kind !== undefined && LIST_KINDS.has(kind)) {
    const items = child(root, 'items');
    if (items?.type !== 'seq') return [];
    const objects: KubeObject[] = [];
    items.items.forEach((item, index) => {
      if (item?.type !== 'map') return;
      const object = narrowObject(item, order + index + 1, context);
      if (object) objects.push(object);
    });
    return objects;
  }
  const object = narrowObject(root, order, context);
  return object ? [object] : [];
}

function narrowObject(root: PMap, order: number, context: NarrowContext): KubeObject | undefined {
  const kindNode = child(root, 'kind');
  const apiVersion = stringAt(root, 'apiVersion');
  if (kindNode?.type !== 'scalar' || typeof kindNode.value !== 'string' || apiVersion === undefined) return undefined;
  const kind = own(kindNode.value);
  const metadata = child(root, 'metadata');
  const nameNode = child(metadata, 'name');
  const explicitNamespace = stringAt(metadata, 'namespace');
  const base = {
    fileId: context.fileId,
    order,
    apiVersion,
    name: nameNode?.type === 'scalar' ? own(scalarText(nameNode.value)) : '',
    nameSpan: nameNode?.type === 'scalar' ? nameNode.span : kindNode.span,
    namespace: explicitNamespace || context.defaultNamespace,
    explicitNamespace: Boolean(explicitNamespace),
    span: root.span,
    disabledRules: disabledRules(metadata),
  };
  const spec = child(root, 'spec');
  switch (kind) {
    case 'Service':
      return narrowService(base, spec);
    case 'Pod':
      return narrowTemplate({ ...base, kind }, metadata, spec, undefined);
    case 'CronJob':
      return narrowTemplate({ ...base, kind }, at(spec, 'jobTemplate', 'spec', 'template', 'metadata'), at(spec, 'jobTemplate', 'spec', 'template', 'spec'), undefined);
    case 'Endpoints':
      return { ...base, kind, serviceName: base.name, ...endpointsOf(root) } satisfies EndpointsObject;
    case 'EndpointSlice': {
      // EndpointSlices name their Service with this label:
      // concepts/services-networking/endpoint-slices/#ownership
      const serviceName = stringAt(child(metadata, 'labels'), 'kubernetes.io/service-name');
      return serviceName ? ({ ...base, kind, serviceName, ...endpointSliceOf(root) } satisfies EndpointsObject) : undefined;
    }
    case 'Ingress':
      return { ...base, kind, backends: ingressBackends(spec) } satisfies IngressObject;
    default:
      if (!TEMPLATE_KINDS.has(kind)) return undefined;
      if (child(spec, 'template') === undefined) return undefined;
      return narrowTemplate(
        { ...base, kind },
        at(spec, 'template', 'metadata'),
        at(spec, 'template', 'spec'),
        SELECTOR_WORKLOADS.has(kind) ? workloadSelector(entry(spec, 'selector')?.keySpan, child(spec, 'selector')) : undefined,
        spec,
      );
  }
}

type Base = Pick<ServiceObject, 'fileId' | 'order' | 'apiVersion' | 'name' | 'nameSpan' | 'namespace' | 'explicitNamespace' | 'span' | 'disabledRules'>;

function narrowService(base: Base, spec: PNode | undefined): ServiceObject {
  const typeNode = child(spec, 'type');
  const selectorEntry = entry(spec, 'selector');
  const pairs = labelPairs(selectorEntry?.value);
  const portsNode = child(spec, 'ports');
  const ports: ServicePortFact[] = [];
  if (portsNode?.type === 'seq') {
    portsNode.items.forEach((item, index) => {
      if (item?.type === 'map') ports.push(servicePort(item, index));
    });
  }
  return {
    ...base,
    kind: 'Service',
    type: (typeNode?.type === 'scalar' && typeof typeNode.value === 'string' && own(typeNode.value)) || 'ClusterIP',
    typeSpan: typeNode?.span,
    clusterIP: stringAt(spec, 'clusterIP'),
    externalName: stringAt(spec, 'externalName'),
    selector: pairs.length > 0 ? pairs : null,
    selectorSpan: selectorEntry?.keySpan,
    ports,
    externalTrafficPolicy: stringAt(spec, 'externalTrafficPolicy'),
    internalTrafficPolicy: stringAt(spec, 'internalTrafficPolicy'),
    sessionAffinity: stringAt(spec, 'sessionAffinity'),
    publishNotReadyAddresses: booleanAt(spec, 'publishNotReadyAddresses') === true,
  };
}

function servicePort(item: PMap, index: number): ServicePortFact {
  const protocolNode = child(item, 'protocol');
  const protocol = protocolNode?.type === 'scalar' && typeof protocolNode.value === 'string' && protocolNode.value ? own(protocolNode.value) : 'TCP';
  return {
    index,
    span: item.span,
    name: located(child(item, 'name'), 'string'),
    port: located(child(item, 'port'), 'number'),
    targetPort: intOrString(child(item, 'targetPort')),
    protocol,
    protocolSpan: protocolNode?.span,
    nodePort: located(child(item, 'nodePort'), 'number'),
  };
}

function narrowTemplate(
  base: Base & { readonly kind: string },
  metadata: PNode | undefined,
  podSpec: PNode | undefined,
  selector: WorkloadSelector | undefined,
  workloadSpec?: PNode,
): PodTemplate {
  const labelsEntry = entry(metadata, 'labels');
  const labels = labelPairs(labelsEntry?.value);
  const containers: ContainerFact[] = [];
  collectContainers(child(podSpec, 'containers'), false, containers);
  collectContainers(child(podSpec, 'initContainers'), true, containers);
  return {
    ...base,
    labels,
    labelMap: new Map(labels.map((pair) => [pair.key, pair.value])),
    labelsSpan: labelsEntry?.keySpan,
    containers,
    workloadSelector: selector,
    replicas: located(child(workloadSpec, 'replicas'), 'number')?.value,
    serviceName: stringAt(workloadSpec, 'serviceName'),
    hostname: stringAt(podSpec, 'hostname'),
    subdomain: stringAt(podSpec, 'subdomain'),
    // "enableServiceLinks … Optional: Defaults to true." (reference/kubernetes-api/workload-resources/pod-v1/)
    enableServiceLinks: booleanAt(podSpec, 'enableServiceLinks') !== false,
  };
}

function collectContainers(node: PNode | undefined, init: boolean, out: ContainerFact[]): void {
  if (node?.type !== 'seq') return;
  for (const item of node.items) {
    if (item?.type !== 'map') continue;
    const ports: ContainerPortFact[] = [];
    const portsNode = child(item, 'ports');
    if (portsNode?.type === 'seq') {
      for (const port of portsNode.items) {
        if (port?.type !== 'map') continue;
        const protocol = stringAt(port, 'protocol');
        ports.push({
          name: located(child(port, 'name'), 'string')?.value,
          containerPort: located(child(port, 'containerPort'), 'number')?.value,
          protocol: protocol || 'TCP',
          span: port.span,
        });
      }
    }
    const envNode = child(item, 'env');
    const env = envNode?.type === 'seq'
      ? envNode.items.flatMap((variable) => {
          const name = located(child(variable, 'name'), 'string');
          return name ? [name] : [];
        })
      : [];
    out.push({
      name: stringAt(item, 'name') ?? '',
      init,
      env,
      readinessProbe: child(item, 'readinessProbe') !== undefined,
      // Sidecar containers: concepts/workloads/pods/sidecar-containers/
      restartable: init && stringAt(item, 'restartPolicy') === 'Always',
      ports,
    });
  }
}

function workloadSelector(keySpan: Span | undefined, node: PNode | undefined): WorkloadSelector | undefined {
  if (!keySpan || node?.type !== 'map') return undefined;
  const expressions: SelectorExpression[] = [];
  const expressionsNode = child(node, 'matchExpressions');
  if (expressionsNode?.type === 'seq') {
    for (const item of expressionsNode.items) {
      if (item?.type !== 'map') continue;
      const valuesNode = child(item, 'values');
      const values = valuesNode?.type === 'seq'
        ? valuesNode.items.flatMap((value) => (value?.type === 'scalar' ? [own(scalarText(value.value))] : []))
        : [];
      expressions.push({ key: stringAt(item, 'key') ?? '', operator: stringAt(item, 'operator') ?? '', values, span: item.span });
    }
  }
  return { span: keySpan, matchLabels: labelPairs(child(node, 'matchLabels')), matchExpressions: expressions };
}

function endpointPorts(node: PNode | undefined): EndpointPort[] {
  if (node?.type !== 'seq') return [];
  return node.items.flatMap((item) =>
    item?.type === 'map'
      ? [{ name: stringAt(item, 'name'), port: located(child(item, 'port'), 'number')?.value, protocol: stringAt(item, 'protocol') || 'TCP' }]
      : [],
  );
}

function addressesOf(node: PNode | undefined, ready: boolean): EndpointAddress[] {
  if (node?.type !== 'seq') return [];
  return node.items.flatMap((item) => {
    const ip = located(child(item, 'ip'), 'string');
    return ip ? [{ ip: ip.value, ready, span: ip.span }] : [];
  });
}

/** Endpoints: `subsets[]` of ready and not-ready addresses with their ports. */
function endpointsOf(root: PNode): { addresses: EndpointAddress[]; ports: EndpointPort[] } {
  const subsets = child(root, 'subsets');
  const addresses: EndpointAddress[] = [];
  const ports: EndpointPort[] = [];
  if (subsets?.type === 'seq') {
    for (const subset of subsets.items) {
      addresses.push(...addressesOf(child(subset, 'addresses'), true), ...addressesOf(child(subset, 'notReadyAddresses'), false));
      ports.push(...endpointPorts(child(subset, 'ports')));
    }
  }
  return { addresses, ports };
}

/** EndpointSlice: `endpoints[].addresses[]`, ready unless `conditions.ready` is false. */
function endpointSliceOf(root: PNode): { addresses: EndpointAddress[]; ports: EndpointPort[] } {
  const endpoints = child(root, 'endpoints');
  const addresses: EndpointAddress[] = [];
  if (endpoints?.type === 'seq') {
    for (const endpoint of endpoints.items) {
      const ready = booleanAt(child(endpoint, 'conditions'), 'ready') !== false;
      const list = child(endpoint, 'addresses');
      if (list?.type !== 'seq') continue;
      for (const address of list.items) {
        if (address?.type === 'scalar' && address.value !== null) addresses.push({ ip: own(scalarText(address.value)), ready, span: address.span });
      }
    }
  }
  return { addresses, ports: endpointPorts(child(root, 'ports')) };
}

/**
 * Ingress backends that name a Service (networking.k8s.io/v1 `service.name` + `service.port.name|number`,
 * and the older `serviceName` + `servicePort`): concepts/services-networking/ingress/
 */
function ingressBackends(spec: PNode | undefined): IngressBackend[] {
  const out: IngressBackend[] = [];
  const add = (host: string, path: string, backend: PNode | undefined) => {
    const v1Name = located(at(backend, 'service', 'name'), 'string');
    if (v1Name) {
      out.push({
        host,
        path,
        serviceName: v1Name.value,
        portName: located(at(backend, 'service', 'port', 'name'), 'string')?.value,
        portNumber: located(at(backend, 'service', 'port', 'number'), 'number')?.value,
        span: v1Name.span,
      });
      return;
    }
    const legacyName = located(child(backend, 'serviceName'), 'string');
    if (!legacyName) return;
    const port = intOrString(child(backend, 'servicePort'));
    out.push({
      host,
      path,
      serviceName: legacyName.value,
      portName: typeof port?.value === 'string' ? port.value : undefined,
      portNumber: typeof port?.value === 'number' ? port.value : undefined,
      span: legacyName.span,
    });
  };
  add('*', '(default backend)', child(spec, 'defaultBackend') ?? child(spec, 'backend'));
  const rules = child(spec, 'rules');
  if (rules?.type === 'seq') {
    for (const rule of rules.items) {
      const host = stringAt(rule, 'host') || '*';
      const paths = at(rule, 'http', 'paths');
      if (paths?.type !== 'seq') continue;
      for (const item of paths.items) add(host, stringAt(item, 'path') || '/', child(item, 'backend'));
    }
  }
  return out;
}

function booleanAt(node: PNode | undefined, key: string): boolean | undefined {
  const value = child(node, key);
  return value?.type === 'scalar' && typeof value.value === 'boolean' ? value.value : undefined;
}

function labelPairs(node: PNode | undefined): LabelPair[] {
  if (node?.type !== 'map') return [];
  const pairs: LabelPair[] = [];
  for (const item of node.entries) {
    if (item.value !== undefined && item.value.type !== 'scalar') continue;
    const end = item.value ? item.value.span.end : item.keySpan.end;
    pairs.push({
      key: own(item.key),
      value: item.value ? own(scalarText(item.value.value)) : '',
      keySpan: item.keySpan,
      span: { start: item.keySpan.start, end },
    });
  }
  return pairs;
}

function disabledRules(metadata: PNode | undefined): ReadonlySet<string> {
  const value = stringAt(child(metadata, 'annotations'), SUPPRESSION_ANNOTATION);
  if (!value) return EMPTY;
  return new Set(value.split(/[\s,]+/).filter(Boolean));
}

const EMPTY: ReadonlySet<string> = new Set();

function stringAt(node: PNode | undefined, key: string): string | undefined {
  const value = child(node, key);
  if (value?.type !== 'scalar' || value.value === null) return undefined;
  return own(scalarText(value.value));
}

function located(node: PNode | undefined, type: 'string'): Located<string> | undefined;
function located(node: PNode | undefined, type: 'number'): Located<number> | undefined;
function located(node: PNode | undefined, type: 'string' | 'number'): Located<string | number> | undefined {
  if (node?.type !== 'scalar') return undefined;
  if (type === 'number') return typeof node.value === 'number' ? { value: node.value, span: node.span } : undefined;
  return node.value === null ? undefined : { value: own(scalarText(node.value)), span: node.span };
}

/** IntOrString: a YAML number is a port number, a string (quoted digits too) is a port name. */
function intOrString(node: PNode | undefined): Located<number | string> | undefined {
  if (node?.type !== 'scalar' || node.value === null) return undefined;
  return { value: typeof node.value === 'number' ? node.value : own(scalarText(node.value)), span: node.span };
}
