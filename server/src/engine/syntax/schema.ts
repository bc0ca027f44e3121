/**
 * Which parts of a Kubernetes document the rules read. Everything else is skipped without being
 * parsed: this is what keeps indexing a large workspace fast (ConfigMap payloads, env lists,
 * probes, resources and annotations are most of the bytes and matter to no rule).
 */

export interface Schema {
  /** Keep the whole subtree (label maps). */
  readonly any?: true;
  /** For a mapping: the keys to keep, each with its own schema. */
  readonly keys?: Readonly<Record<string, Schema>>;
  /** For a sequence: the schema of each item. */
  readonly items?: Schema;
}

export const LEAF: Schema = {};
const ANY: Schema = { any: true };

const CONTAINER_PORT: Schema = { keys: { name: LEAF, containerPort: LEAF, protocol: LEAF } };

const CONTAINER: Schema = {
  keys: {
    name: LEAF,
    ports: { items: CONTAINER_PORT },
    restartPolicy: LEAF,
  },
};

const POD_SPEC: Schema = {
  keys: {
    containers: { items: CONTAINER },
    initContainers: { items: CONTAINER },
  },
};

const TEMPLATE_METADATA: Schema = { keys: { name: LEAF, namespace: LEAF, labels: ANY } };

const POD_TEMPLATE: Schema = { keys: { metadata: TEMPLATE_METADATA, spec: POD_SPEC } };

/** The suppression annotation is the only annotation read. */
export const SUPPRESSION_ANNOTATION = 'service-lens/disable';

const OBJECT_METADATA: Schema = {
  keys: {
    name: LEAF,
    namespace: LEAF,
    labels: ANY,
    annotations: { keys: { [SUPPRESSION_ANNOTATION]: LEAF } },
  },
};

const SERVICE_PORT: Schema = {
  keys: { name: LEAF, port: LEAF, targetPort: LEAF, protocol: LEAF, nodePort: LEAF },
};

const SPEC: Schema = {
  keys: {
    // Service
    type: LEAF,
    clusterIP: LEAF,
    externalName: LEAF,
    ports: { items: SERVICE_PORT },
    // Service selector (a plain map) and workload selectors (matchLabels / matchExpressions)
    selector: ANY,
    // Pod (a Pod's spec is a PodSpec)
    containers: { items: CONTAINER },
    initContainers: { items: CONTAINER },
    // Workloads
    template: POD_TEMPLATE,
    jobTemplate: { keys: { spec: { keys: { template: POD_TEMPLATE } } } },
  },
};

function objectSchema(items: Schema | undefined): Schema {
  const keys: Record<string, Schema> = {
    apiVersion: LEAF,
    kind: LEAF,
    metadata: OBJECT_METADATA,
    spec: SPEC,
  };
  if (items) keys['items'] = items;
  return { keys };
}

/** A `kind: List` holds whole objects in `items` (one level deep is what kubectl produces). */
export const DOCUMENT_SCHEMA: Schema = objectSchema({ items: objectSchema(undefined) });

/** Kinds whose documents are read; every other kind is skipped unparsed. */
export const RELEVANT_KINDS: ReadonlySet<string> = new Set([
  'Service',
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'Endpoints',
  'EndpointSlice',
  'List',
  'ServiceList',
  'PodList',
  'DeploymentList',
]);
