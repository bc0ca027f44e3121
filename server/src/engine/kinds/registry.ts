/**
 * Every kind the engine knows, declared once in the kind modules, and what follows from them: the
 * schema of the fields kept when a document is read, which documents are read at all, and the
 * lookup from `apiVersion` + `kind` to a declaration.
 *
 * A kind that is not declared is still read (unless it is a built-in kind no rule needs): when it
 * has a Pod template at `spec.template` it is linked as an *assumed* workload, and when its API
 * group is not a built-in one it is a custom resource that may own operator-made Pods.
 */
import { OBJECT_SCHEMA, POD_TEMPLATE, mergeSchemas, schemaAt, type Schema } from '../syntax/schema';
import { APPS_KINDS } from './apps';
import { ARGO_KINDS } from './argo';
import { BATCH_KINDS } from './batch';
import { CORE_KINDS, DISCOVERY_KINDS } from './core';
import { GATEWAY_KINDS } from './gateway';
import { JOB_SET_KINDS } from './jobSet';
import { KEDA_KINDS } from './keda';
import { apiGroup, type KindSpec } from './kind';
import { KRUISE_KINDS } from './kruise';
import { LEADER_WORKER_SET_KINDS } from './leaderWorkerSet';
import { MONITORING_KINDS, MONITORING_OPERATED_KINDS } from './monitoring';
import { NETWORKING_KINDS } from './networking';
import { OPENSHIFT_KINDS } from './openshift';

export const KINDS: readonly KindSpec[] = [
  ...CORE_KINDS,
  ...DISCOVERY_KINDS,
  ...APPS_KINDS,
  ...BATCH_KINDS,
  ...NETWORKING_KINDS,
  ...GATEWAY_KINDS,
  ...MONITORING_KINDS,
  ...MONITORING_OPERATED_KINDS,
  ...ARGO_KINDS,
  ...OPENSHIFT_KINDS,
  ...LEADER_WORKER_SET_KINDS,
  ...JOB_SET_KINDS,
  ...KEDA_KINDS,
  ...KRUISE_KINDS,
];

/** Where an undeclared kind is assumed to hold its Pod template (the Deployment-like shape). */
export const ASSUMED_TEMPLATE_PATH: readonly string[] = ['spec', 'template'];

/** Kinds whose objects hold other objects in `items` (`kubectl get -o yaml` output). */
export const LIST_KINDS: ReadonlySet<string> = new Set(['List', 'ServiceList', 'PodList', 'DeploymentList']);

/**
 * Built-in kinds that have no Pod template and that no rule reads: their documents are skipped
 * unparsed, which keeps a large workspace fast (ConfigMap and Secret payloads are most of its bytes).
 */
const SKIPPED_KINDS: ReadonlySet<string> = new Set([
  'APIService', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'ControllerRevision', 'CSIDriver', 'CSINode',
  'CustomResourceDefinition', 'Event', 'HorizontalPodAutoscaler', 'IngressClass', 'Lease', 'LimitRange',
  'MutatingWebhookConfiguration', 'Namespace', 'NetworkPolicy', 'Node', 'PersistentVolume', 'PersistentVolumeClaim',
  'PodDisruptionBudget', 'PodTemplate', 'PriorityClass', 'ResourceQuota', 'Role', 'RoleBinding', 'RuntimeClass',
  'Secret', 'ServiceAccount', 'StorageClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VolumeAttachment', 'Kustomization', 'Component',
]);

/**
 * What a document skipped as a template can be once rendered, from its literal `kind` (undefined
 * when the kind itself is templated): `pods` when it can hold Pod templates (a declared workload, a
 * custom resource whose operator makes Pods, or a kind not declared, which may be either), and
 * `services` when it can be a Service.
 */
export function templateMayHold(kind: string | undefined, what: 'pods' | 'services'): boolean {
  if (kind === undefined) return true;
  if (what === 'services') return kind === 'Service';
  const declared = KINDS.filter((spec) => spec.kind === kind);
  if (declared.length === 0) return isReadKind(kind);
  return declared.some((spec) => spec.shape === 'workload' || spec.shape === 'operated');
}

/** Whether a document of this kind is read (a `kind:` the reader could sniff). */
export function isReadKind(kind: string): boolean {
  return !SKIPPED_KINDS.has(kind);
}

/**
 * API groups served by Kubernetes itself: an object of another group is a custom resource.
 * https://kubernetes.io/docs/reference/using-api/#api-groups
 */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'extensions', 'networking.k8s.io', 'discovery.k8s.io',
  'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io',
  'events.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io',
  'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
  'resource.k8s.io', 'internal.apiserver.k8s.io', 'storagemigration.k8s.io', 'metrics.k8s.io',
]);

export function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUPS.has(group);
}

/** `serviceLens.podTemplatePaths`: more Pod template paths, by `Kind` or `group/Kind`, each a dotted key path. */
export type PodTemplatePaths = Readonly<Record<string, readonly string[]>>;

const NO_PATHS: PodTemplatePaths = {};

const byGroupKind = new Map(KINDS.map((spec) => [`${spec.group}/${spec.kind}`, spec]));
/** apiVersion → kind → declaration (or null for an undeclared kind), so a lookup allocates nothing. */
const byApiVersion = new Map<string, Map<string, KindSpec | null>>();

/**
 * The declaration of a kind, by the group of its `apiVersion` and its `kind`; kinds named in
 * `podTemplatePaths` that are not declared here get a declaration from the setting (a declared
 * kind keeps its own: its controller labels and references, which the setting cannot say; a bare
 * `Rollout` key names every undeclared `Rollout`, not Argo's). Undefined for an undeclared kind.
 */
export function kindSpec(apiVersion: string, kind: string, extra: PodTemplatePaths = NO_PATHS): KindSpec | undefined {
  if (extra === NO_PATHS || Object.keys(extra).length === 0) {
    let kinds = byApiVersion.get(apiVersion);
    if (!kinds) {
      if (byApiVersion.size > 1000) byApiVersion.clear();
      byApiVersion.set(apiVersion, (kinds = new Map()));
    }
    let spec = kinds.get(kind);
    if (spec === undefined) {
      if (kinds.size > 1000) kinds.clear();
      kinds.set(kind, (spec = byGroupKind.get(`${apiGroup(apiVersion)}/${kind}`) ?? null));
    }
    return spec ?? undefined;
  }
  const group = apiGroup(apiVersion);
  const declared = byGroupKind.get(`${group}/${kind}`);
  if (declared) return declared;
  const configured = extra[`${group}/${kind}`] ?? extra[kind];
  if (configured && configured.length > 0) {
    return {
      group,
      kind,
      shape: 'workload',
      templates: configured.map((path) => ({ path: splitPath(path) })),
      docs: 'serviceLens.podTemplatePaths',
    };
  }
  return undefined;
}

function splitPath(path: string): string[] {
  return path.split('.').filter(Boolean);
}

function kindSchema(spec: KindSpec): Schema {
  let schema = spec.reads ?? {};
  for (const template of spec.templates ?? []) {
    schema = mergeSchemas(schema, template.path.length === 0 ? POD_TEMPLATE : schemaAt(template.path, POD_TEMPLATE));
  }
  if (spec.selector) schema = mergeSchemas(schema, schemaAt(['spec', 'selector'], { any: true }));
  return schema;
}

function objectSchema(extra: PodTemplatePaths): Schema {
  let schema = mergeSchemas(OBJECT_SCHEMA, schemaAt(ASSUMED_TEMPLATE_PATH, POD_TEMPLATE));
  for (const spec of KINDS) schema = mergeSchemas(schema, kindSchema(spec));
  for (const paths of Object.values(extra)) for (const path of paths) schema = mergeSchemas(schema, schemaAt(splitPath(path), POD_TEMPLATE));
  return schema;
}

function documentSchemaOf(extra: PodTemplatePaths): Schema {
  const object = objectSchema(extra);
  // A `kind: List` holds whole objects in `items` (one level deep is what kubectl produces).
  return mergeSchemas(object, { keys: { items: { items: object } } });
}

/** The schema of the fields kept when a document is read, for the built-in declarations. */
export const DOCUMENT_SCHEMA: Schema = documentSchemaOf({});

const schemas = new Map<string, Schema>();
/** The setting object asked for last and its schema: every file of a scan asks with the same one. */
let lastAsked: { readonly extra: PodTemplatePaths; readonly schema: Schema } | undefined;

/** The document schema with the templates of `serviceLens.podTemplatePaths` kept too. */
export function documentSchema(extra: PodTemplatePaths): Schema {
  if (lastAsked?.extra === extra) return lastAsked.schema;
  const key = JSON.stringify(extra);
  let schema = key === '{}' ? DOCUMENT_SCHEMA : schemas.get(key);
  if (!schema) {
    if (schemas.size > 16) schemas.clear();
    schemas.set(key, (schema = documentSchemaOf(extra)));
  }
  lastAsked = { extra, schema };
  return schema;
}

