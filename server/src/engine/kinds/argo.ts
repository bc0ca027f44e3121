/**
 * Argo Rollouts `Rollout` (`argoproj.io`): a Deployment-like workload. Its Pods come from
 * `spec.template`, or, with `spec.workloadRef`, from the template of the referenced Deployment
 * (https://argo-rollouts.readthedocs.io/en/stable/features/specification/ ,
 * https://argo-rollouts.readthedocs.io/en/stable/migrating/#reference-deployment-from-rollout).
 * The controller adds `rollouts-pod-template-hash` to every Pod
 * (https://argo-rollouts.readthedocs.io/en/stable/features/bluegreen/).
 */
import { LEAF } from '../syntax/schema';
import type { KindSpec } from './kind';

export const ARGO_KINDS: readonly KindSpec[] = [
  {
    group: 'argoproj.io',
    kind: 'Rollout',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    selector: 'labelSelector',
    controllerLabels: () => [{ key: 'rollouts-pod-template-hash', values: 'any' }],
    reads: { keys: { spec: { keys: { replicas: LEAF, workloadRef: { keys: { apiVersion: LEAF, kind: LEAF, name: LEAF } } } } } },
    docs: 'https://argo-rollouts.readthedocs.io/en/stable/features/specification/',
  },
];
