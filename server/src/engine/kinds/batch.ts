/**
 * `batch` workloads. The Job controller adds to every Pod it creates `job-name` and
 * `batch.kubernetes.io/job-name` (the Job's name), `controller-uid` and
 * `batch.kubernetes.io/controller-uid` (its uid), and for Indexed Jobs
 * `batch.kubernetes.io/job-completion-index` (0 … completions-1):
 * https://kubernetes.io/docs/reference/labels-annotations-taints/#batchkubernetesiojob-name ,
 * https://kubernetes.io/docs/reference/labels-annotations-taints/#batchkubernetesiojob-completion-index ,
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode .
 * A CronJob's Jobs get generated names (`<cronjob>-<scheduled time>`), so their name labels can take any value.
 * A Job with `manualSelector: true` gets none of these: the system appends its labels "when false
 * or unset" (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/#JobSpec).
 */
import { LEAF } from '../syntax/schema';
import { child } from '../syntax/tree';
import { numberAt, ordinals, stringAt, type ControllerLabel, type KindSpec } from './kind';

/**
 * Labels of the Pods of one Job. `name` is the Job's name when it is known (undefined for Jobs a
 * CronJob or another controller creates); `spec` the Job spec node (for `completionMode` and `completions`).
 */
export function jobLabels(name: string | undefined, spec: Parameters<typeof numberAt>[0]): readonly ControllerLabel[] {
  if (name === undefined && spec === undefined) return GENERATED_JOB_LABELS;
  const manual = child(spec, 'manualSelector');
  if (manual?.type === 'scalar' && manual.value === true) return NO_LABELS;
  const names = name === undefined ? 'any' : [name];
  const labels: ControllerLabel[] = [
    { key: 'job-name', values: names },
    { key: 'batch.kubernetes.io/job-name', values: names },
    { key: 'controller-uid', values: 'any' },
    { key: 'batch.kubernetes.io/controller-uid', values: 'any' },
  ];
  if (stringAt(spec, 'completionMode') === 'Indexed') {
    labels.push({ key: 'batch.kubernetes.io/job-completion-index', values: ordinals(numberAt(spec, 'completions') ?? 1) });
  }
  return labels;
}

/** The labels of the Pods of Jobs with generated names (a CronJob's, a ScaledJob's). */
const GENERATED_JOB_LABELS: readonly ControllerLabel[] = [
  { key: 'job-name', values: 'any' },
  { key: 'batch.kubernetes.io/job-name', values: 'any' },
  { key: 'controller-uid', values: 'any' },
  { key: 'batch.kubernetes.io/controller-uid', values: 'any' },
];

const JOB_SPEC = { completions: LEAF, completionMode: LEAF, parallelism: LEAF, manualSelector: LEAF };
const NO_LABELS: readonly ControllerLabel[] = [];

export const BATCH_KINDS: readonly KindSpec[] = [
  {
    group: 'batch',
    kind: 'Job',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    controllerLabels: (site) => jobLabels(site.name, site.root.type === 'map' ? site.root.entries.find((entry) => entry.key === 'spec')?.value : undefined),
    reads: { keys: { spec: { keys: JOB_SPEC } } },
    docs: 'https://kubernetes.io/docs/concepts/workloads/controllers/job/',
  },
  {
    group: 'batch',
    kind: 'CronJob',
    shape: 'workload',
    templates: [{ path: ['spec', 'jobTemplate', 'spec', 'template'] }],
    controllerLabels: () => jobLabels(undefined, undefined),
    docs: 'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/',
  },
];
