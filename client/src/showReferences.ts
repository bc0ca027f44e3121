import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type * as lsp from 'vscode-languageserver-protocol';
import { SHOW_REFERENCES_COMMAND } from '../../server/src/protocol/commands';

/**
 * `serviceLens.showReferences(uri, position, locations)`: the command of the server's code lenses,
 * with the arguments of VS Code's `editor.action.showReferences` in LSP terms. Converted to VS
 * Code's types, they open the locations in a peek below the lens. Malformed arguments are ignored.
 */
export function registerShowReferences(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_REFERENCES_COMMAND, async (uri: unknown, position: unknown, locations: unknown) => {
    if (typeof uri !== 'string' || !isPosition(position) || !Array.isArray(locations) || !locations.every(isLocation)) return;
    const converter = client.protocol2CodeConverter;
    await vscode.commands.executeCommand(
      'editor.action.showReferences',
      converter.asUri(uri),
      converter.asPosition(position),
      locations.map((location) => converter.asLocation(location)),
    );
  });
}

function isPosition(value: unknown): value is lsp.Position {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as Partial<lsp.Position>;
  return typeof line === 'number' && typeof character === 'number';
}

function isLocation(value: unknown): value is lsp.Location {
  if (typeof value !== 'object' || value === null) return false;
  const { uri, range } = value as Partial<lsp.Location>;
  return typeof uri === 'string' && typeof range === 'object' && range !== null && isPosition(range.start) && isPosition(range.end);
}
