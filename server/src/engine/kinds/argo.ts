/**
 * Argo Rollouts `Rollout` (`argoproj.io`): a Deployment-like workload. Its Pods come from
 * `spec.template`, or, with `spec.workloadRef`, from the template of the referenced Deployment
 * (https://argo-rollouts.readthedocs.io/en/stable/features/specification/ ,
 * https://argo-rollouts.readthedocs.io/en/stable/migrating/#reference-deployment-from-rollout).
 * The controller adds `rollouts-pod-template-hash` to every Pod
 * (https://argo-rollouts.readthedocs.io/en/stable/features/bluegreen/), and the ephemeral labels of
 * the strategy to the Pods of one ReplicaSet each: `canaryMetadata` / `stableMetadata` of a canary,
 * `activeMetadata` / `previewMetadata` of a blue-green strategy, merged into the template's labels
 * (https://argo-rollouts.readthedocs.io/en/stable/features/ephemeral-metadata/). A Service that
 * selects `role: canary` reaches the canary Pods.
 */
import { ANY_SCHEMA, LEAF } from '../syntax/schema';
import { stringPairsAt, type ControllerLabel, type KindSpec, type TemplateSite } from './kind';

/** Where the strategies keep their ephemeral Pod metadata. */
const EPHEMERAL_METADATA: readonly (readonly [strategy: string, field: string])[] = [
  ['canary', 'canaryMetadata'],
  ['canary', 'stableMetadata'],
  ['blueGreen', 'activeMetadata'],
  ['blueGreen', 'previewMetadata'],
];

/** The labels every Rollout Pod carries, and the values the ephemeral labels take on some of them. */
function rolloutLabels(site: TemplateSite): ControllerLabel[] {
  const values = new Map<string, Set<string>>();
  for (const [strategy, field] of EPHEMERAL_METADATA) {
    for (const [key, value] of stringPairsAt(site.root, 'spec', 'strategy', strategy, field, 'labels')) {
      let set = values.get(key);
      if (!set) values.set(key, (set = new Set()));
      set.add(value);
    }
  }
  return [{ key: 'rollouts-pod-template-hash', values: 'any' }, ...[...values].map(([key, set]) => ({ key, values: [...set].sort() }))];
}

const METADATA_LABELS = { keys: { labels: ANY_SCHEMA } };

export const ARGO_KINDS: readonly KindSpec[] = [
  {
    group: 'argoproj.io',
    kind: 'Rollout',
    shape: 'workload',
    templates: [{ path: ['spec', 'template'] }],
    selector: 'labelSelector',
    controllerLabels: rolloutLabels,
    reads: {
      keys: {
        spec: {
          keys: {
            replicas: LEAF,
            workloadRef: { keys: { apiVersion: LEAF, kind: LEAF, name: LEAF } },
            strategy: {
              keys: {
                canary: { keys: { canaryMetadata: METADATA_LABELS, stableMetadata: METADATA_LABELS } },
                blueGreen: { keys: { activeMetadata: METADATA_LABELS, previewMetadata: METADATA_LABELS } },
              },
            },
          },
        },
      },
    },
    docs: 'https://argo-rollouts.readthedocs.io/en/stable/features/specification/',
  },
];
