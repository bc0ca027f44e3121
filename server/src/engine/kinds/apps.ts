/**
 * `apps` workloads and the labels their controllers add to every Pod:
 * - Deployment adds `pod-template-hash` (the hash of its ReplicaSet's template):
 *   https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#pod-template-hash-label
 * - StatefulSet adds `statefulset.kubernetes.io/pod-name` (`<name>-<ordinal>`), `apps.kubernetes.io/pod-index`
 *   (the ordinal) and `controller-revision-hash`. Ordinals run from `spec.ordinals.start` (default 0)
 *   to `start + replicas - 1` ("Start ordinal", GA in Kubernetes 1.31):
 *   https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#pod-name-label ,
 *   https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#start-ordinal ,
 *   https://kubernetes.io/docs/reference/labels-annotations-taints/#apps-kubernetes.io-pod-index
 * - DaemonSet adds `controller-revision-hash` and `pod-template-generation`:
 *   https://kubernetes.io/docs/reference/labels-annotations-taints/#controller-revision-hash
 * - ReplicaSet adds nothing of its own.
 * `spec.replicas` defaults to 1 (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/).
 */
import { LEAF } from '../syntax/schema';
import { numberAt, ordinals, type ControllerLabel, type KindSpec, type TemplateSite } from './kind';

const TEMPLATE = [{ path: ['spec', 'template'] }] as const;
const DEPLOYMENT_LABELS: readonly ControllerLabel[] = [{ key: 'pod-template-hash', values: 'any' }];
const DAEMON_SET_LABELS: readonly ControllerLabel[] = [
  { key: 'controller-revision-hash', values: 'any' },
  { key: 'pod-template-generation', values: 'any' },
];
const REPLICAS = { keys: { spec: { keys: { replicas: LEAF, serviceName: LEAF } } } };
const STATEFUL_SET_READS = { keys: { spec: { keys: { replicas: LEAF, serviceName: LEAF, ordinals: { keys: { start: LEAF } } } } } };

/**
 * The labels a StatefulSet (built-in or a drop-in replacement) puts on its Pods; the ordinals start
 * at `spec.ordinals.start` when the kind's schema keeps it (a negative start, which the API server
 * rejects, counts as 0), and leave out `reserved` (OpenKruise's `reserveOrdinals`).
 */
export function statefulSetLabels(site: TemplateSite, reserved?: ReadonlySet<number>): ControllerLabel[] {
  const replicas = numberAt(site.root, 'spec', 'replicas') ?? 1;
  const start = Math.max(0, numberAt(site.root, 'spec', 'ordinals', 'start') ?? 0);
  return [
    { key: 'statefulset.kubernetes.io/pod-name', values: ordinals(replicas, `${site.name}-`, start, reserved) },
    { key: 'apps.kubernetes.io/pod-index', values: ordinals(replicas, '', start, reserved) },
    { key: 'controller-revision-hash', values: 'any' },
  ];
}

export const APPS_KINDS: readonly KindSpec[] = [
  {
    group: 'apps',
    kind: 'Deployment',
    shape: 'workload',
    templates: TEMPLATE,
    selector: 'labelSelector',
    controllerLabels: () => DEPLOYMENT_LABELS,
    reads: REPLICAS,
    docs: 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/',
  },
  {
    group: 'apps',
    kind: 'ReplicaSet',
    shape: 'workload',
    templates: TEMPLATE,
    selector: 'labelSelector',
    reads: REPLICAS,
    docs: 'https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/',
  },
  {
    group: 'apps',
    kind: 'StatefulSet',
    shape: 'workload',
    templates: TEMPLATE,
    selector: 'labelSelector',
    controllerLabels: (site) => statefulSetLabels(site),
    reads: STATEFUL_SET_READS,
    docs: 'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/',
  },
  {
    group: 'apps',
    kind: 'DaemonSet',
    shape: 'workload',
    templates: TEMPLATE,
    selector: 'labelSelector',
    controllerLabels: () => DAEMON_SET_LABELS,
    docs: 'https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
  },
];
