/**
 * LeaderWorkerSet (`leaderworkerset.x-k8s.io`): `spec.replicas` groups of `size` Pods, one leader
 * (from `leaderWorkerTemplate.leaderTemplate`, or the worker template when there is none) and
 * `size - 1` workers (from `workerTemplate`). Its controller labels every Pod with
 * `leaderworkerset.sigs.k8s.io/name`, `…/group-index` (0 … replicas-1), `…/worker-index` (0 for
 * the leader, 1 … size-1 for workers), `…/group-key` and `…/template-revision-hash`
 * (https://lws.sigs.k8s.io/docs/reference/labels-annotations-and-environment-variables/).
 * It makes them through StatefulSets, whose controller adds its own labels: a leader StatefulSet
 * named after the LeaderWorkerSet (leader `<name>-<group>`, Pod index `<group>`) and per group a
 * worker StatefulSet `<name>-<group>` whose ordinals start at 1 (workers `<name>-<group>-<worker>`,
 * Pod index `<worker>`) (https://lws.sigs.k8s.io/docs/overview/).
 */
import { LEAF } from '../syntax/schema';
import { MAX_ORDINALS, numberAt, ordinals, type ControllerLabel, type KindSpec, type TemplateSite } from './kind';

function hasLeaderTemplate(site: TemplateSite): boolean {
  const template = site.root.type === 'map' ? site.root.entries.find((entry) => entry.key === 'spec')?.value : undefined;
  const lwt = template?.type === 'map' ? template.entries.find((entry) => entry.key === 'leaderWorkerTemplate')?.value : undefined;
  return lwt?.type === 'map' && lwt.entries.some((entry) => entry.key === 'leaderTemplate');
}

function lwsLabels(site: TemplateSite): ControllerLabel[] {
  const replicas = numberAt(site.root, 'spec', 'replicas') ?? 1;
  const size = Math.max(1, numberAt(site.root, 'spec', 'leaderWorkerTemplate', 'size') ?? 1);
  // The template makes the leaders when it is the leader template, or the worker template without one.
  const leads = site.role === 'leader' || !hasLeaderTemplate(site);
  const works = site.role === 'worker' && size > 1;
  const groups = ordinals(replicas);
  const workers = ordinals(size - 1, '', 1);
  const workerIndexes = [...(leads ? ['0'] : []), ...(works && workers !== 'any' ? workers : [])];
  return [
    { key: 'leaderworkerset.sigs.k8s.io/name', values: [site.name] },
    { key: 'leaderworkerset.sigs.k8s.io/group-index', values: groups },
    { key: 'leaderworkerset.sigs.k8s.io/worker-index', values: works && workers === 'any' ? 'any' : workerIndexes },
    { key: 'leaderworkerset.sigs.k8s.io/group-key', values: 'any' },
    { key: 'leaderworkerset.sigs.k8s.io/template-revision-hash', values: 'any' },
    ...statefulSetPodLabels(site.name, groups, workers, leads, works),
  ];
}

/** The labels the StatefulSet controller adds to the Pods of the leader and worker StatefulSets (see the module comment). */
function statefulSetPodLabels(name: string, groups: readonly string[] | 'any', workers: readonly string[] | 'any', leads: boolean, works: boolean): ControllerLabel[] {
  const revision: ControllerLabel = { key: 'controller-revision-hash', values: 'any' };
  if (groups === 'any' || (works && (workers === 'any' || groups.length * workers.length > MAX_ORDINALS))) {
    return [{ key: 'statefulset.kubernetes.io/pod-name', values: 'any' }, { key: 'apps.kubernetes.io/pod-index', values: 'any' }, revision];
  }
  const names = new Set<string>();
  const indexes = new Set<string>();
  for (const group of groups) {
    if (leads) {
      names.add(`${name}-${group}`);
      indexes.add(group);
    }
    if (works && workers !== 'any') {
      for (const worker of workers) {
        names.add(`${name}-${group}-${worker}`);
        indexes.add(worker);
      }
    }
  }
  return [{ key: 'statefulset.kubernetes.io/pod-name', values: [...names] }, { key: 'apps.kubernetes.io/pod-index', values: [...indexes] }, revision];
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
