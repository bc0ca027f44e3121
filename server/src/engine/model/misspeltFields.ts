/**
 * Misspelt field names where the engine reads fields: a key that is no field of its object but is
 * a small edit away from one the rules need (`selectr`, `targetport`, `containerPorts`). kubectl's
 * strict field validation rejects unknown fields
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation), and the field
 * the user meant is missing, so the links the engine shows would not exist.
 *
 * The field lists are those of the Kubernetes API reference (reference/kubernetes-api/…):
 * ServiceSpec and ServicePort (service-resources/service-v1/), PodSpec, Container and
 * ContainerPort (workload-resources/pod-v1/), ObjectMeta (common-definitions/object-meta/),
 * LabelSelector (common-definitions/label-selector/) and the specs of the apps/v1 and batch/v1
 * workloads.
 */
import { intern } from './compact';
import type { PKey, PNode } from '../syntax/tree';
import type { Span } from '../types';

/** A key that is probably a misspelt field: what was written, where, and the field meant. */
export interface MisspeltField {
  readonly key: string;
  readonly keySpan: Span;
  readonly field: string;
  /** Where it is, for messages: `Service spec`, `container port`, … */
  readonly where: string;
}

/** The fields of one level of an object: those the rules read, and every field of the API type. */
export interface FieldLevel {
  readonly where: string;
  readonly needed: readonly string[];
  readonly known: ReadonlySet<string>;
}

const level = (where: string, needed: readonly string[], others: readonly string[]): FieldLevel => ({
  where,
  needed,
  known: new Set([...needed, ...others]),
});

export const SERVICE_SPEC = level(
  'Service spec',
  ['selector', 'ports', 'type', 'clusterIP', 'externalName', 'externalTrafficPolicy', 'internalTrafficPolicy', 'sessionAffinity', 'publishNotReadyAddresses'],
  [
    'allocateLoadBalancerNodePorts', 'clusterIPs', 'externalIPs', 'healthCheckNodePort', 'ipFamilies', 'ipFamilyPolicy', 'loadBalancerClass',
    'loadBalancerIP', 'loadBalancerSourceRanges', 'sessionAffinityConfig', 'trafficDistribution',
  ],
);

export const SERVICE_PORT = level('Service port', ['name', 'port', 'targetPort', 'protocol', 'nodePort'], ['appProtocol']);

export const POD_SPEC = level(
  'Pod spec',
  ['containers', 'initContainers', 'hostname', 'subdomain', 'enableServiceLinks'],
  [
    'activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'dnsConfig', 'dnsPolicy', 'ephemeralContainers', 'hostAliases', 'hostIPC',
    'hostNetwork', 'hostPID', 'hostUsers', 'hostnameOverride', 'imagePullSecrets', 'nodeName', 'nodeSelector', 'os', 'overhead', 'preemptionPolicy',
    'priority', 'priorityClassName', 'readinessGates', 'resourceClaims', 'resources', 'restartPolicy', 'runtimeClassName', 'schedulerName',
    'schedulingGates', 'securityContext', 'serviceAccount', 'serviceAccountName', 'setHostnameAsFQDN', 'shareProcessNamespace',
    'terminationGracePeriodSeconds', 'tolerations', 'topologySpreadConstraints', 'volumes',
  ],
);

export const CONTAINER = level(
  'container',
  ['name', 'ports', 'env', 'readinessProbe', 'restartPolicy'],
  [
    'args', 'command', 'envFrom', 'image', 'imagePullPolicy', 'lifecycle', 'livenessProbe', 'resizePolicy', 'resources', 'restartPolicyRules',
    'securityContext', 'startupProbe', 'stdin', 'stdinOnce', 'terminationMessagePath', 'terminationMessagePolicy', 'tty', 'volumeDevices',
    'volumeMounts', 'workingDir',
  ],
);

export const CONTAINER_PORT = level('container port', ['name', 'containerPort', 'protocol'], ['hostIP', 'hostPort']);

export const TEMPLATE_METADATA = level(
  'metadata',
  ['labels', 'name', 'namespace'],
  [
    'annotations', 'creationTimestamp', 'deletionGracePeriodSeconds', 'deletionTimestamp', 'finalizers', 'generateName', 'generation',
    'managedFields', 'ownerReferences', 'resourceVersion', 'selfLink', 'uid',
  ],
);

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob specs (apps/v1, batch/v1). */
export const WORKLOAD_SPEC = level(
  'workload spec',
  ['selector', 'template', 'replicas', 'serviceName', 'jobTemplate'],
  [
    'minReadySeconds', 'paused', 'progressDeadlineSeconds', 'revisionHistoryLimit', 'strategy', 'updateStrategy', 'podManagementPolicy',
    'volumeClaimTemplates', 'persistentVolumeClaimRetentionPolicy', 'ordinals', 'activeDeadlineSeconds', 'backoffLimit', 'backoffLimitPerIndex',
    'completionMode', 'completions', 'managedBy', 'manualSelector', 'maxFailedIndexes', 'parallelism', 'podFailurePolicy', 'podReplacementPolicy',
    'successPolicy', 'suspend', 'ttlSecondsAfterFinished', 'concurrencyPolicy', 'failedJobsHistoryLimit', 'schedule', 'startingDeadlineSeconds',
    'successfulJobsHistoryLimit', 'timeZone',
  ],
);

export const LABEL_SELECTOR = level('label selector', ['matchLabels', 'matchExpressions'], []);

const NO_KEYS: readonly PKey[] = [];

/**
 * The misspelt keys of `node` at `level`: keys that are no field of the level and are within the
 * distance of `meantField` of a needed one. Reads the kept entries too when `keptAll` (a level kept
 * whole, like a workload's `spec.selector`), else only the keys the reader skipped.
 */
export function misspeltFields(node: PNode | undefined, fields: FieldLevel, out: MisspeltField[] | undefined, keptAll = false): MisspeltField[] | undefined {
  if (node?.type !== 'map') return out;
  const keys: readonly PKey[] = keptAll ? node.entries : (node.skipped ?? NO_KEYS);
  for (const { key, keySpan } of keys) {
    if (fields.known.has(key)) continue;
    const field = meantField(key, fields.needed);
    if (field !== undefined) (out ??= []).push({ key: intern(key), keySpan, field, where: fields.where });
  }
  return out;
}

/**
 * The needed field `key` is a misspelling of: the nearest within 2 edits (insertions, deletions,
 * substitutions, swaps of neighbours; a change of case counts), within 1 for fields shorter than
 * 6 characters (`env`, `port`), whose neighbours at distance 2 are unrelated words. Ties go to
 * the first field listed.
 */
export function meantField(key: string, needed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const field of needed) {
    const limit = field.length < 6 ? 1 : 2;
    if (Math.abs(field.length - key.length) > limit) continue;
    const distance = editDistance(key, field, limit);
    if (distance <= limit && distance < bestDistance) {
      best = field;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance between `a` and `b`, or `limit + 1` once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  const width = b.length + 1;
  let before = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, index) => index);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
