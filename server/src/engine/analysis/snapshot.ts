/**
 * A read-only view of the analysis, valid until the host's next change. Each editor feature is a
 * module over it (features/*.ts): the snapshot only answers what they ask.
 */
import type { TrafficPreview } from '../../protocol/traffic';
import type { EngineConfig } from '../config';
import type { FileFacts } from '../facts/fileFacts';
import { hoverAt } from '../features/hover';
import { serviceReports } from '../features/serviceReports';
import type { KubeObject, ServiceObject } from '../model/objects';
import type { HoverModel, ServiceReport } from '../reports';
import { buildTrafficPreview } from '../traffic/preview';
import type { TrafficRequest } from '../traffic/request';
import type { FileSpan, Finding, Position, SkipNote } from '../types';
import type { ServiceLink } from './link';
import { folderOf } from './kustomizations';
import { compareFindings, type Scope } from './scope';

export interface SnapshotState {
  readonly config: EngineConfig;
  /** The folder scope first, then the kustomize overlays, then the rendered Helm charts. */
  readonly scopes: readonly Scope[];
  /** The tops of the kustomize overlays that reach a file (then its objects are in their scopes). */
  overlaysOf(fileId: string): readonly string[];
  /** The scope of the rendered Helm chart that holds a file, if one does. */
  chartScopeOf(fileId: string): Scope | undefined;
  /** Findings of a file a rendered chart holds (see Charts.findings). */
  chartFindings(fileId: string): readonly Finding[];
  /** A scope by id. */
  scope(id: string): Scope | undefined;
  facts(fileId: string): FileFacts | undefined;
  fileIds(): string[];
  templatedNear(fileId: string): string | undefined;
}

export class Snapshot {
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

  /** The scopes, the folder scope first. */
  get scopes(): readonly Scope[] {
    return this.state.scopes;
  }

  /**
   * Findings that land in a file, sorted by span. A finding reported the same in several overlays
   * that build the file is shown once; when it holds in some of them only, its message names them
   * ("… Holds in overlay staging only.").
   */
  findings(fileId: string): readonly Finding[] {
    if (this.state.chartScopeOf(fileId)) return this.state.chartFindings(fileId);
    const tops = this.state.overlaysOf(fileId);
    const folder = this.state.scopes[0]!;
    if (tops.length === 0) return folder.findings(fileId);
    // A finding lands in a file its spans come from: the folder scope's files, or files an overlay builds.
    const scopes = [folder, ...this.scopesOfFile(fileId)];
    const byKey = new Map<string, { finding: Finding; overlays: Scope[] }>();
    for (const scope of scopes) {
      for (const finding of scope.findings(fileId)) {
        const key = `${finding.span.start}\u0000${finding.span.end}\u0000${finding.ruleId}\u0000${finding.message}`;
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
    return (top !== undefined && this.state.scope(top)) || this.state.scopes[0]!;
  }

  /** Every scope that holds objects of a file, the folder scope or each overlay that builds it. */
  scopesOfFile(fileId: string): Scope[] {
    const chart = this.state.chartScopeOf(fileId);
    if (chart) return [chart];
    const tops = this.state.overlaysOf(fileId);
    if (tops.length === 0) return [this.state.scopes[0]!];
    return tops.flatMap((top) => {
      const scope = this.state.scope(top);
      return scope ? [scope] : [];
    });
  }

  /** The link of a Service of a scope. */
  linkOf(service: ServiceObject, scope: Scope = this.scopeOf(service)): ServiceLink {
    return scope.linkOf(service);
  }

  scopeOf(object: KubeObject): Scope {
    return this.state.scope(object.scopeId) ?? this.state.scopes[0]!;
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
   * names no Service.
   */
  trafficPreview(request: TrafficRequest): TrafficPreview<FileSpan> | undefined {
    const previewIn = (scope: Scope) =>
      buildTrafficPreview(request, {
        index: scope.linkIndex,
        config: this.state.config,
        link: (service) => scope.linkOf(service),
        objectsOf: (fileId) => scope.objectsOf(fileId),
      });
    if (request.scope !== 'workspace') return previewIn(this.scopeOfFile(request.fileId));
    // The whole folder: the folder scope's Services, then each overlay's (as it builds them).
    let merged: TrafficPreview<FileSpan> | undefined;
    for (const scope of this.state.scopes) {
      const preview = previewIn(scope);
      if (!preview) continue;
      merged = merged ? { ...merged, services: [...merged.services, ...preview.services] } : preview;
    }
    return merged;
  }
}
