/**
 * In-process timings over texts already in memory: indexing as the server's scan does (a fresh
 * AnalysisHost, one change with every file, findings forced for all files) against `yaml`'s
 * `parseAllDocuments` over the same texts. Runs alternate, with a full collection before each.
 */
import { parseAllDocuments } from 'yaml';
import { AnalysisHost } from '../../server/src/engine/workspace';
import type { Finding } from '../../server/src/engine/types';
import type { ManifestFile } from './corpus';
import { collectGarbage, heapUsedMB, median } from './stats';

/** A finding with its file (relative to the root) and 1-based line. */
export interface LocatedFinding {
  readonly finding: Finding;
  readonly file: string;
  readonly line: number;
}

export interface InProcessResult {
  readonly indexMs: number;
  readonly setFilesMs: number;
  readonly findingsMs: number;
  readonly yamlParseAllMs: number;
  readonly indexRuns: readonly number[];
  readonly yamlRuns: readonly number[];
  /** Documents yaml found (checks the parse did its work). */
  readonly yamlDocuments: number;
  readonly yamlErrors: number;
  /** Heap the engine keeps for the indexed universe (after a full collection), in MB. */
  readonly retainedHeapMB: number | undefined;
  readonly findings: readonly LocatedFinding[];
  /** Files with at least one skipped document (Helm templates, YAML errors…). */
  readonly filesWithSkips: number;
  readonly gcExposed: boolean;
}

export function measureInProcess(files: readonly ManifestFile[], runs: number): InProcessResult {
  const indexRuns: IndexRun[] = [];
  const yamlRuns: YamlRun[] = [];
  let gcExposed = false;
  for (let run = 0; run < runs; run++) {
    // Each measurement in its own function, so nothing of the previous one is reachable and the
    // collection before the next one frees it.
    gcExposed = collectGarbage();
    indexRuns.push(indexOnce(files, run === 0));
    collectGarbage();
    yamlRuns.push(parseOnce(files));
  }
  const first = indexRuns[0]!;
  const lastYaml = yamlRuns[yamlRuns.length - 1]!;
  return {
    indexMs: median(indexRuns.map((run) => run.totalMs)),
    setFilesMs: median(indexRuns.map((run) => run.setFilesMs)),
    findingsMs: median(indexRuns.map((run) => run.findingsMs)),
    yamlParseAllMs: median(yamlRuns.map((run) => run.ms)),
    indexRuns: indexRuns.map((run) => run.totalMs),
    yamlRuns: yamlRuns.map((run) => run.ms),
    yamlDocuments: lastYaml.documents,
    yamlErrors: lastYaml.errors,
    retainedHeapMB: first.retainedHeapMB,
    findings: first.findings,
    filesWithSkips: first.filesWithSkips,
    gcExposed,
  };
}

interface IndexRun {
  readonly totalMs: number;
  readonly setFilesMs: number;
  readonly findingsMs: number;
  readonly findings: readonly LocatedFinding[];
  readonly filesWithSkips: number;
  readonly retainedHeapMB: number | undefined;
}

/** One index from scratch; with `inspect`, also the located findings and the heap the AnalysisHost keeps. */
function indexOnce(files: readonly ManifestFile[], inspect: boolean): IndexRun {
  const entries = files.map((file) => [file.uri, file.text] as const);
  const heapBefore = heapUsedMB();
  const started = performance.now();
  const host = new AnalysisHost();
  host.applyChange({ files: entries.map(([fileId, text]) => ({ fileId, text })) });
  const loaded = performance.now();
  const workspace = host.snapshot();
  const findings = workspace.allFindings();
  const finished = performance.now();
  const timing = { totalMs: finished - started, setFilesMs: loaded - started, findingsMs: finished - loaded };
  if (!inspect) return { ...timing, findings: [], filesWithSkips: 0, retainedHeapMB: undefined };
  const relativeOf = new Map(files.map((file) => [file.uri, file.relative]));
  const located = findings.map((finding) => ({
    finding,
    file: relativeOf.get(finding.fileId) ?? finding.fileId,
    line: workspace.positionAt(finding.fileId, finding.span.start).line + 1,
  }));
  const filesWithSkips = files.filter((file) => workspace.skipped(file.uri).length > 0).length;
  const retainedHeapMB = collectGarbage() ? heapUsedMB() - heapBefore : undefined;
  return { ...timing, findings: located, filesWithSkips, retainedHeapMB };
}

interface YamlRun {
  readonly ms: number;
  readonly documents: number;
  readonly errors: number;
}

function parseOnce(files: readonly ManifestFile[]): YamlRun {
  const started = performance.now();
  let documents = 0;
  let errors = 0;
  for (const file of files) {
    for (const document of parseAllDocuments(file.text)) {
      documents++;
      errors += document.errors.length;
    }
  }
  return { ms: performance.now() - started, documents, errors };
}
