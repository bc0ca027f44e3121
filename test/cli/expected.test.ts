/**
 * examples/EXPECTED.md promises the CLI's findings on examples/: its "Findings" table (read by the
 * same parser the end-to-end tests use) must equal what `service-lens check examples` reports,
 * and its summary line must be the text output's last line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { findingKey, parseExpectedFindings, type ExpectedSeverity } from '../e2e/expected';
import { REPO_ROOT, runCli, runJson } from './harness';

describe('examples/EXPECTED.md', () => {
  const markdown = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'EXPECTED.md'), 'utf8');

  test('lists exactly the findings the CLI reports on examples', () => {
    const { output } = runJson(['check', 'examples', '--fail-on', 'none']);
    const actual = output.findings.map((finding) =>
      findingKey({
        file: finding.file.replace(/^examples\//, ''),
        line: finding.range.start.line + 1,
        column: finding.range.start.character + 1,
        ruleId: finding.ruleId,
        severity: finding.severity as ExpectedSeverity,
      }),
    );
    assert.deepEqual(actual, parseExpectedFindings(markdown).map(findingKey));
  });

  test('quotes the last line of the text output', () => {
    const run = runCli(['check', 'examples']);
    const last = run.stdout.trimEnd().split('\n').pop() ?? '';
    assert.ok(markdown.includes(`\`${last}\``), `EXPECTED.md quotes "${last}"`);
  });
});
