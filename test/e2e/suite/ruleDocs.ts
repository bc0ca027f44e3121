import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './wait';

const RULE = 'service-selector-no-match';

function ruleTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((tab) => tab.label.includes(`${RULE}.md`) && tab.input instanceof vscode.TabInputWebview);
}

/**
 * A diagnostic's rule link (`command:serviceLens.showRuleDoc?["<id>"]`) opens the rule's page
 * shipped in the extension in the Markdown preview: no network is involved. The page is the
 * extension's own file.
 */
export async function checkRuleDoc(extension: vscode.Extension<unknown>, timeoutMs: number): Promise<string> {
  const page = vscode.Uri.joinPath(extension.extensionUri, 'docs', 'rules', `${RULE}.md`);
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(page));
  assert.match(text, new RegExp(`^# ${RULE}\\n`), 'the bundled page is the rule page');
  await vscode.commands.executeCommand('serviceLens.showRuleDoc', RULE);
  const tab = await waitFor({
    description: `the Markdown preview of ${RULE}.md`,
    check: ruleTab,
    events: [vscode.window.tabGroups.onDidChangeTabs],
    timeoutMs,
    explain: () => `Open tabs: ${vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((candidate) => candidate.label)).join(', ')}`,
  });
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return `"${tab.label}" from ${vscode.workspace.asRelativePath(page)}`;
}
