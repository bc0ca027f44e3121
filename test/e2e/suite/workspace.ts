import * as vscode from 'vscode';

/** The folder the suite runs in: a copy of examples/ opened as the only workspace folder. */
export function examplesFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('No workspace folder is open: start VS Code on a copy of examples/.');
  return folder.uri;
}

export function fileUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(examplesFolder(), ...relativePath.split('/'));
}

/** The path of a file relative to the examples folder, with `/`, or undefined outside it. */
export function relativePath(uri: vscode.Uri): string | undefined {
  const root = examplesFolder();
  if (uri.scheme !== root.scheme || uri.authority !== root.authority) return undefined;
  const prefix = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.path.startsWith(prefix) ? uri.path.slice(prefix.length) : undefined;
}

export async function readText(relative: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri(relative)));
}

/** Opens a file of the examples folder in an editor, as a person would. */
export async function openEditor(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fileUri(relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * The position `offset` characters into the `occurrence`-th (0-based) match of `needle`.
 * Fails when the needle is missing, so a changed example shows up as a clear error.
 */
export function positionOf(document: vscode.TextDocument, needle: string, offset = 0, occurrence = 0): vscode.Position {
  const text = document.getText();
  let index = -1;
  for (let seen = 0; seen <= occurrence; seen++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`${relativePath(document.uri) ?? document.uri.toString()} does not contain ${JSON.stringify(needle)} ${occurrence + 1} time(s)`);
  }
  return document.positionAt(index + offset);
}
