/**
 * Data-driven rule fixtures. A fixture file holds one or more virtual files:
 *
 *   # config: {"defaultNamespace": "shop"}          (optional, first line only)
 *   # file: shop/service.yaml
 *   apiVersion: v1
 *   ...
 *       app: webb
 *   #   ^^^^^^^^^ warning service-selector-no-match: Selector app=webb matches no Pod template
 *
 * Helm renders, for charts (the folder of a `# file: <chart>/Chart.yaml`), as the server hands
 * them to the engine after running helm:
 *
 *   # render: shop                                 (a section: what `helm template` printed)
 *   # render-failed: shop: <helm's error message>  (one line)
 *
 * A caret line marks a finding on the line above it: the carets give its columns, then come the
 * severity, the rule id and the start of the message. Caret lines are removed before analysis. A
 * fixture lists every finding it produces, so a file without caret lines must produce none.
 * `UPDATE_FIXTURES=1` rewrites the caret lines from the engine's output (review the diff).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ChartRender } from '../../server/src/engine/analysis/charts';
import type { EngineConfig } from '../../server/src/engine/config';
import { TestHost } from '../support/testHost';
import type { Finding } from '../../server/src/engine/types';

export interface VirtualFile {
  readonly name: string;
  /** The file text without caret lines. */
  readonly text: string;
  /** Source lines (without caret lines), for rewriting. */
  readonly lines: readonly string[];
}

export interface ExpectedFinding {
  readonly file: string;
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
  readonly severity: string;
  readonly ruleId: string;
  readonly message: string;
}

export interface Fixture {
  readonly config: Partial<EngineConfig>;
  readonly files: readonly VirtualFile[];
  /** Helm renders by chart folder (`# render:` sections, `# render-failed:` lines). */
  readonly charts: Readonly<Record<string, ChartRender>>;
  /** The fixture's render lines, kept as written for rewriting. */
  readonly renderLines: readonly string[];
  readonly expected: readonly ExpectedFinding[];
}

const CARETS = /^#(\s*)(\^+)\s+(error|warning|information|hint)\s+([a-z-]+)(?::\s?(.*))?$/;

export function parseFixture(source: string): Fixture {
  const rawLines = source.split('\n');
  let config: Partial<EngineConfig> = {};
  const first = rawLines[0] ?? '';
  if (first.startsWith('# config:')) {
    config = JSON.parse(first.slice('# config:'.length)) as Partial<EngineConfig>;
    rawLines.shift();
  }
  const files: VirtualFile[] = [];
  const expected: ExpectedFinding[] = [];
  let current: { name: string; lines: string[] } | undefined;
  const charts: Record<string, ChartRender> = {};
  const renderLines: string[] = [];
  let render: { chart: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) files.push({ name: current.name, lines: current.lines, text: current.lines.join('\n') });
    if (render) charts[render.chart] = { status: 'rendered', output: render.lines.join('\n'), valuesFiles: ['values.yaml'] };
    current = undefined;
    render = undefined;
  };
  for (const line of rawLines) {
    const header = /^# file: (.+)$/.exec(line);
    if (header) {
      flush();
      current = { name: header[1]!.trim(), lines: [] };
      continue;
    }
    const rendered = /^# render: (.+)$/.exec(line);
    if (rendered) {
      flush();
      render = { chart: rendered[1]!.trim(), lines: [] };
      renderLines.push(line);
      continue;
    }
    const failed = /^# render-failed: ([^:]+): (.+)$/.exec(line);
    if (failed) {
      flush();
      charts[failed[1]!.trim()] = { status: 'failed', message: failed[2]! };
      renderLines.push(line);
      continue;
    }
    if (render) {
      render.lines.push(line);
      renderLines.push(line);
      continue;
    }
    if (!current) {
      if (line.trim() === '') continue;
      throw new Error(`Fixture text before the first "# file:" line: ${line}`);
    }
    const carets = CARETS.exec(line);
    if (carets) {
      const startColumn = 1 + carets[1]!.length;
      expected.push({
        file: current.name,
        line: current.lines.length - 1,
        startColumn,
        endColumn: startColumn + carets[2]!.length,
        severity: carets[3]!,
        ruleId: carets[4]!,
        message: carets[5] ?? '',
      });
      continue;
    }
    current.lines.push(line);
  }
  flush();
  return { config, files, charts, renderLines, expected };
}

export interface ActualFinding extends ExpectedFinding {
  readonly finding: Finding;
}

export function analyse(fixture: Fixture): { workspace: TestHost; findings: ActualFinding[] } {
  const workspace = new TestHost(fixture.config);
  workspace.setFiles(fixture.files.map((file) => [file.name, file.text] as const));
  if (Object.keys(fixture.charts).length > 0) workspace.setCharts(fixture.charts);
  const findings = workspace.allFindings().map((finding) => {
    const start = workspace.positionAt(finding.fileId, finding.span.start);
    const end = workspace.positionAt(finding.fileId, finding.span.end);
    return {
      file: finding.fileId,
      line: start.line,
      startColumn: start.character,
      // A finding spanning lines is marked to the end of its first line.
      endColumn: end.line === start.line ? end.character : lineLength(fixture, finding.fileId, start.line),
      severity: finding.severity,
      ruleId: finding.ruleId,
      message: finding.message,
      finding,
    };
  });
  return { workspace, findings };
}

function lineLength(fixture: Fixture, fileName: string, line: number): number {
  return fixture.files.find((file) => file.name === fileName)?.lines[line]?.length ?? 0;
}

/** Rewrites the fixture with caret lines for the given findings. */
export function rewriteFixture(path: string, fixture: Fixture, findings: readonly ActualFinding[]): void {
  const out: string[] = [];
  const source = readFileSync(path, 'utf8');
  if (source.startsWith('# config:')) out.push(source.split('\n')[0]!);
  for (const file of fixture.files) {
    out.push(`# file: ${file.name}`);
    file.lines.forEach((line, index) => {
      out.push(line);
      for (const finding of findings.filter((candidate) => candidate.file === file.name && candidate.line === index)) {
        if (finding.startColumn < 1) throw new Error(`A finding at column 0 cannot be marked: ${finding.message}`);
        const width = Math.max(1, finding.endColumn - finding.startColumn);
        out.push(`#${' '.repeat(finding.startColumn - 1)}${'^'.repeat(width)} ${finding.severity} ${finding.ruleId}: ${finding.message}`);
      }
    });
  }
  out.push(...fixture.renderLines);
  writeFileSync(path, out.join('\n'));
}
