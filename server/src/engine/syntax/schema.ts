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

/** Only the presence of a probe matters (a container without one is ready as soon as it starts). */
const PRESENCE: Schema = { keys: {} };

const CONTAINER: Schema = {
  keys: {
    name: LEAF,
    ports: { items: CONTAINER_PORT },
    restartPolicy: LEAF,
    env: { items: { keys: { name: LEAF } } },
    readinessProbe: PRESENCE,
  },
};

const POD_SPEC_KEYS = {
  containers: { items: CONTAINER },
  initContainers: { items: CONTAINER },
  hostname: LEAF,
  subdomain: LEAF,
  enableServiceLinks: LEAF,
} as const;

const POD_SPEC: Schema = { keys: POD_SPEC_KEYS };

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

const SERVICE_BACKEND: Schema = {
  keys: {
    // networking.k8s.io/v1
    service: { keys: { name: LEAF, port: { keys: { name: LEAF, number: LEAF } } } },
    // extensions/v1beta1 and networking.k8s.io/v1beta1
    serviceName: LEAF,
    servicePort: LEAF,
  },
};

const SPEC: Schema = {
  keys: {
    // Service
    type: LEAF,
    clusterIP: LEAF,
    externalName: LEAF,
    ports: { items: SERVICE_PORT },
    externalTrafficPolicy: LEAF,
    internalTrafficPolicy: LEAF,
    sessionAffinity: LEAF,
    publishNotReadyAddresses: LEAF,
    // Service selector (a plain map) and workload selectors (matchLabels / matchExpressions)
    selector: ANY,
    // Pod (a Pod's spec is a PodSpec)
    ...POD_SPEC_KEYS,
    // Workloads
    template: POD_TEMPLATE,
    jobTemplate: { keys: { spec: { keys: { template: POD_TEMPLATE } } } },
    replicas: LEAF,
    serviceName: LEAF,
    // Ingress
    rules: {
      items: {
        keys: {
          host: LEAF,
          http: { keys: { paths: { items: { keys: { path: LEAF, backend: SERVICE_BACKEND } } } } },
        },
      },
    },
    defaultBackend: SERVICE_BACKEND,
    backend: SERVICE_BACKEND,
  },
};

const ENDPOINT_ADDRESS: Schema = { keys: { ip: LEAF } };
const ENDPOINT_PORT: Schema = { keys: { name: LEAF, port: LEAF, protocol: LEAF } };

function objectSchema(items: Schema | undefined): Schema {
  const keys: Record<string, Schema> = {
    apiVersion: LEAF,
    kind: LEAF,
    metadata: OBJECT_METADATA,
    spec: SPEC,
    // Endpoints
    subsets: {
      items: {
        keys: {
          addresses: { items: ENDPOINT_ADDRESS },
          notReadyAddresses: { items: ENDPOINT_ADDRESS },
          ports: { items: ENDPOINT_PORT },
        },
      },
    },
    // EndpointSlice
    endpoints: { items: { keys: { addresses: { items: LEAF }, conditions: { keys: { ready: LEAF } } } } },
    ports: { items: ENDPOINT_PORT },
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
  'Ingress',
  'List',
  'ServiceList',
  'PodList',
  'DeploymentList',
]);
