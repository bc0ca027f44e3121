/**
 * A driver of the engine's AnalysisHost for tests that feed files one change at a time: each
 * method is one `applyChange`, each query reads a fresh snapshot. Nothing is faked: it is the host
 * and snapshot the server and the CLI use.
 */
import type { EngineConfig } from '../../server/src/engine/config';
import { AnalysisHost, type Snapshot, type Update } from '../../server/src/engine/workspace';
import type { TrafficRequest } from '../../server/src/engine/traffic/request';
import type { Finding, Position } from '../../server/src/engine/types';

export class TestHost {
  readonly host: AnalysisHost;
  /** The last update's rule failures, until taken. */
  private failures: string[] = [];

  constructor(config?: Partial<EngineConfig>) {
    this.host = new AnalysisHost(config);
  }

  get config(): EngineConfig {
    return this.host.config;
  }

  get snapshot(): Snapshot {
    return this.host.snapshot();
  }

  private apply(update: Update): string[] {
    this.failures.push(...update.ruleFailures);
    return [...update.changedFiles];
  }

  setFile(fileId: string, text: string): string[] {
    return this.apply(this.host.applyChange({ files: [{ fileId, text }] }));
  }

  setFiles(files: Iterable<readonly [fileId: string, text: string]>): string[] {
    return this.apply(this.host.applyChange({ files: [...files].map(([fileId, text]) => ({ fileId, text })) }));
  }

  removeFile(fileId: string): string[] {
    if (!this.hasFile(fileId)) return [];
    return this.apply(this.host.applyChange({ files: [{ fileId, removed: true }] }));
  }

  setConfig(config: Partial<EngineConfig>): string[] {
    return this.apply(this.host.applyChange({ config }));
  }

  takeRuleFailures(): string[] {
    return this.failures.splice(0);
  }

  hasFile(fileId: string): boolean {
    return this.snapshot.hasFile(fileId);
  }

  fileIds(): string[] {
    return this.snapshot.fileIds();
  }

  findings(fileId: string): readonly Finding[] {
    return this.snapshot.findings(fileId);
  }

  allFindings(): Finding[] {
    return this.snapshot.allFindings();
  }

  skipped(fileId: string) {
    return this.snapshot.skipped(fileId);
  }

  positionAt(fileId: string, offset: number): Position {
    return this.snapshot.positionAt(fileId, offset);
  }

  offsetAt(fileId: string, position: Position): number {
    return this.snapshot.offsetAt(fileId, position);
  }

  hoverAt(fileId: string, offset: number) {
    return this.snapshot.hoverAt(fileId, offset);
  }

  serviceReports() {
    return this.snapshot.serviceReports();
  }

  trafficPreview(request: TrafficRequest) {
    return this.snapshot.trafficPreview(request);
  }
}
