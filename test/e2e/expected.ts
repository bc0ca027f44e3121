/**
 * The findings examples/EXPECTED.md promises, read from its "Findings" table, so the end-to-end
 * checks and that document cannot drift apart. Pure text in, data out: usable in the extension
 * host, in the runners and in the Neovim test.
 */

export type ExpectedSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface ExpectedFinding {
  /** Relative to the examples folder, with `/`. */
  readonly file: string;
  /** 1-based, where the finding's range starts. */
  readonly line: number;
  readonly column: number;
  readonly ruleId: string;
  readonly severity: ExpectedSeverity;
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint'];

/**
 * Rows of the table under the `## Findings` heading (or another section's, such as
 * `Findings with Helm rendering`): `| # | File | Line | Col | Rule | Severity | Object | Why |`.
 */
export function parseExpectedFindings(markdown: string, section = 'Findings'): ExpectedFinding[] {
  const lines = markdown.split(/\r?\n/);
  const heading = lines.findIndex((line) => line === `## ${section}` || line.startsWith(`## ${section} (`));
  if (heading < 0) throw new Error(`EXPECTED.md has no "## ${section}" section`);
  const findings: ExpectedFinding[] = [];
  for (const line of lines.slice(heading + 1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    // ['', '1', 'shop-staging/api.yaml', '15', '7', 'workload-selector-mismatch', 'error', …]
    if (cells.length < 8 || !/^\d+$/.test(cells[1] ?? '')) continue;
    const [, , file, lineText, columnText, ruleId, severity] = cells;
    if (file === undefined || ruleId === undefined || severity === undefined || !SEVERITIES.includes(severity)) {
      throw new Error(`unexpected row in EXPECTED.md: ${line}`);
    }
    findings.push({ file, line: Number(lineText), column: Number(columnText), ruleId, severity: severity as ExpectedSeverity });
  }
  if (findings.length === 0) throw new Error('EXPECTED.md lists no findings');
  return findings;
}

/** `shop-staging/web.yaml:36:5 warning service-selector-no-match`: one comparable line per finding. */
export function findingKey(finding: ExpectedFinding): string {
  return `${finding.file}:${finding.line}:${finding.column} ${finding.severity} ${finding.ruleId}`;
}

export interface SeverityCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly information: number;
  readonly hints: number;
}

export function countSeverities(findings: readonly ExpectedFinding[]): SeverityCounts {
  const count = (severity: ExpectedSeverity): number => findings.filter((finding) => finding.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), information: count('information'), hints: count('hint') };
}
