/**
 * LeaderWorkerSet (`leaderworkerset.x-k8s.io`): `spec.replicas` groups of `size` Pods, one leader
 * (from `leaderWorkerTemplate.leaderTemplate`, or the worker template when there is none) and
 * `size - 1` workers (from `workerTemplate`). Its controller labels every Pod with
 * `leaderworkerset.sigs.k8s.io/name`, `…/group-index` (0 … replicas-1), `…/worker-index` (0 for
 * the leader, 1 … size-1 for workers), `…/group-key` and `…/template-revision-hash`
 * (https://lws.sigs.k8s.io/docs/reference/labels-annotations-and-environment-variables/).
 */
import { LEAF } from '../syntax/schema';
import { numberAt, ordinals, type ControllerLabel, type KindSpec, type TemplateSite } from './kind';

function hasLeaderTemplate(site: TemplateSite): boolean {
  const template = site.root.type === 'map' ? site.root.entries.find((entry) => entry.key === 'spec')?.value : undefined;
  const lwt = template?.type === 'map' ? template.entries.find((entry) => entry.key === 'leaderWorkerTemplate')?.value : undefined;
  return lwt?.type === 'map' && lwt.entries.some((entry) => entry.key === 'leaderTemplate');
}

function lwsLabels(site: TemplateSite): ControllerLabel[] {
  const replicas = numberAt(site.root, 'spec', 'replicas') ?? 1;
  const size = numberAt(site.root, 'spec', 'leaderWorkerTemplate', 'size') ?? 1;
  const workerIndexes = site.role === 'leader' ? ['0'] : ordinals(size).slice(hasLeaderTemplate(site) ? 1 : 0);
  return [
    { key: 'leaderworkerset.sigs.k8s.io/name', values: [site.name] },
    { key: 'leaderworkerset.sigs.k8s.io/group-index', values: ordinals(replicas) },
    { key: 'leaderworkerset.sigs.k8s.io/worker-index', values: workerIndexes },
    { key: 'leaderworkerset.sigs.k8s.io/group-key', values: 'any' },
    { key: 'leaderworkerset.sigs.k8s.io/template-revision-hash', values: 'any' },
  ];
}

export const LEADER_WORKER_SET_KINDS: readonly KindSpec[] = [
  {
    group: 'leaderworkerset.x-k8s.io',
    kind: 'LeaderWorkerSet',
    shape: 'workload',
    templates: [
      { path: ['spec', 'leaderWorkerTemplate', 'leaderTemplate'], role: 'leader' },
      { path: ['spec', 'leaderWorkerTemplate', 'workerTemplate'], role: 'worker' },
    ],
    controllerLabels: lwsLabels,
    reads: { keys: { spec: { keys: { replicas: LEAF, leaderWorkerTemplate: { keys: { size: LEAF } } } } } },
    docs: 'https://lws.sigs.k8s.io/docs/reference/labels-annotations-and-environment-variables/',
  },
];
