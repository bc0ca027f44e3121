/**
 * The kustomize workload of the benchmark:
 * - the cost of building every overlay: one index of the workspace's files with overlays built
 *   (the default) against one with `kustomize: false` (every file read as it is), medians of `runs`;
 * - a keystroke in a base that five overlays build (namespace, name prefix, labels, a strategic-merge
 *   patch, a JSON patch): the time of the change and of the base's findings, over `edits` edits.
 */
import { AnalysisHost } from '../../server/src/engine/workspace';
import type { ManifestFile } from './corpus';
import { median, percentile } from './stats';

export interface KustomizeRun {
  readonly tops: number;
  readonly withOverlaysMs: number;
  readonly plainMs: number;
  /** withOverlaysMs / plainMs */
  readonly cost: number;
  readonly keystrokeP50Ms: number;
  readonly keystrokeP95Ms: number;
  readonly keystrokeMaxMs: number;
}

function indexMs(files: readonly ManifestFile[], kustomize: boolean): { ms: number; tops: number } {
  const started = performance.now();
  const host = new AnalysisHost({ kustomize });
  host.applyChange({ files: files.map((file) => ({ fileId: file.uri, text: file.text })) });
  const snapshot = host.snapshot();
  snapshot.allFindings();
  return { ms: performance.now() - started, tops: snapshot.scopes.length - 1 };
}

const ROOT = 'file:///bench/kustomize';

const BASE: readonly [string, string][] = [
  [`${ROOT}/base/kustomization.yaml`, 'resources:\n  - deployment.yaml\n  - service.yaml\n'],
  [
    `${ROOT}/base/deployment.yaml`,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          ports:\n            - name: http\n              containerPort: 8080\n',
  ],
];

const SERVICE_ID = `${ROOT}/base/service.yaml`;
const serviceText = (value: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: ${value}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`;

const OVERLAYS: readonly string[] = [
  'namespace: prod\nnamePrefix: prod-\nresources:\n  - ../../base\n',
  'namespace: staging\nresources:\n  - ../../base\nlabels:\n  - pairs: {track: staging}\n    includeSelectors: true\n',
  'namespace: dev\nresources:\n  - ../../base\ncommonLabels:\n  team: shop\n',
  'namespace: qa\nresources:\n  - ../../base\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: api}\n      spec:\n        template:\n          spec:\n            containers:\n              - name: api\n                ports:\n                  - containerPort: 8080\n                    name: web\n',
  'namespace: perf\nnameSuffix: -perf\nresources:\n  - ../../base\npatches:\n  - target: {kind: Service, name: api}\n    patch: |-\n      - op: replace\n        path: /spec/ports/0/port\n        value: 8000\n',
];

export function measureKustomize(files: readonly ManifestFile[], runs: number, edits: number): KustomizeRun {
  const withOverlays: number[] = [];
  const plain: number[] = [];
  let tops = 0;
  for (let run = 0; run < runs; run++) {
    const built = indexMs(files, true);
    tops = built.tops;
    withOverlays.push(built.ms);
    plain.push(indexMs(files, false).ms);
  }

  const host = new AnalysisHost();
  host.applyChange({
    files: [
      ...BASE.map(([fileId, text]) => ({ fileId, text })),
      { fileId: SERVICE_ID, text: serviceText('api') },
      ...OVERLAYS.map((text, index) => ({ fileId: `${ROOT}/overlays/o${index}/kustomization.yaml`, text })),
    ],
  });
  const latencies: number[] = [];
  for (let edit = 0; edit < edits; edit++) {
    const started = performance.now();
    host.applyChange({ files: [{ fileId: SERVICE_ID, text: serviceText(edit % 2 === 0 ? 'apx' : 'api') }] });
    host.snapshot().findings(SERVICE_ID);
    latencies.push(performance.now() - started);
  }
  const withMs = median(withOverlays);
  const plainMs = median(plain);
  return {
    tops,
    withOverlaysMs: withMs,
    plainMs,
    cost: withMs / plainMs,
    keystrokeP50Ms: percentile(latencies, 50),
    keystrokeP95Ms: percentile(latencies, 95),
    keystrokeMaxMs: Math.max(...latencies),
  };
}
