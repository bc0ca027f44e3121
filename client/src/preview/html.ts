import * as vscode from 'vscode';
import { createNonce, renderPreviewPage } from '../../webview/page';

/** Scripts on, and only the bundled page (dist/webview.js, dist/webview.css) loadable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [distFolder(extensionUri)] };
}

/** The panel's page with a fresh nonce; its data arrives later by message. */
export function previewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const dist = distFolder(extensionUri);
  return renderPreviewPage({
    kind: 'webview',
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    cspSource: webview.cspSource,
    nonce: createNonce(),
  });
}

function distFolder(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist');
}
