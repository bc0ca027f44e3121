/**
 * One `check` run on the engine: every loaded file goes into one AnalysisHost (one linking universe),
 * then findings and Service reports are read back for the formatters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChartRender } from '../engine/analysis/charts';
import type { ServiceReport } from '../engine/reports';
import type { Finding, Position, Severity, SkipNote, Span } from '../engine/types';
import { AnalysisHost } from '../engine/workspace';
import { isKustomizationFile } from '../engine/analysis/kustomizations';
import type { FactCache } from '../io/factCache';
import { isInsidePath, realPathOf } from '../io/boundedRead';
import type { CheckOptions } from './args';
import type { LoadedFile } from './files';
import { findCharts } from '../render/helm';
import { renderForEngine } from '../render/forEngine';
import { HELM_TIMEOUT_DEFAULT_MS } from '../protocol/settings';

export interface CheckResult {
  /** Absolute paths of the analysed files, in load order. */
  readonly fileIds: readonly string[];
  readonly findings: readonly Finding[];
  readonly services: readonly ServiceReport[];
  readonly skipped: readonly SkipNote[];
  /** 0-based line/character (UTF-16) of an offset in an analysed file. */
  positionAt(fileId: string, offset: number): Position;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** What `--helm auto` rendered: the engine's chart inputs, and notes for stderr. */
export interface ChartRenders {
  readonly charts: Readonly<Record<string, ChartRender>>;
  readonly notes: readonly string[];
}

/**
 * Renders the charts among the loaded files (folders with Chart.yaml, subcharts with their parent)
 * with `helm` on PATH, one after the other. A values file of `--helm-values` inside a chart folder
 * is given to that chart only; one elsewhere to every chart. Without helm, one note and no render.
 */
export async function renderCharts(files: readonly LoadedFile[], options: CheckOptions, cwd: string): Promise<ChartRenders> {
  const charts: Record<string, ChartRender> = {};
  const notes: string[] = [];
  if (options.helm !== 'auto') return { charts, notes };
  const directories = findCharts(files.map((file) => file.path));
  // A missing values file stops the check before (missingValuesFiles).
  const present = options.helmValues.map((file) => path.resolve(cwd, file)).filter(isFile);
  for (const chartDirectory of directories) {
    const own = present.filter((file) => isInside(chartDirectory, file) || !directories.some((other) => isInside(other, file)));
    const linksWithin = options.followSymlinksOutside ? undefined : givenFolderOf(chartDirectory, options.paths, cwd);
    const outcome = await renderForEngine(
      {
        chartDirectory,
        valuesFiles: own,
        helmPath: 'helm',
        timeoutMs: HELM_TIMEOUT_DEFAULT_MS,
        ...(options.defaultNamespace !== undefined ? { namespace: options.defaultNamespace } : {}),
        ...(linksWithin !== undefined ? { linksWithin } : {}),
      },
      (file) => file,
    );
    if (outcome.helmMissing) {
      notes.push(`helm was not found on PATH: Helm charts are not rendered and their templates are skipped (install helm, or run with --helm off).`);
      break;
    }
    notes.push(...outcome.notes);
    if (outcome.render) charts[chartDirectory] = outcome.render;
  }
  return { charts, notes };
}

/** The `--helm-values` files that are no readable files (relative to `cwd`, as given), when charts are rendered (`--helm auto`). */
export function missingValuesFiles(options: CheckOptions, cwd: string): string[] {
  if (options.helm !== 'auto') return [];
  return options.helmValues.filter((file) => !isFile(path.resolve(cwd, file))).map((file) => relativePath(cwd, path.resolve(cwd, file)));
}

/**
 * The real path of the folder given on the command line (a file's folder) that holds a chart: the
 * folder its links may lead into, as for the files walked (cli/files.ts). The chart folder itself
 * when no given path holds it.
 */
function givenFolderOf(chartDirectory: string, given: readonly string[], cwd: string): string {
  const chart = realPathOf(chartDirectory) ?? chartDirectory;
  for (const entry of given.length > 0 ? given : ['.']) {
    const absolute = path.resolve(cwd, entry);
    const real = realPathOf(absolute);
    if (real === undefined) continue;
    const folder = isFile(real) ? path.dirname(real) : real;
    if (isInsidePath(folder, chart)) return folder;
  }
  return chart;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Analyses the files; with a fact cache, files it holds at their stamp are taken from it (never a
 * kustomization, whose patch list is read from its text), and the cache is given every file's
 * facts to save. `charts` are the Helm renders of `--helm auto` (renderCharts); `folders`, the
 * folders given, whose every manifest is among `files` (`Change.folders`; a file given alone
 * reads no folder whole).
 */
export function runCheck(files: readonly LoadedFile[], options: CheckOptions, cache?: FactCache, charts: Readonly<Record<string, ChartRender>> = {}, folders?: readonly string[]): CheckResult {
  // Unset options are undefined, which the engine reads as its defaults.
  const host = new AnalysisHost({
    defaultNamespace: options.defaultNamespace,
    clusterDomain: options.clusterDomain,
    rules: options.rules,
    kustomize: options.kustomize,
  });
  const update = host.applyChange({
    files: files.map((file) => {
      const facts = cache && !isKustomizationFile(file.path) ? cache.lookup(file.path, file.stamp) : undefined;
      return facts ? { fileId: file.path, facts } : { fileId: file.path, text: file.text };
    }),
    charts,
    // A base above the folders given is not read: the builds that need it say so, not that it is missing.
    ...(folders ? { folders } : {}),
  });
  // A kustomize build needs the text of the files it reaches: give it those the cache answered
  // (every text is given at once, so a second round asks for nothing).
  if (update.reread.length > 0) {
    const byPath = new Map(files.map((file) => [file.path, file]));
    host.applyChange({
      files: update.reread.flatMap((fileId) => {
        const file = byPath.get(fileId);
        return file ? [{ fileId, text: file.text }] : [];
      }),
    });
  }
  if (cache) {
    for (const file of files) {
      const facts = host.fileFacts(file.path);
      if (facts) cache.remember(file.path, file.stamp, facts, file.readAt);
    }
  }
  const snapshot = host.snapshot();
  const fileIds = files.map((file) => file.path);
  return {
    fileIds,
    findings: snapshot.allFindings(),
    services: snapshot.serviceReports(),
    skipped: fileIds.flatMap((fileId) => snapshot.skipped(fileId)),
    positionAt: (fileId, offset) => snapshot.positionAt(fileId, offset),
  };
}

export function rangeOf(result: CheckResult, fileId: string, span: Span): Range {
  return { start: result.positionAt(fileId, span.start), end: result.positionAt(fileId, span.end) };
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { hint: 0, information: 1, warning: 2, error: 3 };

/** True when `severity` is at least as severe as `threshold`. */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** A file's path relative to the working directory, with forward slashes on every platform. */
export function relativePath(cwd: string, fileId: string): string {
  return path.relative(cwd, fileId).split(path.sep).join('/');
}
