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
import { fitted, intern } from './compact';
import { ASSUMED_TEMPLATE_PATH, LIST_KINDS, isBuiltInGroup, kindSpec, type PodTemplatePaths } from '../kinds/registry';
import { GATEWAY_GROUP } from '../kinds/gateway';
import { apiGroup, type ControllerLabel, type KindSpec, type TemplateLocation } from '../kinds/kind';
import { scalarText } from '../syntax/scalars';
import { at, child, entry, type PEntry, type PMap, type PNode } from '../syntax/tree';
import { SUPPRESSION_ANNOTATION } from '../syntax/schema';
import type { Span } from '../types';
import type { PlacementContext } from './instances';
import {
  CONTAINER,
  CONTAINER_PORT,
  LABEL_SELECTOR,
  POD_SPEC,
  SERVICE_PORT,
  SERVICE_SPEC,
  TEMPLATE_METADATA,
  WORKLOAD_SPEC,
  misspeltFields,
  type MisspeltField,
} from './misspeltFields';
import type {
  ContainerFact,
  ContainerPortFact,
  GatewayFacts,
  GatewayListener,
  MonitorEndpoint,
  MonitorFacts,
  ParentReference,
  ReferenceGrantFacts,
  RouteBackend,
  RouteFacts,
  RouteRule,
  EndpointAddress,
  EndpointPort,
  EndpointsFacts,
  IngressBackend,
  IngressFacts,
  LabelPair,
  Located,
  ObjectFacts,
  Placement,
  ResourceFacts,
  ScalarType,
  SelectorExpression,
  ServiceFacts,
  ServicePortFact,
  TemplateFacts,
  WorkloadReference,
  WorkloadSelector,
} from './objects';
import { ORDER_PER_DOCUMENT } from './objects';

const NO_PAIRS: readonly LabelPair[] = [];
const NO_POD_LABELS: readonly ControllerLabel[] = [];
const NO_FIELDS: readonly MisspeltField[] = [];
/** The API groups whose workload specs misspeltFields.ts lists. */
const WORKLOAD_SPEC_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch']);

export interface NarrowOptions {
  /** `serviceLens.podTemplatePaths`: more kinds with Pod templates. */
  readonly podTemplatePaths?: PodTemplatePaths;
  /**
   * When given, the objects come out placed in a scope (instances, model/instances.ts) in the
   * same allocation as their facts: reading a large workspace then makes one object per object.
   */
  readonly placement?: PlacementContext;
}

/** The objects of one document (several for a `kind: List`, or for a workload with several templates). */
export function narrowDocument(root: PNode, documentIndex: number, options: NarrowOptions = {}): ObjectFacts[] {
  if (root.type !== 'map') return [];
  const order = documentIndex * ORDER_PER_DOCUMENT;
  const kind = stringAt(root, 'kind');
  if (kind !== undefined && LIST_KINDS.has(kind)) {
    const items = child(root, 'items');
    if (items?.type !== 'seq') return [];
    const objects: ObjectFacts[] = [];
    items.items.forEach((item, index) => {
      if (item?.type === 'map') objects.push(...narrowObject(item, order + (index + 1) * 256, options));
    });
    return objects;
  }
  return narrowObject(root, order, options);
}

function narrowObject(root: PMap, order: number, options: NarrowOptions): ObjectFacts[] {
  const kindNode = child(root, 'kind');
  const apiVersion = stringAt(root, 'apiVersion');
  if (kindNode?.type !== 'scalar' || typeof kindNode.value !== 'string' || apiVersion === undefined) return [];
  const kind = intern(kindNode.value);
  const metadata = child(root, 'metadata');
  const nameNode = child(metadata, 'name');
  const placement = options.placement;
  const writtenNamespace = stringAt(metadata, 'namespace') || undefined;
  // One literal with every field (the placement ones undefined for plain facts): objects of a
  // shape share one hidden class, and reading a workspace allocates one object per object.
  const base: Base = {
    order,
    apiVersion,
    kind,
    name: nameNode?.type === 'scalar' ? intern(scalarText(nameNode.value)) : '',
    nameSpan: nameNode?.type === 'scalar' ? nameNode.span : kindNode.span,
    nameKeySpan: entry(metadata, 'name')?.keySpan,
    writtenNamespace,
    namespaceSpan: child(metadata, 'namespace')?.span,
    span: root.span,
    disabledRules: disabledRules(metadata),
    objectLabels: NO_PAIRS,
    fileId: placement?.fileId,
    scopeId: placement?.scopeId,
    namespace: placement ? (writtenNamespace ?? placement.defaultNamespace) : undefined,
    explicitNamespace: placement ? writtenNamespace !== undefined : undefined,
  };
  const spec = child(root, 'spec');
  const declared = kindSpec(apiVersion, kind, options.podTemplatePaths);
  switch (declared?.shape) {
    case 'service':
      return [narrowService({ ...base, objectLabels: labelPairs(child(metadata, 'labels')) }, spec)];
    case 'endpoints':
      return [{ ...base, shape: 'endpoints', serviceName: base.name, ...endpointsOf(root) } satisfies EndpointsFacts];
    case 'endpointSlice': {
      // EndpointSlices name their Service with this label:
      // concepts/services-networking/endpoint-slices/#ownership
      const serviceName = stringAt(child(metadata, 'labels'), 'kubernetes.io/service-name');
      return serviceName ? [{ ...base, shape: 'endpoints', serviceName, ...endpointSliceOf(root) } satisfies EndpointsFacts] : [];
    }
    case 'ingress':
      return [{ ...base, shape: 'ingress', backends: ingressBackends(spec) } satisfies IngressFacts];
    case 'workload':
      return narrowWorkload(base, root, declared, false, placement !== undefined);
    case 'route':
      return [narrowRoute(base, spec)];
    case 'gateway':
      return [narrowGateway(base, spec)];
    case 'referenceGrant':
      return [narrowReferenceGrant(base, spec)];
    case 'serviceMonitor':
      return [narrowMonitor(base, spec, 'Service', 'endpoints')];
    case 'podMonitor':
      return [narrowMonitor(base, spec, 'Pod', 'podMetricsEndpoints')];
    case 'operated':
      // A custom resource whose operator's Pods have declared labels (kinds/monitoring.ts).
      if (!base.name) return [];
      return [{ ...base, shape: 'resource', group: apiGroup(apiVersion), podLabels: declared.operatorPodLabels?.({ name: base.name, root }) ?? NO_POD_LABELS } satisfies ResourceFacts];
    case undefined:
      return narrowUndeclared(base, root, placement !== undefined);
  }
}

/**
 * An undeclared kind: a workload assumed from a Pod template at `spec.template` (labels and
 * containers), else, in a custom API group, a resource that may own operator-made Pods.
 */
function narrowUndeclared(base: Base, root: PMap, placed: boolean): ObjectFacts[] {
  const template = at(root, ...ASSUMED_TEMPLATE_PATH);
  if (child(at(template, 'metadata'), 'labels') !== undefined && child(child(template, 'spec'), 'containers') !== undefined) {
    const assumed: KindSpec = {
      group: apiGroup(base.apiVersion),
      kind: base.kind,
      shape: 'workload',
      templates: [{ path: ASSUMED_TEMPLATE_PATH }],
      docs: 'https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates',
    };
    return narrowWorkload(base, root, assumed, true, placed);
  }
  const group = apiGroup(base.apiVersion);
  if (isBuiltInGroup(group) || !base.name) return [];
  return [{ ...base, shape: 'resource', group, podLabels: NO_POD_LABELS } satisfies ResourceFacts];
}

interface TemplateSiteNode {
  readonly template: PNode | undefined;
  readonly item: PNode | undefined;
  readonly location: TemplateLocation;
}

/** The templates a location reaches (several through a `*` step). */
function templateNodes(root: PMap, location: TemplateLocation): TemplateSiteNode[] {
  if (location.path.length === 0) return [{ template: root, item: undefined, location }];
  const star = location.path.indexOf('*');
  if (star < 0) {
    const template = at(root, ...location.path);
    return template === undefined ? [] : [{ template, item: undefined, location }];
  }
  const list = at(root, ...location.path.slice(0, star));
  if (list?.type !== 'seq') return [];
  return list.items.flatMap((item) => {
    const template = at(item, ...location.path.slice(star + 1));
    return template === undefined ? [] : [{ template, item, location }];
  });
}

function narrowWorkload(base: Base, root: PMap, declared: KindSpec, assumed: boolean, placed: boolean): TemplateFacts[] {
  const spec = child(root, 'spec');
  const selector =
    declared.selector === 'labelSelector'
      ? workloadSelector(entry(spec, 'selector')?.keySpan, child(spec, 'selector'))
      : declared.selector === 'map'
        ? mapSelector(entry(spec, 'selector')?.keySpan, child(spec, 'selector'))
        : undefined;
  const workloadRef = workloadReference(child(spec, 'workloadRef'));
  const locations = declared.templates ?? [];
  const sites = locations.length === 1 ? templateNodes(root, locations[0]!) : locations.flatMap((location) => templateNodes(root, location));
  if (sites.length === 0 && workloadRef) sites.push({ template: undefined, item: undefined, location: { path: ['spec', 'template'] } });
  const several = sites.length > 1;
  // Reported with the first template, like the workload's selector.
  let workloadFields: MisspeltField[] | undefined;
  if (!assumed && WORKLOAD_SPEC_GROUPS.has(declared.group) && (sites[0]?.location.path.length ?? 0) > 0) {
    workloadFields = misspeltFields(spec, WORKLOAD_SPEC, workloadFields);
    if (declared.selector === 'labelSelector') workloadFields = misspeltFields(child(spec, 'selector'), LABEL_SELECTOR, workloadFields, true);
  }
  return sites.map((site, index) => {
    const role = site.location.role ?? (site.item !== undefined ? stringAt(site.item, 'name') : undefined);
    const isPod = site.location.path.length === 0;
    return narrowTemplate(
      index === 0 ? base : { ...base, order: base.order + index },
      isPod ? child(root, 'metadata') : child(site.template, 'metadata'),
      isPod ? spec : child(site.template, 'spec'),
      {
        role: several || site.location.role !== undefined ? role : undefined,
        assumed,
        selector,
        workloadSpec: isPod ? undefined : spec,
        controllerLabels: declared.controllerLabels?.({ name: base.name, root, item: site.item, role }) ?? [],
        workloadRef: site.template === undefined ? workloadRef : undefined,
        placed,
        workloadFields: index === 0 ? workloadFields : undefined,
      },
    );
  });
}

/** The fields every object has, and its placement when it is read into a scope (else undefined). */
type Base = Pick<ServiceFacts, 'order' | 'apiVersion' | 'kind' | 'name' | 'nameSpan' | 'nameKeySpan' | 'writtenNamespace' | 'namespaceSpan' | 'span' | 'disabledRules' | 'objectLabels'> & {
  readonly [K in keyof Placement]: Placement[K] | undefined;
};

function narrowService(base: Base, spec: PNode | undefined): ServiceFacts {
  const typeNode = child(spec, 'type');
  const selectorEntry = entry(spec, 'selector');
  const pairs = labelPairs(selectorEntry?.value);
  const portsNode = child(spec, 'ports');
  const ports: ServicePortFact[] = [];
  let fields = misspeltFields(spec, SERVICE_SPEC, undefined);
  if (portsNode?.type === 'seq') {
    portsNode.items.forEach((item, index) => {
      if (item?.type !== 'map') return;
      ports.push(servicePort(item, index));
      fields = misspeltFields(item, SERVICE_PORT, fields);
    });
  }
  // The common fields are copied one by one, not spread: a spread object given many more fields
  // keeps them out of line, and on 100,000 files the server's peak memory rose from 580 to 751 MB.
  const service: ServiceFacts & Base = {
    order: base.order,
    apiVersion: base.apiVersion,
    kind: base.kind,
    name: base.name,
    nameSpan: base.nameSpan,
    nameKeySpan: base.nameKeySpan,
    writtenNamespace: base.writtenNamespace,
    namespaceSpan: base.namespaceSpan,
    span: base.span,
    disabledRules: base.disabledRules,
    objectLabels: base.objectLabels,
    fileId: base.fileId,
    scopeId: base.scopeId,
    namespace: base.namespace,
    explicitNamespace: base.explicitNamespace,
    shape: 'service',
    type: (typeNode?.type === 'scalar' && typeof typeNode.value === 'string' && intern(typeNode.value)) || 'ClusterIP',
    typeSpan: typeNode?.span,
    clusterIP: stringAt(spec, 'clusterIP'),
    externalName: stringAt(spec, 'externalName'),
    selector: pairs.length > 0 ? pairs : null,
    selectorSpan: selectorEntry?.keySpan,
    ports: fitted(ports),
    externalTrafficPolicy: stringAt(spec, 'externalTrafficPolicy'),
    internalTrafficPolicy: stringAt(spec, 'internalTrafficPolicy'),
    sessionAffinity: stringAt(spec, 'sessionAffinity'),
    publishNotReadyAddresses: booleanAt(spec, 'publishNotReadyAddresses') === true,
    misspeltFields: fields ?? NO_FIELDS,
  };
  return service;
}

function servicePort(item: PMap, index: number): ServicePortFact {
  const protocolNode = child(item, 'protocol');
  const protocol = protocolNode?.type === 'scalar' && typeof protocolNode.value === 'string' && protocolNode.value ? intern(protocolNode.value) : 'TCP';
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

interface TemplateExtras {
  readonly role: string | undefined;
  readonly assumed: boolean;
  readonly selector: WorkloadSelector | undefined;
  readonly workloadSpec: PNode | undefined;
  readonly controllerLabels: TemplateFacts['controllerLabels'];
  readonly workloadRef: WorkloadReference | undefined;
  /** Whether `base` carries a placement: then the template gets its label map too. */
  readonly placed: boolean;
  /** Misspelt fields of the workload's spec and selector, for its first template. */
  readonly workloadFields: MisspeltField[] | undefined;
}

function narrowTemplate(base: Base, metadata: PNode | undefined, podSpec: PNode | undefined, extras: TemplateExtras): TemplateFacts {
  const labelsEntry = entry(metadata, 'labels');
  const labels = labelPairs(labelsEntry?.value);
  const containers: ContainerFact[] = [];
  collectContainers(child(podSpec, 'containers'), false, containers);
  collectContainers(child(podSpec, 'initContainers'), true, containers);
  let fields = misspeltFields(metadata, TEMPLATE_METADATA, extras.workloadFields ? [...extras.workloadFields] : undefined);
  fields = misspeltFields(podSpec, POD_SPEC, fields);
  fields = containerFields(child(podSpec, 'containers'), fields);
  fields = containerFields(child(podSpec, 'initContainers'), fields);
  // Copied field by field, as for Services (see narrowService).
  const template: TemplateFacts & Base & { readonly labelMap: ReadonlyMap<string, string> | undefined } = {
    order: base.order,
    apiVersion: base.apiVersion,
    kind: base.kind,
    name: base.name,
    nameSpan: base.nameSpan,
    nameKeySpan: base.nameKeySpan,
    writtenNamespace: base.writtenNamespace,
    namespaceSpan: base.namespaceSpan,
    span: base.span,
    disabledRules: base.disabledRules,
    objectLabels: base.objectLabels,
    fileId: base.fileId,
    scopeId: base.scopeId,
    namespace: base.namespace,
    explicitNamespace: base.explicitNamespace,
    shape: 'template',
    role: extras.role,
    assumed: extras.assumed,
    labels,
    controllerLabels: extras.controllerLabels,
    labelsSpan: labelsEntry?.keySpan,
    containers: fitted(containers),
    workloadSelector: extras.selector,
    replicas: located(child(extras.workloadSpec, 'replicas'), 'number')?.value,
    serviceName: located(child(extras.workloadSpec, 'serviceName'), 'string'),
    hostname: stringAt(podSpec, 'hostname'),
    subdomain: stringAt(podSpec, 'subdomain'),
    // "enableServiceLinks … Optional: Defaults to true." (reference/kubernetes-api/workload-resources/pod-v1/)
    enableServiceLinks: booleanAt(podSpec, 'enableServiceLinks') !== false,
    workloadRef: extras.workloadRef,
    labelMap: extras.placed ? labelMapOf(labels) : undefined,
    misspeltFields: fields ?? NO_FIELDS,
  };
  return template;
}

/** Misspelt fields of the containers of `node` and of their ports. */
function containerFields(node: PNode | undefined, out: MisspeltField[] | undefined): MisspeltField[] | undefined {
  if (node?.type !== 'seq') return out;
  let fields = out;
  for (const item of node.items) {
    fields = misspeltFields(item, CONTAINER, fields);
    const ports = child(item, 'ports');
    if (ports?.type === 'seq') for (const port of ports.items) fields = misspeltFields(port, CONTAINER_PORT, fields);
  }
  return fields;
}

/** Argo Rollouts `spec.workloadRef`: the Deployment whose template the Rollout's Pods use. */
function workloadReference(node: PNode | undefined): WorkloadReference | undefined {
  const name = located(child(node, 'name'), 'string');
  const kind = stringAt(node, 'kind');
  if (!name || !kind) return undefined;
  return { kind, name: name.value, span: name.span };
}

/** A plain-map `spec.selector` (ReplicationController, DeploymentConfig), read as matchLabels. */
function mapSelector(keySpan: Span | undefined, node: PNode | undefined): WorkloadSelector | undefined {
  if (!keySpan || node?.type !== 'map') return undefined;
  return { span: keySpan, matchLabels: labelPairs(node), matchExpressions: [] };
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
        const numberNode = child(port, 'containerPort');
        const containerPort = located(numberNode, 'number');
        ports.push({
          name: located(child(port, 'name'), 'string')?.value,
          containerPort: containerPort?.value,
          containerPortText: containerPort === undefined ? writtenText(numberNode, port.span) : undefined,
          protocol: protocol || 'TCP',
          span: port.span,
        });
      }
    }
    const envNode = child(item, 'env');
    const env: Located<string>[] = [];
    if (envNode?.type === 'seq') {
      for (const variable of envNode.items) {
        const name = located(child(variable, 'name'), 'string');
        if (name) env.push(name);
      }
    }
    out.push({
      name: stringAt(item, 'name') ?? '',
      init,
      env: fitted(env),
      readinessProbe: child(item, 'readinessProbe') !== undefined,
      // Sidecar containers: concepts/workloads/pods/sidecar-containers/
      restartable: init && stringAt(item, 'restartPolicy') === 'Always',
      ports: fitted(ports),
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
        ? valuesNode.items.flatMap((value) => (value?.type === 'scalar' ? [intern(scalarText(value.value))] : []))
        : [];
      expressions.push({ key: stringAt(item, 'key') ?? '', operator: stringAt(item, 'operator') ?? '', values, span: item.span });
    }
  }
  return { span: keySpan, matchLabels: labelPairs(child(node, 'matchLabels')), matchExpressions: fitted(expressions) };
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
function endpointsOf(root: PNode): { addresses: readonly EndpointAddress[]; ports: readonly EndpointPort[] } {
  const subsets = child(root, 'subsets');
  const addresses: EndpointAddress[] = [];
  const ports: EndpointPort[] = [];
  if (subsets?.type === 'seq') {
    for (const subset of subsets.items) {
      addresses.push(...addressesOf(child(subset, 'addresses'), true), ...addressesOf(child(subset, 'notReadyAddresses'), false));
      ports.push(...endpointPorts(child(subset, 'ports')));
    }
  }
  return { addresses: fitted(addresses), ports: fitted(ports) };
}

/** EndpointSlice: `endpoints[].addresses[]`, ready unless `conditions.ready` is false. */
function endpointSliceOf(root: PNode): { addresses: readonly EndpointAddress[]; ports: readonly EndpointPort[] } {
  const endpoints = child(root, 'endpoints');
  const addresses: EndpointAddress[] = [];
  if (endpoints?.type === 'seq') {
    for (const endpoint of endpoints.items) {
      const ready = booleanAt(child(endpoint, 'conditions'), 'ready') !== false;
      const list = child(endpoint, 'addresses');
      if (list?.type !== 'seq') continue;
      for (const address of list.items) {
        if (address?.type === 'scalar' && address.value !== null) addresses.push({ ip: intern(scalarText(address.value)), ready, span: address.span });
      }
    }
  }
  return { addresses: fitted(addresses), ports: endpointPorts(child(root, 'ports')) };
}

/**
 * Ingress backends that name a Service (networking.k8s.io/v1 `service.name` + `service.port.name|number`,
 * and the older `serviceName` + `servicePort`): concepts/services-networking/ingress/
 */
function ingressBackends(spec: PNode | undefined): readonly IngressBackend[] {
  const out: IngressBackend[] = [];
  const add = (host: string, path: string, backend: PNode | undefined) => {
    const service = child(backend, 'service');
    const v1Name = located(child(service, 'name'), 'string');
    if (v1Name) {
      const port = child(service, 'port');
      const portName = child(port, 'name');
      const portNumber = child(port, 'number');
      out.push({
        host,
        path,
        serviceName: v1Name.value,
        portName: located(portName, 'string')?.value,
        portNumber: located(portNumber, 'number')?.value,
        span: v1Name.span,
        portSpan: (portName ?? portNumber)?.span,
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
      portSpan: port?.span,
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
  return fitted(out);
}

function items(node: PNode | undefined): PMap[] {
  return node?.type === 'seq' ? node.items.filter((item): item is PMap => item?.type === 'map') : [];
}

/**
 * A Gateway API route: parents, hostnames and rules with their matches and backendRefs. A
 * backendRef without `group`/`kind` is a core Service (https://gateway-api.sigs.k8s.io/reference/spec/#backendref);
 * an HTTPRoute rule without matches matches every path (`PathPrefix /`), and a path match's type
 * defaults to `PathPrefix` (https://gateway-api.sigs.k8s.io/reference/spec/#httppathmatch).
 */
function narrowRoute(base: Base, spec: PNode | undefined): RouteFacts {
  const parents: ParentReference[] = items(child(spec, 'parentRefs')).flatMap((item) => {
    const name = located(child(item, 'name'), 'string');
    if (!name) return [];
    return [{
      group: stringAt(item, 'group') ?? GATEWAY_GROUP,
      kind: stringAt(item, 'kind') ?? 'Gateway',
      name: name.value,
      namespace: stringAt(item, 'namespace') || undefined,
      sectionName: stringAt(item, 'sectionName') || undefined,
      span: name.span,
    }];
  });
  const hostnamesNode = child(spec, 'hostnames');
  const hostnames = hostnamesNode?.type === 'seq'
    ? hostnamesNode.items.flatMap((item) => (item?.type === 'scalar' && item.value !== null ? [intern(scalarText(item.value))] : []))
    : [];
  const rules: RouteRule[] = items(child(spec, 'rules')).map((rule, index) => {
    const matches = items(child(rule, 'matches')).flatMap((match) => {
      const path = child(match, 'path');
      if (path !== undefined) return [`${stringAt(path, 'type') || 'PathPrefix'} ${stringAt(path, 'value') || '/'}`];
      const method = child(match, 'method');
      if (method !== undefined) return [`method ${stringAt(method, 'service') ?? '*'}/${stringAt(method, 'method') ?? '*'}`];
      return [];
    });
    const backendItems = items(child(rule, 'backendRefs'));
    const backends: RouteBackend[] = backendItems.flatMap(routeBackend);
    const mirrors: RouteBackend[] = [child(rule, 'filters'), ...backendItems.map((item) => child(item, 'filters'))].flatMap((filters) =>
      items(filters).flatMap((filter) => {
        const mirror = stringAt(filter, 'type') === 'RequestMirror' ? child(child(filter, 'requestMirror'), 'backendRef') : undefined;
        return mirror?.type === 'map' ? routeBackend(mirror) : [];
      }),
    );
    return { index, matches, backends, mirrors: mirrors.length === 0 ? NO_BACKENDS : mirrors };
  });
  return { ...base, shape: 'route', parents, hostnames, rules };
}

const NO_BACKENDS: readonly RouteBackend[] = [];

/** A route's backendRef (`rules[].backendRefs[]`, or a `RequestMirror` filter's `backendRef`); none without a name. */
function routeBackend(item: PMap): RouteBackend[] {
  const name = located(child(item, 'name'), 'string');
  if (!name) return [];
  return [{
    group: stringAt(item, 'group') ?? '',
    kind: stringAt(item, 'kind') ?? 'Service',
    name: name.value,
    namespace: located(child(item, 'namespace'), 'string'),
    port: located(child(item, 'port'), 'number'),
    span: name.span,
    itemSpan: item.span,
  }];
}

function narrowGateway(base: Base, spec: PNode | undefined): GatewayFacts {
  const listeners: GatewayListener[] = items(child(spec, 'listeners')).map((item) => ({
    name: stringAt(item, 'name') ?? '',
    hostname: stringAt(item, 'hostname') || undefined,
    port: located(child(item, 'port'), 'number')?.value,
    protocol: stringAt(item, 'protocol') || undefined,
    span: item.span,
  }));
  return { ...base, shape: 'gateway', gatewayClassName: stringAt(spec, 'gatewayClassName'), listeners };
}

/** A ReferenceGrant: `from` (group, kind, namespace) and `to` (group, kind, optional name); a missing group is the core group `""`. */
function narrowReferenceGrant(base: Base, spec: PNode | undefined): ReferenceGrantFacts {
  return {
    ...base,
    shape: 'referenceGrant',
    from: items(child(spec, 'from')).map((item) => ({ group: stringAt(item, 'group') ?? '', kind: stringAt(item, 'kind') ?? '', namespace: stringAt(item, 'namespace') ?? '' })),
    to: items(child(spec, 'to')).map((item) => ({ group: stringAt(item, 'group') ?? '', kind: stringAt(item, 'kind') ?? '', name: stringAt(item, 'name') || undefined })),
  };
}

/** A monitor's LabelSelector; `selector:` with no value is an empty selector (every object of the namespaces). */
function monitorSelector(selector: PEntry | undefined): WorkloadSelector | undefined {
  if (!selector) return undefined;
  return workloadSelector(selector.keySpan, selector.value ?? { type: 'map', entries: [], span: selector.keySpan });
}

/** A ServiceMonitor or PodMonitor: its selector, the namespaces it looks in, and its scrape endpoints. */
function narrowMonitor(base: Base, spec: PNode | undefined, selects: 'Service' | 'Pod', endpointsKey: string): MonitorFacts {
  const namespaceSelector = child(spec, 'namespaceSelector');
  const namesNode = child(namespaceSelector, 'matchNames');
  const endpoints: MonitorEndpoint[] = items(child(spec, endpointsKey)).map((item) => ({
    port: located(child(item, 'port'), 'string'),
    path: stringAt(item, 'path'),
    span: item.span,
  }));
  return {
    ...base,
    shape: 'monitor',
    selects,
    selector: monitorSelector(entry(spec, 'selector')),
    anyNamespace: booleanAt(namespaceSelector, 'any') === true,
    namespaceNames: namesNode?.type === 'seq' ? namesNode.items.flatMap((item) => (item?.type === 'scalar' && item.value !== null ? [intern(scalarText(item.value))] : [])) : [],
    endpoints,
  };
}

function booleanAt(node: PNode | undefined, key: string): boolean | undefined {
  const value = child(node, key);
  return value?.type === 'scalar' && typeof value.value === 'boolean' ? value.value : undefined;
}

function labelPairs(node: PNode | undefined): readonly LabelPair[] {
  if (node?.type !== 'map') return [];
  const pairs: LabelPair[] = [];
  for (const item of node.entries) {
    if (item.value !== undefined && item.value.type !== 'scalar') continue;
    const valueSpan = item.value ? item.value.span : spanAt(item.keySpan, item.keySpan.end);
    pairs.push({
      key: intern(item.key),
      value: item.value ? intern(scalarText(item.value.value)) : '',
      valueType: item.value ? scalarType(item.value.value) : 'null',
      keySpan: item.keySpan,
      valueSpan,
      span: pairSpan(item.keySpan, valueSpan),
    });
  }
  return fitted(pairs);
}

/** An empty span at `offset` of the file `span` is in (a span of a built object may name another file). */
function spanAt(span: Span, offset: number): Span {
  return span.fileId === undefined ? { start: offset, end: offset } : { start: offset, end: offset, fileId: span.fileId };
}

/**
 * From a key to the end of its value. In a built object the two may come from different files (a
 * kustomize patch that sets the value of a key of the base): the pair is then where its value was
 * written, which is what the user edits.
 */
function pairSpan(keySpan: Span, valueSpan: Span): Span {
  if (keySpan.fileId !== valueSpan.fileId) return valueSpan;
  return keySpan.fileId === undefined ? { start: keySpan.start, end: valueSpan.end } : { start: keySpan.start, end: valueSpan.end, fileId: keySpan.fileId };
}

function labelMapOf(labels: readonly LabelPair[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of labels) map.set(pair.key, pair.value);
  return map;
}

function scalarType(value: string | number | boolean | null): ScalarType {
  if (value === null) return 'null';
  return typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean';
}

function disabledRules(metadata: PNode | undefined): readonly string[] {
  const value = stringAt(child(metadata, 'annotations'), SUPPRESSION_ANNOTATION);
  if (!value) return EMPTY;
  return value.split(/[\s,]+/).filter(Boolean);
}

const EMPTY: readonly string[] = [];

function stringAt(node: PNode | undefined, key: string): string | undefined {
  const value = child(node, key);
  if (value?.type !== 'scalar' || value.value === null) return undefined;
  return intern(scalarText(value.value));
}

function located(node: PNode | undefined, type: 'string'): Located<string> | undefined;
function located(node: PNode | undefined, type: 'number'): Located<number> | undefined;
function located(node: PNode | undefined, type: 'string' | 'number'): Located<string | number> | undefined {
  if (node?.type !== 'scalar') return undefined;
  if (type === 'number') return typeof node.value === 'number' ? { value: node.value, span: node.span } : undefined;
  return node.value === null ? undefined : { value: intern(scalarText(node.value)), span: node.span };
}

/**
 * A node's value as written, for a message: a scalar's text at its span; `{…}` or `[…]` for a
 * collection, at `holder` (the tree keeps no extent for a collection it reads nothing of);
 * undefined for no node or an empty (null) value.
 */
function writtenText(node: PNode | undefined, holder: Span): Located<string> | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'scalar') return node.value === null ? undefined : { value: intern(scalarText(node.value)), span: node.span };
  return { value: node.type === 'map' ? '{…}' : '[…]', span: holder };
}

/** IntOrString: a YAML number is a port number, a string (quoted digits too) is a port name. */
function intOrString(node: PNode | undefined): Located<number | string> | undefined {
  if (node?.type !== 'scalar' || node.value === null) return undefined;
  return { value: typeof node.value === 'number' ? node.value : intern(scalarText(node.value)), span: node.span };
}
