/**
 * OpenKruise workloads (`apps.kruise.io`): `CloneSet` labels its Pods with
 * `apps.kruise.io/cloneset-instance-id`, `controller-revision-hash` and `pod-template-hash`
 * (https://openkruise.io/docs/user-manuals/cloneset/); Advanced `StatefulSet` keeps the built-in
 * StatefulSet's Pod labels (https://openkruise.io/docs/user-manuals/advancedstatefulset/).
 */
import { LEAF } from '../syntax/schema';
import { statefulSetLabels } from './apps';
import type { KindSpec } from './kind';

const REPLICAS = { keys: { spec: { keys: { replicas: LEAF, serviceName: LEAF } } } };

export const KRUISE_KINDS: readonly KindSpec[] = [
  {
    group: 'apps.kruise.io',
    kind: 'CloneSet',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    selector: 'labelSelector',
    controllerLabels: () => [
      { key: 'apps.kruise.io/cloneset-instance-id', values: 'any' },
      { key: 'controller-revision-hash', values: 'any' },
      { key: 'pod-template-hash', values: 'any' },
    ],
    reads: REPLICAS,
    docs: 'https://openkruise.io/docs/user-manuals/cloneset/',
  },
  {
    group: 'apps.kruise.io',
    kind: 'StatefulSet',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    selector: 'labelSelector',
    controllerLabels: statefulSetLabels,
    reads: REPLICAS,
    docs: 'https://openkruise.io/docs/user-manuals/advancedstatefulset/',
  },
];
