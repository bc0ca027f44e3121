import * as vscode from 'vscode';
import { RequestType, State, type LanguageClient } from 'vscode-languageclient/node';
import {
  TRAFFIC_PREVIEW_REQUEST,
  type SourceLink,
  type TrafficPreview,
  type TrafficPreviewParams,
} from '../../../server/src/protocol/traffic';
import { webviewOptions } from './html';
import { SHOW_TRAFFIC_PREVIEW, TRAFFIC_PREVIEW_VIEW_TYPE } from './ids';
import { isPosition, restoredView, type PanelScope, type PreviewTarget } from './messages';
import { PreviewSession } from './session';

const TRAFFIC_PREVIEW = new RequestType<TrafficPreviewParams, TrafficPreview<SourceLink> | null, void>(TRAFFIC_PREVIEW_REQUEST);
const MANIFEST_LANGUAGES: readonly string[] = ['yaml', 'json'];
const MANIFEST_SCHEMES: readonly string[] = ['file', 'untitled'];
const MANIFEST_PATH = /\.(ya?ml|json)$/i;

/**
 * The traffic preview: the command that opens it, the serializer that restores it after a reload,
 * and the editor events it follows. At most one panel is open at a time.
 */
export class PreviewController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private session: PreviewSession | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand(SHOW_TRAFFIC_PREVIEW, (uri?: unknown, position?: unknown) => this.show(commandTarget(uri, position))),
      vscode.window.registerWebviewPanelSerializer(TRAFFIC_PREVIEW_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
      vscode.window.onDidChangeTextEditorSelection(({ textEditor }) => this.follow(textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length > 0 && isManifestDocument(document)) this.session?.invalidate();
      }),
      // The server re-publishes the files a change affects, on disk as well as in editors.
      vscode.languages.onDidChangeDiagnostics(({ uris }) => {
        if (uris.some((uri) => MANIFEST_PATH.test(uri.path))) this.session?.invalidate();
      }),
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) this.session?.invalidate();
      }),
    );
  }

  dispose(): void {
    this.session?.dispose();
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
  }

  private show(target: PreviewTarget | undefined): void {
    if (this.session) {
      this.session.panel.reveal(undefined, true);
      this.session.show(target);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TRAFFIC_PREVIEW_VIEW_TYPE,
      'Traffic Preview',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    this.open(panel, target, 'service');
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    if (this.session) {
      panel.dispose();
      return;
    }
    const { target, scope } = restoredView(state);
    this.open(panel, target ?? activeTarget(), scope);
  }

  private open(panel: vscode.WebviewPanel, target: PreviewTarget | undefined, scope: PanelScope): void {
    const fetch = (params: TrafficPreviewParams): Promise<TrafficPreview<SourceLink> | null> => this.client.sendRequest(TRAFFIC_PREVIEW, params);
    let session: PreviewSession;
    try {
      session = new PreviewSession(panel, this.extensionUri, fetch, target, scope);
    } catch (error) {
      // No page to show: close the empty panel; the command reports the error.
      panel.dispose();
      throw error;
    }
    this.session = session;
    session.onDidDispose(() => {
      if (this.session === session) this.session = undefined;
    });
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    if (this.session && editor && isManifestDocument(editor.document)) this.session.follow(editorTarget(editor));
  }
}

/**
 * The target of a command invocation: `(uri, position)` from a hover link, `(uri)` from an editor
 * menu, nothing from the command palette; the active editor's cursor fills in what is missing.
 */
function commandTarget(uri: unknown, position: unknown): PreviewTarget | undefined {
  const resource = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? parseUri(uri) : undefined;
  const active = activeTarget();
  if (!resource) return active;
  const key = resource.toString();
  if (isPosition(position)) return { uri: key, position: { line: position.line, character: position.character } };
  return active?.uri === key ? active : { uri: key, position: { line: 0, character: 0 } };
}

function activeTarget(): PreviewTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && isManifestDocument(editor.document) ? editorTarget(editor) : undefined;
}

function editorTarget(editor: vscode.TextEditor): PreviewTarget {
  const { line, character } = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line, character } };
}

function isManifestDocument(document: vscode.TextDocument): boolean {
  return MANIFEST_LANGUAGES.includes(document.languageId) && MANIFEST_SCHEMES.includes(document.uri.scheme);
}

function parseUri(value: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(value, true);
  } catch {
    return undefined;
  }
}
