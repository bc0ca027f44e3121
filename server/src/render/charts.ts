/**
 * Helm charts on disk: which workspace folders are charts, where a rendered manifest's template
 * lives, and a stand-in for a chart whose dependencies have not been fetched.
 *
 * Chart layout (https://helm.sh/docs/topics/charts/#the-chart-file-structure): a chart is a folder
 * with `Chart.yaml`; its subcharts are folders (or `.tgz` archives) under its `charts/` folder, and
 * helm renders them with their parent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseDocument } from 'yaml';

const CHART_FILE = 'Chart.yaml';

/**
 * The chart folders among `paths` (files of the workspace, absolute): the folder of every
 * `Chart.yaml`, except charts inside another listed chart's `charts/` folder, at any depth: those
 * are subcharts, rendered by helm with their parent; and library charts (`type: library`), which
 * only define templates for other charts and which helm refuses to render on their own ("library
 * charts are not installable", https://helm.sh/docs/topics/library_charts/). Sorted, each once.
 */
export function findCharts(paths: readonly string[]): string[] {
  const folders = [...new Set(paths.filter((file) => path.basename(file) === CHART_FILE).map((file) => path.dirname(path.resolve(file))))];
  const isChart = new Set(folders);
  const isSubchart = (folder: string): boolean => {
    for (let child = folder, parent = path.dirname(folder); parent !== child; child = parent, parent = path.dirname(parent)) {
      if (path.basename(child) === 'charts' && isChart.has(parent)) return true;
    }
    return false;
  };
  return folders.filter((folder) => !isSubchart(folder) && readChartFile(folder)?.type !== 'library').sort();
}

/**
 * A release name for rendering `chartDirectory`: the chart's `name` from Chart.yaml (else the
 * folder's name), made a valid release name: lower case, only `a-z`, `0-9` and `-`, starting and
 * ending with a letter or digit, at most 53 characters (helm's limit,
 * https://helm.sh/docs/chart_best_practices/conventions/). `release` when nothing is left.
 */
export function releaseNameFor(chartDirectory: string): string {
  const wanted = readChartFile(chartDirectory)?.name ?? path.basename(chartDirectory);
  const name = wanted
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 53)
    .replace(/^-+|-+$/g, '');
  return name === '' ? 'release' : name;
}

/**
 * The template file a `# Source:` path names, resolved from the chart folder: `shop/templates/a.yaml`
 * is `<chart>/templates/a.yaml`; `shop/charts/db/templates/b.yaml` is `templates/b.yaml` of the
 * subchart named `db` under `<chart>/charts/` (its folder, the folder whose Chart.yaml has that
 * name, or the one that the parent's `dependencies` alias names). Undefined when the file does not
 * exist, comes from an archived subchart, or would lie outside the chart folder.
 */
export function templateFileOf(chartDirectory: string, source: string): string | undefined {
  const segments = source.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length < 2 || segments.includes('..')) return undefined;
  let directory = chartDirectory;
  let index = 1;
  while (segments[index] === 'charts' && index + 2 < segments.length) {
    const subchart = subchartDirectory(directory, segments[index + 1]!);
    if (subchart === undefined) return undefined;
    directory = subchart;
    index += 2;
  }
  const file = path.join(directory, ...segments.slice(index));
  return isFileInside(file, chartDirectory) ? file : undefined;
}

function subchartDirectory(parent: string, name: string): string | undefined {
  const charts = path.join(parent, 'charts');
  const direct = path.join(charts, name);
  if (isFile(path.join(direct, CHART_FILE))) return direct;
  const alias = readChartFile(parent)?.dependencies.find((dependency) => dependency.alias === name)?.name;
  let entries: string[];
  try {
    entries = fs.readdirSync(charts).sort();
  } catch {
    return undefined;
  }
  for (const wanted of alias === undefined ? [name] : [alias, name]) {
    for (const entry of entries) {
      const folder = path.join(charts, entry);
      if (readChartFile(folder)?.name === wanted) return folder;
    }
  }
  return undefined;
}

interface ChartFile {
  readonly name: string | undefined;
  /** `application` (the default) or `library` (https://helm.sh/docs/topics/charts/#chart-types). */
  readonly type: string | undefined;
  readonly dependencies: readonly { readonly name: string | undefined; readonly alias: string | undefined }[];
}

function readChartFile(folder: string): ChartFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(folder, CHART_FILE), 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const dependencies = Array.isArray(value['dependencies']) ? value['dependencies'].filter(isRecord) : [];
  return {
    name: stringOrUndefined(value['name']),
    type: stringOrUndefined(value['type']),
    dependencies: dependencies.map((dependency) => ({ name: stringOrUndefined(dependency['name']), alias: stringOrUndefined(dependency['alias']) })),
  };
}

/**
 * Builds, under `scratch`, a stand-in for `chartDirectory` whose Chart.yaml lists no dependency
 * named in `missing`: the same Chart.yaml otherwise, and every other top-level entry of the chart
 * linked (folders) or copied (files), so helm reads the same templates, values and subcharts.
 * Chart.lock is left out: it describes the full dependency list. Returns the stand-in's folder,
 * or undefined when the chart cannot be read.
 */
export function chartWithoutDependencies(chartDirectory: string, missing: readonly string[], scratch: string): string | undefined {
  let chartText: string;
  let entries: fs.Dirent[];
  try {
    chartText = fs.readFileSync(path.join(chartDirectory, CHART_FILE), 'utf8');
    entries = fs.readdirSync(chartDirectory, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const document = parseDocument(chartText);
  if (document.errors.length > 0) return undefined;
  const value: unknown = document.toJS();
  if (!isRecord(value) || !Array.isArray(value['dependencies'])) return undefined;
  const kept = value['dependencies'].filter((dependency) => !(isRecord(dependency) && missing.includes(String(dependency['name']))));
  if (kept.length > 0) document.set('dependencies', kept);
  else document.delete('dependencies');

  const standIn = path.join(scratch, 'chart', path.basename(chartDirectory));
  fs.mkdirSync(standIn, { recursive: true });
  fs.writeFileSync(path.join(standIn, CHART_FILE), document.toString());
  for (const entry of entries) {
    if (entry.name === CHART_FILE || entry.name === 'Chart.lock') continue;
    const source = path.join(chartDirectory, entry.name);
    const target = path.join(standIn, entry.name);
    // Helm follows links to folders (it logs each one); 'junction' needs no privilege on Windows
    // and is ignored elsewhere.
    if (entry.isDirectory()) fs.symlinkSync(source, target, 'junction');
    else if (entry.isFile()) fs.copyFileSync(source, target);
  }
  return standIn;
}

function isFileInside(file: string, folder: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    const relative = path.relative(fs.realpathSync(folder), fs.realpathSync(file));
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
