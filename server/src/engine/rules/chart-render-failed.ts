import type { ChartRule } from './rule';

type MessageId = 'failed';

/**
 * `helm template` rendered nothing for the chart: a template error, a values file that is not
 * YAML, an invalid Chart.yaml. Helm stops at the first error and prints no manifest, so nothing
 * of the chart can be checked (https://helm.sh/docs/helm/helm_template/). The message is helm's.
 */
export const chartRenderFailed: ChartRule<MessageId> = {
  id: 'chart-render-failed',
  target: 'chart',
  defaultSeverity: 'error',
  description: 'helm template could not render a Helm chart, so none of its objects are checked.',
  summary: 'A Helm chart that `helm template` cannot render (a template error, a bad values file): reported once on its `Chart.yaml` with helm\'s message; nothing else of the chart is checked. Only when Helm rendering is on.',
  messages: {
    failed: 'helm template could not render chart {chart}: {message}',
  },
  check(failure) {
    const message = failure.message.replace(/\s+/g, ' ').trim();
    return [{ span: failure.span, messageId: 'failed', data: { chart: failure.chart, message: /[.!?]$/.test(message) ? message : `${message}.` } }];
  },
};
