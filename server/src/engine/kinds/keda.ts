/**
 * KEDA `ScaledJob` (`keda.sh`): creates Jobs from `spec.jobTargetRef` (a Job spec), whose Pods come
 * from `spec.jobTargetRef.template` and carry the Job controller's labels with generated Job names
 * (https://keda.sh/docs/latest/reference/scaledjob-spec/), and `scaledjob.keda.sh/name: <name>`,
 * which KEDA sets on the template of every Job it makes (`generateJobs` in
 * pkg/scaling/executor/scale_jobs.go; `kubectl get pods -l scaledjob.keda.sh/name=<name>` in its docs).
 */
import { jobLabels } from './batch';
import type { KindSpec } from './kind';

export const KEDA_KINDS: readonly KindSpec[] = [
  {
    group: 'keda.sh',
    kind: 'ScaledJob',
    shape: 'workload',
    templates: [{ path: ['spec', 'jobTargetRef', 'template'] }],
    controllerLabels: (site) => [...jobLabels(undefined, undefined), { key: 'scaledjob.keda.sh/name', values: [site.name] }],
    docs: 'https://keda.sh/docs/latest/reference/scaledjob-spec/',
  },
];
