import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findingKey, parseExpectedFindings, type ExpectedFinding, type ExpectedSeverity } from '../expected';
import { HELM_FINDINGS_SECTION } from '../protocol';
import { waitFor } from './wait';
import { fileUri, openEditor, positionOf, readText, relativePath } from './workspace';

const SOURCE = 'service-lens';
/** The client points every rule link at the rule's bundled page: `command:serviceLens.showRuleDoc?["<id>"]`. */
const RULE_DOC_COMMAND = 'serviceLens.showRuleDoc';
const SEVERITY_NAMES: Readonly<Record<vscode.DiagnosticSeverity, ExpectedSeverity>> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** A Service Lens diagnostic with the file it belongs to. */
interface Located {
  readonly file: string;
  readonly diagnostic: vscode.Diagnostic;
}

export function serviceLensDiagnostics(): Located[] {
  const located: Located[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const file = relativePath(uri) ?? uri.toString();
    for (const diagnostic of diagnostics) {
      if (diagnostic.source === SOURCE) located.push({ file, diagnostic });
    }
  }
  return located;
}

export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'object') return String(code.value);
  return code === undefined ? undefined : String(code);
}

function keyOf({ file, diagnostic }: Located): string {
  const start = diagnostic.range.start;
  return findingKey({
    file,
    line: start.line + 1,
    column: start.character + 1,
    ruleId: ruleIdOf(diagnostic) ?? '(no code)',
    severity: SEVERITY_NAMES[diagnostic.severity],
  });
}

function sortedKeys(located: readonly Located[]): string[] {
  return located.map(keyOf).sort();
}

/** The findings of EXPECTED.md, with those of the rendered charts: the suite's workspace renders them. */
export async function expectedFindings(): Promise<ExpectedFinding[]> {
  const markdown = await readText('EXPECTED.md');
  return [...parseExpectedFindings(markdown), ...parseExpectedFindings(markdown, HELM_FINDINGS_SECTION)];
}

/**
 * A Helm template shows the finding of its rendered Service on the template's own line, and says
 * which values files the render used.
 */
export async function checkHelmTemplate(timeoutMs: number): Promise<string> {
  const file = 'charts/cart/templates/service.yaml';
  const editor = await openEditor(file);
  const at = positionOf(editor.document, '{{ .Values.service.targetPort }}');
  const diagnostic = await waitFor({
    description: `the rendered targetPort finding on ${file}:${at.line + 1}`,
    check: () => vscode.languages.getDiagnostics(fileUri(file)).find((candidate) => ruleIdOf(candidate) === 'service-target-port-unresolved' && candidate.range.start.isEqual(at)),
    events: [vscode.languages.onDidChangeDiagnostics],
    timeoutMs,
  });
  assert.match(diagnostic.message, /Rendered with values\.yaml, values-staging\.yaml: targetPort web\.$/);
  return `${file}:${at.line + 1}:${at.character + 1} ${diagnostic.message}`;
}

/**
 * Opens the manifests that have findings, then waits until the Service Lens diagnostics of the
 * whole workspace are exactly those of EXPECTED.md (file, start line and column, rule, severity),
 * and checks each one's docs link, range and message.
 */
export async function checkDiagnostics(timeoutMs: number): Promise<string> {
  const expected = await expectedFindings();
  for (const file of new Set(expected.map((finding) => finding.file))) await openEditor(file);
  const wanted = expected.map(findingKey).sort();
  const located = await waitFor({
    description: `the ${wanted.length} findings of EXPECTED.md`,
    check: () => {
      const current = serviceLensDiagnostics();
      return JSON.stringify(sortedKeys(current)) === JSON.stringify(wanted) ? current : undefined;
    },
    events: [vscode.languages.onDidChangeDiagnostics],
    timeoutMs,
    explain: () => describeDifference(wanted, sortedKeys(serviceLensDiagnostics())),
  });
  for (const { file, diagnostic } of located) {
    const where = `${file}:${diagnostic.range.start.line + 1}`;
    const ruleId = ruleIdOf(diagnostic);
    assert.equal(typeof diagnostic.code, 'object', `${where}: the code links to the rule's page`);
    if (typeof diagnostic.code === 'object') {
      const target = diagnostic.code.target;
      assert.equal(`${target.scheme}:${target.path}`, `command:${RULE_DOC_COMMAND}`, `${where}: the rule link opens the bundled page`);
      assert.deepEqual(JSON.parse(target.query), [ruleId], `${where}: the rule link names its rule`);
    }
    assert.ok(diagnostic.range.end.isAfter(diagnostic.range.start), `${where}: a non-empty range`);
    assert.ok(diagnostic.range.start.character > 0, `${where}: the narrowest range, not column 1`);
    assert.ok(diagnostic.message.length > 20 && diagnostic.message.endsWith('.'), `${where}: a sentence: ${diagnostic.message}`);
  }
  // A cross-file finding points at the other side: the StatefulSet in namespace shop.
  const otherNamespace = located.find(({ diagnostic }) => ruleIdOf(diagnostic) === 'service-selector-other-namespace');
  assert.ok(otherNamespace, 'a service-selector-other-namespace finding');
  const related = otherNamespace.diagnostic.relatedInformation ?? [];
  assert.ok(
    related.some((information) => relativePath(information.location.uri) === 'shop/db.yaml'),
    `related information points at shop/db.yaml: ${JSON.stringify(related.map((information) => information.location.uri.toString()))}`,
  );
  return `${located.length} diagnostics in ${new Set(located.map(({ file }) => file)).size} files`;
}

/**
 * An unsaved edit that fixes the selector typo in one file clears that finding; reverting the
 * file brings it back. Proves the editor's text, not the disk, drives the analysis.
 */
export async function checkLiveEdit(timeoutMs: number): Promise<string> {
  const file = 'shop-staging/web.yaml';
  const editor = await openEditor(file);
  const document = editor.document;
  const typo = positionOf(document, 'app: numbres-web', 'app: '.length);
  const selectorMisses = (): boolean =>
    vscode.languages.getDiagnostics(fileUri(file)).some((diagnostic) => ruleIdOf(diagnostic) === 'service-selector-no-match');
  assert.ok(selectorMisses(), `${file} starts with its service-selector-no-match finding`);

  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(typo, typo.translate(0, 'numbres-web'.length)), 'numbers-web');
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
  await waitFor({
    description: `the selector finding of ${file} to clear after fixing the typo`,
    check: () => (selectorMisses() ? undefined : true),
    events: [vscode.languages.onDidChangeDiagnostics],
    timeoutMs,
  });

  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.equal(document.isDirty, false, 'reverted to the file on disk');
  await waitFor({
    description: `the selector finding of ${file} to return after reverting`,
    check: () => (selectorMisses() ? true : undefined),
    events: [vscode.languages.onDidChangeDiagnostics],
    timeoutMs,
  });
  return 'cleared by an unsaved fix, back after revert';
}

function describeDifference(wanted: readonly string[], actual: readonly string[]): string {
  const missing = wanted.filter((key) => !actual.includes(key));
  const unexpected = actual.filter((key) => !wanted.includes(key));
  return [
    `Service Lens diagnostics now: ${actual.length} (expected ${wanted.length}).`,
    ...missing.map((key) => `  missing:    ${key}`),
    ...unexpected.map((key) => `  unexpected: ${key}`),
  ].join('\n');
}
