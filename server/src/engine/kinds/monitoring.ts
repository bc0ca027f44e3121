/**
 * prometheus-operator (`monitoring.coreos.com/v1`): https://prometheus-operator.dev/docs/api-reference/api/
 * - A `ServiceMonitor` selects Services by their own labels (`spec.selector`, a LabelSelector) in
 *   the namespaces of `spec.namespaceSelector` (`any: true`, or `matchNames`; by default its own
 *   namespace), and scrapes the Service ports its `spec.endpoints[].port` names.
 * - A `PodMonitor` selects Pods by their labels the same way and scrapes the container ports its
 *   `spec.podMetricsEndpoints[].port` names.
 */
import { ANY, LEAF, type Schema } from '../syntax/schema';
import type { KindSpec } from './kind';

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
