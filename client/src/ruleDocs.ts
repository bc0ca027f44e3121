import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE } from '../../server/src/protocol/settings';
import { COMMANDS } from './commands';

/**
 * Rule pages that work offline. The server gives each diagnostic its rule's web page as
 * `codeDescription.href` (what every LSP client can open). VS Code opens a diagnostic's code
 * link from the hover, the peek view and the Problems view with command links allowed, so this
 * client turns the link of each Service Lens diagnostic into `command:serviceLens.showRuleDoc`,
 * which opens the page bundled in the extension (`docs/rules/<id>.md`) in the Markdown preview.
 */

/** A rule id: kebab-case `<subject>-<condition>`; never a path. */
const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/** `command:serviceLens.showRuleDoc?["<rule id>"]` */
export function ruleDocCommandUri(ruleId: string): vscode.Uri {
  return vscode.Uri.parse(`command:${COMMANDS.showRuleDoc}?${encodeURIComponent(JSON.stringify([ruleId]))}`);
}

/** Diagnostics middleware: Service Lens rule links point at the bundled pages. */
export const bundledRuleDocLinks: NonNullable<Middleware['handleDiagnostics']> = (uri, diagnostics, next) => {
  for (const diagnostic of diagnostics) {
    const code = diagnostic.code;
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof code !== 'object' || typeof code.value !== 'string' || !RULE_ID.test(code.value)) continue;
    diagnostic.code = { value: code.value, target: ruleDocCommandUri(code.value) };
  }
  next(uri, diagnostics);
};

/**
 * `serviceLens.showRuleDoc(ruleId)`: the rule's bundled page in the Markdown preview, or as text
 * when no Markdown preview is available. Without an argument (the command palette) it asks which
 * rule. An unknown id or a missing page is reported, not thrown.
 */
export function registerRuleDocCommand(extensionUri: vscode.Uri, output: vscode.LogOutputChannel): vscode.Disposable {
  const folder = vscode.Uri.joinPath(extensionUri, 'docs', 'rules');
  return vscode.commands.registerCommand(COMMANDS.showRuleDoc, async (argument: unknown) => {
    const ruleId = argument === undefined ? await pickRule(folder) : argument;
    if (ruleId === undefined) return;
    if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) {
      void vscode.window.showErrorMessage(`Service Lens has no rule ${JSON.stringify(ruleId)}.`);
      return;
    }
    const page = vscode.Uri.joinPath(folder, `${ruleId}.md`);
    try {
      await vscode.workspace.fs.stat(page);
    } catch {
      void vscode.window.showErrorMessage(`Service Lens has no page for rule ${ruleId}.`);
      return;
    }
    try {
      await vscode.commands.executeCommand('markdown.showPreview', page);
    } catch (error) {
      output.warn(`The Markdown preview is not available (${error instanceof Error ? error.message : String(error)}); opening ${ruleId}.md as text.`);
      await vscode.window.showTextDocument(page, { preview: true });
    }
  });
}

/** The rule ids of the bundled pages, in a quick pick; undefined when dismissed. */
async function pickRule(folder: vscode.Uri): Promise<string | undefined> {
  let entries: [string, vscode.FileType][] = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    // No bundled pages: the pick is empty.
  }
  const ids = entries
    .map(([name]) => name.replace(/\.md$/, ''))
    .filter((name) => RULE_ID.test(name))
    .sort();
  return vscode.window.showQuickPick(ids, { title: 'Service Lens rule', placeHolder: 'Rule to show the documentation of' });
}
