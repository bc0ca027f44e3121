import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TRAFFIC_PREVIEW_COMMAND } from '../protocol';
import { waitFor } from './wait';
import { openEditor, positionOf } from './workspace';

const PANEL_TITLE = /Traffic Preview/;
const VIEW_TYPE = 'serviceLens.trafficPreview';

/** Whether the extension's manifest contributes the traffic preview command. */
export function contributesTrafficPreview(extension: vscode.Extension<unknown>): boolean {
  const manifest = extension.packageJSON as { contributes?: { commands?: readonly { command?: unknown }[] } };
  return (manifest.contributes?.commands ?? []).some((entry) => entry.command === TRAFFIC_PREVIEW_COMMAND);
}

function previewTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(VIEW_TYPE));
}

/**
 * With the cursor in a Service, the command opens the preview panel. What the panel shows is read
 * from its page by the workbench runner; here the command must succeed and the panel's tab appear.
 */
export async function checkTrafficPreviewCommand(timeoutMs: number): Promise<string> {
  const editor = await openEditor('shop/web.yaml');
  const position = positionOf(editor.document, 'name: numbers-web-node', 'name: '.length + 2);
  editor.selection = new vscode.Selection(position, position);
  await vscode.commands.executeCommand(TRAFFIC_PREVIEW_COMMAND);
  const tab = await waitFor({
    description: 'the traffic preview panel',
    check: previewTab,
    events: [vscode.window.tabGroups.onDidChangeTabs],
    timeoutMs,
    explain: () => `Open tabs: ${vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((candidate) => candidate.label)).join(', ')}`,
  });
  assert.match(tab.label, PANEL_TITLE);
  return `panel "${tab.label}" open`;
}
