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
import { compareFindings, type Scope } from './scope';

export interface SnapshotState {
  readonly config: EngineConfig;
  readonly scopes: readonly Scope[];
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

  /** Findings that land in a file, sorted by span; a finding reported the same in several scopes once. */
  findings(fileId: string): readonly Finding[] {
    const scopes = this.state.scopes;
    if (scopes.length === 1) return scopes[0]!.findings(fileId);
    const seen = new Set<string>();
    const out: Finding[] = [];
    for (const scope of scopes) {
      for (const finding of scope.findings(fileId)) {
        const key = `${finding.span.start}\u0000${finding.span.end}\u0000${finding.ruleId}\u0000${finding.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(finding);
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

  /** The objects a file holds in a scope (its unit), in file order. */
  objectsOf(fileId: string, scope: Scope = this.state.scopes[0]!): readonly KubeObject[] {
    return scope.objectsOf(fileId);
  }

  /** The link of a Service of a scope. */
  linkOf(service: ServiceObject, scope: Scope = this.scopeOf(service)): ServiceLink {
    return scope.linkOf(service);
  }

  scopeOf(object: KubeObject): Scope {
    return this.state.scopes.find((scope) => scope.id === object.scopeId) ?? this.state.scopes[0]!;
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
    const scope = this.state.scopes[0]!;
    return buildTrafficPreview(request, {
      index: scope.linkIndex,
      config: this.state.config,
      link: (service) => scope.linkOf(service),
      objectsOf: (fileId) => scope.objectsOf(fileId),
    });
  }
}
