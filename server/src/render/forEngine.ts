/**
 * Renders a chart with helm and turns the result into what the engine takes
 * (`Change.charts`, engine/analysis/charts.ts), for the language server and the CLI alike.
 */
import * as path from 'node:path';
import type { ChartRender } from '../engine/analysis/charts';
import { DEFAULT_HELM_MAX_OUTPUT_BYTES, releaseNameFor, renderChart } from './helm';

export interface ChartRenderJob {
  /** Absolute path of the chart folder. */
  readonly chartDirectory: string;
  /** Absolute paths of values files after the chart's own values.yaml, in order. */
  readonly valuesFiles: readonly string[];
  readonly helmPath: string;
  readonly timeoutMs: number;
  /** Unsaved texts of the chart's files (absolute path → text), rendered instead of the disk's. */
  readonly overrides?: ReadonlyMap<string, string>;
  /**
   * The release's namespace (`helm template --namespace`, `.Release.Namespace`): the namespace the
   * analysis puts objects without one in (`--default-namespace`, `serviceLens.defaultNamespace`),
   * so a chart that writes `namespace: {{ .Release.Namespace }}` lands where its plain neighbours do.
   */
  readonly namespace?: string;
  /** See `HelmRenderRequest.linksWithin`: the workspace folder, unless links out of it are followed. */
  readonly linksWithin?: string;
}

export interface ChartRenderOutcome {
  /** What to hand the engine: a render, a failure, or null (no render: the chart stays as it is). */
  readonly render: ChartRender | null;
  /** Sentences for the log or stderr: missing dependencies, a render that ran out of time. */
  readonly notes: readonly string[];
  /** The helm program could not be found: no other chart will render either. */
  readonly helmMissing: boolean;
}

/**
 * Renders one chart. `toFileId` turns an absolute path into the engine's file id (a path in the
 * CLI, a URI in the server). Never rejects.
 */
export async function renderForEngine(job: ChartRenderJob, toFileId: (absolutePath: string) => string, signal?: AbortSignal): Promise<ChartRenderOutcome> {
  const result = await renderChart(
    {
      chartDirectory: job.chartDirectory,
      release: releaseNameFor(job.chartDirectory),
      valuesFiles: job.valuesFiles,
      helmPath: job.helmPath,
      timeoutMs: job.timeoutMs,
      maxOutputBytes: DEFAULT_HELM_MAX_OUTPUT_BYTES,
      ...(job.overrides ? { overrides: job.overrides } : {}),
      ...(job.namespace !== undefined ? { namespace: job.namespace } : {}),
      ...(job.linksWithin !== undefined ? { linksWithin: job.linksWithin } : {}),
    },
    signal,
  );
  const chartName = path.basename(job.chartDirectory);
  if (result.ok) {
    const templateFiles: Record<string, string> = {};
    for (const document of result.documents) if (document.templateFile !== undefined) templateFiles[document.source] = toFileId(document.templateFile);
    return {
      render: {
        status: 'rendered',
        output: result.output,
        valuesFiles: valuesLabels(job),
        templateFiles,
        ...(result.missingDependencies.length > 0 ? { missingDependencies: result.missingDependencies } : {}),
      },
      notes: result.notes,
      helmMissing: false,
    };
  }
  switch (result.reason) {
    case 'failed':
      return { render: { status: 'failed', message: result.message }, notes: [], helmMissing: false };
    case 'not-found':
      return { render: null, notes: [result.message], helmMissing: true };
    case 'timeout':
    case 'too-large':
    case 'cancelled':
      return { render: null, notes: [`Chart ${chartName} not rendered: ${result.message}`], helmMissing: false };
    case 'outside':
      return {
        render: null,
        notes: [`Chart ${chartName} not rendered: ${result.message} (--follow-symlinks-outside, or the setting serviceLens.followSymlinksOutsideWorkspace, allows it).`],
        helmMissing: false,
      };
  }
}

/** How messages name the values files: `values.yaml`, then each extra file relative to the chart (or its base name outside it). */
export function valuesLabels(job: Pick<ChartRenderJob, 'chartDirectory' | 'valuesFiles'>): string[] {
  const labels = ['values.yaml'];
  for (const file of job.valuesFiles) {
    const relative = path.relative(job.chartDirectory, file);
    labels.push(relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : path.basename(file));
  }
  return labels;
}
