/**
 * KEDA `ScaledJob` (`keda.sh`): creates Jobs from `spec.jobTargetRef` (a Job spec), whose Pods come
 * from `spec.jobTargetRef.template` and carry the Job controller's labels with generated Job names
 * (https://keda.sh/docs/latest/reference/scaledjob-spec/).
 */
import { jobLabels } from './batch';
import type { KindSpec } from './kind';

export const KEDA_KINDS: readonly KindSpec[] = [
  {
    group: 'keda.sh',
    kind: 'ScaledJob',
    shape: 'workload',
    templates: [{ path: ['spec', 'jobTargetRef', 'template'] }],
    controllerLabels: () => jobLabels(undefined, undefined),
    docs: 'https://keda.sh/docs/latest/reference/scaledjob-spec/',
  },
];
