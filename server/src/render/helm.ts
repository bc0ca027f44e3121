/**
 * Renders a Helm chart with the user's `helm` (`helm template`), for the language server and the
 * CLI. Rendering runs an external program on workspace files: callers run it only in a trusted
 * workspace.
 *
 * What runs: `helm template <release> <chart> --namespace <ns> --skip-tests [-f <values>]…`
 * (https://helm.sh/docs/helm/helm_template/). `helm template` renders on the client with default
 * capabilities and no cluster (its `--dry-run` defaults to `client`); no flag that reaches the
 * network is passed (no `--dependency-update`, `--repo`, `--validate`, `--kube-*`, `--post-renderer`).
 * `--skip-tests` leaves out the chart's test hooks, which only `helm test` creates.
 *
 * Environment: helm gets a fresh, empty home for this run and nothing else of the user's: its
 * config, cache and data folders (`HELM_CONFIG_HOME`, `HELM_CACHE_HOME`, `HELM_DATA_HOME`, hence no
 * repositories.yaml, registry credentials or plugins; https://helm.sh/docs/helm/helm/) and
 * `KUBECONFIG` point into a temporary folder, removed afterwards. The release namespace is passed
 * explicitly, so a kubeconfig context never decides `.Release.Namespace`. Only PATH (and on
 * Windows the few variables a program needs to start) is kept.
 *
 * Missing dependencies: helm refuses a chart whose Chart.yaml `dependencies` are not in `charts/`
 * ("found in Chart.yaml, but missing in charts/ directory: a, b") and has no flag to skip them.
 * The chart is then rendered once more from a stand-in whose Chart.yaml lists only the present
 * dependencies (the chart's own files are linked, not copied), and the result carries a note and
 * the names left out. Objects of those dependencies are absent from that render.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chartWithoutDependencies, findCharts, releaseNameFor, templateFileOf } from './charts';
import { disabledDependencies } from './dependencyConditions';
import { helmErrorText, missingDependencies, splitHelmOutput } from './helmOutput';
import { linkOutside } from './chartLinks';
import { runBounded, type BoundedResult } from './process';

export { findCharts, releaseNameFor };

export interface HelmRenderRequest {
  /** Absolute path of the chart folder (the one with Chart.yaml). */
  readonly chartDirectory: string;
  /** Release name: `.Release.Name` in templates. Helm requires a DNS-1123 name of at most 53 characters. */
  readonly release: string;
  /** `.Release.Namespace` (`--namespace`); `default` when absent. */
  readonly namespace?: string;
  /** Absolute paths of extra values files, in order (later wins); the chart's values.yaml is read by helm itself. */
  readonly valuesFiles: readonly string[];
  /** The helm program: a name looked up on PATH, or an absolute path (a relative path is refused). */
  readonly helmPath: string;
  /** Milliseconds before helm is killed (with every process it started). */
  readonly timeoutMs: number;
  /** Bytes of rendered output accepted; past this, helm is killed and the render is `too-large`. */
  readonly maxOutputBytes: number;
  /**
   * Texts that replace files of the chart for this render (absolute path → text): the editor's
   * unsaved documents. The chart is then rendered from a copy in a temporary folder.
   */
  readonly overrides?: ReadonlyMap<string, string>;
  /**
   * The folder (an absolute real path) the chart's symbolic links must lead into: helm reads what
   * a link leads to, so a chart with a link elsewhere is not rendered (`outside`). Unset: any link.
   */
  readonly linksWithin?: string;
}

export interface RenderedDocument {
  /** `# Source:` path as helm prints it, e.g. `shop/templates/service.yaml`, or `shop/charts/db/templates/svc.yaml` for a subchart. */
  readonly source: string;
  /** Absolute path of that template file, if it exists inside the chart. */
  readonly templateFile: string | undefined;
  /** The rendered YAML text of this document (without helm's `---` and `# Source:` lines). */
  readonly text: string;
}

export type HelmRender =
  | {
      readonly ok: true;
      /** What helm printed, whole (the engine splits it again, see engine/analysis/charts.ts). */
      readonly output: string;
      /** In helm's order (its install order: by kind, then by name). */
      readonly documents: readonly RenderedDocument[];
      /** Things the user should know about this render, one sentence each (e.g. missing dependencies). */
      readonly notes: readonly string[];
      /** Dependencies of Chart.yaml that are not in `charts/` and were left out of the render. */
      readonly missingDependencies: readonly string[];
    }
  | {
      readonly ok: false;
      /**
       * `not-found`: the helm program could not be started; `failed`: helm exited with an error
       * (a template error, an invalid chart or values file); `timeout`; `too-large`: output over
       * `maxOutputBytes`; `cancelled`: the signal was aborted; `outside`: a symbolic link of the
       * chart leads out of `linksWithin`, and helm was not run.
       */
      readonly reason: 'not-found' | 'failed' | 'timeout' | 'too-large' | 'cancelled' | 'outside';
      /** Helm's own error text, trimmed, or a sentence saying which bound was hit. */
      readonly message: string;
    };

/** Output accepted from one render: 20 MB is far beyond any real chart (a big one renders a few hundred KB). */
export const DEFAULT_HELM_MAX_OUTPUT_BYTES = 20 * 1024 * 1024;

/** Renders `request.chartDirectory` with helm. Never rejects: every failure is a `HelmRender` with `ok: false`. */
export async function renderChart(request: HelmRenderRequest, signal?: AbortSignal): Promise<HelmRender> {
  if (!path.isAbsolute(request.chartDirectory) || !isFile(path.join(request.chartDirectory, 'Chart.yaml'))) {
    return { ok: false, reason: 'failed', message: `${request.chartDirectory} is not a chart folder: it has no Chart.yaml.` };
  }
  if (/[\\/]/.test(request.helmPath) && !path.isAbsolute(request.helmPath)) {
    return { ok: false, reason: 'not-found', message: `The helm program ${request.helmPath} is a relative path: give a name on PATH or an absolute path.` };
  }
  const out = request.linksWithin === undefined ? undefined : linkOutside(request.chartDirectory, request.linksWithin);
  if (out !== undefined) {
    return { ok: false, reason: 'outside', message: `${out.link} links to ${out.target}, outside the workspace folder, and helm would read it` };
  }
  let scratch: string;
  try {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-helm-'));
  } catch (error) {
    return { ok: false, reason: 'failed', message: `Cannot make a temporary folder for helm: ${String(error)}` };
  }
  try {
    const edited = withOverrides(request, scratch);
    const chart = edited?.chart ?? request.chartDirectory;
    const valuesFiles = edited?.valuesFiles ?? request.valuesFiles;
    const first = toRender(request, await runHelm(request, chart, valuesFiles, scratch, signal), []);
    if (first.ok || first.reason !== 'failed') return first;
    const missing = missingDependencies(first.message);
    if (missing.length === 0) return first;
    const standIn = chartWithoutDependencies(chart, missing, scratch);
    if (standIn === undefined) return first;
    // A dependency the values switch off renders nothing anyway: its absence leaves out nothing.
    const off = disabledDependencies(chart, valuesFiles, missing);
    const second = toRender(request, await runHelm(request, standIn, valuesFiles, scratch, signal), missing, off);
    // Without them the chart does not render either (a library chart's templates are used): helm's
    // own error, that the dependencies are missing, is what to fix first.
    if (!second.ok && second.reason === 'failed') {
      return { ...first, message: `${first.message}; rendered without ${missing.join(', ')}, the chart fails too: ${second.message}` };
    }
    return second;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function runHelm(request: HelmRenderRequest, chart: string, valuesFiles: readonly string[], scratch: string, signal: AbortSignal | undefined): Promise<BoundedResult> {
  const args = ['template', request.release, chart, '--namespace', request.namespace ?? 'default', '--skip-tests'];
  for (const file of valuesFiles) args.push('--values', file);
  return runBounded(
    {
      command: request.helmPath,
      args,
      cwd: request.chartDirectory,
      env: isolatedEnvironment(scratch),
      timeoutMs: request.timeoutMs,
      maxOutputBytes: request.maxOutputBytes,
    },
    signal,
  );
}

/** What a helm run gave; `missing` are the dependencies left out of the chart for it, `off` those of them the values switch off. */
function toRender(request: HelmRenderRequest, result: BoundedResult, missing: readonly string[], off: readonly string[] = []): HelmRender {
  switch (result.outcome) {
    case 'spawn-error':
      return result.code === 'ENOENT'
        ? { ok: false, reason: 'not-found', message: `The helm program ${request.helmPath} was not found.` }
        : { ok: false, reason: 'failed', message: `The helm program ${request.helmPath} could not be started: ${result.message}` };
    case 'timeout':
      return { ok: false, reason: 'timeout', message: `helm template did not finish within ${request.timeoutMs} ms.` };
    case 'too-large':
      return { ok: false, reason: 'too-large', message: `helm template wrote more than ${request.maxOutputBytes} bytes.` };
    case 'cancelled':
      return { ok: false, reason: 'cancelled', message: 'The render was cancelled.' };
    case 'exited': {
      if (result.exitCode !== 0) {
        const text = helmErrorText(result.stderr);
        return { ok: false, reason: 'failed', message: text !== '' ? text : `helm template exited with code ${String(result.exitCode)}.` };
      }
      const documents = splitHelmOutput(result.stdout).map((manifest) => ({
        source: manifest.source,
        templateFile: templateFileOf(request.chartDirectory, manifest.source),
        text: manifest.text,
      }));
      const needed = missing.filter((name) => !off.includes(name));
      const chartName = path.basename(request.chartDirectory);
      const notes = [
        ...(needed.length === 0 ? [] : [`Dependencies ${needed.join(', ')} of ${chartName} are not in its charts/ folder (helm dependency build fetches them); rendered without them.`]),
        ...(off.length === 0 ? [] : [`Dependencies ${off.join(', ')} of ${chartName} are not in its charts/ folder and are switched off by the values (condition or tags); rendered without them.`]),
      ];
      return { ok: true, output: result.stdout, documents, notes, missingDependencies: needed };
    }
  }
}

/** Files copied at most for a render with overrides; a larger chart is rendered from the disk. */
const MAX_COPIED_FILES = 5_000;

/**
 * A copy of the chart under `scratch` with the request's overrides written over its files, and the
 * values files to pass (an overridden one as its copy), or undefined when there is nothing to
 * override (or the chart is too large to copy: the disk's files are rendered then). Symbolic links
 * are not copied, so nothing outside the chart is read.
 */
function withOverrides(request: HelmRenderRequest, scratch: string): { chart: string; valuesFiles: string[] } | undefined {
  const inChart = (file: string): boolean => {
    const relative = path.relative(request.chartDirectory, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  const all = request.overrides ?? new Map<string, string>();
  const overrides = [...all].filter(([file]) => inChart(file));
  const outsideValues = request.valuesFiles.filter((file) => !inChart(file) && all.has(file));
  if (overrides.length === 0 && outsideValues.length === 0) return undefined;
  const copy = path.join(scratch, 'edited', path.basename(request.chartDirectory));
  let copied = 0;
  const walk = (from: string, to: string): boolean => {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (++copied > MAX_COPIED_FILES) return false;
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) {
        if (!walk(source, target)) return false;
      } else if (entry.isFile()) {
        fs.copyFileSync(source, target);
      }
    }
    return true;
  };
  try {
    if (!walk(request.chartDirectory, copy)) return undefined;
    for (const [file, text] of overrides) {
      const target = path.join(copy, path.relative(request.chartDirectory, file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    }
    const valuesFiles = request.valuesFiles.map((file, index) => {
      if (inChart(file)) return path.join(copy, path.relative(request.chartDirectory, file));
      const text = all.get(file);
      if (text === undefined) return file;
      const target = path.join(scratch, 'values', `${index}-${path.basename(file)}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
      return target;
    });
    return { chart: copy, valuesFiles };
  } catch {
    return undefined;
  }
}

/** The environment helm runs in: PATH, and homes for helm and kubectl inside `scratch`. */
function isolatedEnvironment(scratch: string): Record<string, string> {
  const home = path.join(scratch, 'home');
  const env: Record<string, string> = {
    HOME: home,
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_DATA_HOME: path.join(home, 'data'),
    // Absent file: no context, no cluster, no namespace from the user's kubeconfig.
    KUBECONFIG: path.join(home, 'kubeconfig'),
  };
  const kept = process.platform === 'win32' ? ['PATH', 'Path', 'PATHEXT', 'SystemRoot', 'ComSpec', 'TEMP', 'TMP'] : ['PATH', 'TMPDIR'];
  for (const name of kept) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  if (process.platform === 'win32') {
    env['USERPROFILE'] = home;
    env['APPDATA'] = path.join(home, 'AppData', 'Roaming');
    env['LOCALAPPDATA'] = path.join(home, 'AppData', 'Local');
  }
  return env;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
