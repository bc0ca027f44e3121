/**
 * A driver of the engine's AnalysisHost for tests that feed files one change at a time: each
 * method is one `applyChange`, each query reads a fresh snapshot. Nothing is faked: it is the host
 * and snapshot the server and the CLI use.
 */
import type { ChartRender } from '../../server/src/engine/analysis/charts';
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

  /** The texts sent, to send again when an update asks for them (`Update.reread`), as the server re-reads a file from disk. */
  private readonly texts = new Map<string, string>();

  private apply(update: Update): string[] {
    const changed = new Set(update.changedFiles);
    this.failures.push(...update.ruleFailures);
    let reread = update.reread;
    for (let round = 0; reread.length > 0 && round < 4; round++) {
      const again = this.host.applyChange({ files: reread.flatMap((fileId) => { const text = this.texts.get(fileId); return text === undefined ? [] : [{ fileId, text }]; }) });
      this.failures.push(...again.ruleFailures);
      for (const fileId of again.changedFiles) changed.add(fileId);
      reread = again.reread;
    }
    return [...changed].sort();
  }

  setFile(fileId: string, text: string): string[] {
    this.texts.set(fileId, text);
    return this.apply(this.host.applyChange({ files: [{ fileId, text }] }));
  }

  setFiles(files: Iterable<readonly [fileId: string, text: string]>): string[] {
    const list = [...files];
    for (const [fileId, text] of list) this.texts.set(fileId, text);
    return this.apply(this.host.applyChange({ files: list.map(([fileId, text]) => ({ fileId, text })) }));
  }

  /** Hands the host Helm renders by chart folder (null forgets one), as the server does after running helm. */
  setCharts(charts: Readonly<Record<string, ChartRender | null>>): string[] {
    return this.apply(this.host.applyChange({ charts }));
  }

  removeFile(fileId: string): string[] {
    this.texts.delete(fileId);
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
