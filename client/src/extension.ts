// Entry point of the extension (bundled to dist/client.js). The client is thin: it starts the
// language server and shows what the server reports; all analysis happens in the server.
import type * as vscode from 'vscode';
import { Context } from './context';

let context: Context | undefined;

export function activate(extension: vscode.ExtensionContext): void {
  const current = new Context(extension);
  context = current;
  extension.subscriptions.push({ dispose: () => void current.dispose() });
  void current.start();
}

/** Returning the promise gives the language server time to shut down cleanly. */
export async function deactivate(): Promise<void> {
  const current = context;
  context = undefined;
  await current?.dispose();
}
