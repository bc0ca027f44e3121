/**
 * Helm rendering in the language server: which charts to render, when, and with what. A chart is
 * a folder with `Chart.yaml` (subcharts under `charts/` render with their parent). Rendering runs
 * the user's `helm` (`serviceLens.helm.path`) on workspace files, so it happens only when the
 * client said the workspace is trusted (protocol/trust.ts) and `serviceLens.helm.enabled` is on;
 * otherwise charts are analysed as before and the log says once how to enable it.
 *
 * A chart is rendered after the first scan, when its settings change, and when one of its files
 * changes (debounced: one render 400 ms after the last keystroke or disk event; the editor's
 * unsaved texts are rendered). Until a new render is ready the last one stays. Values files are
 * the chart's values.yaml and those `serviceLens.helm.valuesFiles` names for it; a values file
 * outside the workspace folder is never read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { ChartRender } from '../engine/analysis/charts';
import { findCharts } from '../render/helm';
import { renderForEngine } from '../render/forEngine';
import { realPathOf } from '../io/boundedRead';
import type { ServerContext } from './context';
import type { FolderHome } from './homes';
import { applyCharts } from './homes';
import { isInside, pathToUri, relativeSlashPath, uriToPath } from './uris';

/** Quiet time after the last change before a chart is rendered again. */
export const RENDER_DEBOUNCE_MS = 400;

interface ChartState {
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  /** Changed again while rendering: render once more when done. */
  again: boolean;
  /** A render (or failure) was handed to the engine. */
  handed: boolean;
}

export class ChartRenderer {
  private trusted = false;
  private readonly states = new Map<string, ChartState>();
  private readonly logged = new Set<string>();
  /** Chart folders per folder home, until a Chart.yaml comes or goes (or the folder is scanned). */
  private readonly chartCache = new WeakMap<FolderHome, string[]>();
  /** The renders, one after the other (helm is not run twice at once). */
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly context: ServerContext) {}

  get isTrusted(): boolean {
    return this.trusted;
  }

  /** The client said the workspace is trusted (at initialization, or later when the user granted it). */
  setTrusted(trusted: boolean): void {
    const was = this.trusted;
    this.trusted = trusted;
    if (trusted && !was) {
      this.logged.delete('untrusted');
      for (const folder of this.context.homes.folders) this.refreshFolder(folder);
    }
  }

  /** Renders every chart of a folder again (after a scan or a settings change), or drops the renders when rendering is off. */
  refreshFolder(folder: FolderHome): void {
    this.chartCache.delete(folder);
    const charts = this.chartsOf(folder);
    if (!this.mayRender(folder, charts.length)) {
      const dropped: Record<string, null> = {};
      for (const chart of charts) {
        const state = this.states.get(chart);
        if (state?.handed) {
          dropped[pathToUri(chart)] = null;
          state.handed = false;
        }
      }
      if (Object.keys(dropped).length > 0) this.publish(folder, dropped);
      return;
    }
    for (const chart of charts) this.schedule(folder, chart, 0);
  }

  /** A file changed in the editor or on disk: its chart (if any) renders again after a quiet time. */
  fileChanged(uri: string): void {
    const filePath = uriToPath(uri);
    if (filePath === undefined) return;
    const placement = this.context.homes.placementOf(uri);
    if (placement.kind !== 'folder') return;
    const folder = placement.home;
    if (path.basename(filePath) === 'Chart.yaml') {
      this.chartCache.delete(folder);
      this.dropVanished(folder);
    }
    const charts = this.chartsOf(folder);
    if (charts.length === 0) return;
    const owner = charts.filter((candidate) => isInside(candidate, filePath)).sort((left, right) => right.length - left.length)[0];
    // A values file kept outside its chart renders the charts it is given to.
    const users = charts.filter((candidate) => candidate !== owner && this.valuesFilesFor(folder, candidate).includes(filePath));
    const affected = owner === undefined ? users : [owner, ...users];
    if (affected.length === 0 || !this.mayRender(folder, affected.length)) return;
    for (const chart of affected) this.schedule(folder, chart, RENDER_DEBOUNCE_MS);
  }

  /** Forgets the renders of charts of the folder whose Chart.yaml is gone: their files are plain again. */
  private dropVanished(folder: FolderHome): void {
    const charts = new Set(this.chartsOf(folder));
    const dropped: Record<string, null> = {};
    for (const [chart, state] of this.states) {
      if (!state.handed || charts.has(chart) || !isInside(folder.path, chart)) continue;
      if (state.timer) clearTimeout(state.timer);
      state.timer = undefined;
      state.handed = false;
      dropped[pathToUri(chart)] = null;
    }
    if (Object.keys(dropped).length > 0) this.publish(folder, dropped);
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Chart folders (absolute paths) of a folder home, found from its Chart.yaml files. */
  private chartsOf(folder: FolderHome): string[] {
    const cached = this.chartCache.get(folder);
    if (cached) return cached;
    const files: string[] = [];
    for (const uri of this.context.homes.filesOf(folder)) {
      if (!uri.endsWith('/Chart.yaml')) continue;
      const filePath = uriToPath(uri);
      if (filePath !== undefined) files.push(filePath);
    }
    const charts = findCharts(files);
    this.chartCache.set(folder, charts);
    return charts;
  }

  private mayRender(folder: FolderHome, charts: number): boolean {
    if (!folder.settings.helm.enabled) return false;
    if (!this.trusted) {
      if (charts > 0) {
        this.noteOnce(
          'untrusted',
          'Helm charts are not rendered: the workspace is not trusted. Trust the workspace (Manage Workspace Trust) to render them with helm template; until then their templates are skipped.',
        );
      }
      return false;
    }
    return true;
  }

  private noteOnce(key: string, message: string): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.context.log.info(message);
  }

  private schedule(folder: FolderHome, chart: string, delayMs: number): void {
    let state = this.states.get(chart);
    if (!state) this.states.set(chart, (state = { timer: undefined, running: false, again: false, handed: false }));
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.timer) clearTimeout(state.timer);
    const current = state;
    current.timer = setTimeout(() => {
      current.timer = undefined;
      this.idle = this.idle.then(() => this.run(folder, chart, current)).catch((error: unknown) => this.context.log.error(`Rendering ${chart} failed: ${String(error)}`));
    }, delayMs);
  }

  private async run(folder: FolderHome, chart: string, state: ChartState): Promise<void> {
    if (this.context.homes.folderByUri(folder.uri) !== folder || !this.mayRender(folder, 1)) return;
    state.running = true;
    state.again = false;
    const settings = folder.settings.helm;
    let render: ChartRender | null;
    try {
      const valuesFiles = this.valuesFilesFor(folder, chart);
      const outcome = await renderForEngine(
        {
          chartDirectory: chart,
          valuesFiles,
          helmPath: settings.path,
          timeoutMs: settings.timeoutMs,
          overrides: this.unsavedTexts(chart, valuesFiles),
          namespace: folder.settings.engine.defaultNamespace,
          ...(folder.settings.followSymlinksOutsideWorkspace ? {} : { linksWithin: realPathOf(folder.path) ?? folder.path }),
        },
        pathToUri,
      );
      if (outcome.helmMissing) {
        this.noteOnce(
          `missing:${settings.path}`,
          `Helm charts are not rendered: ${outcome.notes.join(' ')} Install helm, or set serviceLens.helm.path to its absolute path; until then chart templates are skipped.`,
        );
      } else {
        for (const note of outcome.notes) this.noteOnce(`note:${chart}:${note}`, note);
      }
      render = outcome.render;
    } finally {
      state.running = false;
    }
    if (this.context.homes.folderByUri(folder.uri) !== folder) return;
    // The chart's Chart.yaml went away while helm ran: nothing to hand over.
    if (!this.chartsOf(folder).includes(chart)) return;
    if (render !== null || state.handed) {
      this.publish(folder, { [pathToUri(chart)]: render });
      state.handed = render !== null;
    }
    if (render?.status === 'rendered') this.context.log.info(`Rendered chart ${relativeSlashPath(folder.path, chart) || '.'} with ${render.valuesFiles.join(', ')}.`);
    if (render?.status === 'failed') this.context.log.info(`Chart ${relativeSlashPath(folder.path, chart) || '.'} did not render: ${render.message}`);
    if (state.again) this.schedule(folder, chart, RENDER_DEBOUNCE_MS);
  }

  private publish(folder: FolderHome, charts: Readonly<Record<string, ChartRender | null>>): void {
    this.context.publisher.schedule(applyCharts(folder, charts));
    this.context.refreshCodeLenses();
  }

  /**
   * `serviceLens.helm.valuesFiles` for a chart: the files of the first glob that matches the
   * chart folder (relative to the workspace folder). Files outside the workspace folder, or that
   * do not exist, are left out with a note.
   */
  private valuesFilesFor(folder: FolderHome, chart: string): string[] {
    const relative = relativeSlashPath(folder.path, chart);
    for (const [glob, files] of Object.entries(folder.settings.helm.valuesFiles)) {
      const pattern = glob.trim().replace(/^\.\//, '').replace(/\/+$/, '');
      if (!picomatch(pattern, { dot: true })(relative)) continue;
      const out: string[] = [];
      for (const file of files) {
        const absolute = path.resolve(folder.path, file);
        if (!isInside(folder.path, absolute) || !realPathInside(folder.path, absolute)) {
          this.noteOnce(`outside:${absolute}`, `serviceLens.helm.valuesFiles: ${file} is not a file inside the workspace folder; left out.`);
          continue;
        }
        out.push(absolute);
      }
      return out;
    }
    return [];
  }

  /** The editor's texts of open documents inside the chart (or among its values files) that differ from the disk. */
  private unsavedTexts(chart: string, valuesFiles: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const uri of this.context.documents.uris()) {
      const filePath = uriToPath(uri);
      if (filePath === undefined || !(isInside(chart, filePath) || valuesFiles.includes(filePath))) continue;
      const text = this.context.documents.get(uri)?.getText();
      if (text === undefined) continue;
      let disk: string | undefined;
      try {
        disk = fs.readFileSync(filePath, 'utf8');
      } catch {
        disk = undefined;
      }
      if (disk !== text) out.set(filePath, text);
    }
    return out;
  }
}

/** Whether the real path of an existing file lies inside the folder's real path (no link leads out). */
function realPathInside(folder: string, file: string): boolean {
  try {
    return fs.statSync(file).isFile() && isInside(fs.realpathSync(folder), fs.realpathSync(file));
  } catch {
    return false;
  }
}
