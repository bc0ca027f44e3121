/**
 * The CLI and the language server run the same engine: on the same files and settings they must
 * report the same findings (rule, file, range, severity, message). The server runs from
 * dist/server.js over stdio on a temporary copy; the CLI checks that same copy.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LspSession } from '../lsp/harness';
import { runJson } from './harness';

const SEVERITY_NAMES: Readonly<Record<number, string>> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

function key(file: string, range: Range, ruleId: string, severity: string, message: string): string {
  const { start, end } = range;
  return `${file}:${start.line}:${start.character}-${end.line}:${end.character} ${severity} ${ruleId} ${message}`;
}

function serverFindings(session: LspSession): string[] {
  const keys: string[] = [];
  for (const [uri, published] of session.diagnostics) {
    const file = path.relative(session.root, fileURLToPath(uri)).split(path.sep).join('/');
    for (const diagnostic of published.diagnostics) {
      const severity = SEVERITY_NAMES[diagnostic.severity ?? DiagnosticSeverity.Error] ?? 'unknown';
      const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
      keys.push(key(file, diagnostic.range, String(diagnostic.code), severity, message));
    }
  }
  return keys.sort();
}

async function assertParity(fixture: string, settings: Record<string, unknown>, cliOptions: readonly string[]): Promise<number> {
  const session = await LspSession.start({ fixture, settings });
  try {
    const cli = runJson(['check', '.', ...cliOptions], { cwd: session.root }).output.findings
      .map((finding) => key(finding.file, finding.range, finding.ruleId, finding.severity, finding.message))
      .sort();
    assert.ok(cli.length > 0, 'the fixture has findings to compare');
    // Publications may trail the end of the scan: wait until they agree, then compare (the diff shows on a timeout).
    try {
      await session.waitFor('server findings equal to the CLI findings', () => JSON.stringify(serverFindings(session)) === JSON.stringify(cli));
    } catch {
      // Fall through to the comparison, which names the differences.
    }
    assert.deepEqual(serverFindings(session), cli);
    return cli.length;
  } finally {
    await session.dispose();
  }
}

describe('CLI and language server parity', () => {
  test('same findings on the examples workspace', async () => {
    await assertParity('../../../examples', {}, []);
  });

  test('same findings on the CLI fixtures with default settings', async () => {
    await assertParity('../cli', {}, []);
  });

  test('same findings with a default namespace and rule overrides', async () => {
    const rules = { 'service-target-port-unresolved': 'hint', 'service-selector-no-match': 'off', 'service-target-port-undeclared': 'error' };
    await assertParity('../cli', { defaultNamespace: 'data', rules }, [
      '--default-namespace', 'data',
      ...Object.entries(rules).flatMap(([id, severity]) => ['--rule', `${id}=${severity}`]),
    ]);
  });
});
