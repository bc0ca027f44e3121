/**
 * Helm charts as scopes. The engine runs no program: the language server and the CLI run
 * `helm template` and hand the engine what helm printed for each chart folder (`ChartRender`).
 * A rendered chart is analysed as its own scope, the way `helm install` applies a release
 * together (https://helm.sh/docs/topics/charts/): the objects helm rendered, and the plain
 * manifests of the chart folder that are not templates. The chart's files then leave the folder
 * scope. Every value of a rendered object is traced back to the template line that wrote it
 * (render/sourceMap.ts): findings land there and say that the value came from a render.
 *
 * A chart whose render failed holds nothing: one `chart-render-failed` finding on its Chart.yaml,
 * with helm's message, and nothing else of its files is reported. A chart without a render (no
 * helm, an untrusted workspace, rendering off) is analysed as before: its templated documents are
 * skipped and its plain files stay in the folder scope.
 */
import type { EngineConfig } from '../config';
import { readFileFacts } from '../facts/fileFacts';
import { instantiate } from '../model/instances';
import type { KubeObject, ObjectFacts } from '../model/objects';
import { splitHelmOutput } from '../render/helmOutput';
import { templateMapper, type TemplateMapper } from '../render/sourceMap';
import { CHART_RULES } from '../rules/registry';
import { reportedFinding } from '../rules/rule';
import type { Finding, ResourceRef, Span } from '../types';
import type { FileChange } from './host';
import { parse } from 'yaml';
import { joinId } from '../kustomize/paths';
import { baseName, folderOf } from './kustomizations';
import { compareFindings, Scope, type Relocation, type ScopeEnvironment } from './scope';

/**
 * What the caller knows of one chart folder's render.
 * - `rendered`: helm's standard output (`---` / `# Source: <chart>/templates/<file>` / YAML, as
 *   `helm template` prints it), the values files it was given, in order (shown in messages, e.g.
 *   `values.yaml`, `values-staging.yaml`), and optionally the template file id of a `# Source:`
 *   path that does not follow the folder layout (an aliased subchart); by default
 *   `<chart>/templates/a.yaml` is `<chart folder>/templates/a.yaml`.
 * - `failed`: helm's error message.
 * - `not-rendered`: no render (and why, for the caller's own notes): the chart is analysed as if
 *   no render had been given.
 */
export type ChartRender =
  | {
      readonly status: 'rendered';
      readonly output: string;
      readonly valuesFiles: readonly string[];
      readonly templateFiles?: Readonly<Record<string, string>>;
      /**
       * Dependencies of Chart.yaml that are not in the chart's `charts/` folder, which helm was
       * made to render without (render/helm.ts): their objects are missing from the render.
       */
      readonly missingDependencies?: readonly string[];
    }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'not-rendered'; readonly reason: string };

/** What the charts need from the host. */
export interface ChartHost {
  hasFile(fileId: string): boolean;
  fileIds(): Iterable<string>;
  /** A file's objects as read (its folder-scope instances). */
  objects(fileId: string): readonly KubeObject[];
}

interface Chart {
  readonly id: string;
  readonly render: Extract<ChartRender, { status: 'rendered' | 'failed' }>;
  readonly scope: Scope;
  /** Files whose objects the chart holds, or hides when its render failed. */
  covered: Set<string>;
  failure: Finding | undefined;
  /** Rendered values by the template span they map to (`fileId`, start, end), and by that span and the object that holds them (`valueKey`). */
  readonly values: Map<string, Set<string>>;
  /** The folders of its `file://` dependencies, read from its Chart.yaml when first asked for. */
  fileDependencies?: ReadonlySet<string>;
}

/**
 * The folders (ids) that a Chart.yaml's `dependencies[].repository: file://<path>` name, `<path>`
 * relative to the chart folder (https://helm.sh/docs/helm/helm_dependency/). Nothing for a
 * Chart.yaml that does not parse.
 */
function fileDependencyFolders(chartId: string, chartText: string): Set<string> {
  const folders = new Set<string>();
  let chart: unknown;
  try {
    chart = parse(chartText);
  } catch {
    return folders;
  }
  const dependencies = typeof chart === 'object' && chart !== null && 'dependencies' in chart ? (chart as { dependencies: unknown }).dependencies : undefined;
  if (!Array.isArray(dependencies)) return folders;
  for (const dependency of dependencies) {
    const repository: unknown = typeof dependency === 'object' && dependency !== null ? (dependency as { repository?: unknown }).repository : undefined;
    if (typeof repository !== 'string' || !repository.startsWith('file://')) continue;
    const target = joinId(chartId, repository.slice('file://'.length));
    folders.add(target.endsWith('/') ? target.slice(0, -1) : target);
  }
  return folders;
}

export interface ChartUpdate {
  /** Files whose findings may have changed. */
  readonly changed: ReadonlySet<string>;
  /** Template files whose text a chart needs and the host must send again. */
  readonly reread: ReadonlySet<string>;
  /** Files that entered or left a chart: their place in the folder scope changes. */
  readonly moved: ReadonlySet<string>;
}

const CHART_FILE = 'Chart.yaml';

export class Charts {
  private readonly charts = new Map<string, Chart>();
  /** Folders holding a Chart.yaml the host holds: the texts of their files are kept. */
  private readonly chartFolders = new Set<string>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly environment: ScopeEnvironment) {}

  /** Whether a rendered (or failed) chart holds the file: then it is not analysed in the folder scope. */
  covers(fileId: string): boolean {
    return this.ownerOf(fileId) !== undefined;
  }

  /** Whether a render (good or failed) was given for the chart folder. */
  hasRender(folder: string): boolean {
    return this.charts.has(folder);
  }

  /** Whether helm rendered the chart folder: its objects are known (a failed render's are not). */
  isRendered(folder: string): boolean {
    return this.charts.get(folder)?.render.status === 'rendered';
  }

  /** The chart scopes, by folder. */
  scopes(): Scope[] {
    return [...this.charts.values()].sort((left, right) => (left.id < right.id ? -1 : 1)).map((chart) => chart.scope);
  }

  scopeOf(id: string): Scope | undefined {
    return this.charts.get(id)?.scope;
  }

  /** The scope holding a file's objects, when a chart holds the file. */
  scopeOfFile(fileId: string): Scope | undefined {
    return this.ownerOf(fileId)?.scope;
  }

  /**
   * Findings that land in a file a chart holds: the chart scope's, each saying what the render
   * gave ("Rendered with values.yaml: targetPort web."), with the chart folder as its scope; on a
   * failed chart's Chart.yaml, the failure.
   */
  findings(fileId: string): readonly Finding[] {
    const chart = this.ownerOf(fileId);
    if (!chart) return [];
    if (chart.render.status === 'failed') return chart.failure && chart.failure.fileId === fileId ? [chart.failure] : [];
    const files = chart.render.valuesFiles.length > 0 ? chart.render.valuesFiles.join(', ') : 'its default values';
    return chart.scope
      .findings(fileId)
      .map((finding) => {
        // The values of the finding's own object, when it wrote some there: a template that renders
        // several objects (a range, a subchart under two aliases) maps each object's values to it.
        const own = chart.values.get(valueKey(fileId, finding.span, finding.resource));
        const values = own ?? chart.values.get(valueKey(fileId, finding.span));
        const rendered = values && values.size > 0 ? `: ${withoutParts([...values]).join('; ')}` : '';
        return { ...finding, message: `${finding.message} Rendered with ${files}${rendered}.`, fixes: [], scopes: [chart.id] };
      })
      .sort(compareFindings);
  }

  /** Rule failures of every chart scope since the last call. */
  takeRuleFailures(): string[] {
    const out: string[] = [];
    for (const chart of this.charts.values()) out.push(...chart.scope.ruleFailures.splice(0));
    return out;
  }

  /**
   * Brings the charts up to date after the host took `files` (their facts already read) and the
   * caller's new `renders` (chart folder → render; null or `not-rendered` drops a render).
   * `everything` rebuilds every chart (a bulk load or a settings change).
   */
  update(
    files: readonly FileChange[],
    renders: Readonly<Record<string, ChartRender | null>> | undefined,
    host: ChartHost,
    config: EngineConfig,
    everything: boolean,
  ): ChartUpdate {
    const changed = new Set<string>();
    const reread = new Set<string>();
    const moved = new Set<string>();
    const dirty = new Set<string>();
    for (const file of files) {
      if (baseName(file.fileId) !== CHART_FILE) continue;
      if ('removed' in file) this.chartFolders.delete(folderOf(file.fileId));
      else this.chartFolders.add(folderOf(file.fileId));
    }
    for (const file of files) {
      // A file given by its facts (a cache) brings no text: a template's text is asked for when a render needs it.
      if (!('text' in file) || !this.inChartFolder(file.fileId)) this.texts.delete(file.fileId);
      else this.texts.set(file.fileId, file.text);
      const owner = this.ownerOf(file.fileId);
      if (owner) dirty.add(owner.id);
      // A file added under a chart folder may belong to a chart (a new plain manifest).
      for (const id of this.charts.keys()) if (file.fileId.startsWith(`${id}/`)) dirty.add(id);
    }
    for (const [id, render] of Object.entries(renders ?? {})) {
      const previous = this.charts.get(id);
      if (render === null || render.status === 'not-rendered') {
        if (previous) this.drop(previous, changed, moved);
        continue;
      }
      if (previous) this.drop(previous, changed, moved);
      const scope = new Scope({ id, label: `chart ${baseName(id) || id}`, proximity: false, build: id }, config, this.environment);
      // A render without some dependencies lacks their objects: what seems missing may be theirs.
      const missing = render.status === 'rendered' ? (render.missingDependencies ?? []) : [];
      if (missing.length > 0) scope.partialBuild = `${missing.length === 1 ? 'dependency' : 'dependencies'} ${missing.join(', ')} not in its charts/ folder`;
      this.charts.set(id, { id, render, scope, covered: new Set(), failure: undefined, values: new Map() });
      dirty.add(id);
    }
    if (everything) for (const id of this.charts.keys()) dirty.add(id);
    // Outer charts first, so that a nested chart's files move from the outer one.
    for (const id of [...dirty].sort()) {
      const chart = this.charts.get(id);
      if (chart) this.rebuild(chart, host, config, changed, reread, moved);
    }
    return { changed, reread, moved };
  }

  // ---- internals ---------------------------------------------------------------------------

  private inChartFolder(fileId: string): boolean {
    if (this.chartFolders.size === 0 && this.charts.size === 0) return false;
    for (let folder = folderOf(fileId); folder !== ''; folder = folderOf(folder)) {
      if (this.chartFolders.has(folder) || this.charts.has(folder)) return true;
      if (!folder.includes('/')) break;
    }
    return false;
  }

  /** The innermost chart with a render whose folder holds the file. */
  private ownerOf(fileId: string): Chart | undefined {
    if (this.charts.size === 0) return undefined;
    for (let folder = folderOf(fileId); folder !== ''; folder = folderOf(folder)) {
      const chart = this.charts.get(folder);
      if (chart) return chart;
      if (!folder.includes('/')) break;
    }
    return undefined;
  }

  private drop(chart: Chart, changed: Set<string>, moved: Set<string>): void {
    for (const fileId of chart.scope.filesWithFindings()) changed.add(fileId);
    if (chart.failure) changed.add(chart.failure.fileId);
    for (const fileId of chart.covered) {
      changed.add(fileId);
      moved.add(fileId);
    }
    this.charts.delete(chart.id);
    this.environment.provisionChanged();
  }

  /** Whether the rendered chart `id` holds the chart folder `other` (a subchart in its `charts/` folder). */
  builds(id: string, other: string): boolean {
    return this.charts.has(id) && this.charts.has(other) && other.startsWith(`${id}/`);
  }

  /**
   * Whether the chart `id` takes the chart folder `other` as a dependency: its Chart.yaml lists one
   * whose `repository` is `file://<path>` to that folder (`helm dependency build` packages it into
   * `charts/`). One release then holds both, the other's objects as its subchart's, whether the
   * values switch it on or off: they are variants of its own.
   */
  rendersAsSubchart(id: string, other: string): boolean {
    const chart = this.charts.get(id);
    if (chart === undefined || !this.charts.has(other)) return false;
    const folders = (chart.fileDependencies ??= fileDependencyFolders(id, this.texts.get(`${id}/${CHART_FILE}`) ?? ''));
    return folders.has(other);
  }

  private rebuild(chart: Chart, host: ChartHost, config: EngineConfig, changed: Set<string>, reread: Set<string>, moved: Set<string>): void {
    for (const fileId of chart.scope.filesWithFindings()) changed.add(fileId);
    if (chart.failure) changed.add(chart.failure.fileId);
    const covered = new Set<string>();
    for (const fileId of host.fileIds()) if (this.ownerOf(fileId) === chart) covered.add(fileId);
    for (const fileId of covered) if (!chart.covered.has(fileId)) moved.add(fileId);
    for (const fileId of chart.covered) if (!covered.has(fileId)) moved.add(fileId);
    for (const fileId of [...covered, ...chart.covered]) changed.add(fileId);
    chart.covered = covered;
    chart.values.clear();
    chart.failure = undefined;

    const units = new Map<string, KubeObject[]>();
    if (chart.render.status === 'failed') {
      const chartFile = `${chart.id}/${CHART_FILE}`;
      // Given by its facts (a cache), Chart.yaml brings no text: ask for it, to report on its name.
      if (!this.texts.has(chartFile) && host.hasFile(chartFile)) reread.add(chartFile);
      chart.failure = this.failureFinding(chart, chart.render.message, config);
      if (chart.failure) changed.add(chart.failure.fileId);
    } else {
      const rendered = chart.render;
      const byTemplate = new Map<string, string[]>();
      const sources = new Map<string, string>();
      for (const manifest of splitHelmOutput(rendered.output)) {
        const fileId = rendered.templateFiles?.[manifest.source] ?? defaultTemplateFile(chart.id, manifest.source);
        sources.set(fileId, manifest.source);
        let list = byTemplate.get(fileId);
        if (!list) byTemplate.set(fileId, (list = []));
        list.push(manifest.text);
      }
      for (const [fileId, manifests] of byTemplate) {
        const templateText = this.texts.get(fileId);
        if (templateText === undefined && host.hasFile(fileId)) {
          // The template arrived before its chart was known: ask for its text again.
          reread.add(fileId);
          continue;
        }
        units.set(fileId, this.placeRendered(chart, fileId, manifests, templateText, config));
      }
      // Templates helm rendered from a subchart packed in charts/ (a `.tgz` of `helm dependency
      // build`) are no files of the workspace: their findings go to the chart's Chart.yaml.
      const relocations = new Map<string, Relocation>();
      const chartText = this.texts.get(`${chart.id}/${CHART_FILE}`);
      for (const [fileId, source] of sources) {
        if (host.hasFile(fileId) || this.texts.has(fileId)) continue;
        const subchart = /\/charts\/([^/]+)\//.exec(source)?.[1];
        relocations.set(fileId, {
          fileId: `${chart.id}/${CHART_FILE}`,
          span: (subchart !== undefined && chartText !== undefined ? dependencySpan(chartText, subchart) : undefined) ?? { start: 0, end: 0 },
          label: `${source} (a packaged subchart in charts/, not a file of the workspace)`,
        });
      }
      chart.scope.relocations = relocations;
      for (const fileId of covered) {
        if (isRenderedPath(chart.id, fileId)) continue;
        const objects = host.objects(fileId);
        if (objects.length > 0) units.set(fileId, instantiate(objects as readonly ObjectFacts[], { fileId, scopeId: chart.id, defaultNamespace: config.defaultNamespace }));
      }
    }
    chart.scope.reset(units, config);
    for (const fileId of chart.scope.filesWithFindings()) changed.add(fileId);
  }

  /**
   * The objects helm rendered from one template file, placed in the chart's scope with every span
   * traced back to the template (its text, when the host holds it).
   */
  private placeRendered(chart: Chart, fileId: string, manifests: readonly string[], templateText: string | undefined, config: EngineConfig): KubeObject[] {
    // One text per template, so that several documents of one template keep their order.
    const starts: number[] = [];
    let text = '';
    for (const manifest of manifests) {
      if (text !== '') text += '---\n';
      starts.push(text.length);
      text += manifest;
    }
    const facts = readFileFacts(text, { podTemplatePaths: config.podTemplatePaths }, { fileId, scopeId: chart.id, defaultNamespace: config.defaultNamespace });
    const objects = facts.objects as readonly ObjectFacts[] as readonly KubeObject[];
    if (templateText === undefined) return [...objects];
    const mappers: (TemplateMapper | undefined)[] = manifests.map(() => undefined);
    const mapperAt = (offset: number): { mapper: TemplateMapper; base: number } => {
      let index = starts.length - 1;
      while (index > 0 && starts[index]! > offset) index--;
      const mapper = (mappers[index] ??= templateMapper(manifests[index]!, templateText, { index, count: manifests.length }));
      return { mapper, base: starts[index]! };
    };
    const note = (key: string, value: string): void => {
      let set = chart.values.get(key);
      if (!set) chart.values.set(key, (set = new Set()));
      set.add(value);
    };
    const mapSpan = (span: Span, owner: ResourceRef): Span => {
      if (span.fileId !== undefined) return span;
      const { mapper, base } = mapperAt(span.start);
      const local = { start: span.start - base, end: span.end - base };
      const location = mapper.map(local).span;
      const value = mapper.describe(local);
      if (value !== undefined) {
        note(valueKey(fileId, location), value);
        note(valueKey(fileId, location, owner), value);
      }
      return { start: location.start, end: location.end };
    };
    return objects.map((object) => {
      const { mapper } = mapperAt(object.span.start);
      const owner: ResourceRef = { kind: object.kind, name: object.name, namespace: object.namespace };
      return { ...remapSpans(object, (span) => mapSpan(span, owner)), span: { start: mapper.document.start, end: mapper.document.end } };
    });
  }

  private failureFinding(chart: Chart, message: string, config: EngineConfig): Finding | undefined {
    const fileId = `${chart.id}/${CHART_FILE}`;
    const text = this.texts.get(fileId) ?? '';
    const span = chartNameSpan(text);
    for (const rule of CHART_RULES) {
      const setting = config.rules[rule.id];
      if (setting === 'off') continue;
      if (this.environment.suppressed(fileId, span.start, rule.id)) continue;
      // The chart as Chart.yaml names it (helm's messages use that name), else its folder.
      const name = span.end > span.start && /^name:/m.test(text) ? text.slice(span.start, span.end).replace(/^["']|["']$/g, '') : baseName(chart.id) || chart.id;
      const report = rule.check({ chart: name, fileId, span, message })[0];
      if (!report) continue;
      return {
        ...reportedFinding(rule, report, setting),
        fileId,
        span: { start: report.span.start, end: report.span.end },
        resource: { kind: 'Chart', name, namespace: '' },
        related: [],
        fixes: [],
        scopes: [chart.id],
      };
    }
    return undefined;
  }
}

/**
 * The span of the value of a dependency's `name:` or `alias:` line in a Chart.yaml that is
 * `subchart` (helm names a subchart's templates by its alias, else its name), or undefined.
 */
function dependencySpan(chartText: string, subchart: string): Span | undefined {
  const line = /^[ \t-]+(?:name|alias):[ \t]*["']?([^"'#\s]+)["']?[ \t]*(?:#.*)?$/gm;
  for (let match = line.exec(chartText); match !== null; match = line.exec(chartText)) {
    if (match[1] !== subchart) continue;
    const start = match.index + match[0].indexOf(subchart, match[0].indexOf(':'));
    return { start, end: start + subchart.length };
  }
  return undefined;
}

/** `cart/templates/a.yaml` → `<chart folder>/templates/a.yaml`: helm names a file by the chart's name, then its path in the chart. */
function defaultTemplateFile(chart: string, source: string): string {
  const slash = source.indexOf('/');
  return `${chart}/${slash < 0 ? source : source.slice(slash + 1)}`;
}

/** Files helm renders itself: everything under `templates/` and the subcharts under `charts/`. */
function isRenderedPath(chart: string, fileId: string): boolean {
  return fileId.startsWith(`${chart}/templates/`) || fileId.startsWith(`${chart}/charts/`);
}

/**
 * The rendered values of one template location without those another one holds whole: a template
 * line that writes a whole selector through a loop maps each pair there too, and
 * `selector app=q, version=2` says what `selector app=q` and `selector version=2` say.
 */
export function withoutParts(values: readonly string[]): string[] {
  const parts = values.map((value) => {
    const space = value.indexOf(' ');
    return { value, field: space < 0 ? value : value.slice(0, space), items: space < 0 ? [] : value.slice(space + 1).split(', ') };
  });
  return parts
    .filter((part) => !parts.some((other) => other !== part && other.field === part.field && other.items.length > part.items.length && part.items.every((item) => other.items.includes(item))))
    .map((part) => part.value);
}

/** The key of the rendered values at a template location (`Chart.values`), of one object's only when `owner` is given. */
function valueKey(fileId: string, span: Span, owner?: ResourceRef): string {
  const location = `${fileId}\u0000${span.start}\u0000${span.end}`;
  return owner === undefined ? location : `${location}\u0000${owner.kind}\u0000${owner.namespace}\u0000${owner.name}`;
}

/** The `name:` value of a Chart.yaml (where a chart finding is reported), else its first line. */
function chartNameSpan(text: string): Span {
  const match = /^name:[ \t]*(\S[^\r\n#]*?)[ \t]*(?:#.*)?$/m.exec(text);
  if (match && match[1] !== undefined) {
    const start = match.index + match[0].indexOf(match[1], 'name:'.length);
    return { start, end: start + match[1].length };
  }
  const end = text.search(/\r?\n/);
  return { start: 0, end: end < 0 ? text.length : end };
}

/**
 * A copy of `value` with every span (`{ start, end }`, optionally `fileId`) replaced by
 * `mapSpan(span)`; arrays and plain objects are copied, anything else (maps, strings) is kept.
 */
function remapSpans<T>(value: T, mapSpan: (span: Span) => Span): T {
  if (Array.isArray(value)) return value.map((item: unknown) => remapSpans(item, mapSpan)) as T;
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  if (isSpan(record)) return mapSpan(record as unknown as Span) as T;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(record)) out[key] = remapSpans(child, mapSpan);
  return out as T;
}

function isSpan(record: Record<string, unknown>): boolean {
  if (typeof record['start'] !== 'number' || typeof record['end'] !== 'number') return false;
  return Object.keys(record).every((key) => key === 'start' || key === 'end' || key === 'fileId');
}
