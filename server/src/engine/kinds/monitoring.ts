/**
 * prometheus-operator (`monitoring.coreos.com/v1`): https://prometheus-operator.dev/docs/api-reference/api/
 * - A `ServiceMonitor` selects Services by their own labels (`spec.selector`, a LabelSelector) in
 *   the namespaces of `spec.namespaceSelector` (`any: true`, or `matchNames`; by default its own
 *   namespace), and scrapes the Service ports its `spec.endpoints[].port` names.
 * - A `PodMonitor` selects Pods by their labels the same way and scrapes the container ports its
 *   `spec.podMetricsEndpoints[].port` names.
 * - `Prometheus`, `PrometheusAgent`, `Alertmanager` and `ThanosRuler` are run by the operator as
 *   StatefulSets whose Pods carry `spec.podMetadata.labels` and the operator's own labels, which
 *   win on a clash: `app.kubernetes.io/name` (`prometheus`, `prometheus-agent`, `alertmanager`,
 *   `thanos-ruler`), `app.kubernetes.io/managed-by: prometheus-operator`,
 *   `app.kubernetes.io/instance: <name>`, `app.kubernetes.io/version`, and per kind
 *   `prometheus: <name>`, `operator.prometheus.io/name: <name>` and `operator.prometheus.io/shard`
 *   (0 … `spec.shards` - 1), `alertmanager: <name>`, `thanos-ruler: <name>`
 *   (prometheus-operator's `makeSelectorLabels` and `BuildPodMetadata`, pkg/alertmanager,
 *   pkg/prometheus, pkg/thanos). A Service selecting them links to the resource as the Pods' owner.
 *   The StatefulSet controller adds its own labels too: `controller-revision-hash`, and
 *   `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index` for the StatefulSets
 *   the operator names `prometheus-<name>` (shard 0), `prometheus-<name>-shard-<n>` and
 *   `alertmanager-<name>`, of `spec.replicas` Pods (default 1) each (pkg/prometheus/statefulset.go,
 *   pkg/alertmanager/statefulset.go).
 */
import { ANY, LEAF, type Schema } from '../syntax/schema';
import { at, type PNode } from '../syntax/tree';
import { MAX_ORDINALS, numberAt, ordinals, stringAt, type ControllerLabel, type KindSpec, type OperatedSite } from './kind';

const ENDPOINT: Schema = { keys: { port: LEAF, targetPort: LEAF, path: LEAF } };

const MONITOR_SPEC = {
  selector: ANY,
  namespaceSelector: { keys: { any: LEAF, matchNames: { items: LEAF } } },
} as const;

const docs = 'https://prometheus-operator.dev/docs/api-reference/api/';

export const MONITORING_KINDS: readonly KindSpec[] = [
  {
    group: 'monitoring.coreos.com',
    kind: 'ServiceMonitor',
    shape: 'serviceMonitor',
    reads: { keys: { spec: { keys: { ...MONITOR_SPEC, endpoints: { items: ENDPOINT } } } } },
    docs,
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'PodMonitor',
    shape: 'podMonitor',
    reads: { keys: { spec: { keys: { ...MONITOR_SPEC, podMetricsEndpoints: { items: ENDPOINT } } } } },
    docs,
  },
];

const OPERATED_READS: Schema = { keys: { spec: { keys: { podMetadata: { keys: { labels: ANY } }, shards: LEAF, replicas: LEAF } } } };

/** The string values of `spec.podMetadata.labels`, as labels of every Pod. */
function podMetadataLabels(root: PNode): ControllerLabel[] {
  const labels = at(root, 'spec', 'podMetadata', 'labels');
  if (labels?.type !== 'map') return [];
  const out: ControllerLabel[] = [];
  for (const entry of labels.entries) {
    const value = stringAt(labels, entry.key);
    if (value !== undefined) out.push({ key: entry.key, values: [value] });
  }
  return out;
}

/**
 * The Pod name and index labels of the StatefulSets `names` of `spec.replicas` Pods each (default 1).
 */
function statefulSetPods(site: OperatedSite, names: readonly string[]): ControllerLabel[] {
  const replicas = Math.max(0, numberAt(site.root, 'spec', 'replicas') ?? 1);
  const indexes = ordinals(replicas);
  if (indexes === 'any' || names.length * replicas > MAX_ORDINALS) return [];
  return [
    { key: 'statefulset.kubernetes.io/pod-name', values: names.flatMap((name) => indexes.map((index) => `${name}-${index}`)) },
    { key: 'apps.kubernetes.io/pod-index', values: indexes },
  ];
}

/** The StatefulSets of a Prometheus: `prometheus-<name>` for shard 0, `prometheus-<name>-shard-<n>` for the others. */
function prometheusStatefulSets(site: OperatedSite): string[] {
  const count = Math.max(1, Math.min(numberAt(site.root, 'spec', 'shards') ?? 1, MAX_ORDINALS));
  return Array.from({ length: count }, (_, shard) => (shard === 0 ? `prometheus-${site.name}` : `prometheus-${site.name}-shard-${shard}`));
}

/** `podMetadata` labels overridden by the operator's own (`own`), in that order. */
function operatedLabels(site: OperatedSite, application: string, own: readonly ControllerLabel[]): ControllerLabel[] {
  const operator: ControllerLabel[] = [
    { key: 'app.kubernetes.io/name', values: [application] },
    { key: 'app.kubernetes.io/managed-by', values: ['prometheus-operator'] },
    { key: 'app.kubernetes.io/instance', values: [site.name] },
    { key: 'controller-revision-hash', values: 'any' },
    ...own,
  ];
  const byKey = new Map<string, ControllerLabel>([[ 'app.kubernetes.io/version', { key: 'app.kubernetes.io/version', values: 'any' } ]]);
  for (const label of podMetadataLabels(site.root)) byKey.set(label.key, label);
  for (const label of operator) byKey.set(label.key, label);
  return [...byKey.values()];
}

/** The shard of each Pod of a Prometheus (or agent) with `spec.shards` shards (default 1). */
function shards(site: OperatedSite): ControllerLabel {
  return { key: 'operator.prometheus.io/shard', values: ordinals(Math.max(1, numberAt(site.root, 'spec', 'shards') ?? 1)) };
}

export const MONITORING_OPERATED_KINDS: readonly KindSpec[] = [
  {
    group: 'monitoring.coreos.com',
    kind: 'Prometheus',
    shape: 'operated',
    operatorPodLabels: (site) =>
      operatedLabels(site, 'prometheus', [{ key: 'prometheus', values: [site.name] }, { key: 'operator.prometheus.io/name', values: [site.name] }, shards(site), ...statefulSetPods(site, prometheusStatefulSets(site))]),
    reads: OPERATED_READS,
    docs,
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'PrometheusAgent',
    shape: 'operated',
    operatorPodLabels: (site) => operatedLabels(site, 'prometheus-agent', [{ key: 'operator.prometheus.io/name', values: [site.name] }, shards(site)]),
    reads: OPERATED_READS,
    docs,
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'Alertmanager',
    shape: 'operated',
    operatorPodLabels: (site) => operatedLabels(site, 'alertmanager', [{ key: 'alertmanager', values: [site.name] }, ...statefulSetPods(site, [`alertmanager-${site.name}`])]),
    reads: OPERATED_READS,
    docs,
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'ThanosRuler',
    shape: 'operated',
    operatorPodLabels: (site) => operatedLabels(site, 'thanos-ruler', [{ key: 'thanos-ruler', values: [site.name] }]),
    reads: OPERATED_READS,
    docs,
  },
];
