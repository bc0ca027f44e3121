/**
 * JobSet (`jobset.x-k8s.io`): one Job per replica of each `spec.replicatedJobs[]`, named
 * `<jobset>-<replicatedJob>-<index>`. Its controller labels every Job and Pod with
 * `jobset.sigs.k8s.io/jobset-name`, `…/replicatedjob-name`, `…/replicatedjob-replicas`,
 * `…/job-index` (0 … replicas-1) and `…/job-key`; the Job controller adds its own labels
 * (https://jobset.sigs.k8s.io/docs/concepts/ ; constants in the JobSet API types).
 */
import { LEAF } from '../syntax/schema';
import { jobLabels } from './batch';
import { numberAt, ordinals, stringAt, type ControllerLabel, type KindSpec, type TemplateSite } from './kind';

function jobSetLabels(site: TemplateSite): ControllerLabel[] {
  const replicatedJob = stringAt(site.item, 'name');
  const replicas = numberAt(site.item, 'replicas') ?? 1;
  const labels: ControllerLabel[] = [
    { key: 'jobset.sigs.k8s.io/jobset-name', values: [site.name] },
    { key: 'jobset.sigs.k8s.io/replicatedjob-name', values: replicatedJob === undefined ? 'any' : [replicatedJob] },
    { key: 'jobset.sigs.k8s.io/replicatedjob-replicas', values: [String(replicas)] },
    { key: 'jobset.sigs.k8s.io/job-index', values: ordinals(replicas) },
    { key: 'jobset.sigs.k8s.io/job-global-index', values: 'any' },
    { key: 'jobset.sigs.k8s.io/global-replicas', values: 'any' },
    { key: 'jobset.sigs.k8s.io/job-key', values: 'any' },
    { key: 'jobset.sigs.k8s.io/restart-attempt', values: 'any' },
  ];
  // The Jobs' own labels: several Job names per replicated job, and JobSet's Jobs are Indexed by
  // default, so the name and completion-index labels take any of several values.
  for (const label of jobLabels(undefined, undefined)) labels.push(label);
  labels.push({ key: 'batch.kubernetes.io/job-completion-index', values: 'any' });
  return labels;
}

export const JOB_SET_KINDS: readonly KindSpec[] = [
  {
    group: 'jobset.x-k8s.io',
    kind: 'JobSet',
    shape: 'workload',
    templates: [{ path: ['spec', 'replicatedJobs', '*', 'template', 'spec', 'template'] }],
    controllerLabels: jobSetLabels,
    reads: { keys: { spec: { keys: { replicatedJobs: { items: { keys: { name: LEAF, replicas: LEAF } } } } } } },
    docs: 'https://jobset.sigs.k8s.io/docs/concepts/',
  },
];
