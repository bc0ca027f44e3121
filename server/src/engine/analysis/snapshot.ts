/**
 * A read-only view of the analysis, valid until the host's next change. Each editor feature is a
 * module over it (features/*.ts): the snapshot only answers what they ask.
 */
import type { TrafficPreview } from '../../protocol/traffic';
import type { EngineConfig } from '../config';
import type { FileFacts } from '../facts/fileFacts';
import { hoverAt } from '../features/hover';
import { serviceReports } from '../features/serviceReports';
import type { NameMention } from '../kustomize';
import { documentIndexOf, type KubeObject, type ServiceObject } from '../model/objects';
import type { HoverModel, ServiceReport } from '../reports';
import { buildTrafficPreview, PREVIEW_SERVICES, truncationNote } from '../traffic/preview';
import type { TrafficRequest } from '../traffic/request';
import type { FileSpan, Finding, Position, SkipNote } from '../types';
import type { ElsewhereAnswer, ElsewhereQuery } from './elsewhere';
import type { ServiceLink } from './link';
import { folderOf } from './kustomizations';
import { overlayLabel, type BuiltRoot } from './overlays';
import { compareFindings, type Scope } from './scope';

/** A build a file can be previewed in (protocol `OverlayChoice`), with its scope. */
export interface FileBuild {
  readonly id: string;
  readonly label: string;
  readonly kind: 'base' | 'overlay';
  readonly scope: Scope;
}

export interface SnapshotState {
  readonly config: EngineConfig;
  /** The workspace folder's scope (plain files). */
  readonly folderScope: Scope;
  /** Every scope: the folder scope first, then the kustomize overlays, then the rendered Helm charts (made on request: a query of one file reads a few). */
  scopes(): readonly Scope[];
  /** The tops of the kustomize overlays that reach a file (then its objects are in their scopes). */
  overlaysOf(fileId: string): readonly string[];
  /** Where the kustomizations that build a file name the object of one of its documents (kustomize/build.ts NameMention). */
  nameMentions(fileId: string, documentIndex: number): readonly NameMention[];
  /** The scope of the rendered Helm chart that holds a file, if one does. */
  chartScopeOf(fileId: string): Scope | undefined;
  /** Findings of a file a rendered chart holds (see Charts.findings). */
  chartFindings(fileId: string): readonly Finding[];
  /** Findings on a file as kustomize reads it: a refused kustomization, build notes (see Overlays.kustomizeFindings). */
  kustomizationFindings(fileId: string): readonly Finding[];
  /** A scope by id. */
  scope(id: string): Scope | undefined;
  /** What another scope holds that the scope `scopeId` lacks (analysis/elsewhere.ts). */
  elsewhere(scopeId: string, query: ElsewhereQuery): ElsewhereAnswer | undefined;
  facts(fileId: string): FileFacts | undefined;
  /** A file's objects as it writes them, before any kustomize build or scope (empty for a file the host does not hold). */
  objectsAsRead(fileId: string): readonly KubeObject[];
  fileIds(): string[];
  templatedNear(fileId: string): string | undefined;
  /** A file of a file's folder with a document skipped as not valid YAML, of any kind (its name). */
  invalidNear(fileId: string): string | undefined;
  /** A kustomization root built alone (a top's own scope), or undefined. */
  builtRoot(root: string): BuiltRoot | undefined;
  /** The kustomization files in a folder. */
  rootsIn(folder: string): readonly string[];
}

export class Snapshot {
  private allScopes: readonly Scope[] | undefined;

  constructor(private readonly state: SnapshotState) {}

  get config(): EngineConfig {
    return this.state.config;
  }

  /** Every file of the host, sorted. */
  fileIds(): string[] {
    return this.state.fileIds();
  }

  hasFile(fileId: string): boolean {
    return this.state.facts(fileId) !== undefined;
  }

  /** What another scope holds that the scope `scopeId` lacks (analysis/elsewhere.ts). */
  elsewhere(scopeId: string, query: ElsewhereQuery): ElsewhereAnswer | undefined {
    return this.state.elsewhere(scopeId, query);
  }

  /** A scope by id. */
  scopeById(id: string): Scope | undefined {
    return this.state.scope(id);
  }

  /** The scopes, the folder scope first. */
  get scopes(): readonly Scope[] {
    return (this.allScopes ??= this.state.scopes());
  }

  /**
   * Findings that land in a file, sorted by span. A finding reported the same in several overlays
   * that build the file is shown once; when it holds in some of them only, its message names them
   * ("… Holds in overlay staging only.").
   */
  findings(fileId: string): readonly Finding[] {
    if (this.state.chartScopeOf(fileId)) return this.state.chartFindings(fileId);
    const own = this.state.kustomizationFindings(fileId);
    if (own.length > 0) return [...this.objectFindings(fileId), ...own].sort(compareFindings);
    return this.objectFindings(fileId);
  }

  /** The findings of the scopes that hold a file's objects (`findings`, without those on a kustomization itself). */
  private objectFindings(fileId: string): readonly Finding[] {
    const tops = this.state.overlaysOf(fileId);
    const folder = this.state.folderScope;
    if (tops.length === 0) return folder.findings(fileId);
    // A finding lands in a file its spans come from: the folder scope's files, or files an overlay builds.
    const scopes = [folder, ...this.scopesOfFile(fileId)];
    const byKey = new Map<string, { finding: Finding; overlays: Scope[] }>();
    for (const scope of scopes) {
      // One text may hold findings on several objects of one scope (a patch target that selects two
      // Services): the n-th of them stands with the n-th of each other scope, not with each other.
      const seen = new Map<string, number>();
      for (const finding of scope.findings(fileId)) {
        const same = `${finding.span.start}\u0000${finding.span.end}\u0000${finding.ruleId}\u0000${finding.message}`;
        const occurrence = seen.get(same) ?? 0;
        seen.set(same, occurrence + 1);
        const key = `${same}\u0000${occurrence}`;
        const entry = byKey.get(key) ?? { finding, overlays: [] };
        byKey.set(key, entry);
        if (scope !== folder) entry.overlays.push(scope);
      }
    }
    const out: Finding[] = [];
    for (const { finding, overlays } of byKey.values()) {
      if (overlays.length === 0) {
        out.push(finding);
        continue;
      }
      // The overlay's folder (its top kustomization's folder) is the finding's scope.
      const scopes = overlays.map((scope) => folderOf(scope.id));
      if (tops.length > 1 && overlays.length < tops.length) {
        const labels = overlays.map((scope) => scope.options.label.replace(/^overlay /, ''));
        out.push({ ...finding, message: `${finding.message} Holds in overlay${labels.length === 1 ? '' : 's'} ${labels.join(', ')} only.`, scopes });
      } else {
        out.push({ ...finding, scopes });
      }
    }
    return out.sort(compareFindings);
  }

  /** Every finding, sorted by file, then span. */
  allFindings(): Finding[] {
    return this.fileIds().flatMap((fileId) => this.findings(fileId));
  }

  /** Documents of a file that were not analysed, and why. */
  skipped(fileId: string): SkipNote[] {
    // A rendered (or failed) chart replaces its templates' skip notes with what helm made of them.
    if (this.state.chartScopeOf(fileId)) return [];
    return (this.state.facts(fileId)?.skipped ?? []).map((note) => ({ ...note, fileId }));
  }

  /**
   * When templated documents that were not rendered sit near `fileId` (a Helm chart, a folder with
   * skipped templates): names them (`chart shop`, `folder deploy`). A rename refuses there.
   */
  /** A file of `fileId`'s folder (itself first) with a document skipped as not valid YAML: its name. */
  invalidNear(fileId: string): string | undefined {
    return this.state.invalidNear(fileId);
  }

  templatedNear(fileId: string): string | undefined {
    return this.state.templatedNear(fileId);
  }

  /** Number of spaces that open the line of `offset` in `fileId`. */
  indentationAt(fileId: string, offset: number): number {
    return this.state.facts(fileId)?.lines.indentationAt(offset) ?? 0;
  }

  /** Offset of the start of the line of `offset` in `fileId`. */
  lineStartAt(fileId: string, offset: number): number {
    return this.state.facts(fileId)?.lines.lineStartAt(offset) ?? 0;
  }

  positionAt(fileId: string, offset: number): Position {
    return this.state.facts(fileId)?.lines.positionAt(offset) ?? { line: 0, character: 0 };
  }

  offsetAt(fileId: string, position: Position): number {
    return this.state.facts(fileId)?.lines.offsetAt(position) ?? 0;
  }

  /**
   * The objects a file holds in a scope (its unit), in file order: by default in the folder scope,
   * or, for a file a kustomize overlay builds, in the first such overlay.
   */
  objectsOf(fileId: string, scope?: Scope): readonly KubeObject[] {
    if (scope) return scope.objectsOf(fileId);
    return this.scopeOfFile(fileId).objectsOf(fileId);
  }

  /** The scope that holds a file's objects: the first overlay that builds it, else the folder scope. */
  scopeOfFile(fileId: string): Scope {
    const chart = this.state.chartScopeOf(fileId);
    if (chart) return chart;
    const top = this.state.overlaysOf(fileId)[0];
    return (top !== undefined && this.state.scope(top)) || this.state.folderScope;
  }

  /** Every scope that holds objects of a file, the folder scope or each overlay that builds it. */
  scopesOfFile(fileId: string): Scope[] {
    const chart = this.state.chartScopeOf(fileId);
    if (chart) return [chart];
    const tops = this.state.overlaysOf(fileId);
    if (tops.length === 0) return [this.state.folderScope];
    return tops.flatMap((top) => {
      const scope = this.state.scope(top);
      return scope ? [scope] : [];
    });
  }

  /** The link of a Service of a scope. */
  linkOf(service: ServiceObject, scope: Scope = this.scopeOf(service)): ServiceLink {
    return scope.linkOf(service);
  }

  /** Where the kustomize overlays that build an object name it in patches and patch targets, each place once. */
  nameMentionsOf(object: KubeObject): readonly NameMention[] {
    return this.state.nameMentions(object.fileId, documentIndexOf(object));
  }

  /** The name of an object as its file writes it (before a kustomize `namePrefix` or `nameSuffix`). */
  writtenName(object: KubeObject): string {
    const read = this.state.objectsAsRead(object.fileId).find((candidate) => candidate.order === object.order && candidate.kind === object.kind);
    return read?.name ?? object.name;
  }

  scopeOf(object: KubeObject): Scope {
    return this.state.scope(object.scopeId) ?? this.state.folderScope;
  }

  hoverAt(fileId: string, offset: number): HoverModel | undefined {
    return hoverAt(this, fileId, offset);
  }

  serviceReports(): ServiceReport[] {
    return serviceReports(this);
  }

  /**
   * The traffic preview for the Service at `offset` (or the nearest one before it in the file), for
   * every Service of that file or namespace, or for the whole folder. Undefined when the request
   * names no Service. A namespace or workspace preview shows at most `PREVIEW_SERVICES` Services,
   * and stops early when `timeUp` (the caller's clock) says so; its `note` says what was left out.
   */
  trafficPreview(request: TrafficRequest, timeUp?: () => boolean): TrafficPreview<FileSpan> | undefined {
    const previewIn = (scope: Scope) =>
      buildTrafficPreview(request, {
        index: scope.linkIndex,
        config: this.state.config,
        link: (service) => scope.linkOf(service),
        objectsOf: (fileId) => scope.objectsOf(fileId),
        timeUp,
      });
    if (request.scope !== 'workspace') {
      // A file several kustomizations build: the chosen build, else the first overlay, with the choices.
      const builds = this.buildsOfFile(request.fileId);
      const fallback = this.scopeOfFile(request.fileId);
      const chosen = builds.find((build) => build.id === request.overlay) ?? builds.find((build) => build.scope === fallback);
      const preview = previewIn(chosen?.scope ?? fallback);
      if (!preview || !chosen || builds.length < 2) return preview;
      return { ...preview, overlays: { selected: chosen.id, choices: builds.map(({ id, label, kind }) => ({ id, label, kind })) } };
    }
    if (request.overlay !== undefined) {
      const built = this.builtAt(request.overlay);
      return built ? previewIn(built.scope) : undefined;
    }
    // The whole folder: the folder scope's Services, then each overlay's (as it builds them), within
    // the same bounds as one scope's preview.
    const scopes = this.scopes;
    let merged: TrafficPreview<FileSpan> | undefined;
    for (const scope of scopes) {
      if (merged && (merged.services.length >= PREVIEW_SERVICES || timeUp?.() === true)) break;
      const preview = previewIn(scope);
      if (!preview) continue;
      merged = merged ? { ...merged, services: [...merged.services, ...preview.services].slice(0, PREVIEW_SERVICES) } : preview;
    }
    if (!merged || scopes.length === 1) return merged;
    const total = scopes.reduce((sum, scope) => sum + scope.linkIndex.services().size, 0);
    const { version, scope, title, clusterDomain, services } = merged;
    const whole: TrafficPreview<FileSpan> = { version, scope, title, clusterDomain, services };
    return services.length === total ? whole : { ...whole, note: truncationNote(services.length, total, timeUp?.() === true) };
  }

  /**
   * The builds a file belongs to when kustomize overlays build it: the nearest kustomization that
   * lists it, built alone as `kubectl kustomize <its folder>` would (unless that one is an overlay
   * itself), then every overlay that builds it. Empty for a file no overlay builds.
   */
  buildsOfFile(fileId: string): FileBuild[] {
    const tops = this.state.overlaysOf(fileId);
    if (tops.length === 0) return [];
    const out: FileBuild[] = [];
    const base = this.baseOf(fileId, tops);
    if (base) out.push({ id: base.root, label: overlayLabel(base.root), kind: 'base', scope: base.scope });
    for (const top of tops) {
      const scope = this.state.scope(top);
      if (scope) out.push({ id: top, label: overlayLabel(top), kind: 'overlay', scope });
    }
    return out;
  }

  /** The nearest kustomization above a file (its folder first) whose build reaches it, unless that is an overlay. */
  private baseOf(fileId: string, tops: readonly string[]): BuiltRoot | undefined {
    for (let folder = folderOf(fileId); ; folder = folderOf(folder)) {
      for (const root of this.state.rootsIn(folder)) {
        if (tops.includes(root)) return undefined;
        const built = this.state.builtRoot(root);
        if (built?.reached.has(fileId)) return built;
      }
      if (folder === '') return undefined;
    }
  }

  /** The kustomization file a kustomization file or folder names, if the host holds it (and kustomize is on). */
  kustomizationAt(overlay: string): string | undefined {
    return this.builtAt(overlay)?.root;
  }

  /** A kustomization given by its file or its folder, built (an overlay's scope, or built alone). */
  private builtAt(overlay: string): BuiltRoot | undefined {
    const direct = this.state.builtRoot(overlay);
    if (direct) return direct;
    for (const root of this.state.rootsIn(overlay.replace(/\/+$/, ''))) {
      const built = this.state.builtRoot(root);
      if (built) return built;
    }
    return undefined;
  }
}
